/**
 * Reduce-only planning against a netted venue position: which refusals are final, what the
 * venue holds, how much a reduce-only order may take off it. Refusal texts are the venues' own
 * (see the sources cited in engine/execution/reduce-only.ts).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../engine/exchange/orders.ts';
import { heldOn, isReduceOnlyRefusal, reduceOnlyRoom } from '../../../engine/execution/reduce-only.ts';

const pos = (symbol: string, size: string) => ({ symbol, size: new Decimal(size) }) as unknown as Position;

describe('isReduceOnlyRefusal', () => {
  it.each([
    ['REDUCE_ONLY_WILL_INCREASE', true], // Paradex cancel_reason
    ['canceled-reduce-only', true], // Lighter order status
    ['rejected: reduce only order would increase position', true],
    ['ReduceOnly', true],
    ['3018', true], // Vest: reduce-only would increase the position
    ['vest error 3019: exceeds the position size', true],
    ['REDUCE_ONLY_INCREASES', true],
    ['INSUFFICIENT_MARGIN', false],
    ['30180', false], // a longer number that merely starts with 3018
    ['13019', false],
    ['reduce', false],
    ['', false],
  ])('%j -> %s', (reason, expected) => {
    expect(isReduceOnlyRefusal(reason)).toBe(expected);
  });

  it('an order with no reason is no refusal', () => {
    expect(isReduceOnlyRefusal(undefined)).toBe(false);
  });
});

describe('heldOn', () => {
  it('reads the signed size of the market asked, not of another', () => {
    const positions = [pos('ETH-PERP', '-0.5'), pos('BTC-PERP', '0.02')];
    expect(heldOn(positions, 'BTC-PERP').toFixed()).toBe('0.02');
    expect(heldOn(positions, 'ETH-PERP').toFixed()).toBe('-0.5');
  });

  it('is zero for a market the venue lists no position on', () => {
    expect(heldOn([pos('ETH-PERP', '1')], 'SOL-PERP').toFixed()).toBe('0');
    expect(heldOn([], 'SOL-PERP').toFixed()).toBe('0');
  });
});

describe('reduceOnlyRoom', () => {
  it('a sell may take off at most the long held; a buy at most the short', () => {
    expect(reduceOnlyRoom(new Decimal('0.3'), 'sell').toFixed()).toBe('0.3');
    expect(reduceOnlyRoom(new Decimal('-0.3'), 'buy').toFixed()).toBe('0.3');
  });

  it('an order that would open or grow a position has no room', () => {
    expect(reduceOnlyRoom(new Decimal('0.3'), 'buy').toFixed()).toBe('0');
    expect(reduceOnlyRoom(new Decimal('-0.3'), 'sell').toFixed()).toBe('0');
    expect(reduceOnlyRoom(new Decimal(0), 'sell').toFixed()).toBe('0');
    expect(reduceOnlyRoom(new Decimal(0), 'buy').toFixed()).toBe('0');
  });
});
