//! ABIs the arbitrage contract exposes and the ones it calls.

use starknet::ContractAddress;
use super::cycle::{CycleRoute, LenderKind};

/// The arbitrage contract's own entry points.
#[starknet::interface]
pub trait IFlashArb<T> {
    /// Owner only. Borrows `amount` of `token` from `lender`, runs `route`, repays, and reverts
    /// unless the contract's balance of `token` grew by at least `min_profit`; the gain goes to
    /// the owner.
    fn start_cycle(
        ref self: T,
        lender_kind: LenderKind,
        lender: ContractAddress,
        token: ContractAddress,
        amount: u256,
        route: CycleRoute,
        min_profit: u256,
    ) -> u256;
    /// Owner only, never during a cycle: moves tokens left on the contract.
    fn rescue(ref self: T, token: ContractAddress, to: ContractAddress, amount: u256);
    fn owner(self: @T) -> ContractAddress;
    /// Raw cycle state (see cycle::state), for monitoring.
    fn cycle_state(self: @T) -> u8;
}

/// zkLend market, the subset a flash borrower uses. `flash_loan_fee` stands for the reserve's
/// `flash_loan_fee` field (1e27 scale) that zkLend returns inside its reserve data; forks that
/// keep the struct need a one-line adapter.
#[starknet::interface]
pub trait IZkLendMarket<T> {
    fn flash_loan(
        ref self: T,
        receiver: ContractAddress,
        token: ContractAddress,
        amount: felt252,
        calldata: Span<felt252>,
    );
    fn flash_loan_fee(self: @T, token: ContractAddress) -> felt252;
}

/// What a zkLend market calls on the receiver.
#[starknet::interface]
pub trait IZkLendFlashCallback<T> {
    fn zklend_flash_callback(ref self: T, initiator: ContractAddress, calldata: Span<felt252>);
}

/// Vesu singleton, flash-loan subset.
#[starknet::interface]
pub trait IVesuFlashLender<T> {
    fn flash_loan(
        ref self: T,
        receiver: ContractAddress,
        asset: ContractAddress,
        amount: u256,
        is_legacy: bool,
        data: Span<felt252>,
    );
}

/// What Vesu calls on the receiver.
#[starknet::interface]
pub trait IVesuFlashLoanReceiver<T> {
    fn on_flash_loan(
        ref self: T,
        sender: ContractAddress,
        asset: ContractAddress,
        amount: u256,
        data: Span<felt252>,
    );
}

/// JediSwap v1 / 10KSwap router subset.
#[starknet::interface]
pub trait ISwapRouter<T> {
    fn swap_exact_tokens_for_tokens(
        ref self: T,
        amountIn: u256,
        amountOutMin: u256,
        path: Array<ContractAddress>,
        to: ContractAddress,
        deadline: u64,
    ) -> Array<u256>;
    fn get_amounts_out(self: @T, amountIn: u256, path: Array<ContractAddress>) -> Array<u256>;
}

/// ERC20 as Starknet tokens expose it (snake_case).
#[starknet::interface]
pub trait IERC20<T> {
    fn balance_of(self: @T, account: ContractAddress) -> u256;
    fn allowance(self: @T, owner: ContractAddress, spender: ContractAddress) -> u256;
    fn transfer(ref self: T, recipient: ContractAddress, amount: u256) -> bool;
    fn transfer_from(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
    fn approve(ref self: T, spender: ContractAddress, amount: u256) -> bool;
}
