//! A small market: TKN/MID priced 2.2 on pool A and 2.0 on pool B (JediSwap-v1-shaped routers,
//! 30 bps each), a zkLend-shaped lender charging 9.5 bps (9.5e23 in 1e27 scale) and a Vesu-V2-
//! shaped pool, both holding TKN liquidity, and the arbitrage contract owned by `owner()`.
//! `with_ekubo` adds an Ekubo-shaped core holding two TKN/MID pools: E30 at 2.2 (30 bps) and
//! E5 at 2.0 (5 bps), fees as Ekubo's 0.128 fractions.
//!
//! Class hashes go through `.try_into().unwrap()`: TEST_CLASS_HASH is a felt252 up to Cairo 2.10
//! (CI's wasm-cairo is 2.8.2) and a ClassHash from 2.11 (Scarb 2.20); both convert this way.

use starknet::syscalls::deploy_syscall;
use starknet::testing::set_contract_address;
use starknet::{ClassHash, ContractAddress, SyscallResultTrait};
use crate::cycle::{CycleRoute, EkuboLeg, LenderKind, Leg};
use crate::ekubo::{MAX_SQRT_RATIO, MIN_SQRT_RATIO, PoolKey};
use crate::flash_arb::FlashArb;
use crate::interfaces::{IERC20Dispatcher, IFlashArbDispatcher, IFlashArbDispatcherTrait};
use crate::mocks::ekubo_core::{IEkuboCoreKnobsDispatcher, IEkuboCoreKnobsDispatcherTrait, MockEkuboCore};
use crate::mocks::erc20::{IMintableDispatcher, IMintableDispatcherTrait, MockERC20};
use crate::mocks::intruder::CallbackIntruder;
use crate::mocks::pool::MockConstantProductPool;
use crate::mocks::vesu_lender::MockVesuLender;
use crate::mocks::zklend_market::MockZkLendMarket;

pub const LENDER_LIQUIDITY: u256 = 1_000_000;
pub const ZKLEND_FEE_RATE: felt252 = 950_000_000_000_000_000_000_000; // 0.095% in 1e27 scale
pub const BORROW: u256 = 10_000;
// Hand-computed (Uniswap v2 formula, floor): 10_000 TKN -> 21_717 MID on A -> 10_709 TKN on B.
pub const MID_OUT: u256 = 21_717;
pub const TOKEN_BACK: u256 = 10_709;
// zkLend's floor(10_000 * 9.5e23 / 1e27) = floor(9.5): rounding up would overpay by 1.
pub const ZKLEND_FEE: u256 = 9;

/// Ekubo fees as 0.128 fractions: floor(0.003 * 2^128) and floor(0.0005 * 2^128).
pub const EKUBO_FEE_30BPS: u128 = 1020847100762815390390123822295304634;
pub const EKUBO_FEE_5BPS: u128 = 170141183460469231731687303715884105;
pub const EKUBO_RESERVE_TKN: u128 = 1_000_000;
// Hand-computed (python, exact integers): fee = ceil(a * fee / 2^128), out = floor(after_fee *
// r_out / (r_in + after_fee)). 10_000 TKN -> 21_717 MID on E30 (fee 30), -> 10_736 TKN on E5.
pub const EKUBO_MID_OUT: u256 = 21_717;
pub const EKUBO_TOKEN_BACK: u256 = 10_736;

#[derive(Drop, Copy)]
pub struct Market {
    pub arb: IFlashArbDispatcher,
    pub token: IERC20Dispatcher,
    pub mid: IERC20Dispatcher,
    pub pool_a: ContractAddress,
    pub pool_b: ContractAddress,
    pub zklend: ContractAddress,
    pub vesu: ContractAddress,
    pub intruder: ContractAddress,
}

#[derive(Drop, Copy)]
pub struct EkuboMarket {
    pub market: Market,
    pub core: ContractAddress,
    /// TKN/MID at 2.2, 30 bps.
    pub e30: PoolKey,
    /// TKN/MID at 2.0, 5 bps.
    pub e5: PoolKey,
}

pub fn addr(value: felt252) -> ContractAddress {
    value.try_into().unwrap()
}

pub fn owner() -> ContractAddress {
    addr('owner')
}

pub fn stranger() -> ContractAddress {
    addr('stranger')
}

fn deploy(class_hash: ClassHash, salt: felt252, calldata: Array<felt252>) -> ContractAddress {
    let (address, _) = deploy_syscall(class_hash, salt, calldata.span(), false).unwrap_syscall();
    address
}

pub fn u256_felts(value: u256) -> (felt252, felt252) {
    (value.low.into(), value.high.into())
}

