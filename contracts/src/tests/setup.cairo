//! A small two-pool market: TKN/MID priced 2.2 on pool A and 2.0 on pool B (30 bps each), a
//! zkLend-shaped lender charging 9 bps (9e23 in 1e27 scale) and a Vesu-shaped lender, both
//! holding TKN liquidity, and the arbitrage contract owned by `owner()`.

use starknet::syscalls::deploy_syscall;
use starknet::testing::set_contract_address;
use starknet::{ContractAddress, SyscallResultTrait};
use crate::cycle::{CycleRoute, LenderKind};
use crate::flash_arb::FlashArb;
use crate::interfaces::{IERC20Dispatcher, IFlashArbDispatcher, IFlashArbDispatcherTrait};
use crate::mocks::erc20::{IMintableDispatcher, IMintableDispatcherTrait, MockERC20};
use crate::mocks::intruder::CallbackIntruder;
use crate::mocks::pool::MockConstantProductPool;
use crate::mocks::vesu_lender::MockVesuLender;
use crate::mocks::zklend_market::MockZkLendMarket;

pub const LENDER_LIQUIDITY: u256 = 1_000_000;
pub const ZKLEND_FEE_RATE: felt252 = 900_000_000_000_000_000_000_000; // 0.09% in 1e27 scale
pub const BORROW: u256 = 10_000;
// Hand-computed (Uniswap v2 formula, floor): 10_000 TKN -> 21_717 MID on A -> 10_709 TKN on B.
pub const MID_OUT: u256 = 21_717;
pub const TOKEN_BACK: u256 = 10_709;
pub const ZKLEND_FEE: u256 = 9; // ceil(10_000 * 9e23 / 1e27)

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

pub fn addr(value: felt252) -> ContractAddress {
    value.try_into().unwrap()
}

pub fn owner() -> ContractAddress {
    addr('owner')
}

pub fn stranger() -> ContractAddress {
    addr('stranger')
}

fn deploy(class_hash: felt252, salt: felt252, calldata: Array<felt252>) -> ContractAddress {
    let (address, _) = deploy_syscall(class_hash.try_into().unwrap(), salt, calldata.span(), false)
        .unwrap_syscall();
    address
}

pub fn u256_felts(value: u256) -> (felt252, felt252) {
    (value.low.into(), value.high.into())
}

pub fn deploy_market() -> Market {
    let token = deploy(MockERC20::TEST_CLASS_HASH, 1, array!['TKN', 18]);
    let mid = deploy(MockERC20::TEST_CLASS_HASH, 2, array!['MID', 18]);
    let token_felt: felt252 = token.into();
    let mid_felt: felt252 = mid.into();
    let pool_a = deploy(MockConstantProductPool::TEST_CLASS_HASH, 3, array![token_felt, mid_felt, 30, 0]);
    let pool_b = deploy(MockConstantProductPool::TEST_CLASS_HASH, 4, array![mid_felt, token_felt, 30, 0]);
    let zklend = deploy(MockZkLendMarket::TEST_CLASS_HASH, 5, array![token_felt, ZKLEND_FEE_RATE]);
    let vesu = deploy(MockVesuLender::TEST_CLASS_HASH, 6, array![]);
    // Two mint calls fund everything: each contract call costs the WASM runner ~20 MB.
    IMintableDispatcher { contract_address: token }
        .mint_many(
            array![pool_a, pool_b, zklend, vesu].span(),
            array![1_000_000, 1_000_000, LENDER_LIQUIDITY, LENDER_LIQUIDITY].span(),
        );
    IMintableDispatcher { contract_address: mid }
        .mint_many(array![pool_a, pool_b].span(), array![2_200_000, 2_000_000].span());
    let intruder = deploy(CallbackIntruder::TEST_CLASS_HASH, 7, array![]);

    let arb = deploy(FlashArb::TEST_CLASS_HASH, 8, array![owner().into()]);
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

pub fn route(market: @Market) -> CycleRoute {
    CycleRoute { pool_a: *market.pool_a, pool_b: *market.pool_b, mid_token: *market.mid.contract_address }
}

pub fn lender_of(market: @Market, kind: LenderKind) -> ContractAddress {
    match kind {
        LenderKind::ZkLend => *market.zklend,
        LenderKind::Vesu => *market.vesu,
    }
}

/// Starts a cycle as the owner and returns the profit.
pub fn run_cycle(market: @Market, kind: LenderKind, amount: u256, min_profit: u256) -> u256 {
    set_contract_address(owner());
    (*market.arb)
        .start_cycle(kind, lender_of(market, kind), *market.token.contract_address, amount, route(market), min_profit)
}
