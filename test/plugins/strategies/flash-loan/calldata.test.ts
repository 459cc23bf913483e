import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CalldataError,
  encodeRouteData,
  encodeStartCycle,
  encodeU256,
  MAX_SQRT_RATIO,
  MIN_SQRT_RATIO,
  routerRoute,
  toHexCalldata,
  type StartCycleArgs,
} from '../../../../plugins/strategies/flash-loan/calldata.ts';
import { inlineCairoCrate } from '../../../../contracts/tooling/inline-modules.ts';
import { runCairoTests, type CairoTestResult } from '../../../../contracts/tooling/wasm-cairo.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

// Placeholder addresses: the Cairo proof swaps each for the address of the contract it deployed
// in that role, so the TS layout is driven through the real start_cycle entry point.
const PLACEHOLDER = { lender: 0xa1n, token: 0xa2n, poolA: 0xa3n, poolB: 0xa4n, mid: 0xa5n } as const;
const args = (overrides: Partial<StartCycleArgs> = {}): StartCycleArgs => ({
  lenderKind: 'zkLend',
  lender: PLACEHOLDER.lender,
  token: PLACEHOLDER.token,
  amount: 10_000n,
  route: routerRoute(PLACEHOLDER.poolA, PLACEHOLDER.poolB, PLACEHOLDER.mid),
  minProfit: 700n,
  ...overrides,
});

describe('encodeStartCycle', () => {
  it('lays out kind, lender, token, amount(low,high), route legs, min_profit(low,high)', () => {
    expect(encodeStartCycle(args())).toEqual([0n, 0xa1n, 0xa2n, 10_000n, 0n, 0n, 0xa3n, 0n, 0xa4n, 0xa5n, 700n, 0n]);
    // Vesu carries its is_legacy flag; Ekubo is variant 2 with no data.
    expect(encodeStartCycle(args({ lenderKind: 'vesu' })).slice(0, 2)).toEqual([1n, 0n]);
    expect(encodeStartCycle(args({ lenderKind: 'vesu', legacyToken: true })).slice(0, 2)).toEqual([1n, 1n]);
    expect(encodeStartCycle(args({ lenderKind: 'ekubo' })).slice(0, 2)).toEqual([2n, 0xa1n]);
  });
  it('lays out an Ekubo leg as Ekubo\'s PoolKey, limit and skip_ahead', () => {
    const legA = { kind: 'ekubo' as const, poolKey: { token0: 0xa2n, token1: 0xa5n, fee: 7n, tickSpacing: 60n, extension: 0n }, sqrtRatioLimit: MIN_SQRT_RATIO };
    const felts = encodeStartCycle(args({ lenderKind: 'ekubo', route: { ...args().route, legA } }));
    expect(felts.slice(5, 14)).toEqual([1n, 0xa2n, 0xa5n, 7n, 60n, 0n, MIN_SQRT_RATIO, 0n, 0n]);
    expect(() => encodeStartCycle(args({ route: { ...args().route, legA } }))).toThrow(/lenderKind must be "ekubo"/);
    expect(() => encodeStartCycle(args({ lenderKind: 'ekubo', route: { ...args().route, legA: { ...legA, poolKey: { ...legA.poolKey, token0: 0xa6n } } } }))).toThrow(/token0/);
    expect(() => encodeStartCycle(args({ lenderKind: 'ekubo', route: { ...args().route, legA: { ...legA, sqrtRatioLimit: MAX_SQRT_RATIO + 1n } } }))).toThrow(/sqrtRatioLimit/);
  });
  it('splits u256 into 128-bit halves', () => {
    expect(encodeU256(2n ** 128n + 5n, 'amount')).toEqual([5n, 1n]);
    expect(encodeU256(2n ** 256n - 1n, 'amount')).toEqual([2n ** 128n - 1n, 2n ** 128n - 1n]);
    expect(() => encodeU256(2n ** 256n, 'amount')).toThrow(/amount/);
    expect(() => encodeU256(-1n, 'minProfit')).toThrow(/minProfit/);
  });
  it('forwards exactly the route to the lender callback', () => {
    expect(encodeRouteData(args().route)).toEqual([0n, 0xa3n, 0n, 0xa4n, 0xa5n]);
  });
  it('accepts hex-string addresses and names bad fields', () => {
    expect(encodeStartCycle(args({ lender: '0xA1' }))[1]).toBe(0xa1n);
    expect(() => encodeStartCycle(args({ lender: 'a1' }))).toThrow(CalldataError);
    expect(() => encodeStartCycle(args({ token: 0n }))).toThrow(/token/);
    expect(() => encodeStartCycle(args({ amount: 0n }))).toThrow(/amount/);
    expect(() => encodeStartCycle(args({ route: { ...args().route, midToken: PLACEHOLDER.token } }))).toThrow(/midToken/);
  });
  it('refuses zkLend amounts a felt-taking lender cannot receive, allows them for Vesu', () => {
    expect(() => encodeStartCycle(args({ amount: 2n ** 128n }))).toThrow(/zkLend/);
    expect(encodeStartCycle(args({ lenderKind: 'vesu', amount: 2n ** 128n })).slice(4, 6)).toEqual([0n, 1n]);
    expect(() => encodeStartCycle(args({ lenderKind: 'ekubo', amount: 2n ** 128n }))).toThrow(/ekubo/);
  });
  it('renders felts as hex for starknet.js', () => {
    expect(toHexCalldata([0n, 255n])).toEqual(['0x0', '0xff']);
    expect(() => toHexCalldata([2n ** 252n])).toThrow(CalldataError);
  });
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

describe('start_cycle calldata against the Cairo contract (wasm-cairo)', () => {
  let results: CairoTestResult[] = [];

  beforeAll(async () => {
    const crate = inlineCairoCrate(join(repoRoot, 'contracts', 'src', 'lib.cairo'));
    // Only the shared setup is needed from the crate's own tests; switch the suites off.
    const source = crate.source.replace(/\bmod (test_cycle|test_security|test_rescue|test_ekubo|test_hostile) \{/g, '#[cfg(wasm_cairo_skip)] mod $1 {');
    const felts = encodeStartCycle(args());
    // One runner call (one crate compile) for all three proofs.
    results = await runCairoTests(source + calldataProofModule(felts, 'ZkLend', 700n) + ekuboCalldataProofModule(encodeStartCycle(ekuboArgs()), 736n), {
      maxIsolationRuns: 2,
      batchSize: 3,
    });
  }, 1_800_000); // waits its turn on the wasm-cairo job lock behind the Cairo suite

  for (const name of ['ts_calldata_decodes_as_start_cycle_parameters', 'ts_calldata_runs_a_cycle_through_the_entry_point', 'ts_ekubo_calldata_runs_a_cycle_inside_the_lock']) {
    it(name, () => {
      const r = results.find((x) => x.name.endsWith(`::${name}`) || x.name === name);
      expect(r, `Cairo test ${name} not reported`).toBeDefined();
      expect(r?.status, r?.note).toBe('ok');
    });
  }
});
