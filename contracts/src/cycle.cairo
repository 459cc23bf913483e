//! Types of `start_cycle` arguments. Their Serde layout is the calldata layout the TypeScript
//! builder (plugins/strategies/flash-loan/calldata.ts) produces; change both together.

use starknet::ContractAddress;

/// Which lender ABI to borrow through. Serialized as the variant index: ZkLend = 0, Vesu = 1.
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub enum LenderKind {
    /// zkLend-shaped market: `flash_loan(receiver, token, amount: felt252, calldata)`, calls back
    /// `zklend_flash_callback`, fee in 1e27 scale, the receiver pushes the repayment.
    ZkLend,
    /// Vesu-shaped singleton: `flash_loan(receiver, asset, amount: u256, is_legacy, data)`, calls
    /// back `on_flash_loan`, no fee, pulls the repayment with transfer_from.
    Vesu,
}

/// Two legs: sell the borrowed token for `mid_token` on `pool_a`, buy it back on `pool_b`.
/// Pools are routers with the JediSwap v1 / 10KSwap `swap_exact_tokens_for_tokens` ABI.
#[derive(Drop, Copy, Serde, PartialEq, Debug)]
pub struct CycleRoute {
    pub pool_a: ContractAddress,
    pub pool_b: ContractAddress,
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

/// Fee owed on a zkLend-shaped loan, rounded up so the receiver never under-repays.
pub fn zklend_fee(amount: u256, fee_rate: u256) -> u256 {
    let product = amount * fee_rate;
    let fee = product / ZKLEND_FEE_SCALE;
    if fee * ZKLEND_FEE_SCALE == product {
        fee
    } else {
        fee + 1
    }
}