pub fn deploy_market() -> Market {
    let token = deploy(MockERC20::TEST_CLASS_HASH.try_into().unwrap(), 1, array!['TKN', 18]);
    let mid = deploy(MockERC20::TEST_CLASS_HASH.try_into().unwrap(), 2, array!['MID', 18]);
    let token_felt: felt252 = token.into();
    let mid_felt: felt252 = mid.into();
    let pool_class: ClassHash = MockConstantProductPool::TEST_CLASS_HASH.try_into().unwrap();
    let pool_a = deploy(pool_class, 3, array![token_felt, mid_felt, 30, 0]);
    let pool_b = deploy(pool_class, 4, array![mid_felt, token_felt, 30, 0]);
    let zklend = deploy(
        MockZkLendMarket::TEST_CLASS_HASH.try_into().unwrap(), 5, array![token_felt, ZKLEND_FEE_RATE],
    );
    let vesu = deploy(MockVesuLender::TEST_CLASS_HASH.try_into().unwrap(), 6, array![]);
    // Two mint calls fund everything: each contract call costs the WASM runner ~20 MB.
    IMintableDispatcher { contract_address: token }
        .mint_many(
            array![pool_a, pool_b, zklend, vesu].span(),
            array![1_000_000, 1_000_000, LENDER_LIQUIDITY, LENDER_LIQUIDITY].span(),
        );
    IMintableDispatcher { contract_address: mid }
        .mint_many(array![pool_a, pool_b].span(), array![2_200_000, 2_000_000].span());
    let intruder = deploy(CallbackIntruder::TEST_CLASS_HASH.try_into().unwrap(), 7, array![]);

    let arb = deploy(FlashArb::TEST_CLASS_HASH.try_into().unwrap(), 8, array![owner().into()]);
    Market {
        arb: IFlashArbDispatcher { contract_address: arb },
        token: IERC20Dispatcher { contract_address: token },
        mid: IERC20Dispatcher { contract_address: mid },
        pool_a,
        pool_b,
        zklend,
        vesu,
        intruder,
    }
}

/// Ekubo orders a pool's tokens by address.
pub fn sorted(a: ContractAddress, b: ContractAddress) -> (ContractAddress, ContractAddress) {
    let (fa, fb): (felt252, felt252) = (a.into(), b.into());
    let (ua, ub): (u256, u256) = (fa.into(), fb.into());
    if ua < ub {
        (a, b)
    } else {
        (b, a)
    }
}

pub fn pool_key(market: @Market, fee: u128, tick_spacing: u128) -> PoolKey {
    let (token0, token1) = sorted(*market.token.contract_address, *market.mid.contract_address);
    PoolKey { token0, token1, fee, tick_spacing, extension: addr(0) }
}

/// (reserve0, reserve1) for a pool holding `tkn` TKN and `mid` MID.
fn reserves(market: @Market, key: @PoolKey, tkn: u128, mid: u128) -> (u128, u128) {
    if *key.token0 == *market.token.contract_address {
        (tkn, mid)
    } else {
        (mid, tkn)
    }
}

pub fn with_ekubo(market: Market) -> EkuboMarket {
    let core = deploy(MockEkuboCore::TEST_CLASS_HASH.try_into().unwrap(), 9, array![]);
    let e30 = pool_key(@market, EKUBO_FEE_30BPS, 60);
    let e5 = pool_key(@market, EKUBO_FEE_5BPS, 10);
    let knobs = IEkuboCoreKnobsDispatcher { contract_address: core };
    let (a0, a1) = reserves(@market, @e30, EKUBO_RESERVE_TKN, 2_200_000);
    knobs.set_pool(e30, a0, a1);
    let (b0, b1) = reserves(@market, @e5, EKUBO_RESERVE_TKN, 2_000_000);
    knobs.set_pool(e5, b0, b1);
    // The core holds exactly what its two pools hold.
    IMintableDispatcher { contract_address: market.token.contract_address }.mint(core, 2_000_000);
    IMintableDispatcher { contract_address: market.mid.contract_address }.mint(core, 4_200_000);
    EkuboMarket { market, core, e30, e5 }
}

pub fn ekubo_leg(key: PoolKey, selling_token0: bool) -> Leg {
    // Selling token0 moves the price down: the widest limit on that side.
    let limit = if selling_token0 {
        MIN_SQRT_RATIO
    } else {
        MAX_SQRT_RATIO
    };
    Leg::Ekubo(EkuboLeg { pool_key: key, sqrt_ratio_limit: limit, skip_ahead: 0 })
}

/// Leg that sells `token_in` on the Ekubo pool `key`.
pub fn ekubo_leg_selling(key: PoolKey, token_in: ContractAddress) -> Leg {
    ekubo_leg(key, key.token0 == token_in)
}

pub fn route(market: @Market) -> CycleRoute {
    CycleRoute {
        leg_a: Leg::Router(*market.pool_a),
        leg_b: Leg::Router(*market.pool_b),
        mid_token: *market.mid.contract_address,
    }
}

pub fn lender_of(market: @Market, kind: LenderKind) -> ContractAddress {
    match kind {
        LenderKind::ZkLend => *market.zklend,
        LenderKind::Vesu(_) => *market.vesu,
        LenderKind::Ekubo => panic_with_felt252('use the EkuboMarket core'),
    }
}

/// Starts a cycle as the owner and returns the profit.
pub fn run_cycle(market: @Market, kind: LenderKind, amount: u256, min_profit: u256) -> u256 {
    set_contract_address(owner());
    (*market.arb)
        .start_cycle(kind, lender_of(market, kind), *market.token.contract_address, amount, route(market), min_profit)
}

/// Starts a cycle on Ekubo's core as the owner with the given route.
pub fn run_ekubo_cycle(m: @EkuboMarket, route: CycleRoute, amount: u256, min_profit: u256) -> u256 {
    set_contract_address(owner());
    let market = m.market;
    (*market.arb)
        .start_cycle(
            LenderKind::Ekubo, *m.core, *market.token.contract_address, amount, route, min_profit,
        )
}

/// The Vesu lender with a snake_case token (is_legacy = false).
pub fn vesu() -> LenderKind {
    LenderKind::Vesu(false)
}
