//! Every path an outsider (or a misbehaving lender) could use to drive the contract.

use starknet::testing::set_contract_address;
use crate::cycle::LenderKind;
use crate::interfaces::{
    IFlashArbDispatcherTrait, IVesuFlashLoanReceiverDispatcher,
    IVesuFlashLoanReceiverDispatcherTrait, IZkLendFlashCallbackDispatcher,
    IZkLendFlashCallbackDispatcherTrait,
};
use crate::mocks::vesu_lender::{IVesuLenderKnobsDispatcher, IVesuLenderKnobsDispatcherTrait};
use crate::mocks::zklend_market::{IZkLendMarketKnobsDispatcher, IZkLendMarketKnobsDispatcherTrait};
use super::setup::{BORROW, deploy_market, route, run_cycle, stranger, vesu};

fn route_data(market: @super::setup::Market) -> Array<felt252> {
    let mut data = array![];
    route(market).serialize(ref data);
    data
}

#[test]
#[should_panic(expected: ('NOT_OWNER', 'ENTRYPOINT_FAILED'))]
fn stranger_cannot_start_cycle() {
    let market = deploy_market();
    set_contract_address(stranger());
    market
        .arb
        .start_cycle(
            vesu(), market.vesu, market.token.contract_address, BORROW, route(@market), 0,
        );
}

#[test]
#[should_panic(expected: ('NO_CYCLE_IN_FLIGHT', 'ENTRYPOINT_FAILED'))]
fn zklend_callback_without_cycle_is_refused_even_from_the_lender() {
    let market = deploy_market();
    set_contract_address(market.zklend);
    IZkLendFlashCallbackDispatcher { contract_address: market.arb.contract_address }
        .zklend_flash_callback(market.arb.contract_address, route_data(@market).span());
}

#[test]
#[should_panic(expected: ('NO_CYCLE_IN_FLIGHT', 'ENTRYPOINT_FAILED'))]
fn vesu_callback_from_stranger_without_cycle_is_refused() {
    let market = deploy_market();
    set_contract_address(stranger());
    IVesuFlashLoanReceiverDispatcher { contract_address: market.arb.contract_address }
        .on_flash_loan(
            market.arb.contract_address, market.token.contract_address, BORROW,
            route_data(@market).span(),
        );
}

#[test]
#[should_panic(
    expected: (
        'CALLER_NOT_LENDER',
        'ENTRYPOINT_FAILED',
        'ENTRYPOINT_FAILED',
        'ENTRYPOINT_FAILED',
        'ENTRYPOINT_FAILED',
    ),
)]
fn callback_from_non_lender_during_cycle_is_refused() {
    let market = deploy_market();
    IZkLendMarketKnobsDispatcher { contract_address: market.zklend }.set_intruder(market.intruder);
    run_cycle(@market, LenderKind::ZkLend, BORROW, 0);
}

#[test]
#[should_panic(
    expected: ('WRONG_INITIATOR', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED'),
)]
fn callback_with_foreign_initiator_is_refused() {
    let market = deploy_market();
    IZkLendMarketKnobsDispatcher { contract_address: market.zklend }
        .set_initiator_override(stranger());
    run_cycle(@market, LenderKind::ZkLend, BORROW, 0);
}

#[test]
#[should_panic(
    expected: ('NO_CYCLE_IN_FLIGHT', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED'),
)]
fn second_zklend_callback_in_one_loan_is_refused() {
    let market = deploy_market();
    IZkLendMarketKnobsDispatcher { contract_address: market.zklend }.set_callback_count(2);
    run_cycle(@market, LenderKind::ZkLend, BORROW, 0);
}

#[test]
#[should_panic(
    expected: ('NO_CYCLE_IN_FLIGHT', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED'),
)]
fn second_vesu_callback_in_one_loan_is_refused() {
    let market = deploy_market();
    IVesuLenderKnobsDispatcher { contract_address: market.vesu }.set_callback_count(2);
    run_cycle(@market, vesu(), BORROW, 0);
}

#[test]
#[should_panic(expected: ('INSUFFICIENT_AMOUNT_REPAID', 'ENTRYPOINT_FAILED', 'ENTRYPOINT_FAILED'))]
fn lender_that_never_calls_back_gets_nothing_and_cycle_reverts() {
    let market = deploy_market();
    IZkLendMarketKnobsDispatcher { contract_address: market.zklend }.set_callback_count(0);
    run_cycle(@market, LenderKind::ZkLend, BORROW, 0);
}
