/** Protective bands on the tick grid, and the leg-order policy. */
import { describe, expect, it } from 'vitest';
import { chooseFirstLeg } from '../../../engine/execution/leg-order.ts';
import { bandedLimit, roundSizeDown } from '../../../engine/execution/price-band.ts';
import { D, judgment } from './fixtures.ts';

describe('price band', () => {
  it('moves the limit against us and rounds it onto the tick, away from aggression', () => {
    // 100.05 * 1.001 = 100.15005 -> 100.15 (buy rounds down); 100.4 * 0.999 = 100.2996 -> 100.30 (sell rounds up)
    expect(bandedLimit(D('100.05'), 'buy', 10, '0.01').toString()).toBe('100.15');
    expect(bandedLimit(D('100.4'), 'sell', 10, '0.01').toString()).toBe('100.3');
    // Without a tick the exact product is kept.
    expect(bandedLimit(D('100.05'), 'buy', 10).toString()).toBe('100.15005');
  });

  it("never rounds a narrow band inside the walk's own worst price", () => {
    // 0.5 bps of 100.05 is 0.005: rounding the buy down to the 0.1 tick would give 100.0, below the worst price.
    expect(bandedLimit(D('100.05'), 'buy', 0.5, '0.1').toString()).toBe('100.1');
    expect(bandedLimit(D('100.05'), 'sell', 0.5, '0.1').toString()).toBe('100');
  });

  it('rounds sizes down to the step, so leg 2 never exceeds leg 1', () => {
    expect(roundSizeDown(D('0.123456'), '0.001').toString()).toBe('0.123');
    expect(roundSizeDown(D('0.0009'), '0.001').toString()).toBe('0');
  });
});

describe('leg order', () => {
  const j = judgment({
    size: '1',
    buy: { venue: 'vest', symbol: 'B', top: '1', expected: '1', worst: '1' },
    sell: { venue: 'paradex', symbol: 'P', top: '2', expected: '2', worst: '2' },
  }).intent;

  it('buy-first by default, sell-first on request', () => {
    expect(chooseFirstLeg(j, 'buy-first')).toBe('buy');
    expect(chooseFirstLeg(j, 'sell-first')).toBe('sell');
  });

  it('less-liquid-first sends the thinner book first, and falls back to buy-first when depth is unknown', () => {
    const depth = (sizes: Record<string, string>) => (leg: { venue: string }) => (sizes[leg.venue] ? D(sizes[leg.venue]!) : undefined);
    expect(chooseFirstLeg(j, 'less-liquid-first', depth({ vest: '5', paradex: '1.2' }))).toBe('sell');
    expect(chooseFirstLeg(j, 'less-liquid-first', depth({ vest: '0.8', paradex: '1.2' }))).toBe('buy');
    expect(chooseFirstLeg(j, 'less-liquid-first', depth({ vest: '0.8' }))).toBe('buy');
  });
});
