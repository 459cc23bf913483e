//! zkLend-shaped flash lender. Fee per token in 1e27 scale (zkLend's convention). After the
//! callback it requires its balance to have grown by the fee (it lent `amount` out first, so the
//! receiver must push back amount + fee). Knobs let security tests play a misbehaving lender.

#[starknet::interface]
pub trait IZkLendMarketKnobs<T> {
    fn set_flash_loan_fee(ref self: T, token: starknet::ContractAddress, fee_rate: felt252);
    /// Pass this initiator to the callback instead of the real caller (0 = honest).
    fn set_initiator_override(ref self: T, initiator: starknet::ContractAddress);
    /// Call the receiver back this many times (honest = 1).
    fn set_callback_count(ref self: T, count: u8);
    /// Before calling back, let this contract poke the receiver's callback (0 = nobody).
    fn set_intruder(ref self: T, intruder: starknet::ContractAddress);
}

#[starknet::contract]
pub mod MockZkLendMarket {
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address, get_contract_address};
    use crate::cycle::zklend_fee;
    use crate::interfaces::{
        IERC20Dispatcher, IERC20DispatcherTrait, IZkLendFlashCallbackDispatcher,
        IZkLendFlashCallbackDispatcherTrait,
    };
    use crate::mocks::intruder::{ICallbackIntruderDispatcher, ICallbackIntruderDispatcherTrait};

    #[storage]
    struct Storage {
        fee_rates: Map<ContractAddress, felt252>,
        initiator_override: ContractAddress,
        callback_count: u8,
        intruder: ContractAddress,
    }

    /// `token`/`fee_rate`: one reserve's fee set at deploy (saves a call in tests); more with
    /// set_flash_loan_fee.
    #[constructor]
    fn constructor(ref self: ContractState, token: ContractAddress, fee_rate: felt252) {
        self.callback_count.write(1);
        self.fee_rates.write(token, fee_rate);
    }

    #[abi(embed_v0)]
    impl MarketImpl of crate::interfaces::IZkLendMarket<ContractState> {
        fn flash_loan(
            ref self: ContractState,
            receiver: ContractAddress,
            token: ContractAddress,
            amount: felt252,
            calldata: Span<felt252>,
        ) {
            let this = get_contract_address();
            let erc20 = IERC20Dispatcher { contract_address: token };
            let amount_u256: u256 = amount.into();
            let fee = zklend_fee(amount_u256, self.fee_rates.read(token).into());
            let balance_before = erc20.balance_of(this);
            erc20.transfer(receiver, amount_u256);

            let mut initiator = get_caller_address();
            let forced: felt252 = self.initiator_override.read().into();
            if forced != 0 {
                initiator = self.initiator_override.read();
            }
            let intruder = self.intruder.read();
            let intruder_felt: felt252 = intruder.into();
            if intruder_felt != 0 {
                ICallbackIntruderDispatcher { contract_address: intruder }
                    .poke_zklend(receiver, initiator, calldata);
            }
            let mut calls = self.callback_count.read();
            while calls != 0 {
                IZkLendFlashCallbackDispatcher { contract_address: receiver }
                    .zklend_flash_callback(initiator, calldata);
                calls -= 1;
            };

            assert(erc20.balance_of(this) >= balance_before + fee, 'INSUFFICIENT_AMOUNT_REPAID');
        }

        fn flash_loan_fee(self: @ContractState, token: ContractAddress) -> felt252 {
            self.fee_rates.read(token)
        }
    }

    #[abi(embed_v0)]
    impl KnobsImpl of super::IZkLendMarketKnobs<ContractState> {
        fn set_flash_loan_fee(ref self: ContractState, token: ContractAddress, fee_rate: felt252) {
            self.fee_rates.write(token, fee_rate);
        }
        fn set_initiator_override(ref self: ContractState, initiator: ContractAddress) {
            self.initiator_override.write(initiator);
        }
        fn set_callback_count(ref self: ContractState, count: u8) {
            self.callback_count.write(count);
        }
        fn set_intruder(ref self: ContractState, intruder: ContractAddress) {
            self.intruder.write(intruder);
        }
    }
}
