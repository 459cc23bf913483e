//! Ekubo's core interface and types, copied (not depended on: Ekubo's crate needs Cairo >= 2.15,
//! CI's wasm-cairo compiles 2.8.2). Source: EkuboProtocol/starknet-contracts at
//! a5b2c7fc9921fd72a3d46605345e32543fdd8bd8: src/interfaces/core.cairo (ILocker, ICore,
//! SwapParameters), src/types/i129.cairo, src/types/keys.cairo (PoolKey), src/types/delta.cairo,
//! src/interfaces/router.cairo (RouteNode, TokenAmount, quote_swap), src/math/fee.cairo
//! (compute_fee), src/math/ticks.cairo (MIN/MAX_SQRT_RATIO). Field order and types are what
//! makes the Serde layout (the calldata) match, so they are kept exactly; only the subset of
//! ICore entry points this contract calls is declared (a dispatcher needs only the selectors).
//! Re-checked against later snapshots of the same repository: src/interfaces/core.cairo at
//! 05e3fb09 (ILocker::locked(id: u32, data: Span<felt252>) -> Span<felt252>; ICore::lock, withdraw
//! (token_address, recipient, amount: u128), pay(token_address) "always takes the full allowance",
//! swap(pool_key, params) -> Delta, get_locker_delta(id, token_address) -> i129; SwapParameters
//! {amount: i129, is_token1, sqrt_ratio_limit: u256, skip_ahead: u128}) and
//! src/interfaces/router.cairo at 3129824d (RouteNode, TokenAmount, quote_swap).
//!
//! Flash accounting as Ekubo's core implements it (src/core.cairo `lock`, `withdraw`, `pay`):
//! - `lock(data)` calls `ILocker::locked(id, data)` on the caller and afterwards asserts that
//!   every token delta of that lock is zero ('NOT_ZEROED');
//! - a delta is from the core's point of view: positive = the locker owes the core;
//! - `swap` adds the swap's Delta (input positive, output negative) without moving tokens;
//! - `withdraw(token, recipient, amount)` transfers out and adds +amount;
//! - `pay(token)` pulls the payer's whole allowance with camelCase `transferFrom`, checks with
//!   `balanceOf` that exactly that arrived, and adds -amount.

use starknet::ContractAddress;

/// Signed 129-bit integer: 128-bit magnitude and a sign (src/types/i129.cairo).
#[derive(Copy, Drop, Serde, Debug, PartialEq, starknet::Store)]
pub struct i129 {
    pub mag: u128,
    pub sign: bool,
}

/// A pool: token0 < token1 by address, fee a 0.128 fixed-point fraction (1% = 2**128 / 100),
/// tick_spacing, extension (0 = none). (src/types/keys.cairo)
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct PoolKey {
    pub token0: ContractAddress,
    pub token1: ContractAddress,
    pub fee: u128,
    pub tick_spacing: u128,
    pub extension: ContractAddress,
}

/// `amount` > 0 is exact input, < 0 exact output; `is_token1`: the amount is in token1.
/// (src/interfaces/core.cairo)
#[derive(Copy, Drop, Serde, Debug)]
pub struct SwapParameters {
    pub amount: i129,
    pub is_token1: bool,
    pub sqrt_ratio_limit: u256,
    pub skip_ahead: u128,
}

/// Balance change from the core's point of view (src/types/delta.cairo): swapping 100 token0 for
/// 150 token1 is { amount0: +100, amount1: -150 }.
#[derive(Copy, Drop, Serde, Debug, PartialEq)]
pub struct Delta {
    pub amount0: i129,
    pub amount1: i129,
}

/// Router quote types (src/interfaces/router.cairo); the TypeScript side calls
/// `quote_swap(node, token_amount) -> Delta` over starknet_call.
#[derive(Copy, Drop, Serde, Debug)]
pub struct RouteNode {
    pub pool_key: PoolKey,
    pub sqrt_ratio_limit: u256,
    pub skip_ahead: u128,
}

#[derive(Copy, Drop, Serde, Debug)]
pub struct TokenAmount {
    pub token: ContractAddress,
    pub amount: i129,
}

/// src/math/ticks.cairo constants: the widest legal sqrt_ratio_limit on each side.
pub const MIN_SQRT_RATIO: u256 = 18446748437148339061;
pub const MAX_SQRT_RATIO: u256 = 6277100250585753475930931601400621808602321654880405518632;

/// What Ekubo's core calls on the contract that called `lock`.
#[starknet::interface]
pub trait ILocker<T> {
    fn locked(ref self: T, id: u32, data: Span<felt252>) -> Span<felt252>;
}

/// The subset of Ekubo's ICore this contract calls (same names, argument and return types).
#[starknet::interface]
pub trait IEkuboCore<T> {
    fn lock(ref self: T, data: Span<felt252>) -> Span<felt252>;
    fn withdraw(ref self: T, token_address: ContractAddress, recipient: ContractAddress, amount: u128);
    fn pay(ref self: T, token_address: ContractAddress);
    fn swap(ref self: T, pool_key: PoolKey, params: SwapParameters) -> Delta;
    fn get_locker_delta(self: @T, id: u32, token_address: ContractAddress) -> i129;
}

/// Ekubo's router quote entry point (the off-chain side reads it; declared so the mock core can
/// answer it too).
#[starknet::interface]
pub trait IEkuboRouterQuote<T> {
    fn quote_swap(self: @T, node: RouteNode, token_amount: TokenAmount) -> Delta;
}

pub const TWO_POW_128: u256 = 0x100000000000000000000000000000000;

/// Ekubo's fee on an input amount: fee (0.128) * amount, rounded up (src/math/fee.cairo).
pub fn compute_fee(amount: u128, fee: u128) -> u128 {
    let product: u256 = amount.into() * fee.into();
    if product.low == 0 {
        product.high
    } else {
        product.high + 1
    }
}

pub fn is_zero(value: i129) -> bool {
    value.mag == 0
}

/// value + delta, the way the core accumulates a locker's delta.
pub fn add_i129(value: i129, delta: i129) -> i129 {
    if value.mag == 0 {
        return i129 { mag: delta.mag, sign: delta.sign && delta.mag != 0 };
    }
    if delta.mag == 0 {
        return value;
    }
    if value.sign == delta.sign {
        return i129 { mag: value.mag + delta.mag, sign: value.sign };
    }
    if value.mag >= delta.mag {
        let mag = value.mag - delta.mag;
        i129 { mag, sign: value.sign && mag != 0 }
    } else {
        i129 { mag: delta.mag - value.mag, sign: delta.sign }
    }
}

/// The pool key's two tokens contain exactly `a` and `b`.
pub fn pool_has_pair(key: @PoolKey, a: ContractAddress, b: ContractAddress) -> bool {
    (*key.token0 == a && *key.token1 == b) || (*key.token0 == b && *key.token1 == a)
}
