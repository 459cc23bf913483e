//! The arbitrage contract: borrow, swap leg A then leg B, repay, keep the gain or revert.
//!
//! Lenders: Ekubo's core (flash accounting inside `lock`), a Vesu V2 pool, a zkLend-shaped market.
//! Legs: an Ekubo pool (`core.swap` inside the lock: no transfer, no approval) or a JediSwap v1
//! router (funded from this contract's balance; with Ekubo as lender, `withdraw`n first; the
//! Ekubo debt is settled with `pay` before the lock ends).
//!
//! Security rules (each has a test in tests/):
//! - only the owner starts a cycle, rescues tokens or hands over ownership (two steps);
//! - a callback is accepted only while this contract's own cycle awaits it, only from the lender
//!   that cycle called, only with initiator/sender == this contract, only for the borrowed
//!   token/amount, and only with the route data this contract sent (hash stored at start);
//! - one callback per cycle: the state machine refuses a second one (and any re-entry from a
//!   router), and start_cycle refuses to start while a cycle is running;
//! - amounts are measured, never taken from a router's return value: a router leg's output is
//!   the balance change of its output token; the profit is the borrowed token's balance change
//!   over the whole cycle, and the mid token's balance must not shrink (stray tokens the
//!   contract holds are never spent);
//! - every transfer/approve must return true; no allowance outlives the cycle.

#[starknet::contract]
pub mod FlashArb {
    use core::poseidon::poseidon_hash_span;
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::{
        ContractAddress, get_block_timestamp, get_caller_address, get_contract_address,
    };
    use crate::cycle::{CycleRoute, EkuboLeg, LenderKind, Leg, state, zklend_fee};
    use crate::ekubo::{
        IEkuboCoreDispatcher, IEkuboCoreDispatcherTrait, SwapParameters, i129, pool_has_pair,
    };
    use crate::interfaces::{
        IERC20Dispatcher, IERC20DispatcherTrait, ISwapRouterDispatcher,
        ISwapRouterDispatcherTrait, IVesuPoolDispatcher, IVesuPoolDispatcherTrait,
        IZkLendMarketDispatcher, IZkLendMarketDispatcherTrait,
    };

    #[storage]
    struct Storage {
        owner: ContractAddress,
        pending_owner: ContractAddress,
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
        OwnershipTransferred: OwnershipTransferred,
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

    #[derive(Drop, starknet::Event)]
    pub struct OwnershipTransferred {
        pub previous: ContractAddress,
        pub new_owner: ContractAddress,
    }

    pub mod errors {
        pub const NOT_OWNER: felt252 = 'NOT_OWNER';
        pub const NOT_PENDING_OWNER: felt252 = 'NOT_PENDING_OWNER';
        pub const CYCLE_IN_FLIGHT: felt252 = 'CYCLE_IN_FLIGHT';
        pub const ZERO_AMOUNT: felt252 = 'ZERO_AMOUNT';
        pub const AMOUNT_TOO_LARGE: felt252 = 'AMOUNT_TOO_LARGE';
        pub const NO_CYCLE_IN_FLIGHT: felt252 = 'NO_CYCLE_IN_FLIGHT';
        pub const CALLER_NOT_LENDER: felt252 = 'CALLER_NOT_LENDER';
        pub const WRONG_INITIATOR: felt252 = 'WRONG_INITIATOR';
        pub const WRONG_LOAN: felt252 = 'WRONG_LOAN';
        pub const WRONG_ROUTE_DATA: felt252 = 'WRONG_ROUTE_DATA';
        pub const NO_CALLBACK: felt252 = 'LENDER_DID_NOT_CALL_BACK';
        pub const LOSS: felt252 = 'CYCLE_LOST_MONEY';
        pub const MID_SPENT: felt252 = 'MID_TOKEN_SPENT';
        pub const PROFIT_BELOW_MIN: felt252 = 'PROFIT_BELOW_MIN';
        pub const BAD_ROUTE: felt252 = 'BAD_ROUTE';
        pub const EKUBO_LEG_NEEDS_LOCK: felt252 = 'EKUBO_LEG_NEEDS_EKUBO_LENDER';
        pub const BAD_POOL_KEY: felt252 = 'POOL_KEY_NOT_THE_PAIR';
        pub const BAD_EKUBO_DELTA: felt252 = 'BAD_EKUBO_DELTA';
        pub const LENDER_PAUSED: felt252 = 'LENDER_PAUSED';
        pub const TRANSFER_FAILED: felt252 = 'TRANSFER_FAILED';
        pub const APPROVE_FAILED: felt252 = 'APPROVE_FAILED';
        pub const WITHDRAW_SHORT: felt252 = 'EKUBO_WITHDRAW_SHORT';
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
            let is_ekubo = lender_kind == LenderKind::Ekubo;
            check_leg(route.leg_a, is_ekubo, token, route.mid_token);
            check_leg(route.leg_b, is_ekubo, token, route.mid_token);

