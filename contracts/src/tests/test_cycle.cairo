//! Profitable and unprofitable cycles on both lender shapes, exact fee accounting, events.

use starknet::testing::{pop_log, set_contract_address};
use crate::cycle::{LenderKind, state, zklend_fee};
use crate::flash_arb::FlashArb;
use crate::interfaces::{
    IERC20DispatcherTrait, IFlashArbDispatcherTrait, IFlashArbSafeDispatcher,
    IFlashArbSafeDispatcherTrait,
};
use crate::mocks::pool::amount_out;
use super::setup::{
    BORROW, LENDER_LIQUIDITY, MID_OUT, TOKEN_BACK, ZKLEND_FEE, deploy_market, owner, route,
    run_cycle, vesu,
};
use crate::cycle::Leg;

#[test]
fn pool_formula_matches_hand_computed_legs() {
    assert(amount_out(BORROW, 1_000_000, 2_200_000, 30) == MID_OUT, 'leg A output');
    assert(amount_out(MID_OUT, 2_000_000, 1_000_000, 30) == TOKEN_BACK, 'leg B output');
}

#[test]
fn zklend_fee_floors_like_zklend_safe_decimal_math() {
    let rate: u256 = 950_000_000_000_000_000_000_000;
    assert(zklend_fee(BORROW, rate) == ZKLEND_FEE, 'fee on borrow'); // 9.5 -> 9
    assert(zklend_fee(1, rate) == 0, 'fee floors'); // 0.00095 -> 0
    assert(zklend_fee(0, rate) == 0, 'fee on zero');
    assert(zklend_fee(1_000_000_000_000_000_000, rate) == 950_000_000_000_000, 'fee on 1e18');
}

/// Resource baseline: the market setup alone. CI subtracts its steps from the cycle tests' to
/// print what a cycle itself costs.
#[test]
fn market_setup_resource_baseline() {
    let market = deploy_market();
    assert(market.token.balance_of(market.pool_a) == 1_000_000, 'pool A funded');
    assert(market.mid.balance_of(market.pool_b) == 2_000_000, 'pool B funded');
    assert(market.arb.cycle_state() == state::IDLE, 'arb starts idle');
}

#[test]
fn zklend_cycle_pays_owner_profit_net_of_fee_and_emits_events() {
    let market = deploy_market();
    let expected_profit = TOKEN_BACK - BORROW - ZKLEND_FEE;
    let profit = run_cycle(@market, LenderKind::ZkLend, BORROW, expected_profit);

    assert(profit == expected_profit, 'profit');
    assert(market.token.balance_of(owner()) == expected_profit, 'owner got profit');
    // Exactly zkLend's floored fee: neither short (the market would revert) nor over.
    assert(market.token.balance_of(market.zklend) == LENDER_LIQUIDITY + ZKLEND_FEE, 'lender got fee');
    assert(market.token.balance_of(market.arb.contract_address) == 0, 'arb kept tokens');
    assert(market.mid.balance_of(market.arb.contract_address) == 0, 'arb kept tokens');
    assert(market.arb.cycle_state() == state::IDLE, 'state not idle');

    // Events: CycleStarted then CycleExecuted with the cycle's numbers, nothing else.
    let arb = market.arb.contract_address;
    let token = market.token.contract_address;

    match pop_log::<FlashArb::Event>(arb).unwrap() {
        FlashArb::Event::CycleStarted(e) => {
            assert(e.lender == market.zklend, 'e.lender');
            assert(e.token == token, 'e.token');
            assert(e.amount == BORROW, 'e.amount');
            assert(e.route == route(@market), 'route in event');
        },
        _ => panic_with_felt252('expected CycleStarted first'),
    }
    match pop_log::<FlashArb::Event>(arb).unwrap() {
        FlashArb::Event::CycleExecuted(e) => {
            assert(e.lender == market.zklend, 'e.lender');
            assert(e.token == token, 'e.token');
            assert(e.amount == BORROW, 'e.amount');
            assert(e.profit == TOKEN_BACK - BORROW - ZKLEND_FEE, 'e.profit');
        },
        _ => panic_with_felt252('expected CycleExecuted second'),
    }
    assert(pop_log::<FlashArb::Event>(arb).is_none(), 'no third event');
}

#[test]
fn vesu_cycle_pays_owner_full_spread_and_leaves_no_allowance() {
    let market = deploy_market();
    let expected_profit = TOKEN_BACK - BORROW; // Vesu charges no fee
    let profit = run_cycle(@market, vesu(), BORROW, expected_profit);

    assert(profit == expected_profit, 'profit');
    assert(market.token.balance_of(owner()) == expected_profit, 'owner got profit');
    assert(market.token.balance_of(market.vesu) == LENDER_LIQUIDITY, 'lender repaid exactly');
    let arb = market.arb.contract_address;
    assert(market.token.allowance(arb, market.vesu) == 0, 'lender allowance left');
    assert(market.token.allowance(arb, market.pool_a) == 0, 'pool allowance left');
    assert(market.mid.allowance(arb, market.pool_b) == 0, 'pool allowance left');
    assert(market.arb.cycle_state() == state::IDLE, 'state not idle');
}

#[test]
#[should_panic(expected: ('PROFIT_BELOW_MIN', 'ENTRYPOINT_FAILED'))]
fn zklend_cycle_below_min_profit_reverts() {
    let market = deploy_market();
    run_cycle(@market, LenderKind::ZkLend, BORROW, TOKEN_BACK - BORROW - ZKLEND_FEE + 1);
}

#[test]
#[should_panic(expected: ('PROFIT_BELOW_MIN', 'ENTRYPOINT_FAILED'))]
fn vesu_cycle_below_min_profit_reverts() {
    let market = deploy_market();
    run_cycle(@market, vesu(), BORROW, TOKEN_BACK - BORROW + 1);
}

#[test]
#[feature("safe_dispatcher")]
fn losing_cycle_reverts_and_changes_nothing() {
    let market = deploy_market();
    let arb = market.arb.contract_address;
    let token = market.token.contract_address;
    // Reverse the legs: buy dear, sell cheap. The repayment cannot be met.
    let mut reversed = route(@market);
    reversed.leg_a = Leg::Router(market.pool_b);
    reversed.leg_b = Leg::Router(market.pool_a);

    set_contract_address(owner());
    let safe = IFlashArbSafeDispatcher { contract_address: arb };
    let result = safe.start_cycle(vesu(), market.vesu, token, BORROW, reversed, 0);
    assert(result.is_err(), 'losing cycle must revert');

    assert(market.token.balance_of(market.vesu) == LENDER_LIQUIDITY, 'lender repaid exactly');
    assert(market.token.balance_of(arb) == 0, 'arb kept tokens');
    assert(market.token.balance_of(owner()) == 0, 'owner balance moved');
    assert(market.token.balance_of(market.pool_a) == 1_000_000, 'pool A reserve moved');
    assert(market.mid.balance_of(market.pool_b) == 2_000_000, 'pool B reserve moved');
    assert(market.arb.cycle_state() == state::IDLE, 'state not idle');
}

#[test]
#[should_panic(expected: ('ZERO_AMOUNT', 'ENTRYPOINT_FAILED'))]
fn zero_amount_is_refused() {
    let market = deploy_market();
    run_cycle(@market, vesu(), 0, 0);
}

#[test]
#[should_panic(expected: ('AMOUNT_TOO_LARGE', 'ENTRYPOINT_FAILED'))]
fn zklend_amount_beyond_128_bits_is_refused() {
    let market = deploy_market();
    run_cycle(@market, LenderKind::ZkLend, u256 { low: 0, high: 1 }, 0);
}
