//! A third contract that calls the arbitrage contract's callback while a cycle is in flight:
//! stands for any contract a lender (or a pool) might let run before the real callback.

use starknet::ContractAddress;

#[starknet::interface]
pub trait ICallbackIntruder<T> {
    fn poke_zklend(
        ref self: T, receiver: ContractAddress, initiator: ContractAddress, calldata: Span<felt252>,
    );
}

#[starknet::contract]
pub mod CallbackIntruder {
    use starknet::ContractAddress;
    use crate::interfaces::{IZkLendFlashCallbackDispatcher, IZkLendFlashCallbackDispatcherTrait};

    #[storage]
    struct Storage {}

    #[abi(embed_v0)]
    impl IntruderImpl of super::ICallbackIntruder<ContractState> {
        fn poke_zklend(
            ref self: ContractState,
            receiver: ContractAddress,
            initiator: ContractAddress,
            calldata: Span<felt252>,
        ) {
            IZkLendFlashCallbackDispatcher { contract_address: receiver }
                .zklend_flash_callback(initiator, calldata);
        }
    }
}
