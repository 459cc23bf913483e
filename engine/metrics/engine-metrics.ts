/**
 * What the engine exposes for scraping: book age and update rate per venue/market, feed
 * status, opportunities by decision, rejects, gaps, and how long a book update takes to
 * become a judgment. It taps the market data like the recorder does and listens to the flow;
 * it never touches the hot path beyond a counter and a clock read.
 */
import type { Clock } from '../core/clock.ts';
import type { Engine, MarketDataTap } from '../core/engine.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent, MarketInfo, VenueId } from '../market/types.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import { exposition, Histogram, RateMeter, type Family, type Sample } from './prometheus.ts';

/** Seconds: 20 µs to 100 ms; a judgment past 100 ms means something is badly wrong. */
const LATENCY_BOUNDS = [0.00002, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

interface MarketCounters {
  snapshots: number;
  deltas: number;
  rate: RateMeter;
}

export interface RecorderGauge {
  stats: { events: number; dropped: number; compressedBytes: number; segments: number; deletedSegments: number };
}

export class EngineMetrics implements MarketDataTap {
  private readonly markets = new Map<string, MarketCounters>();
  private readonly status = new Map<string, number>();
  private readonly funding = new Map<VenueId, number>();
  private readonly decisions = new Map<string, number>();
  private readonly latency = new Histogram(LATENCY_BOUNDS);
  private eventStartedAt = 0;
  recorder: RecorderGauge | undefined;
  /** More families rendered after the engine's own (the maker-taker desk's, maker-taker-metrics.ts). */
  readonly extra: (() => Family[])[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly hrNow: () => number = () => performance.now(),
  ) {
    engine.flow.onJudgment((j) => this.onJudgment(j));
  }

  onMarkets(venue: VenueId, _chain: string, markets: MarketInfo[]): void {
    for (const m of markets) this.markets.set(key(venue, m.symbol), { snapshots: 0, deltas: 0, rate: new RateMeter() });
  }

  onBook(e: BookEvent): void {
    // Judgments this event triggers happen synchronously inside hub.onBook, right after the taps.
    this.eventStartedAt = this.hrNow();
    const m = this.markets.get(key(e.venue, e.symbol));
    if (!m) return;
    if (e.type === 'snapshot') m.snapshots++;
    else m.deltas++;
    m.rate.mark(this.clock.now());
  }

  onStatus(e: FeedStatusEvent): void {
    const k = `${e.venue}\u0000${e.state}`;
    this.status.set(k, (this.status.get(k) ?? 0) + 1);
  }

  onFunding(e: FundingEvent): void {
    this.funding.set(e.venue, (this.funding.get(e.venue) ?? 0) + 1);
  }

  private onJudgment(j: Judgment): void {
    this.latency.observe((this.hrNow() - this.eventStartedAt) / 1000);
    const k = `${j.decision}\u0000${j.desync.level}`;
    this.decisions.set(k, (this.decisions.get(k) ?? 0) + 1);
  }

  render(): string {
    const now = this.clock.now();
    const age: Sample[] = [];
    const stale: Sample[] = [];
    for (const b of this.engine.hub.allBooks()) {
      const labels = { venue: b.market.venue, market: b.market.symbol };
      stale.push({ labels, value: b.stale ? 1 : 0 });
      if (b.receivedAt > 0) age.push({ labels, value: (now - b.receivedAt) / 1000 });
    }
    const updates: Sample[] = [];
    const rates: Sample[] = [];
    for (const [k, m] of this.markets) {
      const [venue, market] = k.split('\u0000') as [string, string];
      updates.push({ labels: { venue, market, type: 'snapshot' }, value: m.snapshots }, { labels: { venue, market, type: 'delta' }, value: m.deltas });
      rates.push({ labels: { venue, market }, value: m.rate.perSecond(now) });
    }
    const byDecision: Sample[] = [...this.decisions].map(([k, v]) => {
      const [decision, desync] = k.split('\u0000') as [string, string];
      return { labels: { decision, desync }, value: v };
    });
    const rejects = new Map<string, number>([
      ['reject-unprofitable', 0],
      ['skip-high-risk', 0],
    ]);
    for (const [k, v] of this.decisions) {
      const d = k.split('\u0000')[0]!;
      if (rejects.has(d)) rejects.set(d, rejects.get(d)! + v);
    }
    rejects.set('judge-error', this.engine.flow.errors);
    const hub = this.engine.hub.counters;
    const families: Family[] = [
      { name: 'arb_book_age_seconds', help: 'Time since the book last changed, by engine clock', type: 'gauge', samples: age },
      { name: 'arb_book_stale', help: '1 while a book is not tradable (no snapshot, gap, disconnect, crossed)', type: 'gauge', samples: stale },
      { name: 'arb_book_updates_total', help: 'Book events received, by venue, market and type', type: 'counter', samples: updates },
      { name: 'arb_book_update_rate', help: 'Book events per second over the last 10 s', type: 'gauge', samples: rates },
      {
        name: 'arb_feed_status_total',
        help: 'Feed status events by venue and state',
        type: 'counter',
        samples: [...this.status].map(([k, v]) => {
          const [venue, state] = k.split('\u0000') as [string, string];
          return { labels: { venue, state }, value: v };
        }),
      },
      { name: 'arb_funding_events_total', help: 'Funding updates by venue', type: 'counter', samples: [...this.funding].map(([venue, v]) => ({ labels: { venue }, value: v })) },
      { name: 'arb_opportunities_total', help: 'Judged opportunities by decision and desync risk', type: 'counter', samples: byDecision },
      { name: 'arb_rejects_total', help: 'Opportunities not accepted, by reason', type: 'counter', samples: [...rejects].map(([reason, v]) => ({ labels: { reason }, value: v })) },
      {
        name: 'arb_venue_up',
        help: '1 while the venue is connected; 0 while unreachable since start and being retried',
        type: 'gauge',
        samples: [
          ...this.engine.venues.up().map((venue) => ({ labels: { venue }, value: 1 })),
          ...this.engine.venues.down().map((d) => ({ labels: { venue: d.venue }, value: 0 })),
        ],
      },
      {
        name: 'arb_venue_connect_attempts_failed',
        help: 'Failed connection attempts of a venue down since start',
        type: 'gauge',
        samples: this.engine.venues.down().map((d) => ({ labels: { venue: d.venue }, value: d.attempts })),
      },
      { name: 'arb_book_gaps_total', help: 'Sequence gaps that forced a resync', type: 'counter', samples: [{ value: hub.gaps }] },
      { name: 'arb_book_crossed_total', help: 'Crossed books that forced a resync', type: 'counter', samples: [{ value: hub.crossed }] },
      { name: 'arb_book_deltas_dropped_total', help: 'Deltas dropped while a book waited for a snapshot', type: 'counter', samples: [{ value: hub.droppedWhileStale }] },
      this.latency.family('arb_judge_latency_seconds', 'From a book event reaching the engine to its judgment (strategy + simulator + journal queue)'),
    ];
    if (this.recorder) {
      const r = this.recorder.stats;
      families.push(
        { name: 'arb_recording_events_total', help: 'Market-data events recorded', type: 'counter', samples: [{ value: r.events - r.dropped }] },
        { name: 'arb_recording_dropped_total', help: 'Events the recorder dropped (disk too slow)', type: 'counter', samples: [{ value: r.dropped }] },
        { name: 'arb_recording_bytes_total', help: 'Compressed bytes written', type: 'counter', samples: [{ value: r.compressedBytes }] },
      );
    }
    for (const more of this.extra) families.push(...more());
    return exposition(families);
  }
}

function key(venue: string, symbol: string): string {
  return venue + '\u0000' + symbol;
}
