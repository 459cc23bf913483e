/**
 * What a finished live trade left behind, which decides what its cash flow means:
 * - 'pair-open': completed, or hedged to balance: it holds a long and a short (LivePairs opens a
 *   pair from exactly these end states); its cash flow is the entry, not realized until the close;
 * - 'pair-close': a pair's close trade: its cash flow belongs to the pair's realized PnL;
 * - 'flat': unwound, stopped out, nothing filled: its cash flow is realized;
 * - 'unresolved': failed-unresolved, the instrument quarantined until reconciled.
 */
import type { TradeResult } from '../execution/trade-result.ts';
import { pairIdOfClose } from './live-pairs.ts';

export type TradeKind = 'pair-open' | 'pair-close' | 'flat' | 'unresolved';

export function tradeKind(r: Pick<TradeResult, 'intentId' | 'state'>): TradeKind {
  if (pairIdOfClose(r.intentId) !== undefined) return 'pair-close';
  if (r.state === 'failed-unresolved') return 'unresolved';
  if (r.state === 'completed' || r.state === 'hedged') return 'pair-open';
  return 'flat';
}