            let this = get_contract_address();
            let erc20 = IERC20Dispatcher { contract_address: token };
            let mid = IERC20Dispatcher { contract_address: route.mid_token };
            let balance_before = erc20.balance_of(this);
            let mid_before = mid.balance_of(this);

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
                LenderKind::Vesu(is_legacy) => {
                    let pool = IVesuPoolDispatcher { contract_address: lender };
                    // A paused V2 pool reverts flash_loan ("contract-paused"): say why here.
                    assert(!pool.is_paused(), errors::LENDER_PAUSED);
                    pool.flash_loan(this, token, amount, is_legacy, route_data.span());
                    // Vesu pulled exactly `amount`; close the allowance whatever it left.
                    approve_checked(erc20, lender, 0);
                },
                LenderKind::Ekubo => {
                    // Ekubo amounts are u128 (i129 magnitudes, withdraw's amount).
                    assert(amount.high == 0, errors::AMOUNT_TOO_LARGE);
                    IEkuboCoreDispatcher { contract_address: lender }.lock(route_data.span());
                },
            }
            assert(self.cycle_state.read() == state::CALLBACK_DONE, errors::NO_CALLBACK);

            assert(mid.balance_of(this) >= mid_before, errors::MID_SPENT);
            let balance_after = erc20.balance_of(this);
            assert(balance_after >= balance_before, errors::LOSS);
            let profit = balance_after - balance_before;
            assert(profit >= min_profit, errors::PROFIT_BELOW_MIN);
            if profit != 0 {
                transfer_checked(erc20, self.owner.read(), profit);
            }

            self.clear_loan();
            self.emit(CycleExecuted { lender, token, amount, profit });
            profit
        }

        fn rescue(ref self: ContractState, token: ContractAddress, to: ContractAddress, amount: u256) {
            self.assert_owner();
            assert(self.cycle_state.read() == state::IDLE, errors::CYCLE_IN_FLIGHT);
            transfer_checked(IERC20Dispatcher { contract_address: token }, to, amount);
            self.emit(Rescued { token, to, amount });
        }

        fn owner(self: @ContractState) -> ContractAddress {
            self.owner.read()
        }

        fn transfer_ownership(ref self: ContractState, new_owner: ContractAddress) {
            self.assert_owner();
            self.pending_owner.write(new_owner);
        }

        fn accept_ownership(ref self: ContractState) {
            let caller = get_caller_address();
            let caller_felt: felt252 = caller.into();
            assert(caller_felt != 0 && caller == self.pending_owner.read(), errors::NOT_PENDING_OWNER);
            let previous = self.owner.read();
            self.owner.write(caller);
            self.pending_owner.write(0.try_into().unwrap());
            self.emit(OwnershipTransferred { previous, new_owner: caller });
        }

