//! Owner-only rescue of tokens left on the contract.

use starknet::testing::{pop_log, set_contract_address};
use crate::flash_arb::FlashArb;
use crate::interfaces::{IERC20DispatcherTrait, IFlashArbDispatcherTrait, IFlashArbSafeDispatcherTrait};
use crate::mocks::erc20::{IMintableDispatcher, IMintableDispatcherTrait};
use super::setup::{addr, deploy_market, owner, stranger};

#[test]
fn owner_rescues_stray_tokens() {
    let market = deploy_market();
    let arb = market.arb.contract_address;
    IMintableDispatcher { contract_address: market.mid.contract_address }.mint(arb, 500);
    let treasury = addr('treasury');

    set_contract_address(owner());
    market.arb.rescue(market.mid.contract_address, treasury, 300);

    assert(market.mid.balance_of(treasury) == 300, 'treasury got tokens');
    assert(market.mid.balance_of(arb) == 200, 'arb kept the rest');
    match pop_log::<FlashArb::Event>(arb).unwrap() {
        FlashArb::Event::Rescued(e) => {
            assert(e.token == market.mid.contract_address, 'e.token');
            assert(e.to == treasury, 'e.to');
            assert(e.amount == 300, 'e.amount');
        },
        _ => panic_with_felt252('expected Rescued'),
    }
}

#[test]
#[should_panic(expected: ('NOT_OWNER', 'ENTRYPOINT_FAILED'))]
fn stranger_cannot_rescue() {
    let market = deploy_market();
    IMintableDispatcher { contract_address: market.mid.contract_address }
        .mint(market.arb.contract_address, 500);
    set_contract_address(stranger());
    market.arb.rescue(market.mid.contract_address, stranger(), 500);
}

#[test]
#[feature("safe_dispatcher")]
fn ownership_moves_in_two_steps_and_only_to_the_named_account() {
    let market = deploy_market();
    let next = addr('next owner');
    set_contract_address(stranger());
    let safe = crate::interfaces::IFlashArbSafeDispatcher { contract_address: market.arb.contract_address };
    assert(safe.transfer_ownership(stranger()).is_err(), 'stranger named an owner');
    set_contract_address(owner());
    market.arb.transfer_ownership(next);
    assert(market.arb.owner() == owner(), 'moved before acceptance');
    set_contract_address(stranger());
    assert(safe.accept_ownership().is_err(), 'stranger accepted');
    set_contract_address(next);
    market.arb.accept_ownership();
    assert(market.arb.owner() == next, 'owner not moved');
    assert(market.arb.pending_owner() == addr(0), 'pending not cleared');
    set_contract_address(owner());
    assert(safe.rescue(market.mid.contract_address, owner(), 0).is_err(), 'old owner still rules');
}
