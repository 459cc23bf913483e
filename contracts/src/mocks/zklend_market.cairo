//! zkLend-shaped flash lender after zkLend/zklend-v1-core e229e369 src/market/internal.cairo
//! `flash_loan`: fee = floor(amount * flash_loan_fee / 1e27) (safe_decimal_math::mul, computed
//! here independently of the contract's cycle::zklend_fee), balance before via camelCase
//! balanceOf, lend, call back `zklend_flash_callback(caller, calldata)`, then require
//! balance >= before + fee ('INSUFFICIENT_AMOUNT_REPAID'). The fee is exposed the way zkLend's
//! market exposes it: the `flash_loan_fee` field of `get_reserve_data(token)`. zkLend itself is
//! shut down (2025). Knobs let security tests play a misbehaving lender.

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

/// The market's side of get_reserve_data: zklend-v1-core e229e369's full MarketReserveData, which
/// ends with `deposit_limit` (17 felts). FlashArb reads it through the 16-field struct in
/// interfaces.cairo; the zkLend cycle test proves that reader decodes this longer answer and
/// takes the fee from the right felt.
#[derive(Drop, Copy, Serde)]
pub struct FullReserveData {
    pub enabled: bool,
    pub decimals: felt252,
    pub z_token_address: starknet::ContractAddress,
    pub interest_rate_model: starknet::ContractAddress,
    pub collateral_factor: felt252,
    pub borrow_factor: felt252,
    pub reserve_factor: felt252,
    pub last_update_timestamp: felt252,
    pub lending_accumulator: felt252,
    pub debt_accumulator: felt252,
    pub current_lending_rate: felt252,
    pub current_borrowing_rate: felt252,
    pub raw_total_debt: felt252,
    pub flash_loan_fee: felt252,
    pub liquidation_bonus: felt252,
    pub debt_limit: felt252,
    pub deposit_limit: felt252,
}

/// IZkLendMarket as the market implements it (same selectors as interfaces.cairo's reader).
#[starknet::interface]
pub trait IZkLendMarketFull<T> {
    fn get_reserve_data(self: @T, token: starknet::ContractAddress) -> FullReserveData;
    fn flash_loan(
        ref self: T,
        receiver: starknet::ContractAddress,
        token: starknet::ContractAddress,
        amount: felt252,
        calldata: Span<felt252>,
    );
}

#[starknet::contract]
pub mod MockZkLendMarket {
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address, get_contract_address};
    use crate::interfaces::{
        IERC20CamelDispatcher, IERC20CamelDispatcherTrait, IERC20Dispatcher, IERC20DispatcherTrait,
        IZkLendFlashCallbackDispatcher, IZkLendFlashCallbackDispatcherTrait,
    };
    use super::FullReserveData;
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
    impl MarketImpl of super::IZkLendMarketFull<ContractState> {
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
            let fee_rate: u256 = self.fee_rates.read(token).into();
            let fee = amount_u256 * fee_rate / 1_000_000_000_000_000_000_000_000_000;
            let camel = IERC20CamelDispatcher { contract_address: token };
            let balance_before = camel.balanceOf(this);
            assert(erc20.transfer(receiver, amount_u256), 'TRANSFER_FAILED');

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

            assert(camel.balanceOf(this) >= balance_before + fee, 'INSUFFICIENT_AMOUNT_REPAID');
        }

        fn get_reserve_data(self: @ContractState, token: ContractAddress) -> FullReserveData {
            let zero: ContractAddress = 0.try_into().unwrap();
            FullReserveData {
                enabled: true,
                decimals: 18,
                z_token_address: zero,
                interest_rate_model: zero,
                collateral_factor: 0,
                borrow_factor: 0,
                reserve_factor: 0,
                last_update_timestamp: 0,
                lending_accumulator: 0,
                debt_accumulator: 0,
                current_lending_rate: 0,
                current_borrowing_rate: 0,
                // Neighbours of the fee are non-zero so a reader taking the wrong felt pays a
                // wrong fee and the market reverts.
                raw_total_debt: 0x4444,
                flash_loan_fee: self.fee_rates.read(token),
                liquidation_bonus: 0x5555,
                debt_limit: 0x6666,
                deposit_limit: 0x7777,
            }
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
