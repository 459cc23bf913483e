/**
 * The TS-encoded start_cycle calldata as Cairo test modules: test/contracts/cairo.test.ts appends
 * them to the crate, so the Cairo runner proves the TypeScript layout against the real entry point
 * in the same compile as the crate's own tests (calldata.test.ts checks the encoding itself).
 */
import {
  encodeStartCycle,
  MAX_SQRT_RATIO,
  MIN_SQRT_RATIO,
  routerRoute,
  type StartCycleArgs,
} from '../../../../plugins/strategies/flash-loan/calldata.ts';

// Placeholder addresses: the Cairo proof swaps each for the address of the contract it deployed
// in that role, so the TS layout is driven through the real start_cycle entry point.
export const PLACEHOLDER = { lender: 0xa1n, token: 0xa2n, poolA: 0xa3n, poolB: 0xa4n, mid: 0xa5n } as const;
export const args = (overrides: Partial<StartCycleArgs> = {}): StartCycleArgs => ({
  lenderKind: 'zkLend',
  lender: PLACEHOLDER.lender,
  token: PLACEHOLDER.token,
  amount: 10_000n,
  route: routerRoute(PLACEHOLDER.poolA, PLACEHOLDER.poolB, PLACEHOLDER.mid),
  minProfit: 700n,
  ...overrides,
});

/**
 * Cairo test module proving the TS felts against the contract:
 * 1. Serde-decodes them into start_cycle's parameter types, in order, exactly as the generated
 *    ABI wrapper does, and checks every value and that nothing is left over;
 * 2. sends them (placeholders swapped for deployed addresses) to the real entry point with
 *    call_contract_syscall and checks the cycle pays the expected 700 profit.
 */
export function calldataProofModule(felts: readonly bigint[], lenderKindVariant: 'ZkLend' | 'Vesu', expectedProfit: bigint): string {
  const list = felts.map((f) => `0x${f.toString(16)}`).join(', ');
  return `
#[cfg(test)]
mod ts_calldata_proof {
    use starknet::syscalls::call_contract_syscall;
    use starknet::testing::set_contract_address;
    use starknet::{ContractAddress, SyscallResultTrait};
    use crate::cycle::{CycleRoute, LenderKind, Leg};
    use crate::tests::setup::{deploy_market, lender_of, owner};

    fn ts_felts() -> Array<felt252> {
        array![${list}]
    }

    #[test]
    fn ts_calldata_decodes_as_start_cycle_parameters() {
        let felts = ts_felts();
        let mut data = felts.span();
        let kind: LenderKind = Serde::deserialize(ref data).unwrap();
        let lender: ContractAddress = Serde::deserialize(ref data).unwrap();
        let token: ContractAddress = Serde::deserialize(ref data).unwrap();
        let amount: u256 = Serde::deserialize(ref data).unwrap();
        let route: CycleRoute = Serde::deserialize(ref data).unwrap();
        let min_profit: u256 = Serde::deserialize(ref data).unwrap();
        assert(data.is_empty(), 'calldata too long');
        assert(kind == LenderKind::${lenderKindVariant}, 'lender kind');
        let lender_felt: felt252 = lender.into();
        let token_felt: felt252 = token.into();
        assert(lender_felt == ${PLACEHOLDER.lender}, 'lender_felt');
        assert(token_felt == ${PLACEHOLDER.token}, 'token_felt');
        assert(amount == 10000, 'amount');
        let m: felt252 = route.mid_token.into();
        assert(route.leg_a == Leg::Router(${PLACEHOLDER.poolA}.try_into().unwrap()), 'a');
        assert(route.leg_b == Leg::Router(${PLACEHOLDER.poolB}.try_into().unwrap()), 'b');
        assert(m == ${PLACEHOLDER.mid}, 'm');
        assert(min_profit == ${expectedProfit}, 'min_profit');
    }

    #[test]
    fn ts_calldata_runs_a_cycle_through_the_entry_point() {
        let market = deploy_market();
        let lender: felt252 = lender_of(@market, LenderKind::${lenderKindVariant}).into();
        let token: felt252 = market.token.contract_address.into();
        let pool_a: felt252 = market.pool_a.into();
        let pool_b: felt252 = market.pool_b.into();
        let mid: felt252 = market.mid.contract_address.into();
        let mut calldata: Array<felt252> = array![];
        for felt in ts_felts() {
            let real = if felt == ${PLACEHOLDER.lender} { lender }
                else if felt == ${PLACEHOLDER.token} { token }
                else if felt == ${PLACEHOLDER.poolA} { pool_a }
                else if felt == ${PLACEHOLDER.poolB} { pool_b }
                else if felt == ${PLACEHOLDER.mid} { mid }
                else { felt };
            calldata.append(real);
        };
        set_contract_address(owner());
        let ret = call_contract_syscall(
            market.arb.contract_address, selector!("start_cycle"), calldata.span(),
        )
            .unwrap_syscall();
        let mut ret = ret;
        let profit: u256 = Serde::deserialize(ref ret).unwrap();
        assert(profit == ${expectedProfit}, 'profit');
    }
}
`;
}


/** Ekubo's fees as 0.128 fractions, the ones contracts/src/tests/setup.cairo gives its two pools. */
const EKUBO_FEE_30BPS = 1020847100762815390390123822295304634n;
const EKUBO_FEE_5BPS = 170141183460469231731687303715884105n;

