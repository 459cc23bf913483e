//! The arbitrage contract: borrow, swap A then B, repay, keep the gain or revert.
//!
//! Security rules (each has a test in tests/test_security.cairo):
//! - only the owner starts a cycle or rescues tokens;
//! - a callback is accepted only while this contract's own cycle awaits it, only from the lender
//!   that cycle called, only with initiator/sender == this contract, only for the borrowed
//!   token/amount, and only with the route data this contract sent (hash stored at start);
//! - one callback per cycle: the state machine refuses a second one, and start_cycle refuses to
//!   start while a cycle is running;
//! - no allowance outlives the cycle: every approve is reset to 0 before the cycle ends.

#[starknet::contract]
pub mod FlashArb {
    use core::poseidon::poseidon_hash_span;
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::{
        ContractAddress, get_block_timestamp, get_caller_address, get_contract_address,
    };
    use crate::cycle::{CycleRoute, LenderKind, state, zklend_fee};
    use crate::interfaces::{
        IERC20Dispatcher, IERC20DispatcherTrait, ISwapRouterDispatcher,
        ISwapRouterDispatcherTrait, IVesuFlashLenderDispatcher, IVesuFlashLenderDispatcherTrait,
        IZkLendMarketDispatcher, IZkLendMarketDispatcherTrait,
    };

    #[storage]
    struct Storage {
        owner: ContractAddress,
        cycle_state: u8,
        // The loan in flight: who may call back, for what, with which route data.
        lender: ContractAddress,
        token: ContractAddress,
        amount: u256,
        route_hash: felt252,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    pub enum Event {
        CycleStarted: CycleStarted,
        CycleExecuted: CycleExecuted,
        Rescued: Rescued,
    }

    #[derive(Drop, starknet::Event)]
    pub struct CycleStarted {
        #[key]
        pub lender: ContractAddress,
        #[key]
        pub token: ContractAddress,
        pub amount: u256,
        pub route: CycleRoute,
    }

    #[derive(Drop, starknet::Event)]
    pub struct CycleExecuted {
        #[key]
        pub lender: ContractAddress,
        #[key]
        pub token: ContractAddress,
        pub amount: u256,
        pub profit: u256,
    }

    #[derive(Drop, starknet::Event)]
    pub struct Rescued {
        #[key]
        pub token: ContractAddress,
        pub to: ContractAddress,
        pub amount: u256,
    }

    pub mod errors {
        pub const NOT_OWNER: felt252 = 'NOT_OWNER';
        pub const CYCLE_IN_FLIGHT: felt252 = 'CYCLE_IN_FLIGHT';
        pub const ZERO_AMOUNT: felt252 = 'ZERO_AMOUNT';
        pub const AMOUNT_TOO_LARGE: felt252 = 'AMOUNT_TOO_LARGE_FOR_ZKLEND';
        pub const NO_CYCLE_IN_FLIGHT: felt252 = 'NO_CYCLE_IN_FLIGHT';
        pub const CALLER_NOT_LENDER: felt252 = 'CALLER_NOT_LENDER';
        pub const WRONG_INITIATOR: felt252 = 'WRONG_INITIATOR';
        pub const WRONG_LOAN: felt252 = 'WRONG_LOAN';
        pub const WRONG_ROUTE_DATA: felt252 = 'WRONG_ROUTE_DATA';
        pub const NO_CALLBACK: felt252 = 'LENDER_DID_NOT_CALL_BACK';
        pub const LOSS: felt252 = 'CYCLE_LOST_MONEY';
        pub const PROFIT_BELOW_MIN: felt252 = 'PROFIT_BELOW_MIN';
        pub const BAD_ROUTE: felt252 = 'BAD_ROUTE';
    }

    #[constructor]
    fn constructor(ref self: ContractState, owner: ContractAddress) {
        self.owner.write(owner);
        self.cycle_state.write(state::IDLE);
    }

    #[abi(embed_v0)]
    impl FlashArbImpl of crate::interfaces::IFlashArb<ContractState> {
        fn start_cycle(
            ref self: ContractState,
            lender_kind: LenderKind,
            lender: ContractAddress,
            token: ContractAddress,
            amount: u256,
            route: CycleRoute,
            min_profit: u256,
        ) -> u256 {
            self.assert_owner();
            assert(self.cycle_state.read() == state::IDLE, errors::CYCLE_IN_FLIGHT);
            assert(amount != 0, errors::ZERO_AMOUNT);
            assert(route.mid_token != token, errors::BAD_ROUTE);

            let this = get_contract_address();
            let erc20 = IERC20Dispatcher { contract_address: token };
            let balance_before = erc20.balance_of(this);

            let mut route_data: Array<felt252> = array![];
            route.serialize(ref route_data);
            self.lender.write(lender);
            self.token.write(token);
            self.amount.write(amount);
            self.route_hash.write(poseidon_hash_span(route_data.span()));
            self.cycle_state.write(state::AWAITING_CALLBACK);
            self.emit(CycleStarted { lender, token, amount, route });

            match lender_kind {
                LenderKind::ZkLend => {
                    // zkLend takes the amount as a felt; refuse what a felt cannot carry exactly.
                    assert(amount.high == 0, errors::AMOUNT_TOO_LARGE);
                    IZkLendMarketDispatcher { contract_address: lender }
                        .flash_loan(this, token, amount.low.into(), route_data.span());
                },
                LenderKind::Vesu => {
                    IVesuFlashLenderDispatcher { contract_address: lender }
                        .flash_loan(this, token, amount, false, route_data.span());
                    // Vesu pulled exactly `amount`; close the allowance whatever it left.
                    erc20.approve(lender, 0);
                },
            }
            assert(self.cycle_state.read() == state::CALLBACK_DONE, errors::NO_CALLBACK);

            let balance_after = erc20.balance_of(this);
            assert(balance_after >= balance_before, errors::LOSS);
            let profit = balance_after - balance_before;
            assert(profit >= min_profit, errors::PROFIT_BELOW_MIN);
            if profit != 0 {
                erc20.transfer(self.owner.read(), profit);
            }

            self.clear_loan();
            self.emit(CycleExecuted { lender, token, amount, profit });
            profit
        }

