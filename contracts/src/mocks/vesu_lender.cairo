//! Vesu-shaped flash lender: zero fee, lends, calls `on_flash_loan`, then pulls `amount` back
//! with transfer_from (the receiver must have approved it inside the callback).

#[starknet::interface]
pub trait IVesuLenderKnobs<T> {
    /// Call the receiver back this many times (honest = 1).
    fn set_callback_count(ref self: T, count: u8);
}

#[starknet::contract]
pub mod MockVesuLender {
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::{ContractAddress, get_caller_address, get_contract_address};
    use crate::interfaces::{
        IERC20Dispatcher, IERC20DispatcherTrait, IVesuFlashLoanReceiverDispatcher,
        IVesuFlashLoanReceiverDispatcherTrait,
    };

    #[storage]
    struct Storage {
        callback_count: u8,
    }

    #[constructor]
    fn constructor(ref self: ContractState) {
        self.callback_count.write(1);
    }

    #[abi(embed_v0)]
    impl LenderImpl of crate::interfaces::IVesuFlashLender<ContractState> {
        fn flash_loan(
            ref self: ContractState,
            receiver: ContractAddress,
            asset: ContractAddress,
            amount: u256,
            is_legacy: bool,
            data: Span<felt252>,
        ) {
            let erc20 = IERC20Dispatcher { contract_address: asset };
            erc20.transfer(receiver, amount);
            let mut calls = self.callback_count.read();
            while calls != 0 {
                IVesuFlashLoanReceiverDispatcher { contract_address: receiver }
                    .on_flash_loan(get_caller_address(), asset, amount, data);
                calls -= 1;
            };
            erc20.transfer_from(receiver, get_contract_address(), amount);
        }
    }

    #[abi(embed_v0)]
    impl KnobsImpl of super::IVesuLenderKnobs<ContractState> {
        fn set_callback_count(ref self: ContractState, count: u8) {
            self.callback_count.write(count);
        }
    }
}