/** An Ekubo-only cycle as the strategy would encode it: sell TKN on the 30 bps pool, buy back on the 5 bps one. */
export const ekuboArgs = (): StartCycleArgs => ({
  lenderKind: 'ekubo',
  lender: PLACEHOLDER.lender,
  token: PLACEHOLDER.token,
  amount: 10_000n,
  route: {
    // Placeholder order: token (0xa2) < mid (0xa5), so selling the token sells token0 (limit MIN).
    legA: { kind: 'ekubo', poolKey: { token0: PLACEHOLDER.token, token1: PLACEHOLDER.mid, fee: EKUBO_FEE_30BPS, tickSpacing: 60n, extension: 0n }, sqrtRatioLimit: MIN_SQRT_RATIO },
    legB: { kind: 'ekubo', poolKey: { token0: PLACEHOLDER.token, token1: PLACEHOLDER.mid, fee: EKUBO_FEE_5BPS, tickSpacing: 10n, extension: 0n }, sqrtRatioLimit: MAX_SQRT_RATIO },
    midToken: PLACEHOLDER.mid,
  },
  minProfit: 736n, // setup.cairo EKUBO_TOKEN_BACK - BORROW: 10_736 - 10_000
});

/**
 * Sends the TS felts of an Ekubo-only cycle to the real start_cycle on the Ekubo-shaped core.
 * Placeholders cannot know which deployed token sorts first, so an Ekubo leg whose substituted
 * tokens are out of order gets them swapped and its sqrt limit mirrored (MIN <-> MAX): exactly
 * what the strategy does when it builds a PoolKey from real addresses.
 */
export function ekuboCalldataProofModule(felts: readonly bigint[], expectedProfit: bigint): string {
  const list = felts.map((f) => `0x${f.toString(16)}`).join(', ');
  return `
#[cfg(test)]
mod ts_ekubo_calldata_proof {
    use starknet::syscalls::call_contract_syscall;
    use starknet::testing::set_contract_address;
    use starknet::SyscallResultTrait;
    use crate::ekubo::{MAX_SQRT_RATIO, MIN_SQRT_RATIO};
    use crate::tests::setup::{deploy_market, owner, with_ekubo};

    fn lt(a: felt252, b: felt252) -> bool {
        let (ua, ub): (u256, u256) = (a.into(), b.into());
        ua < ub
    }

    #[test]
    fn ts_ekubo_calldata_runs_a_cycle_inside_the_lock() {
        let m = with_ekubo(deploy_market());
        let core: felt252 = m.core.into();
        let token: felt252 = m.market.token.contract_address.into();
        let mid: felt252 = m.market.mid.contract_address.into();
        let mut felts: Array<felt252> = array![];
        for felt in array![${list}] {
            let real = if felt == ${PLACEHOLDER.lender} { core }
                else if felt == ${PLACEHOLDER.token} { token }
                else if felt == ${PLACEHOLDER.mid} { mid }
                else { felt };
            felts.append(real);
        };
        // kind(1) lender(1) token(1) amount(2), then each Ekubo leg: 1, token0, token1, fee,
        // tick_spacing, extension, limit(low, high), skip_ahead.
        let src = felts.span();
        let mut calldata: Array<felt252> = array![];
        let mut i = 0;
        while i != 5 {
            calldata.append(*src.at(i));
            i += 1;
        };
        let mut leg = 0;
        while leg != 2 {
            let at = 5 + leg * 9;
            assert(*src.at(at) == 1, 'not an ekubo leg');
            let (t0, t1) = (*src.at(at + 1), *src.at(at + 2));
            let flip = lt(t1, t0);
            let limit: u256 = u256 { low: (*src.at(at + 6)).try_into().unwrap(), high: (*src.at(at + 7)).try_into().unwrap() };
            let limit = if !flip { limit } else if limit == MIN_SQRT_RATIO { MAX_SQRT_RATIO } else { MIN_SQRT_RATIO };
            calldata.append(1);
            if flip { calldata.append(t1); calldata.append(t0); } else { calldata.append(t0); calldata.append(t1); }
            calldata.append(*src.at(at + 3));
            calldata.append(*src.at(at + 4));
            calldata.append(*src.at(at + 5));
            calldata.append(limit.low.into());
            calldata.append(limit.high.into());
            calldata.append(*src.at(at + 8));
            leg += 1;
        };
        let mut j = 5 + 18;
        while j != src.len() {
            calldata.append(*src.at(j));
            j += 1;
        };
        set_contract_address(owner());
        let mut ret = call_contract_syscall(m.market.arb.contract_address, selector!("start_cycle"), calldata.span())
            .unwrap_syscall();
        let profit: u256 = Serde::deserialize(ref ret).unwrap();
        assert(profit == ${expectedProfit}, 'profit');
    }
}
`;
}

/** Names of the proof tests, as the Cairo runner reports them. */
export const CALLDATA_PROOF_TESTS = [
  'ts_calldata_decodes_as_start_cycle_parameters',
  'ts_calldata_runs_a_cycle_through_the_entry_point',
  'ts_ekubo_calldata_runs_a_cycle_inside_the_lock',
] as const;

/** Both proof modules for the TS encoder's current output (zkLend router cycle, Ekubo-only cycle). */
export function calldataProofSource(): string {
  return calldataProofModule(encodeStartCycle(args()), 'ZkLend', 700n) + ekuboCalldataProofModule(encodeStartCycle(ekuboArgs()), 736n);
}