        fn pending_owner(self: @ContractState) -> ContractAddress {
            self.pending_owner.read()
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
            self.run_route(token, amount, route, Option::None);
            // zkLend checks its own balance after we return: push amount + fee now. The fee is
            // the reserve's flash_loan_fee field (get_reserve_data), as zkLend computes it.
            let fee_rate: u256 = IZkLendMarketDispatcher { contract_address: lender }
                .get_reserve_data(token)
                .flash_loan_fee
                .into();
            let repay = amount + zklend_fee(amount, fee_rate);
            transfer_checked(IERC20Dispatcher { contract_address: token }, lender, repay);
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
            self.run_route(asset, amount, route, Option::None);
            // Vesu pulls with transfer_from after we return; start_cycle resets this to 0.
            approve_checked(IERC20Dispatcher { contract_address: asset }, self.lender.read(), amount);
            self.cycle_state.write(state::CALLBACK_DONE);
        }
    }

    #[abi(embed_v0)]
    impl EkuboLockerImpl of crate::ekubo::ILocker<ContractState> {
        /// Ekubo's core calls this from inside `lock`. Nothing is withdrawn up front: an Ekubo
        /// leg swaps against the lock's deltas, a router leg withdraws its input first; at the
        /// end each token's delta is settled (pay what is owed, withdraw what is owed to us), so
        /// the core's own NOT_ZEROED check passes only if the cycle paid its way.
        fn locked(ref self: ContractState, id: u32, data: Span<felt252>) -> Span<felt252> {
            let route = self.enter_callback(get_contract_address(), data);
            let token = self.token.read();
            let core = IEkuboCoreDispatcher { contract_address: self.lender.read() };
            self.run_route(token, self.amount.read(), route, Option::Some((core, id)));
            settle(core, id, token);
            settle(core, id, route.mid_token);
            self.cycle_state.write(state::CALLBACK_DONE);
            array![].span()
        }
    }

    /// Refuses an Ekubo leg without an Ekubo lock, and a pool key that is not the cycle's pair.
    fn check_leg(leg: Leg, is_ekubo: bool, token: ContractAddress, mid: ContractAddress) {
        match leg {
            Leg::Router(_) => {},
            Leg::Ekubo(e) => {
                assert(is_ekubo, errors::EKUBO_LEG_NEEDS_LOCK);
                assert(pool_has_pair(@e.pool_key, token, mid), errors::BAD_POOL_KEY);
            },
        }
    }

    fn transfer_checked(token: IERC20Dispatcher, to: ContractAddress, amount: u256) {
        assert(token.transfer(to, amount), errors::TRANSFER_FAILED);
    }

    fn approve_checked(token: IERC20Dispatcher, spender: ContractAddress, amount: u256) {
        assert(token.approve(spender, amount), errors::APPROVE_FAILED);
    }

    /// Brings this lock's delta of `token` to zero: pay what the contract owes (approve exactly
    /// that; Ekubo's pay takes the whole allowance), withdraw what the core owes it.
    fn settle(core: IEkuboCoreDispatcher, id: u32, token: ContractAddress) {
        let delta = core.get_locker_delta(id, token);
        if delta.mag == 0 {
            return;
        }
        let this = get_contract_address();
        if delta.sign {
            core.withdraw(token, this, delta.mag);
        } else {
            let erc20 = IERC20Dispatcher { contract_address: token };
            approve_checked(erc20, core.contract_address, delta.mag.into());
            core.pay(token);
            // Ekubo's pay leaves no allowance; reset in case a core did.
            approve_checked(erc20, core.contract_address, 0);
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

        /// token -> mid on leg A, mid -> token on leg B. `ekubo` is the lock (core, id) when
        /// Ekubo lends: the borrowed amount then starts as core credit, not as a balance. Hop
        /// minimums are 0 on purpose: the end-to-end min_profit check is the price guard.
        fn run_route(
            ref self: ContractState,
            token: ContractAddress,
            amount: u256,
            route: CycleRoute,
            ekubo: Option<(IEkuboCoreDispatcher, u32)>,
        ) {
            let in_core = ekubo.is_some();
            let (mid_out, mid_in_core) = run_leg(route.leg_a, token, route.mid_token, amount, in_core, ekubo);
            run_leg(route.leg_b, route.mid_token, token, mid_out, mid_in_core, ekubo);
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

    /// One swap of `amount_in`. `in_core`: the input is credit inside the Ekubo lock (not yet a
    /// balance here). Returns the output and whether it is core credit.
    fn run_leg(
        leg: Leg,
        token_in: ContractAddress,
        token_out: ContractAddress,
        amount_in: u256,
        in_core: bool,
        ekubo: Option<(IEkuboCoreDispatcher, u32)>,
    ) -> (u256, bool) {
        match leg {
            Leg::Router(router) => {
                let mut amount = amount_in;
                if in_core {
                    let (core, _) = ekubo.unwrap();
                    amount = withdraw_measured(core, token_in, amount_in);
                }
                (router_swap(router, token_in, token_out, amount), false)
            },
            Leg::Ekubo(e) => {
                let (core, _) = ekubo.unwrap();
                (ekubo_swap(core, e, token_in, amount_in), true)
            },
        }
    }

    /// Withdraws from the lock and returns what actually arrived (a fee-on-transfer token
    /// delivers less than the debt the withdraw books).
    fn withdraw_measured(core: IEkuboCoreDispatcher, token: ContractAddress, amount: u256) -> u256 {
        assert(amount.high == 0, errors::AMOUNT_TOO_LARGE);
        let erc20 = IERC20Dispatcher { contract_address: token };
        let this = get_contract_address();
        let before = erc20.balance_of(this);
        core.withdraw(token, this, amount.low);
        let after = erc20.balance_of(this);
        assert(after > before, errors::WITHDRAW_SHORT);
        after - before
    }

    /// Exact-input swap on an Ekubo pool inside the lock; returns the output credited to us.
    fn ekubo_swap(
        core: IEkuboCoreDispatcher, leg: EkuboLeg, token_in: ContractAddress, amount_in: u256,
    ) -> u256 {
        assert(amount_in.high == 0, errors::AMOUNT_TOO_LARGE);
        let is_token1 = token_in == leg.pool_key.token1;
        let delta = core
            .swap(
                leg.pool_key,
                SwapParameters {
                    amount: i129 { mag: amount_in.low, sign: false },
                    is_token1,
                    sqrt_ratio_limit: leg.sqrt_ratio_limit,
                    skip_ahead: leg.skip_ahead,
                },
            );
        let (paid, received) = if is_token1 {
            (delta.amount1, delta.amount0)
        } else {
            (delta.amount0, delta.amount1)
        };
        // Input owed (>= 0, at most what we offered), output owed to us (<= 0).
        assert(!paid.sign || paid.mag == 0, errors::BAD_EKUBO_DELTA);
        assert(paid.mag.into() <= amount_in, errors::BAD_EKUBO_DELTA);
        assert(received.sign || received.mag == 0, errors::BAD_EKUBO_DELTA);
        received.mag.into()
    }

    /// Router swap whose output is this contract's measured balance change, never the router's
    /// return value; the allowance is exactly the input and is closed after the call.
    fn router_swap(
        router: ContractAddress, token_in: ContractAddress, token_out: ContractAddress, amount_in: u256,
    ) -> u256 {
        let this = get_contract_address();
        let erc20_in = IERC20Dispatcher { contract_address: token_in };
        let erc20_out = IERC20Dispatcher { contract_address: token_out };
        let out_before = erc20_out.balance_of(this);
        approve_checked(erc20_in, router, amount_in);
        ISwapRouterDispatcher { contract_address: router }
            .swap_exact_tokens_for_tokens(
                amount_in, 0, array![token_in, token_out], this, get_block_timestamp(),
            );
        // A router that pulled less than approved must not keep a standing allowance.
        approve_checked(erc20_in, router, 0);
        let out_after = erc20_out.balance_of(this);
        assert(out_after >= out_before, errors::LOSS);
        out_after - out_before
    }
}
