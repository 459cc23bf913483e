/**
 * Gives every quoting strategy its quote desk, in live mode only: the desk is built from the
 * live order gateways, so a dry-run engine (which has none) never gets one and its strategies
 * only say what they would quote. Call after createEngine(); engine/app/assemble.ts does.
 *
 * Stop order: `stop()` cancels every quote and hedges what filled before anything else stops
 * (assemble runs it first in the portfolio's stop); the kill switch stops every desk the moment
 * it trips (LiveTrading cancels every resting order as well).
 */
import type { Clock } from '../core/clock.ts';
import type { Engine } from '../core/engine.ts';
import type { Logger } from '../core/logger.ts';
import { TOKENS } from '../core/tokens.ts';
import { monotonicNow } from '../execution/venue-wait.ts';
import type { ArbIntent, IntentLeg } from '../strategy/intent.ts';
import type { FeeSchedule } from '../simulation/fee-schedule.ts';
import { QuoteDesk } from './quote-desk.ts';
import { QuoteJournal } from './quote-journal.ts';
import { isQuotingStrategy, type QuoteRules, type QuoteTarget } from './quote-target.ts';

export interface Quoting {
  readonly desks: readonly QuoteDesk[];
  stop(reason?: string): Promise<void>;
}

type QuotingEngine = Pick<Engine, 'strategies' | 'liveTrading' | 'hub' | 'config' | 'journal' | 'announcements' | 'container' | 'connectors'>;

export function attachQuoting(engine: QuotingEngine): Quoting {
  const live = engine.liveTrading;
  const desks: QuoteDesk[] = [];
  if (!live) return { desks, stop: async () => undefined };
  for (const s of engine.strategies) {
    if (!isQuotingStrategy(s)) continue;
    const desk = createQuoteDesk(engine, s.quoteRules, s.name);
    live.addActiveWork(() => desk.activeWork());
    // Its resting quotes (as if filled) and the hedges its fills still need count in every limit.
    live.gate.usePendingExposure(desk.exposure);
    s.attachDesk(desk);
    desks.push(desk);
  }
  if (desks.length) live.killSwitch.onTrip((reason) => desks.forEach((d) => void d.stop(`kill switch: ${reason}`)));
  return { desks, stop: async (reason = 'engine stopping') => void (await Promise.all(desks.map((d) => d.stop(reason)))) };
}

/** A desk over the engine's live parts (gateways, journal, risk gate, kill switch, books). Live only. */
export function createQuoteDesk(engine: QuotingEngine, rules: QuoteRules, name: string): QuoteDesk {
  const live = engine.liveTrading;
  if (!live) throw new Error('a quote desk needs live trading (dry-run has no order gateway)');
  const clock = engine.container.get<Clock>(TOKENS.Clock);
  const logger = engine.container.get<Logger>(TOKENS.Logger);
  // Fee rates price the report's taker-taker comparison; an engine without a fee schedule leaves it n/a.
  const fees = engine.container.isBound(TOKENS.FeeSchedule) ? engine.container.get<FeeSchedule>(TOKENS.FeeSchedule) : undefined;
  return new QuoteDesk(
    {
      // Every venue's gateway; one that is down or not yet reconciled is refused by `blocked`.
      gateways: live.gateways,
      books: engine.hub,
      journal: live.trades,
      sessionId: () => engine.journal.sessionId,
      clock,
      monotonic: monotonicNow,
      execution: engine.config.execution,
      logger: logger.child({ component: 'quote-desk', strategy: name }),
      health: live.health,
      markets: (venue, symbol) => engine.hub.book(venue, symbol)?.market,
      exposure: live.exposure,
      blocked: (venues) => live.killSwitch.check() ?? live.gate.halted ?? venues.map((v) => live.venueNotTradable(v)).find((r) => r !== undefined),
      riskCheck: (t) => {
        const v = live.gate.checkIntent(quoteIntent(engine, t, clock.now()));
        return v.ok ? undefined : `${v.rule}: ${v.reason}`;
      },
      announce: (line) => engine.announcements.emit(line),
      // The execution simulator's own assessment: the same thresholds and taker delays.
      desync: { thresholds: engine.config.simulation.desync, takerDelayMs: (venue) => engine.connectors.find((c) => c.venue === venue)?.takerDelayMs ?? 0 },
      quoteJournal: new QuoteJournal(live.trades.db, () => engine.journal.sessionId),
      ...(fees ? { fees: (venue: string, symbol: string) => fees.rates(venue, symbol) } : {}),
    },
    rules,
  );
}

/**
 * A quote and its hedge as the risk gate's two-leg intent: the maker leg at the quote's price,
 * the taker leg at the hedge walk (its worst level is the hedge's limit), both at the full size.
 */
export function quoteIntent(engine: Pick<Engine, 'hub'>, t: QuoteTarget, now: number): ArbIntent {
  const leg = (venue: QuoteTarget['maker'], side: 'buy' | 'sell', top: IntentLeg['topPrice'], expected: IntentLeg['expectedPrice'], worst: IntentLeg['worstPrice']): IntentLeg => {
    const book = engine.hub.book(venue.venue, venue.symbol);
    return { venue: venue.venue, symbol: venue.symbol, side, topPrice: top, expectedPrice: expected, worstPrice: worst, bookReceivedAt: book?.receivedAt ?? now, bookVenueTime: book?.venueTime ?? now };
  };
  const hedgeSide = t.side === 'buy' ? 'sell' : 'buy';
  const maker = leg(t.maker, t.side, t.price, t.price, t.price);
  const taker = leg(t.taker, hedgeSide, t.hedge.vwap, t.hedge.vwap, t.hedge.worst);
  const [buy, sell] = t.side === 'buy' ? [maker, taker] : [taker, maker];
  const spread = sell.expectedPrice.minus(buy.expectedPrice).div(buy.expectedPrice);
  return { id: `mt-quote-${t.instrument}-${t.side}-${now}`, strategy: 'maker-taker', instrument: t.instrument, size: t.size, buy, sell, spread, executableSpread: spread, detectedAt: now };
}
