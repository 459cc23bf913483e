/**
 * Maker-taker quote desk metrics (engine/quoting): quotes placed, replaced and cancelled by
 * reason, maker fills, hedges by outcome, the hedge latency histogram (fill learned to hedge
 * ack), unhedged exposure and resting quotes. One desk per engine (one `strategy:maker-taker`);
 * a second desk's counters are summed in, its latency histogram is not (a family name may appear once).
 */
import type { Family, Sample } from './prometheus.ts';

/** What the metrics read of a desk (QuoteDesk has all of it). */
export interface MeteredDesk {
  readonly meters: {
    placed: number;
    replaced: number;
    statusReads: number;
    riskRefused: number;
    readonly cancelled: ReadonlyMap<string, number>;
    readonly fills: ReadonlyMap<string, number>;
    readonly hedges: ReadonlyMap<string, number>;
    readonly hedgeLatency: { family(name: string, help: string): Family };
  };
  readonly exposure: { unhedgedUsd(): { toNumber(): number } };
  readonly restingCount: number;
  readonly pausedReason: string | undefined;
}

export function makerTakerFamilies(desks: readonly MeteredDesk[]): Family[] {
  if (desks.length === 0) return [];
  const sum = (pick: (d: MeteredDesk) => number) => desks.reduce((s, d) => s + pick(d), 0);
  const byLabel = (label: string, pick: (d: MeteredDesk) => ReadonlyMap<string, number>): Sample[] => {
    const m = new Map<string, number>();
    for (const d of desks) for (const [k, v] of pick(d)) m.set(k, (m.get(k) ?? 0) + v);
    return [...m].map(([k, v]) => ({ labels: { [label]: k }, value: v }));
  };
  return [
    { name: 'arb_mt_quotes_placed_total', help: 'Post-only quotes the maker venue acknowledged', type: 'counter', samples: [{ value: sum((d) => d.meters.placed) }] },
    { name: 'arb_mt_quotes_replaced_total', help: 'Quotes cancelled to be repriced (the hedge walk moved past repriceBps)', type: 'counter', samples: [{ value: sum((d) => d.meters.replaced) }] },
    { name: 'arb_mt_quotes_cancelled_total', help: 'Quote cancels sent, by reason (reprice, withdrawn, stale-book, desync, hedges-lag, paused, kill-switch, stopping, other)', type: 'counter', samples: byLabel('reason', (d) => d.meters.cancelled) },
    { name: 'arb_mt_quotes_refused_total', help: 'Placements refused by the risk gate or the unhedged-exposure limit (once per slot and reason)', type: 'counter', samples: [{ value: sum((d) => d.meters.riskRefused) }] },
    { name: 'arb_mt_maker_fills_total', help: 'Maker fills learned, by maker venue', type: 'counter', samples: byLabel('venue', (d) => d.meters.fills) },
    { name: 'arb_mt_hedges_total', help: 'Hedges and unwinds of maker fills, by outcome (hedged, unwound, stopped-out, failed-unresolved)', type: 'counter', samples: byLabel('outcome', (d) => d.meters.hedges) },
    { name: 'arb_mt_status_reads_total', help: 'Quote status reads asked of the gateways (push-woken and fallback polls)', type: 'counter', samples: [{ value: sum((d) => d.meters.statusReads) }] },
    desks[0]!.meters.hedgeLatency.family('arb_mt_hedge_latency_seconds', 'Maker fill learned to the hedge order acknowledged, hedged fills only'),
    { name: 'arb_mt_unhedged_usd', help: 'USD of maker fills not yet hedged', type: 'gauge', samples: [{ value: sum((d) => d.exposure.unhedgedUsd().toNumber()) }] },
    { name: 'arb_mt_resting_quotes', help: 'Quotes resting or possibly resting (sent, not known final)', type: 'gauge', samples: [{ value: sum((d) => d.restingCount) }] },
    { name: 'arb_mt_paused', help: '1 while a desk has paused quoting (hedge failures) until restarted', type: 'gauge', samples: [{ value: desks.some((d) => d.pausedReason !== undefined) ? 1 : 0 }] },
  ];
}
