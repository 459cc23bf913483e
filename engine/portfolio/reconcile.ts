/**
 * Restart reconciliation: what the journal says we hold (live pairs not yet closed) against
 * what the venues say (OrderGateway.positions()). It only reports; deciding what to do with a
 * disagreement (adopt, flatten, halt) is the operator's or the risk gate's call.
 *
 * Several pairs may share a venue market, and other strategies may trade it too, so the
 * comparison is on the net signed size per (venue, symbol).
 */
import { Decimal } from 'decimal.js';
import type { Position } from '../exchange/orders.ts';
import type { VenueId } from '../market/types.ts';
import { legExposures, ZERO, type PairPosition } from './pair-position.ts';

export type DisagreementKind =
  /** The journal holds a leg the venue does not show at all. */
  | 'missing-on-venue'
  /** Both show a position, with a different signed size. */
  | 'size-mismatch'
  /** The venue shows a position no journal pair explains. */
  | 'untracked-on-venue';

export interface PositionDisagreement {
  kind: DisagreementKind;
  venue: VenueId;
  symbol: string;
  /** Net signed size the journal's pairs imply. */
  expected: Decimal;
  /** Net signed size the venue reports. */
  actual: Decimal;
  /** Pairs with a leg on this market, to look at first. */
  pairIds: string[];
}

export interface ReconcileReport {
  agreed: Array<{ venue: VenueId; symbol: string; size: Decimal }>;
  disagreements: PositionDisagreement[];
  /** Venues that could not be asked: nothing about them is known. */
  unreachable: Array<{ venue: VenueId; error: string }>;
}

/**
 * @param positions the venues' answers, venue by venue; a venue absent from the map is
 * reported unreachable when a journal pair has a leg there.
 * @param tolerance sizes closer than this agree (venue rounding of base size).
 */
export function reconcilePairs(
  pairs: PairPosition[],
  positions: ReadonlyMap<VenueId, Position[] | Error>,
  tolerance: Decimal = ZERO,
): ReconcileReport {
  const expected = new Map<string, { venue: VenueId; symbol: string; size: Decimal; pairIds: string[] }>();
  for (const p of pairs) {
    if (p.mode !== 'live' || p.state === 'closed') continue;
    for (const leg of legExposures(p)) {
      const k = key(leg.venue, leg.symbol);
      const e = expected.get(k) ?? { venue: leg.venue, symbol: leg.symbol, size: ZERO, pairIds: [] };
      e.size = e.size.plus(leg.size);
      e.pairIds.push(p.id);
      expected.set(k, e);
    }
  }
  const report: ReconcileReport = { agreed: [], disagreements: [], unreachable: [] };
  const unreachable = new Set<VenueId>();
  for (const [venue, answer] of positions) {
    if (answer instanceof Error) {
      unreachable.add(venue);
      report.unreachable.push({ venue, error: answer.message });
    }
  }
  for (const e of expected.values()) {
    if (!positions.has(e.venue) && !unreachable.has(e.venue)) {
      unreachable.add(e.venue);
      report.unreachable.push({ venue: e.venue, error: 'no positions answer from this venue' });
    }
  }

  const actual = new Map<string, Position>();
  for (const [venue, answer] of positions) {
    if (answer instanceof Error) continue;
    for (const pos of answer) {
      const k = key(venue, pos.symbol);
      const prev = actual.get(k);
      actual.set(k, prev ? { ...prev, size: prev.size.plus(pos.size) } : { ...pos, venue });
    }
  }
  for (const [k, e] of expected) {
    if (unreachable.has(e.venue)) continue;
    const a = actual.get(k);
    const actualSize = a?.size ?? ZERO;
    if (actualSize.minus(e.size).abs().lte(tolerance)) {
      if (!e.size.isZero()) report.agreed.push({ venue: e.venue, symbol: e.symbol, size: e.size });
      continue;
    }
    report.disagreements.push({
      kind: actualSize.isZero() ? 'missing-on-venue' : 'size-mismatch',
      venue: e.venue,
      symbol: e.symbol,
      expected: e.size,
      actual: actualSize,
      pairIds: e.pairIds,
    });
  }
  for (const [k, a] of actual) {
    if (expected.has(k) || a.size.abs().lte(tolerance)) continue;
    report.disagreements.push({ kind: 'untracked-on-venue', venue: a.venue, symbol: a.symbol, expected: ZERO, actual: a.size, pairIds: [] });
  }
  return report;
}

/** Ask every gateway for its positions; a failure is kept as the venue's answer, not thrown. */
export async function venuePositions(
  gateways: ReadonlyMap<VenueId, { positions(): Promise<Position[]> }>,
): Promise<Map<VenueId, Position[] | Error>> {
  const out = new Map<VenueId, Position[] | Error>();
  await Promise.all(
    [...gateways].map(async ([venue, gw]) => {
      try {
        out.set(venue, await gw.positions());
      } catch (err) {
        out.set(venue, err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
  return out;
}

function key(venue: string, symbol: string): string {
  return venue + '\u0000' + symbol;
}

/** Only the markets this engine trades: positions elsewhere on the same account are not ours to judge. */
export function scoped(
  positions: ReadonlyMap<VenueId, Position[] | Error>,
  symbols: ReadonlyMap<VenueId, ReadonlySet<string>>,
): Map<VenueId, Position[] | Error> {
  const out = new Map<VenueId, Position[] | Error>();
  for (const [venue, answer] of positions) {
    const mine = symbols.get(venue);
    out.set(venue, answer instanceof Error || !mine ? answer : answer.filter((p) => mine.has(p.symbol)));
  }
  return out;
}

/** One line per disagreement or unreachable venue, saying what to look at; empty when all agree. */
export function pairProblems(report: ReconcileReport): string[] {
  const lines = report.disagreements.map((d) => {
    const where = `${d.venue} ${d.symbol}`;
    const pairs = d.pairIds.length ? ` (pairs ${d.pairIds.join(', ')})` : '';
    if (d.kind === 'untracked-on-venue') return `${where}: venue holds ${d.actual} that no journaled pair explains: close it on the venue or adopt it`;
    return `${where}: journaled pairs hold ${d.expected}, venue shows ${d.actual}${pairs}`;
  });
  for (const u of report.unreachable) lines.push(`${u.venue}: could not read positions to check held pairs (${u.error})`);
  return lines;
}
