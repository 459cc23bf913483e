/**
 * start_cycle calldata encoding. The same felts are proven against the Cairo contract by
 * test/contracts/cairo.test.ts, which appends calldata-proof.ts's modules to the crate.
 */
import { describe, expect, it } from 'vitest';
import {
  CalldataError,
  encodeRouteData,
  encodeStartCycle,
  encodeU256,
  MAX_SQRT_RATIO,
  MIN_SQRT_RATIO,
  toHexCalldata,
} from '../../../../plugins/strategies/flash-loan/calldata.ts';
import { args, PLACEHOLDER } from './calldata-proof.ts';

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
