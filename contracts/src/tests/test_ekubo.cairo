//! Cycles inside Ekubo's lock (mock core with Ekubo's flash accounting): Ekubo-only, Ekubo +
//! router either way round, below-min and losing cycles, callback gates, amount properties.

use starknet::testing::set_contract_address;
use crate::cycle::{CycleRoute, Leg, state};
use crate::ekubo::{ILockerDispatcher, ILockerDispatcherTrait, compute_fee};
use crate::interfaces::{
    IERC20DispatcherTrait, IFlashArbDispatcherTrait, IFlashArbSafeDispatcher,
    IFlashArbSafeDispatcherTrait,
};
use crate::cycle::LenderKind;
use crate::mocks::ekubo_core::{IEkuboCoreKnobsDispatcher, IEkuboCoreKnobsDispatcherTrait, swap_out};
use crate::mocks::pool::amount_out;
use super::setup::{
    BORROW, EKUBO_FEE_30BPS, EKUBO_FEE_5BPS, EKUBO_MID_OUT, EKUBO_TOKEN_BACK, EkuboMarket, MID_OUT,
    TOKEN_BACK, deploy_market, ekubo_leg_selling, owner, run_ekubo_cycle, stranger, vesu, with_ekubo,
};

fn ekubo_route(m: @EkuboMarket) -> CycleRoute {
    let market = m.market;
    CycleRoute {
        leg_a: ekubo_leg_selling(*m.e30, *market.token.contract_address),
        leg_b: ekubo_leg_selling(*m.e5, *market.mid.contract_address),
        mid_token: *market.mid.contract_address,
    }
}

#[test]
fn ekubo_swap_math_matches_hand_computed_legs() {
    assert(compute_fee(10_000, EKUBO_FEE_30BPS) == 30, 'fee rounds up');
    assert(swap_out(10_000, 1_000_000, 2_200_000, EKUBO_FEE_30BPS).into() == EKUBO_MID_OUT, 'leg A');
    assert(swap_out(21_717, 2_000_000, 1_000_000, EKUBO_FEE_5BPS).into() == EKUBO_TOKEN_BACK, 'leg B');
}

#[test]
fn ekubo_only_cycle_inside_lock_pays_owner_from_core_credit() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    let core_tkn = market.token.balance_of(m.core);
    let core_mid = market.mid.balance_of(m.core);
    let expected = EKUBO_TOKEN_BACK - BORROW;
    let profit = run_ekubo_cycle(@m, ekubo_route(@m), BORROW, expected);

    assert(profit == expected, 'profit');
    assert(market.token.balance_of(owner()) == expected, 'owner got profit');
    // No transfer but the profit withdrawal: the loan and both swaps netted inside the lock.
    assert(market.token.balance_of(m.core) == core_tkn - expected, 'core paid only profit');
    assert(market.mid.balance_of(m.core) == core_mid, 'core mid untouched');
    let arb = market.arb.contract_address;
    assert(market.token.balance_of(arb) == 0 && market.mid.balance_of(arb) == 0, 'arb kept tokens');
    assert(market.token.allowance(arb, m.core) == 0, 'allowance left');
    assert(market.arb.cycle_state() == state::IDLE, 'state not idle');
}

#[test]
fn ekubo_then_router_cycle_withdraws_mid_and_pays_back_the_loan() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    let core_tkn = market.token.balance_of(m.core);
    let route = CycleRoute {
        leg_a: ekubo_leg_selling(m.e30, market.token.contract_address),
        leg_b: Leg::Router(market.pool_b),
        mid_token: market.mid.contract_address,
    };
    let expected = TOKEN_BACK - BORROW; // 21_717 MID on E30, 10_709 TKN on router B
    let profit = run_ekubo_cycle(@m, route, BORROW, expected);
    assert(profit == expected, 'profit');
    assert(market.token.balance_of(owner()) == expected, 'owner got profit');
    assert(market.token.balance_of(m.core) == core_tkn + BORROW, 'core got TKN in');
    let arb = market.arb.contract_address;
    assert(market.token.allowance(arb, m.core) == 0, 'core allowance left');
    assert(market.mid.allowance(arb, market.pool_b) == 0, 'router allowance left');
}

#[test]
fn router_then_ekubo_cycle_borrows_by_withdraw_and_pays_mid() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    let route = CycleRoute {
        leg_a: Leg::Router(market.pool_a),
        leg_b: ekubo_leg_selling(m.e5, market.mid.contract_address),
        mid_token: market.mid.contract_address,
    };
    let back: u256 = swap_out(MID_OUT.low, 2_000_000, 1_000_000, EKUBO_FEE_5BPS).into();
    let profit = run_ekubo_cycle(@m, route, BORROW, back - BORROW);
    assert(profit == back - BORROW, 'profit');
    assert(market.mid.allowance(market.arb.contract_address, m.core) == 0, 'core allowance left');
}

#[test]
#[should_panic(expected: ('PROFIT_BELOW_MIN', 'ENTRYPOINT_FAILED'))]
fn ekubo_cycle_below_min_profit_reverts() {
    let m = with_ekubo(deploy_market());
    run_ekubo_cycle(@m, ekubo_route(@m), BORROW, EKUBO_TOKEN_BACK - BORROW + 1);
}

