/**
 * Desync guard: a quote may rest only while its maker book and its hedge book describe about
 * the same moment. The assessment is the execution simulator's own (engine/simulation/desync.ts,
 * the same `simulation.desync` thresholds and the hedge venue's taker delay subtracted from its
 * book's receive time, as ExecutionSimulator.judge does): a taker-taker trade the simulator would
 * skip as High risk is a hedge the desk must not count on, so the quote that would need it is
 * cancelled and not placed again until the pair is back under High.
 *
 * Why High and not "left Low": Medium is the normal state of a quiet book (no change for a
 * second); cancelling there would churn quotes and rate budget on every lull. A stale or gapped
 * book is refused earlier (isTradable), with its own reason.
 */
import { assessDesync, type DesyncAssessment, type DesyncThresholds } from '../simulation/desync.ts';
import type { BookReader } from '../market/hub.ts';
import type { VenueId } from '../market/types.ts';
import type { QuoteVenue } from './quote-target.ts';

export interface DesyncPolicy {
  thresholds: DesyncThresholds;
  /** The venue's taker speed bump, ms (ExchangeConnector.takerDelayMs); the hedge's book is that much older when the IOC lands. */
  takerDelayMs?(venue: VenueId): number;
}

/** Why a quote on `maker` hedged on `taker` may not rest now (High desync), or undefined. */
export function desyncBlock(books: BookReader, maker: QuoteVenue, taker: QuoteVenue, now: number, policy: DesyncPolicy): string | undefined {
  const a = assessQuoteDesync(books, maker, taker, now, policy);
  if (!a || a.level !== 'High') return undefined;
  return `desync risk High: ${maker.venue}/${taker.venue} books ${a.gapMs} ms apart, older one ${a.maxAgeMs} ms old (limits ${policy.thresholds.highGapMs} ms / ${policy.thresholds.highAgeMs} ms)`;
}

export function assessQuoteDesync(books: BookReader, maker: QuoteVenue, taker: QuoteVenue, now: number, policy: DesyncPolicy): DesyncAssessment | undefined {
  const m = books.book(maker.venue, maker.symbol);
  const t = books.book(taker.venue, taker.symbol);
  if (!m || !t) return undefined;
  const delay = policy.takerDelayMs?.(taker.venue) ?? 0;
  return assessDesync(now, { receivedAt: m.receivedAt, venueTime: m.venueTime }, { receivedAt: t.receivedAt - delay, venueTime: t.venueTime }, policy.thresholds);
}