        fn rescue(ref self: ContractState, token: ContractAddress, to: ContractAddress, amount: u256) {
            self.assert_owner();
            assert(self.cycle_state.read() == state::IDLE, errors::CYCLE_IN_FLIGHT);
            IERC20Dispatcher { contract_address: token }.transfer(to, amount);
            self.emit(Rescued { token, to, amount });
        }

        fn owner(self: @ContractState) -> ContractAddress {
            self.owner.read()
        }

        fn cycle_state(self: @ContractState) -> u8 {
            self.cycle_state.read()
        }
    }

    #[abi(embed_v0)]
    impl ZkLendCallbackImpl of crate::interfaces::IZkLendFlashCallback<ContractState> {
        fn zklend_flash_callback(
            ref self: ContractState, initiator: ContractAddress, calldata: Span<felt252>,
        ) {
            let route = self.enter_callback(initiator, calldata);
            let token = self.token.read();
            let amount = self.amount.read();
            let lender = self.lender.read();
            self.swap_route(token, amount, route);
            // zkLend checks its own balance after we return: push amount + fee now.
            let fee_rate: u256 = IZkLendMarketDispatcher { contract_address: lender }
                .flash_loan_fee(token)
                .into();
            let repay = amount + zklend_fee(amount, fee_rate);
            IERC20Dispatcher { contract_address: token }.transfer(lender, repay);
            self.cycle_state.write(state::CALLBACK_DONE);
        }
    }

    #[abi(embed_v0)]
    impl VesuCallbackImpl of crate::interfaces::IVesuFlashLoanReceiver<ContractState> {
        fn on_flash_loan(
            ref self: ContractState,
            sender: ContractAddress,
            asset: ContractAddress,
            amount: u256,
            data: Span<felt252>,
        ) {
            let route = self.enter_callback(sender, data);
            assert(asset == self.token.read() && amount == self.amount.read(), errors::WRONG_LOAN);
            self.swap_route(asset, amount, route);
            // Vesu pulls with transfer_from after we return; start_cycle resets this to 0.
            IERC20Dispatcher { contract_address: asset }.approve(self.lender.read(), amount);
            self.cycle_state.write(state::CALLBACK_DONE);
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn assert_owner(self: @ContractState) {
            assert(get_caller_address() == self.owner.read(), errors::NOT_OWNER);
        }

        /// All callback gates, in the order a wrong call most likely fails them.
        fn enter_callback(
            ref self: ContractState, initiator: ContractAddress, data: Span<felt252>,
        ) -> CycleRoute {
            assert(self.cycle_state.read() == state::AWAITING_CALLBACK, errors::NO_CYCLE_IN_FLIGHT);
            assert(get_caller_address() == self.lender.read(), errors::CALLER_NOT_LENDER);
            assert(initiator == get_contract_address(), errors::WRONG_INITIATOR);
            assert(poseidon_hash_span(data) == self.route_hash.read(), errors::WRONG_ROUTE_DATA);
            self.cycle_state.write(state::IN_CALLBACK);
            let mut data = data;
            Serde::<CycleRoute>::deserialize(ref data).expect(errors::WRONG_ROUTE_DATA)
        }

        /// token -> mid on pool_a, mid -> token on pool_b. Hop minimums are 0 on purpose: the
        /// only price guard that matters is the end-to-end min_profit check in start_cycle.
        fn swap_route(ref self: ContractState, token: ContractAddress, amount: u256, route: CycleRoute) {
            let mid_out = self.swap(route.pool_a, token, route.mid_token, amount);
            self.swap(route.pool_b, route.mid_token, token, mid_out);
        }

        fn swap(
            ref self: ContractState,
            pool: ContractAddress,
            token_in: ContractAddress,
            token_out: ContractAddress,
            amount_in: u256,
        ) -> u256 {
            let erc20_in = IERC20Dispatcher { contract_address: token_in };
            erc20_in.approve(pool, amount_in);
            let amounts = ISwapRouterDispatcher { contract_address: pool }
                .swap_exact_tokens_for_tokens(
                    amount_in, 0, array![token_in, token_out], get_contract_address(), get_block_timestamp(),
                );
            // A router that pulled less than approved must not keep a standing allowance.
            erc20_in.approve(pool, 0);
            *amounts.at(amounts.len() - 1)
        }

        fn clear_loan(ref self: ContractState) {
            let zero: ContractAddress = 0.try_into().unwrap();
            self.lender.write(zero);
            self.token.write(zero);
            self.amount.write(0);
            self.route_hash.write(0);
            self.cycle_state.write(state::IDLE);
        }
    }
}
