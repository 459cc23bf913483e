/**
 * Resting quotes in the risk gate: a maker-taker desk's quotes (and the hedges their fills
 * would send) count at their full size, as if filled, so quotes each under a limit cannot
 * together pass it. The desk's exposure book is the real QuoteExposure over hand-set quotes.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { QuoteExposure, type RestingQuoteView, type UnhedgedLotView } from '../../../engine/quoting/quote-exposure.ts';
import { RiskConfigSchema } from '../../../engine/risk/config.ts';
import { Exposure } from '../../../engine/risk/exposure.ts';
import { KillSwitch } from '../../../engine/risk/kill-switch.ts';
import { RiskGate } from '../../../engine/risk/risk-gate.ts';
import { VenueHealth } from '../../../engine/risk/venue-health.ts';
import { judgment } from '../execution/fixtures.ts';

const D = (v: string) => new Decimal(v);

function gate(risk: Record<string, unknown>) {
  const config = RiskConfigSchema.parse({ killSwitch: { signal: false, file: '/nonexistent/KILL' }, ...risk });
  return new RiskGate({ config, clock: systemClock, exposure: new Exposure(), killSwitch: new KillSwitch(), health: new VenueHealth(config.venueHealth, systemClock, silentLogger), instrumentBusy: () => false });
}

/** A lighter bid 0.1 ETH @ 3000 hedged on paradex (walk worst 2990): 300 USD on lighter, 299 on paradex. */
const restingBid = (): RestingQuoteView => ({ maker: { venue: 'lighter', symbol: 'ETH' }, taker: { venue: 'paradex', symbol: 'ETH-USD-PERP' }, side: 'buy', remaining: D('0.1'), price: D('3000'), hedgeWorst: D('2990') });

/** The next quote as the desk asks the gate: lighter buy 0.1 @ 3000, paradex sell 0.1 worst 2990. */
const nextQuote = () =>
  judgment({ size: '0.1', instrument: 'ETH-USD-PERP', buy: { venue: 'lighter', symbol: 'ETH', top: '3000', expected: '3000', worst: '3000' }, sell: { venue: 'paradex', symbol: 'ETH-USD-PERP', top: '2995', expected: '2995', worst: '2990' } }).intent;

describe('risk gate: resting quotes counted as if filled', () => {
  it('venue notional: two resting quotes of 300 USD and a third under a 1000 USD venue limit is refused (900 + 300)', () => {
    const quotes: RestingQuoteView[] = [restingBid(), restingBid(), restingBid()];
    const g = gate({ maxNotionalPerVenueUsd: '1000', maxPositionPerInstrument: { '*': '10' } });
    g.usePendingExposure(new QuoteExposure({ quotes: () => quotes.slice(0, 2), lots: () => [] }));
    // 2 × 300 resting + 300 = 900: allowed.
    expect(g.checkIntent(nextQuote())).toEqual({ ok: true });
    const g3 = gate({ maxNotionalPerVenueUsd: '1000', maxPositionPerInstrument: { '*': '10' } });
    g3.usePendingExposure(new QuoteExposure({ quotes: () => quotes, lots: () => [] }));
    // 3 × 300 resting + 300 = 1200 on lighter.
    const v = g3.checkIntent(nextQuote());
    expect(v).toEqual({ ok: false, rule: 'venue-notional', reason: 'lighter open notional would be 1200.00, limit 1000 USD' });
  });

  it('without the resting quotes counted the same quote passes (the limit each alone is under)', () => {
    const g = gate({ maxNotionalPerVenueUsd: '1000', maxPositionPerInstrument: { '*': '10' } });
    expect(g.checkIntent(nextQuote())).toEqual({ ok: true });
  });

  it('position: resting bids of 0.1 + 0.1 and a new 0.1 pass a 0.25 ETH limit only as 0.3: refused', () => {
    const g = gate({ maxPositionPerInstrument: { '*': '0.25' } });
    g.usePendingExposure(new QuoteExposure({ quotes: () => [restingBid(), restingBid()], lots: () => [] }));
    expect(g.checkIntent(nextQuote())).toEqual({ ok: false, rule: 'position-limit', reason: 'lighter ETH position would be 0.3, limit 0.25' });
  });

  it('a resting ask does not offset a new bid (a fill of either is possible alone): the bid side alone counts', () => {
    const g = gate({ maxPositionPerInstrument: { '*': '0.25' } });
    const ask: RestingQuoteView = { ...restingBid(), side: 'sell', hedgeWorst: D('3010') };
    g.usePendingExposure(new QuoteExposure({ quotes: () => [restingBid(), ask], lots: () => [] }));
    // lighter buys: 0.1 resting + 0.1 new = 0.2 ≤ 0.25; paradex sells: 0.1 (bid's hedge) + 0.1 = -0.2.
    expect(g.checkIntent(nextQuote())).toEqual({ ok: true });
  });

  it('an unhedged fill counts its hedge on the taker venue: paradex sell 0.2 pending + 0.1 = -0.3 over 0.25', () => {
    const g = gate({ maxPositionPerInstrument: { '*': '0.25' } });
    const lot: UnhedgedLotView = { taker: { venue: 'paradex', symbol: 'ETH-USD-PERP' }, side: 'buy', size: D('0.2'), price: D('3000') };
    g.usePendingExposure(new QuoteExposure({ quotes: () => [], lots: () => [lot] }));
    expect(g.checkIntent(nextQuote())).toEqual({ ok: false, rule: 'position-limit', reason: 'paradex ETH-USD-PERP position would be -0.3, limit 0.25' });
  });
});
