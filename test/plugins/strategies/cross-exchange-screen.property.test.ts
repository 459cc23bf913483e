/**
 * The cross-exchange strategy screens each top-of-book spread in doubles before deciding it
 * exactly in integers. The screen may only skip what the exact rule would skip: over random
 * prices, decimals and thresholds, and bids placed within a few ticks of the threshold (where
 * doubles could misjudge), a trade is submitted exactly when the integer rule says so.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../engine/market/instruments.ts';
import type { ArbIntent } from '../../../engine/strategy/strategy.ts';
import { parseCrossExchangeOptions } from '../../../plugins/strategies/cross-exchange/options.ts';
import { CrossExchangeStrategy } from '../../../plugins/strategies/cross-exchange/strategy.ts';
import { market } from '../../helpers/books.ts';

const DEEP = 10 ** 9; // size units: one level holds any trade, so executable = top

function submitted(thresholdPct: string, buyPd: number, sellPd: number, ask: number, bid: number): boolean {
  const clock = new ManualClock(10_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  const a = market('a', 'X-A', buyPd, 3, '0.001');
  const b = market('b', 'X-B', sellPd, 3, '0.001');
  hub.addVenue('a', [a], () => {});
  hub.addVenue('b', [b], () => {});
  const instruments = new InstrumentMap({ X: { a: 'X-A', b: 'X-B' } });
  const intents: ArbIntent[] = [];
  const options = { thresholdPct, size: { X: '1' } };
  const strategy = new CrossExchangeStrategy(
    { options, optionsPath: 'strategies.cross-exchange', clock, logger: silentLogger, books: hub, instruments, submit: (i) => intents.push(i) },
    parseCrossExchangeOptions(options, 'strategies.cross-exchange'),
  );
  hub.onBookUpdate((venue, symbol) => strategy.onBookUpdate(venue, symbol, 'X'));
  const book = (venue: string, symbol: string, bidUnits: number, askUnits: number) =>
    hub.onBook({ type: 'snapshot', venue, symbol, bids: [{ price: bidUnits, size: DEEP }], asks: [{ price: askUnits, size: DEEP }], receivedAt: 10_000, venueTime: 10_000 });
  book('a', 'X-A', Math.max(1, ask - 1), ask);
  book('b', 'X-B', bid, bid + 1);
  return intents.some((i) => i.buy.venue === 'a' && i.sell.venue === 'b');
}

/** The rule as integers and Decimals only: top spread against floor(threshold x 1e8) / 1e8, then the executable spread against the threshold. */
function exactRule(thresholdPct: string, buyPd: number, sellPd: number, ask: number, bid: number): boolean {
  const t = new Decimal(thresholdPct).div(100);
  const pd = Math.max(buyPd, sellPd);
  const askC = BigInt(ask) * 10n ** BigInt(pd - buyPd);
  const bidC = BigInt(bid) * 10n ** BigInt(pd - sellPd);
  const units = BigInt(t.mul(1e8).floor().toFixed(0));
  if ((bidC - askC) * 100_000_000n < units * askC) return false;
  const buy = new Decimal(ask).div(new Decimal(10).pow(buyPd));
  const sell = new Decimal(bid).div(new Decimal(10).pow(sellPd));
  return sell.minus(buy).div(buy).gte(t);
}

const caseArb = fc
  .record({
    thresholdPct: fc.integer({ min: 1, max: 200_000 }).map((n) => new Decimal(n).div(10_000).toString()), // 0.0001% .. 20%
    buyPd: fc.integer({ min: 0, max: 8 }),
    sellPd: fc.integer({ min: 0, max: 8 }),
    ask: fc.integer({ min: 2, max: 2 ** 40 }),
    offset: fc.integer({ min: -3, max: 3 }),
  })
  .map((c) => {
    // The bid (in sell-venue units) at the threshold, rounded, then a few ticks either side.
    const boundary = new Decimal(c.ask).div(new Decimal(10).pow(c.buyPd)).mul(new Decimal(c.thresholdPct).div(100).plus(1)).mul(new Decimal(10).pow(c.sellPd));
    return { ...c, bid: Math.max(1, boundary.round().toNumber() + c.offset) };
  })
  .filter((c) => Number.isSafeInteger(c.bid) && c.bid + 1 < Number.MAX_SAFE_INTEGER);

describe('cross-exchange: the double-precision pre-screen never changes a decision', () => {
  it('submits exactly when the integer rule says so, at and around the threshold', () => {
    let trades = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const expected = exactRule(c.thresholdPct, c.buyPd, c.sellPd, c.ask, c.bid);
        expect(submitted(c.thresholdPct, c.buyPd, c.sellPd, c.ask, c.bid)).toBe(expected);
        if (expected) trades++;
      }),
      { numRuns: 3000 },
    );
    // The generator straddles the threshold: both answers occur often.
    expect(trades).toBeGreaterThan(600);
    expect(trades).toBeLessThan(2400);
  });
});
