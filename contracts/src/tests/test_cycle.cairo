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
    run_cycle,
};

#[test]
fn pool_formula_matches_hand_computed_legs() {
    assert_eq!(amount_out(BORROW, 1_000_000, 2_200_000, 30), MID_OUT);
    assert_eq!(amount_out(MID_OUT, 2_000_000, 1_000_000, 30), TOKEN_BACK);
}

#[test]
fn zklend_fee_is_exact_and_rounds_up() {
    let rate: u256 = 900_000_000_000_000_000_000_000;
    assert_eq!(zklend_fee(BORROW, rate), ZKLEND_FEE);
    assert_eq!(zklend_fee(1, rate), 1); // 0.0009 rounds up to 1
    assert_eq!(zklend_fee(0, rate), 0);
    assert_eq!(zklend_fee(1_000_000_000_000_000_000, rate), 900_000_000_000_000); // 1e18 * 0.09%
}

#[test]
fn zklend_cycle_pays_owner_profit_net_of_fee() {
    let market = deploy_market();
    let expected_profit = TOKEN_BACK - BORROW - ZKLEND_FEE;
    let profit = run_cycle(@market, LenderKind::ZkLend, BORROW, expected_profit);

    assert_eq!(profit, expected_profit);
    assert_eq!(market.token.balance_of(owner()), expected_profit);
    assert_eq!(market.token.balance_of(market.zklend), LENDER_LIQUIDITY + ZKLEND_FEE);
    assert_eq!(market.token.balance_of(market.arb.contract_address), 0);
    assert_eq!(market.mid.balance_of(market.arb.contract_address), 0);
    assert_eq!(market.arb.cycle_state(), state::IDLE);
}

#[test]
fn vesu_cycle_pays_owner_full_spread_and_leaves_no_allowance() {
    let market = deploy_market();
    let expected_profit = TOKEN_BACK - BORROW; // Vesu charges no fee
    let profit = run_cycle(@market, LenderKind::Vesu, BORROW, expected_profit);

    assert_eq!(profit, expected_profit);
    assert_eq!(market.token.balance_of(owner()), expected_profit);
    assert_eq!(market.token.balance_of(market.vesu), LENDER_LIQUIDITY);
    let arb = market.arb.contract_address;
    assert_eq!(market.token.allowance(arb, market.vesu), 0);
    assert_eq!(market.token.allowance(arb, market.pool_a), 0);
    assert_eq!(market.mid.allowance(arb, market.pool_b), 0);
    assert_eq!(market.arb.cycle_state(), state::IDLE);
}

#[test]
fn cycle_emits_started_and_executed_events() {
    let market = deploy_market();
    run_cycle(@market, LenderKind::ZkLend, BORROW, 0);
    let arb = market.arb.contract_address;
    let token = market.token.contract_address;

    match pop_log::<FlashArb::Event>(arb).unwrap() {
        FlashArb::Event::CycleStarted(e) => {
            assert_eq!(e.lender, market.zklend);
            assert_eq!(e.token, token);
            assert_eq!(e.amount, BORROW);
            assert!(e.route == route(@market), "route in event");
        },
        _ => panic!("expected CycleStarted first"),
    }
    match pop_log::<FlashArb::Event>(arb).unwrap() {
        FlashArb::Event::CycleExecuted(e) => {
            assert_eq!(e.lender, market.zklend);
            assert_eq!(e.token, token);
            assert_eq!(e.amount, BORROW);
            assert_eq!(e.profit, TOKEN_BACK - BORROW - ZKLEND_FEE);
        },
        _ => panic!("expected CycleExecuted second"),
    }
    assert!(pop_log::<FlashArb::Event>(arb).is_none(), "no third event");
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
    run_cycle(@market, LenderKind::Vesu, BORROW, TOKEN_BACK - BORROW + 1);
}

#[test]
#[feature("safe_dispatcher")]
fn losing_cycle_reverts_and_changes_nothing() {
    let market = deploy_market();
    let arb = market.arb.contract_address;
    let token = market.token.contract_address;
    // Reverse the legs: buy dear, sell cheap. The repayment cannot be met.
    let mut reversed = route(@market);
    reversed.pool_a = market.pool_b;
    reversed.pool_b = market.pool_a;

    set_contract_address(owner());
    let safe = IFlashArbSafeDispatcher { contract_address: arb };
    let result = safe.start_cycle(LenderKind::Vesu, market.vesu, token, BORROW, reversed, 0);
    assert!(result.is_err(), "losing cycle must revert");

    assert_eq!(market.token.balance_of(market.vesu), LENDER_LIQUIDITY);
    assert_eq!(market.token.balance_of(arb), 0);
    assert_eq!(market.token.balance_of(owner()), 0);
    assert_eq!(market.token.balance_of(market.pool_a), 1_000_000);
    assert_eq!(market.mid.balance_of(market.pool_b), 2_000_000);
    assert_eq!(market.arb.cycle_state(), state::IDLE);
}

#[test]
#[should_panic(expected: ('ZERO_AMOUNT', 'ENTRYPOINT_FAILED'))]
fn zero_amount_is_refused() {
    let market = deploy_market();
    run_cycle(@market, LenderKind::Vesu, 0, 0);
}

#[test]
#[should_panic(expected: ('AMOUNT_TOO_LARGE_FOR_ZKLEND', 'ENTRYPOINT_FAILED'))]
fn zklend_amount_beyond_128_bits_is_refused() {
    let market = deploy_market();
    run_cycle(@market, LenderKind::ZkLend, u256 { low: 0, high: 1 }, 0);
}
