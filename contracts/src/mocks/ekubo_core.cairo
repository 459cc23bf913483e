//! Ekubo-core-shaped mock: the flash accounting of EkuboProtocol/starknet-contracts src/core.cairo
//! (a5b2c7fc) with the swap math simplified to one full-range constant-product position per pool,
//! exact in its own terms:
//! - lock(data): id = lock count, calls ILocker::locked(id, data) on the caller, then asserts
//!   the lock's non-zero delta count is 0 ('NOT_ZEROED'), as core.cairo `lock` does;
//! - withdraw: +amount to the locker's delta, transfer out (asserted);
//! - pay: pulls the payer's whole allowance with camelCase transferFrom, checks with balanceOf
//!   that exactly that arrived ('TRANSFER_FROM_INVARIANT'), -amount;
//! - swap (exact input only): fee = compute_fee(amount, pool fee) rounded up as Ekubo does, the
//!   rest against reserves (x*y=k, output floored); Delta {input +, output -} booked, reserves
//!   updated, no token moves. The pool's reserves are tokens the core really holds (tests mint
//!   them to the core), so withdrawals are real transfers.
//! - quote_swap: the same math, read-only (the router's quote entry point shape).

#[starknet::interface]
pub trait IEkuboCoreKnobs<T> {
    /// Sets a pool's reserves (token0, token1 of the key).
    fn set_pool(ref self: T, pool_key: crate::ekubo::PoolKey, reserve0: u128, reserve1: u128);
    fn get_reserves(self: @T, pool_key: crate::ekubo::PoolKey) -> (u128, u128);
}

/// Output of an exact-input swap of `amount_in` against (reserve_in, reserve_out), `fee` 0.128.
pub fn swap_out(amount_in: u128, reserve_in: u128, reserve_out: u128, fee: u128) -> u128 {
    let after_fee: u256 = (amount_in - crate::ekubo::compute_fee(amount_in, fee)).into();
    let out = (after_fee * reserve_out.into()) / (reserve_in.into() + after_fee);
    out.try_into().unwrap()
}

