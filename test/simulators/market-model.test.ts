import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/core/clock.ts';
import { DEFAULT_INSTRUMENTS, venueInstrument, VENUE_NAMES } from '../../simulators/instruments.ts';
import { MarketModel } from '../../simulators/market-model.ts';
import { VenueMarket } from '../../simulators/venue-market.ts';

function model(seed: number, clock = new ManualClock(0), extra: Partial<ConstructorParameters<typeof MarketModel>[0]> = {}) {
  return new MarketModel({ seed, instruments: DEFAULT_INSTRUMENTS, venues: VENUE_NAMES, clock, ...extra });
}

function walk(m: MarketModel, steps: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    m.step();
    out.push(m.fairPrice('BTC'));
  }
  return out;
}

describe('market model', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = walk(model(42), 200);
    expect(walk(model(42), 200)).toEqual(a);
    expect(walk(model(43), 200)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(50); // it actually moves
  });

  it('funding premiums are persistent per venue and drift slowly, as venues publish averaged rates (quotes stay noisy)', () => {
    for (const seed of [1, 7, 42]) {
      const m = model(seed);
      const premium = () => VENUE_NAMES.map((v) => m.fundingPremiumPpm(v, 'BTC'));
      for (let i = 0; i < 100; i++) m.step();
      const start = premium();
      const quotesMoved = new Set<number>();
      let largestMove = 0;
      for (let i = 0; i < 300; i++) {
        m.step();
        quotesMoved.add(m.venueOffsetPpm('vest', 'BTC'));
        premium().forEach((p, j) => (largestMove = Math.max(largestMove, Math.abs(p - start[j]!))));
      }
      // Venues differ (a carry to trade), and 300 steps (30 s of the demo) move a premium by a
      // fraction of the quote noise's range (100 ppm); the last-tick noise jumped across it.
      expect(new Set(start).size, `seed ${seed}`).toBeGreaterThan(1);
      expect(largestMove, `seed ${seed}`).toBeLessThan(40);
      expect(quotesMoved.size, `seed ${seed}`).toBeGreaterThan(20);
    }
  });

  it('dislocate offsets one venue by exactly the forced fraction, until it expires', () => {
    const clock = new ManualClock(1_000);
    const m = model(1, clock, { venueNoisePpm: 0, dislocationProbability: 0 });
    m.step();
    m.dislocate('vest', 'BTC', '0.004', 3_000);
    const fair = m.fairUnits('BTC');
    expect(m.venueMidUnits('vest', 'BTC') - fair).toBe(Math.trunc((fair * 4_000) / 1_000_000));
    expect(m.venueMidUnits('paradex', 'BTC')).toBe(fair);
    clock.advance(2_999);
    expect(m.dislocation('vest', 'BTC')?.ppm).toBe(4_000);
    clock.advance(1);
    expect(m.dislocation('vest', 'BTC')).toBeUndefined();
    expect(m.venueMidUnits('vest', 'BTC')).toBe(m.fairUnits('BTC'));
  });

  it('random dislocations are 0.1-0.5% on one venue and last a few seconds', () => {
    const clock = new ManualClock(0);
    const m = model(7, clock, { dislocationProbability: 1 });
    m.step();
    const active = VENUE_NAMES.map((v) => m.dislocation(v, 'ETH')).filter((d) => d !== undefined);
    expect(active).toHaveLength(1);
    const d = active[0]!;
    expect(Math.abs(d.ppm)).toBeGreaterThanOrEqual(1_000);
    expect(Math.abs(d.ppm)).toBeLessThanOrEqual(5_000);
    expect(d.untilMs).toBeGreaterThanOrEqual(2_000);
    expect(d.untilMs).toBeLessThanOrEqual(5_000);
  });

  it('venue noise stays within its bound', () => {
    const m = model(3, new ManualClock(0), { venueNoisePpm: 50, dislocationProbability: 0 });
    for (let i = 0; i < 500; i++) {
      m.step();
      for (const v of VENUE_NAMES) expect(Math.abs(m.venueOffsetPpm(v, 'SOL'))).toBeLessThanOrEqual(50);
    }
  });
});

describe('venue market depth', () => {
  it('keeps levels on the tick grid, sizes on the step grid, uncrossed, thinning away from the touch', () => {
    const instrument = venueInstrument('paradex', DEFAULT_INSTRUMENTS[0]!, 0);
    const market = new VenueMarket(instrument, 5);
    const m = model(5, new ManualClock(0), { dislocationProbability: 0 });
    let nearTouch = 0;
    let deep = 0;
    for (let i = 0; i < 100; i++) {
      m.step();
      market.requote(m.venueMidUnits('paradex', 'BTC'));
      const { bids, asks } = market.book.snapshot();
      expect(bids).toHaveLength(instrument.levels);
      expect(asks).toHaveLength(instrument.levels);
      expect(bids[0]!.price).toBeLessThan(asks[0]!.price);
      for (const l of [...bids, ...asks]) {
        expect(l.price % instrument.tickUnits).toBe(0);
        expect(l.size % instrument.stepUnits).toBe(0);
        expect(l.size).toBeGreaterThan(0);
      }
      nearTouch += bids[0]!.size + asks[0]!.size;
      deep += bids.at(-1)!.size + asks.at(-1)!.size;
    }
    expect(nearTouch).toBeGreaterThan(deep * 3);
  });

  it('publishes each requote as level changes that rebuild the book', () => {
    const instrument = venueInstrument('lighter', DEFAULT_INSTRUMENTS[1]!, 1);
    const market = new VenueMarket(instrument, 9);
    const m = model(9, new ManualClock(0));
    const mirror = new Map<string, number>();
    market.onChange((changes) => {
      for (const c of changes) {
        const k = `${c.side}:${c.price}`;
        if (c.kind === 'delete') {
          expect(mirror.has(k)).toBe(true);
          mirror.delete(k);
        } else {
          expect(mirror.has(k)).toBe(c.kind === 'update');
          mirror.set(k, c.size);
        }
      }
    });
    for (let i = 0; i < 50; i++) {
      m.step();
      market.requote(m.venueMidUnits('lighter', 'ETH'));
    }
    const { bids, asks } = market.book.snapshot();
    expect(mirror).toEqual(new Map([...bids.map((l) => [`bid:${l.price}`, l.size] as const), ...asks.map((l) => [`ask:${l.price}`, l.size] as const)]));
  });
});
