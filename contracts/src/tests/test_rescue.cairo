//! Owner-only rescue of tokens left on the contract.

use starknet::testing::{pop_log, set_contract_address};
use crate::flash_arb::FlashArb;
use crate::interfaces::{IERC20DispatcherTrait, IFlashArbDispatcherTrait};
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
