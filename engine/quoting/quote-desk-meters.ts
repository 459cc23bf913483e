/**
 * The desk's counters for the metrics endpoint (engine/metrics/maker-taker-metrics.ts renders
 * them): quote decisions by reason, maker fills, hedges by outcome, hedge latency. Plain numbers
 * bumped on the desk's own path (never a venue call); the endpoint reads them when scraped.
 */
import { Histogram } from '../metrics/prometheus.ts';

/** Seconds, fill learned to hedge ack: 5 ms to 10 s (a hedge slower than that is a failure in all but name). */
export const HEDGE_LATENCY_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The reason family of a cancel (a metric label must have few values; the journal keeps the
 * full reason text).
 */
export type CancelCategory = 'reprice' | 'withdrawn' | 'stale-book' | 'desync' | 'hedges-lag' | 'paused' | 'kill-switch' | 'stopping' | 'other';

export function cancelCategory(reason: string, kind: 'cancel' | 'replace'): CancelCategory {
  if (kind === 'replace') return 'reprice';
  if (reason.startsWith('withdrawn')) return 'withdrawn';
  if (reason.includes('book stale')) return 'stale-book';
  if (reason.startsWith('desync risk')) return 'desync';
  if (reason.startsWith('hedges lag')) return 'hedges-lag';
  if (reason.startsWith('paused')) return 'paused';
  if (/kill switch/i.test(reason)) return 'kill-switch';
  if (reason.includes('stopp')) return 'stopping';
  // A halted gate or a venue down: their reason texts are free-form.
  return 'other';
}

export class QuoteDeskMeters {
  placed = 0;
  replaced = 0;
  readonly cancelled = new Map<CancelCategory, number>();
  /** Maker fills by maker venue. */
  readonly fills = new Map<string, number>();
  /** Hedge (or unwind) results by outcome: hedged, unwound, stopped-out, failed-unresolved. */
  readonly hedges = new Map<string, number>();
  readonly hedgeLatency = new Histogram(HEDGE_LATENCY_BOUNDS);
  /** REST status reads of quotes (a push answered by the gateway from its stream counts too: the desk cannot tell). */
  statusReads = 0;
  /** Placements refused by the risk gate or the unhedged limit. */
  riskRefused = 0;

  cancel(reason: string, kind: 'cancel' | 'replace'): void {
    const c = cancelCategory(reason, kind);
    this.cancelled.set(c, (this.cancelled.get(c) ?? 0) + 1);
  }

  fill(venue: string): void {
    this.fills.set(venue, (this.fills.get(venue) ?? 0) + 1);
  }

  hedge(outcome: string, latencyMs: number | undefined): void {
    this.hedges.set(outcome, (this.hedges.get(outcome) ?? 0) + 1);
    if (outcome === 'hedged' && latencyMs !== undefined) this.hedgeLatency.observe(latencyMs / 1000);
  }
}