#[test]
#[feature("safe_dispatcher")]
fn losing_ekubo_cycle_reverts_and_changes_nothing() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    let core_tkn = market.token.balance_of(m.core);
    let reserves = IEkuboCoreKnobsDispatcher { contract_address: m.core }.get_reserves(m.e30);
    // Buy dear (E5 sells MID cheap... reversed): the lock cannot be settled.
    let reversed = CycleRoute {
        leg_a: ekubo_leg_selling(m.e5, market.token.contract_address),
        leg_b: ekubo_leg_selling(m.e30, market.mid.contract_address),
        mid_token: market.mid.contract_address,
    };
    set_contract_address(owner());
    let safe = IFlashArbSafeDispatcher { contract_address: market.arb.contract_address };
    let result = safe.start_cycle(LenderKind::Ekubo, m.core, market.token.contract_address, BORROW, reversed, 0);
    assert(result.is_err(), 'losing cycle must revert');
    assert(market.token.balance_of(m.core) == core_tkn, 'core balance moved');
    let after = IEkuboCoreKnobsDispatcher { contract_address: m.core }.get_reserves(m.e30);
    assert(after == reserves, 'pool reserves moved');
    assert(market.token.balance_of(owner()) == 0, 'owner balance moved');
    assert(market.arb.cycle_state() == state::IDLE, 'state not idle');
}

#[test]
#[should_panic(expected: ('NO_CYCLE_IN_FLIGHT', 'ENTRYPOINT_FAILED'))]
fn locked_called_by_stranger_is_refused() {
    let market = deploy_market();
    set_contract_address(stranger());
    ILockerDispatcher { contract_address: market.arb.contract_address }.locked(0, array![].span());
}

#[test]
#[should_panic(expected: ('EKUBO_LEG_NEEDS_EKUBO_LENDER', 'ENTRYPOINT_FAILED'))]
fn ekubo_leg_without_ekubo_lock_is_refused() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    set_contract_address(owner());
    market.arb.start_cycle(vesu(), market.vesu, market.token.contract_address, BORROW, ekubo_route(@m), 0);
}

/// Property over amounts (pseudo-random, 1 .. 2^40): the mock's swap never pays out the whole
/// reserve, its fee rounds up (fee * 2^128 >= amount * fee rate), output grows with input, and
/// x*y never shrinks. Pure math: runs 64 amounts without contract calls.
#[test]
fn ekubo_swap_math_properties_over_amounts() {
    let mut seed: u128 = 0x9e3779b97f4a7c15;
    let mut i = 0;
    while i != 64 {
        seed = (seed * 6364136223846793005 + 1442695040888963407) % 0x10000000000000000;
        let a = 1 + seed % 0x10000000000;
        let (r_in, r_out) = (1_000_000_000_000_u128, 3_000_000_000_000_u128);
        let out = swap_out(a, r_in, r_out, EKUBO_FEE_30BPS);
        assert(out < r_out, 'drained reserve');
        let fee: u256 = compute_fee(a, EKUBO_FEE_30BPS).into();
        assert(fee * 0x100000000000000000000000000000000 >= a.into() * EKUBO_FEE_30BPS.into(), 'fee rounded down');
        assert(swap_out(a + 1, r_in, r_out, EKUBO_FEE_30BPS) >= out, 'not monotonic');
        let k_before: u256 = r_in.into() * r_out.into();
        let k_after: u256 = (r_in + a).into() * (r_out - out).into();
        assert(k_after >= k_before, 'k shrank');
        // The router pool's formula obeys the same invariant.
        let v2 = amount_out(a.into(), r_in.into(), r_out.into(), 30);
        assert(v2 < r_out.into(), 'v2 drained reserve');
        i += 1;
    };
}

/// Property over amounts on the contract: for each amount the Ekubo-only cycle's profit is
/// exactly the two-leg prediction (or the cycle reverts when that is not positive).
#[test]
#[feature("safe_dispatcher")]
fn ekubo_cycle_profit_equals_prediction_over_amounts() {
    let m = with_ekubo(deploy_market());
    let market = m.market;
    let amounts: Array<u128> = array![1_000, 37_000, 150_000];
    let knobs = IEkuboCoreKnobsDispatcher { contract_address: m.core };
    let mut paid: u256 = 0;
    let mut i = 0;
    while i != amounts.len() {
        let a = *amounts.at(i);
        let tkn_is_0 = m.e30.token0 == market.token.contract_address;
        let (a0, a1) = knobs.get_reserves(m.e30);
        let (b0, b1) = knobs.get_reserves(m.e5);
        let (ta, ma, tb, mb) = if tkn_is_0 { (a0, a1, b0, b1) } else { (a1, a0, b1, b0) };
        let mid = swap_out(a, ta, ma, EKUBO_FEE_30BPS);
        let back = swap_out(mid, mb, tb, EKUBO_FEE_5BPS);
        set_contract_address(owner());
        let result = IFlashArbSafeDispatcher { contract_address: market.arb.contract_address }
            .start_cycle(LenderKind::Ekubo, m.core, market.token.contract_address, a.into(), ekubo_route(@m), 1);
        if back > a {
            let profit = result.unwrap();
            assert(profit == (back - a).into(), 'profit != prediction');
            paid += profit;
        } else {
            assert(result.is_err(), 'loss must revert');
        }
        i += 1;
    };
    assert(market.token.balance_of(owner()) == paid, 'owner total');
}
