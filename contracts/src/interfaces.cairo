//! ABIs the arbitrage contract exposes and the ones it calls (Ekubo's are in ekubo.cairo).

use starknet::ContractAddress;
use super::cycle::{CycleRoute, LenderKind};

/// The arbitrage contract's own entry points.
#[starknet::interface]
pub trait IFlashArb<T> {
    /// Owner only. Borrows `amount` of `token` from `lender`, runs `route`, repays, and reverts
    /// unless the contract's balance of `token` grew by at least `min_profit` (and its balance of
    /// the mid token did not shrink); the gain goes to the owner.
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
    /// Owner only: names the next owner, who must call accept_ownership (a typo cannot lock
    /// the contract). Zero cancels.
    fn transfer_ownership(ref self: T, new_owner: ContractAddress);
    fn accept_ownership(ref self: T);
    fn pending_owner(self: @T) -> ContractAddress;
    /// Raw cycle state (see cycle::state), for monitoring.
    fn cycle_state(self: @T) -> u8;
}

/// zkLend market reserve data, copied field for field from zkLend/zklend-v1-core e229e369
/// src/interfaces.cairo `MarketReserveData` (its Serde layout is what get_reserve_data returns;
/// the fee is `flash_loan_fee`, 1e27 scale, the 14th felt). zkLend is shut down since 2025: this
/// is for forks. Copies of older zkLend interfaces end at `debt_limit` (no `deposit_limit`), and
/// `decimals` is a u8 in some (one felt either way). The struct stops at `debt_limit`: a
/// dispatcher deserializes the return data without requiring it all to be consumed, so both
/// layouts decode, where requiring `deposit_limit` would revert against the older one.
#[derive(Drop, Copy, Serde)]
pub struct MarketReserveData {
    pub enabled: bool,
    pub decimals: felt252,
    pub z_token_address: ContractAddress,
    pub interest_rate_model: ContractAddress,
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
}

/// zkLend market, the subset a flash borrower uses (same source, IMarket).
#[starknet::interface]
pub trait IZkLendMarket<T> {
    fn get_reserve_data(self: @T, token: ContractAddress) -> MarketReserveData;
    fn flash_loan(
        ref self: T,
        receiver: ContractAddress,
        token: ContractAddress,
        amount: felt252,
        calldata: Span<felt252>,
    );
}

/// What a zkLend market calls on the receiver.
#[starknet::interface]
pub trait IZkLendFlashCallback<T> {
    fn zklend_flash_callback(ref self: T, initiator: ContractAddress, calldata: Span<felt252>);
}

/// Vesu V2 pool, flash-loan subset (vesuxyz/vesu-v2 d4b21c8c, re-checked at 00bb65cc: src/pool.cairo
/// IPool::flash_loan(receiver, asset, amount: u256, is_legacy: bool, data: Span<felt252>),
/// IPool::is_paused() -> bool, IFlashLoanReceiver::on_flash_loan(sender, asset, amount, data);
/// flash_loan asserts not paused, transfers, calls on_flash_loan, pulls `amount` back, no fee). V2 lends per pool: `lender` is that pool's address.
#[starknet::interface]
pub trait IVesuPool<T> {
    fn flash_loan(
        ref self: T,
        receiver: ContractAddress,
        asset: ContractAddress,
        amount: u256,
        is_legacy: bool,
        data: Span<felt252>,
    );
    fn is_paused(self: @T) -> bool;
}

/// What Vesu calls on the receiver (same source, IFlashLoanReceiver).
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

/// JediSwap v1 router subset (Uniswap v2 shape, snake_case entry point, camelCase arguments).
/// 10KSwap is not supported: its router entry point is camelCase `swapExactTokensForTokens`.
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

/// The camelCase names older tokens expose and Ekubo's core (its IERC20: balanceOf,
/// transferFrom) and zkLend call.
#[starknet::interface]
pub trait IERC20Camel<T> {
    fn balanceOf(self: @T, account: ContractAddress) -> u256;
    fn transferFrom(
        ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256,
    ) -> bool;
}
