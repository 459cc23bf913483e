import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../engine/core/config-errors.ts';
import { parseMakerTakerOptions } from '../../../../plugins/strategies/maker-taker/options.ts';

const P = 'strategies.maker-taker';
const base = { makerVenue: 'lighter', instruments: ['ETH-USD-PERP'], quoteSize: '0.05' };

function problems(raw: unknown): string[] {
  try {
    parseMakerTakerOptions(raw, P);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('strategies.maker-taker options', () => {
  it('defaults, bps to fractions, "best" taker as undefined', () => {
    const o = parseMakerTakerOptions(base, P);
    expect(o.makerVenue).toBe('lighter');
    expect(o.takerVenue).toBeUndefined();
    expect(o.minEdge.toString()).toBe('0.0005');
    expect(o.reprice.toString()).toBe('0.0002');
    expect(o.quoteSize('ETH-USD-PERP')?.toString()).toBe('0.05');
    expect(o.sides).toEqual(['buy', 'sell']);
    expect([o.minQuoteLifeMs, o.maxRestingQuotes, o.hedgeBandBps, o.maxUnhedgedMs]).toEqual([500, 2, 30, 2000]);
  });

  it('decimals from numbers and strings, exactly (no float on the way)', () => {
    const o = parseMakerTakerOptions({ ...base, takerVenue: 'paradex', minEdgeBps: 1.5, repriceBps: '0.3', quoteSize: { 'ETH-USD-PERP': 0.1 } }, P);
    expect(o.takerVenue).toBe('paradex');
    expect(o.minEdge.toString()).toBe('0.00015');
    expect(o.reprice.toString()).toBe('0.00003');
    expect(o.quoteSize('ETH-USD-PERP')?.toString()).toBe('0.1');
  });

  it('names each bad field', () => {
    expect(problems({ instruments: [], quoteSize: '-1', minEdgeBps: 'ten', maxRestingQuotes: 0, extra: 1 })).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${P}.makerVenue: required`),
        expect.stringContaining(`${P}.instruments`),
        expect.stringContaining(`${P}.quoteSize`),
        expect.stringContaining(`${P}.minEdgeBps: expected a non-negative decimal`),
        expect.stringContaining(`${P}.maxRestingQuotes`),
        expect.stringContaining('extra'),
      ]),
    );
  });

  it('refuses the maker venue as taker, and a per-instrument size map that misses an instrument', () => {
    expect(problems({ ...base, takerVenue: 'lighter' })).toEqual([`${P}.takerVenue: must differ from makerVenue ("lighter"); use another venue or "best"`]);
    expect(problems({ ...base, instruments: ['ETH-USD-PERP', 'BTC-USD-PERP'], quoteSize: { 'ETH-USD-PERP': '0.05' } })).toEqual([
      `${P}.quoteSize.BTC-USD-PERP: required (every quoted instrument needs a size)`,
    ]);
  });
});
