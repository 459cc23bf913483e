/**
 * A restart finds a live pair 'closing': the previous run decided to close it and may have
 * sent the orders, but never booked the result. By the time this runs, the order
 * reconciliation has asked the venues about every order it journaled and ended what it could,
 * so the close trade's journaled fills are the truth:
 *
 * - no close trade in the journal: the run stopped before sending; the pair reopens;
 * - the close trade ended: its fills are booked as the exit round (closing the pair, or
 *   leaving it open and smaller);
 * - the close trade is still open or unresolved: the pair stays closing, and the position
 *   check that follows reports the difference, which halts trading.
 */
import { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { TradeJournal } from '../journal/trade-journal.ts';
import type { ExitReason, ExitSignal } from './exit-policy.ts';
import { CLOSE_INTENT_PREFIX, exitRoundFromFills } from './live-pairs.ts';
import type { PairBook } from './pair-book.ts';
import { ZERO } from './pair-position.ts';

export interface ClosingRecovery {
  pairId: string;
  outcome: 'reopened' | 'booked' | 'still-closing';
  note: string;
}

export function recoverClosingPairs(pairs: PairBook, trades: TradeJournal, now: number): ClosingRecovery[] {
  const out: ClosingRecovery[] = [];
  for (const pair of pairs.unclosed()) {
    if (pair.mode !== 'live' || pair.state !== 'closing') continue;
    const closings = pairs.journal.events(pair.id).filter((e) => e.type === 'closing');
    const last = closings.at(-1);
    const signal: ExitSignal = {
      reason: (last?.payload['reason'] as ExitReason | undefined) ?? 'reconcile',
      detail: `${String(last?.payload['detail'] ?? '')} (booked after a restart)`,
    };
    const trade = trades.tradeByIntent(`${CLOSE_INTENT_PREFIX}${pair.id}:${closings.length}`);
    if (!trade) {
      pairs.recordExit(pair.id, { size: ZERO, longProceeds: ZERO, shortCost: ZERO, fees: ZERO, reason: signal.reason, detail: 'close never started before the restart', at: now });
      out.push({ pairId: pair.id, outcome: 'reopened', note: 'no close trade journaled' });
      continue;
    }
    if (trade.state === 'open' || trade.state === 'failed-unresolved') {
      out.push({ pairId: pair.id, outcome: 'still-closing', note: `close trade ${trade.id} is ${trade.state}` });
      continue;
    }
    const fills: Fill[] = trades.fillsOf(trade.id).map((f) => ({
      venue: f.venue,
      symbol: f.symbol,
      clientId: f.client_id,
      fillId: f.fill_id,
      side: f.side,
      price: new Decimal(f.price),
      size: new Decimal(f.size),
      fee: new Decimal(f.fee),
      liquidity: 'taker',
      time: now,
    }));
    try {
      const next = pairs.recordExit(pair.id, exitRoundFromFills(pair, fills, signal, now));
      out.push({ pairId: pair.id, outcome: 'booked', note: `close trade ${trade.id} ${trade.state}: pair ${next.state}` });
    } catch (err) {
      out.push({ pairId: pair.id, outcome: 'still-closing', note: (err as Error).message });
    }
  }
  return out;
}
