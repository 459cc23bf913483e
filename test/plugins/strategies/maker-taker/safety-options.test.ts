/** The maker-taker safety options: the unhedged-exposure limit and the per-venue status poll. */
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

describe('maker-taker safety options', () => {
  it('defaults: 1000 USD unhedged, lighter polled every 6 s when its stream is silent, others 2 s', () => {
    const o = parseMakerTakerOptions(base, P);
    expect(o.maxUnhedgedUsd.toString()).toBe('1000');
    expect([o.statusPollMs('lighter'), o.statusPollMs('paradex')]).toEqual([6000, 2000]);
  });

  it('set per venue and "*"', () => {
    const o = parseMakerTakerOptions({ ...base, maxUnhedgedUsd: '250.5', statusPollMs: { lighter: 10000, '*': 1500 } }, P);
    expect(o.maxUnhedgedUsd.toString()).toBe('250.5');
    expect([o.statusPollMs('lighter'), o.statusPollMs('paradex')]).toEqual([10000, 1500]);
  });

  it('bad values name the field and what to do', () => {
    const p = problems({ ...base, maxUnhedgedUsd: '0', statusPollMs: { lighter: 100 } });
    expect(p.some((l) => l.includes(`${P}.maxUnhedgedUsd`) && l.includes('greater than 0'))).toBe(true);
    const q = problems({ ...base, statusPollMs: { lighter: 100 } });
    expect(q).toEqual([`${P}.statusPollMs.lighter: 100 ms is too fast for a resting quote's fallback poll; use 250 or more (the private stream reports fills at once)`]);
    expect(problems({ ...base, maxUnhedgedUsd: 'lots' }).some((l) => l.includes(`${P}.maxUnhedgedUsd`))).toBe(true);
  });
});
