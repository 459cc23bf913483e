//! Types of `start_cycle` arguments. Their Serde layout is the calldata layout the TypeScript
//! builder (plugins/strategies/flash-loan/calldata.ts) produces; change both together.

use starknet::ContractAddress;
use super::ekubo::PoolKey;

/// Which lender to borrow from. Serialized as the variant index, then its data:
/// ZkLend = [0], Vesu = [1, is_legacy], Ekubo = [2].
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub enum LenderKind {
    /// zkLend-shaped market (zkLend itself is shut down; the shape stays for forks):
    /// `flash_loan(receiver, token, amount: felt252, calldata)`, calls back
    /// `zklend_flash_callback`, fee = floor(amount * reserve.flash_loan_fee / 1e27) read from
    /// `get_reserve_data(token)`, the receiver pushes the repayment.
    ZkLend,
    /// Vesu V2 pool: `flash_loan(receiver, asset, amount: u256, is_legacy, data)`, calls back
    /// `on_flash_loan`, no fee, pulls the repayment (`transferFrom` when is_legacy, else
    /// `transfer_from`). The bool is that `is_legacy` flag for the borrowed token.
    Vesu: bool,
    /// Ekubo core: `lock(data)` calls back `locked(id, data)`; the loan is `withdraw`, the
    /// repayment `pay`, and the core asserts every delta is zero when the lock ends. No fee.
    Ekubo,
}

/// An Ekubo pool swapped inside the lock (only with the Ekubo lender).
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub struct EkuboLeg {
    pub pool_key: PoolKey,
    /// Ekubo needs a limit on every swap: MIN_SQRT_RATIO / MAX_SQRT_RATIO for none. The price
    /// guard that matters is the end-to-end min_profit check.
    pub sqrt_ratio_limit: u256,
    pub skip_ahead: u128,
}

/// One swap of the cycle. Serialized: Router = [0, router], Ekubo = [1, EkuboLeg (8 felts)].
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub enum Leg {
    /// A router with the JediSwap v1 (Uniswap v2) ABI `swap_exact_tokens_for_tokens`; funded from
    /// the contract's own balance (with Ekubo as lender: `withdraw`n from the core first).
    Router: ContractAddress,
    Ekubo: EkuboLeg,
}

/// Two legs: sell the borrowed token for `mid_token` on `leg_a`, buy it back on `leg_b`.
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub struct CycleRoute {
    pub leg_a: Leg,
    pub leg_b: Leg,
    pub mid_token: ContractAddress,
}

/// Cycle states kept in storage (u8 so the layout does not depend on enum Store rules that
/// changed across Cairo versions).
pub mod state {
    pub const IDLE: u8 = 0;
    /// start_cycle called the lender and waits for exactly one callback.
    pub const AWAITING_CALLBACK: u8 = 1;
    /// Inside the callback: swaps and repayment running; any further callback is refused.
    pub const IN_CALLBACK: u8 = 2;
    /// Callback finished; start_cycle checks it reached this state before settling.
    pub const CALLBACK_DONE: u8 = 3;
}

/// zkLend expresses the flash-loan fee per reserve in 1e27 (ray) scale.
pub const ZKLEND_FEE_SCALE: u256 = 1_000_000_000_000_000_000_000_000_000;

/// Fee owed on a zkLend-shaped loan exactly as zkLend computes it: safe_decimal_math::mul,
/// i.e. floor(amount * fee / 1e27) (zkLend/zklend-v1-core e229e369, src/market/internal.cairo
/// `flash_loan`, src/libraries/safe_decimal_math.cairo). The market then requires
/// balance_after >= balance_before + fee, so paying this is neither short nor over.
pub fn zklend_fee(amount: u256, fee_rate: u256) -> u256 {
    (amount * fee_rate) / ZKLEND_FEE_SCALE
}