#[starknet::contract]
pub mod MockEkuboCore {
    use core::poseidon::poseidon_hash_span;
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess,
        StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address, get_contract_address};
    use crate::ekubo::{
        Delta, ILockerDispatcher, ILockerDispatcherTrait, PoolKey, RouteNode, SwapParameters,
        TokenAmount, add_i129, i129,
    };
    use crate::interfaces::{
        IERC20CamelDispatcher, IERC20CamelDispatcherTrait, IERC20Dispatcher, IERC20DispatcherTrait,
    };

    #[storage]
    struct Storage {
        lock_count: u32,
        lockers: Map<u32, ContractAddress>,
        deltas: Map<(u32, ContractAddress), i129>,
        nonzero_delta_count: Map<u32, u32>,
        reserve0: Map<felt252, u128>,
        reserve1: Map<felt252, u128>,
    }

    fn key_hash(key: PoolKey) -> felt252 {
        let mut felts = array![];
        key.serialize(ref felts);
        poseidon_hash_span(felts.span())
    }

    #[abi(embed_v0)]
    impl CoreImpl of crate::ekubo::IEkuboCore<ContractState> {
        fn lock(ref self: ContractState, data: Span<felt252>) -> Span<felt252> {
            let id = self.lock_count.read();
            let caller = get_caller_address();
            self.lock_count.write(id + 1);
            self.lockers.write(id, caller);
            let result = ILockerDispatcher { contract_address: caller }.locked(id, data);
            assert(self.nonzero_delta_count.read(id) == 0, 'NOT_ZEROED');
            self.lock_count.write(id);
            self.lockers.write(id, 0.try_into().unwrap());
            result
        }

        fn withdraw(
            ref self: ContractState,
            token_address: ContractAddress,
            recipient: ContractAddress,
            amount: u128,
        ) {
            let id = self.require_locker();
            self.account_delta(id, token_address, i129 { mag: amount, sign: false });
            assert(
                IERC20Dispatcher { contract_address: token_address }.transfer(recipient, amount.into()),
                'TOKEN_TRANSFER_FAILED',
            );
        }

        fn pay(ref self: ContractState, token_address: ContractAddress) {
            let id = self.require_locker();
            let payer = get_caller_address();
            let this = get_contract_address();
            let allowance = IERC20Dispatcher { contract_address: token_address }.allowance(payer, this);
            let token = IERC20CamelDispatcher { contract_address: token_address };
            let before = token.balanceOf(this);
            assert(token.transferFrom(payer, this, allowance), 'TOKEN_TRANSFERFROM_FAILED');
            let delta = token.balanceOf(this) - before;
            assert(delta.high == 0, 'DELTA_TOO_LARGE');
            assert(delta == allowance, 'TRANSFER_FROM_INVARIANT');
            self.account_delta(id, token_address, i129 { mag: delta.low, sign: true });
        }

        fn swap(ref self: ContractState, pool_key: PoolKey, params: SwapParameters) -> Delta {
            let id = self.require_locker();
            let delta = self.compute_swap(pool_key, params);
            let k = key_hash(pool_key);
            self.reserve0.write(k, apply(self.reserve0.read(k), delta.amount0));
            self.reserve1.write(k, apply(self.reserve1.read(k), delta.amount1));
            self.account_delta(id, pool_key.token0, delta.amount0);
            self.account_delta(id, pool_key.token1, delta.amount1);
            delta
        }

        fn get_locker_delta(self: @ContractState, id: u32, token_address: ContractAddress) -> i129 {
            self.deltas.read((id, token_address))
        }
    }

    #[abi(embed_v0)]
    impl QuoteImpl of crate::ekubo::IEkuboRouterQuote<ContractState> {
        fn quote_swap(self: @ContractState, node: RouteNode, token_amount: TokenAmount) -> Delta {
            let is_token1 = token_amount.token == node.pool_key.token1;
            self
                .compute_swap(
                    node.pool_key,
                    SwapParameters {
                        amount: token_amount.amount,
                        is_token1,
                        sqrt_ratio_limit: node.sqrt_ratio_limit,
                        skip_ahead: node.skip_ahead,
                    },
                )
        }
    }

    #[abi(embed_v0)]
    impl KnobsImpl of super::IEkuboCoreKnobs<ContractState> {
        fn set_pool(ref self: ContractState, pool_key: PoolKey, reserve0: u128, reserve1: u128) {
            let t0: felt252 = pool_key.token0.into();
            let t1: felt252 = pool_key.token1.into();
            let (a, b): (u256, u256) = (t0.into(), t1.into());
            assert(a < b, 'TOKEN_ORDER');
            let k = key_hash(pool_key);
            self.reserve0.write(k, reserve0);
            self.reserve1.write(k, reserve1);
        }

        fn get_reserves(self: @ContractState, pool_key: PoolKey) -> (u128, u128) {
            let k = key_hash(pool_key);
            (self.reserve0.read(k), self.reserve1.read(k))
        }
    }

    /// Reserve after a delta booked from the core's side (+ comes in, - goes out).
    fn apply(reserve: u128, delta: i129) -> u128 {
        if delta.sign {
            reserve - delta.mag
        } else {
            reserve + delta.mag
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn require_locker(self: @ContractState) -> u32 {
            let count = self.lock_count.read();
            assert(count != 0, 'NOT_LOCKED');
            let id = count - 1;
            assert(self.lockers.read(id) == get_caller_address(), 'NOT_LOCKER');
            id
        }

        fn account_delta(ref self: ContractState, id: u32, token: ContractAddress, delta: i129) {
            if delta.mag == 0 {
                return;
            }
            let current = self.deltas.read((id, token));
            let next = add_i129(current, delta);
            self.deltas.write((id, token), next);
            let count = self.nonzero_delta_count.read(id);
            if current.mag == 0 && next.mag != 0 {
                self.nonzero_delta_count.write(id, count + 1);
            } else if current.mag != 0 && next.mag == 0 {
                self.nonzero_delta_count.write(id, count - 1);
            }
        }

        fn compute_swap(self: @ContractState, pool_key: PoolKey, params: SwapParameters) -> Delta {
            assert(!params.amount.sign, 'EXACT_OUTPUT_NOT_MOCKED');
            let k = key_hash(pool_key);
            let (r0, r1) = (self.reserve0.read(k), self.reserve1.read(k));
            assert(r0 != 0 && r1 != 0, 'POOL_NOT_INITIALIZED');
            let a = params.amount.mag;
            if params.is_token1 {
                let out = super::swap_out(a, r1, r0, pool_key.fee);
                Delta { amount0: i129 { mag: out, sign: out != 0 }, amount1: i129 { mag: a, sign: false } }
            } else {
                let out = super::swap_out(a, r0, r1, pool_key.fee);
                Delta { amount0: i129 { mag: a, sign: false }, amount1: i129 { mag: out, sign: out != 0 } }
            }
        }
    }
}
