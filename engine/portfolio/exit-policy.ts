/**
 * When to close a pair. Pure: the caller supplies the prices closing would get now and the
 * pair's current funding carry; the policy answers with an ExitSignal or nothing.
 *
 * The exit spread is measured on what closing costs, not on mids: the long is sold into its
 * venue's bids and the short bought back from its venue's asks, each walked for the pair's size.
 */
import type { Decimal } from 'decimal.js';
import { spreadOf, type PairPosition } from './pair-position.ts';

export type { ExitPolicy, ExitReason } from './exit-terms.ts';
import type { ExitPolicy, ExitReason } from './exit-terms.ts';

/** What closing both legs now would fetch: VWAP to sell the long and to buy back the short. */
export interface ExitQuote {
  longExit: Decimal;
  shortExit: Decimal;
  /** Book details a live close needs (IOC limits, desync data); a simulated close ignores them. */
  longWorst?: Decimal;
  shortWorst?: Decimal;
  longTop?: Decimal;
  shortTop?: Decimal;
  longBook?: { receivedAt: number; venueTime: number };
  shortBook?: { receivedAt: number; venueTime: number };
}

export interface ExitSignal {
  reason: ExitReason;
  detail: string;
}

/**
 * Order of checks: the stop first (a loss is growing), then funding, then time, then the
 * target. A pair that hits several at once is labelled by the most urgent.
 */
export function evaluateExit(
  pair: Pick<PairPosition, 'entrySpread' | 'openedAt'>,
  policy: ExitPolicy,
  now: number,
  quote: ExitQuote | undefined,
  carryApr: Decimal | undefined,
): ExitSignal | undefined {
  const spread = quote ? spreadOf(quote.longExit, quote.shortExit) : undefined;
  if (spread && policy.stopWidening && spread.gte(pair.entrySpread.plus(policy.stopWidening))) {
    return { reason: 'stop', detail: `exit spread ${spread.toFixed(6)} widened past entry ${pair.entrySpread.toFixed(6)} + ${policy.stopWidening}` };
  }
  if (carryApr && policy.minCarryApr && carryApr.lt(policy.minCarryApr)) {
    return { reason: 'funding', detail: `funding carry ${carryApr.toFixed(6)}/yr below ${policy.minCarryApr}/yr` };
  }
  if (policy.maxHoldMs !== undefined && now - pair.openedAt >= policy.maxHoldMs) {
    return { reason: 'max-hold', detail: `held ${now - pair.openedAt} ms, limit ${policy.maxHoldMs} ms` };
  }
  if (spread && policy.exitSpread && spread.lte(policy.exitSpread)) {
    return { reason: 'converged', detail: `exit spread ${spread.toFixed(6)} at or below ${policy.exitSpread}` };
  }
  return undefined;
}

/** JSON form for the journal (decimal strings), so a restarted PairBook keeps each pair's own policy. */
export function policyToJson(p: ExitPolicy): string {
  return JSON.stringify({
    exitSpread: p.exitSpread?.toString(),
    stopWidening: p.stopWidening?.toString(),
    maxHoldMs: p.maxHoldMs,
    minCarryApr: p.minCarryApr?.toString(),
  });
}

export function policyFromJson(text: string, make: (v: string) => Decimal): ExitPolicy {
  const o = JSON.parse(text) as Record<string, string | number | undefined>;
  const p: ExitPolicy = {};
  if (typeof o['exitSpread'] === 'string') p.exitSpread = make(o['exitSpread']);
  if (typeof o['stopWidening'] === 'string') p.stopWidening = make(o['stopWidening']);
  if (typeof o['maxHoldMs'] === 'number') p.maxHoldMs = o['maxHoldMs'];
  if (typeof o['minCarryApr'] === 'string') p.minCarryApr = make(o['minCarryApr']);
  return p;
}
