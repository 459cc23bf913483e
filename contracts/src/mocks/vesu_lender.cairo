//! Vesu-V2-pool-shaped flash lender, after vesuxyz/vesu-v2 d4b21c8c src/pool.cairo `flash_loan`:
//! refuses when paused ("contract-paused"), transfers `amount`, calls `on_flash_loan(caller,
//! asset, amount, data)`, then pulls `amount` back (transfer_from, or transferFrom when
//! is_legacy, asserted). Zero fee. Knobs play a misbehaving lender.

#[starknet::interface]
pub trait IVesuLenderKnobs<T> {
    /// Call the receiver back this many times (honest = 1).
    fn set_callback_count(ref self: T, count: u8);
    fn set_paused(ref self: T, paused: bool);
    /// Pull this much more than lent (the receiver's underpayment test).
    fn set_extra_pull(ref self: T, extra: u256);
}

#[starknet::contract]
pub mod MockVesuLender {
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::{ContractAddress, get_caller_address, get_contract_address};
    use crate::interfaces::{
        IERC20CamelDispatcher, IERC20CamelDispatcherTrait, IERC20Dispatcher, IERC20DispatcherTrait,
        IVesuFlashLoanReceiverDispatcher, IVesuFlashLoanReceiverDispatcherTrait,
    };

    #[storage]
    struct Storage {
        callback_count: u8,
        paused: bool,
        extra_pull: u256,
    }

    #[constructor]
    fn constructor(ref self: ContractState) {
        self.callback_count.write(1);
    }

    #[abi(embed_v0)]
    impl LenderImpl of crate::interfaces::IVesuPool<ContractState> {
        fn flash_loan(
            ref self: ContractState,
            receiver: ContractAddress,
            asset: ContractAddress,
            amount: u256,
            is_legacy: bool,
            data: Span<felt252>,
        ) {
            assert(!self.paused.read(), 'contract-paused');
            let erc20 = IERC20Dispatcher { contract_address: asset };
            assert(erc20.transfer(receiver, amount), 'transfer-failed');
            let mut calls = self.callback_count.read();
            while calls != 0 {
                IVesuFlashLoanReceiverDispatcher { contract_address: receiver }
                    .on_flash_loan(get_caller_address(), asset, amount, data);
                calls -= 1;
            };
            let due = amount + self.extra_pull.read();
            let this = get_contract_address();
            if is_legacy {
                assert(
                    IERC20CamelDispatcher { contract_address: asset }.transferFrom(receiver, this, due),
                    'transferFrom-failed',
                );
            } else {
                assert(erc20.transfer_from(receiver, this, due), 'transfer-from-failed');
            }
        }

        fn is_paused(self: @ContractState) -> bool {
            self.paused.read()
        }
    }

    #[abi(embed_v0)]
    impl KnobsImpl of super::IVesuLenderKnobs<ContractState> {
        fn set_callback_count(ref self: ContractState, count: u8) {
            self.callback_count.write(count);
        }
        fn set_paused(ref self: ContractState, paused: bool) {
            self.paused.write(paused);
        }
        fn set_extra_pull(ref self: ContractState, extra: u256) {
            self.extra_pull.write(extra);
        }
    }
}
