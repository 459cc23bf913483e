/**
 * The dry-run's resting quotes on one market, driven by that market's public trades and book
 * updates through the queue model. The dry-run maker venue (live feed) and the replay (recorded
 * tape) both feed it in the feed's order and hedge the fills it returns.
 */
import type { Decimal } from 'decimal.js';
import {
  applyLevelUpdate,
  applyTrade,
  cancelQuote,
  placeQuote,
  QueueModelError,
  replaceQuote,
  type LevelUpdate,
  type MakerFill,
  type PublicTrade,
  type QueuePosition,
  type RestingQuote,
} from './queue-model.ts';

/** One step of a scripted or recorded tape. */
export type TapeEvent =
  | { kind: 'place'; quote: RestingQuote; levelSize: Decimal }
  | { kind: 'trade'; trade: PublicTrade }
  | { kind: 'level'; update: LevelUpdate }
  | { kind: 'cancel'; quoteId: string; effectiveAt: number }
  | { kind: 'replace'; quoteId: string; next: RestingQuote; levelSize: Decimal };

export class SimulatedQuotes {
  private readonly positions = new Map<string, QueuePosition>();
  /** Time of the last trade or book update: the feed must not go back in time. */
  private feedTime = -Infinity;

  place(quote: RestingQuote, levelSize: Decimal): QueuePosition {
    if (this.positions.has(quote.id)) {
      throw new QueueModelError(`quote ${quote.id} id`, 'is already used by a quote on this market; give every placement (and every replace) a new id');
    }
    const pos = placeQuote(quote, levelSize);
    this.positions.set(quote.id, pos);
    return pos;
  }

  cancel(quoteId: string, effectiveAt: number): QueuePosition {
    const pos = cancelQuote(this.known(quoteId), effectiveAt);
    this.positions.set(quoteId, pos);
    return pos;
  }

  /** The old quote stops filling when the new one lands (`next.placedAt`). */
  replace(quoteId: string, next: RestingQuote, levelSize: Decimal): QueuePosition {
    if (this.positions.has(next.id)) {
      throw new QueueModelError(`replacement ${next.id} id`, `is already used on this market; a replace of ${quoteId} needs a new id`);
    }
    const { cancelled, placed } = replaceQuote(this.known(quoteId), next, levelSize);
    this.positions.set(quoteId, cancelled);
    this.positions.set(next.id, placed);
    return placed;
  }

  /** Fills this trade causes, in placement order of the quotes. */
  onTrade(trade: PublicTrade): MakerFill[] {
    this.advance(trade.time, 'trade');
    const fills: MakerFill[] = [];
    for (const [id, pos] of this.positions) {
      const { position, fill } = applyTrade(pos, trade);
      this.positions.set(id, position);
      if (fill) fills.push(fill);
    }
    return fills;
  }

  onLevel(update: LevelUpdate): void {
    this.advance(update.time, 'level update');
    for (const [id, pos] of this.positions) this.positions.set(id, applyLevelUpdate(pos, update));
  }

  position(quoteId: string): QueuePosition | undefined {
    return this.positions.get(quoteId);
  }

  private known(quoteId: string): QueuePosition {
    const pos = this.positions.get(quoteId);
    if (!pos) throw new QueueModelError(`quote ${quoteId}`, 'is not known on this market; place it before cancelling or replacing it');
    return pos;
  }

  private advance(time: number, what: string): void {
    if (!Number.isFinite(time)) throw new QueueModelError(`${what} time`, `must be ms since epoch (got ${String(time)})`);
    // Queue state depends on order: a shrink applied before the trade that caused it would move us twice.
    if (time < this.feedTime) {
      throw new QueueModelError(`${what} time`, `${time} is before the previous feed event (${this.feedTime}); feed trades and book updates in the venue's order`);
    }
    this.feedTime = time;
  }
}

/** Replays a whole tape from an empty market: every fill in order, and each quote's final state. */
export function replayTape(events: readonly TapeEvent[]): { fills: MakerFill[]; quotes: Map<string, QueuePosition> } {
  const market = new SimulatedQuotes();
  const fills: MakerFill[] = [];
  const ids: string[] = [];
  for (const e of events) {
    switch (e.kind) {
      case 'place':
        market.place(e.quote, e.levelSize);
        ids.push(e.quote.id);
        break;
      case 'trade':
        fills.push(...market.onTrade(e.trade));
        break;
      case 'level':
        market.onLevel(e.update);
        break;
      case 'cancel':
        market.cancel(e.quoteId, e.effectiveAt);
        break;
      case 'replace':
        market.replace(e.quoteId, e.next, e.levelSize);
        ids.push(e.next.id);
        break;
    }
  }
  const quotes = new Map<string, QueuePosition>();
  for (const id of ids) quotes.set(id, market.position(id)!);
  return { fills, quotes };
}
