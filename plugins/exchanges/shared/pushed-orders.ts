/**
 * What a venue's private stream has told us about our orders, by clientId: the latest order
 * state and every fill (deduplicated by fill id). A gateway's report() answers from here when the
 * stream already holds the order's end (a final state whose fills add up to its filled size), so
 * the hot path needs no REST call; otherwise it asks the venue over REST (reconciliation).
 *
 * Only final states are trusted without REST: a final state cannot change, so it does not matter
 * that the stream may have been down for a while before or after it arrived. Bounded: the oldest
 * orders are forgotten past `capacity`.
 */
import { Decimal } from 'decimal.js';
import { isFinalOrderStatus, type Fill, type OrderReport, type OrderState } from '../../../engine/exchange/orders.ts';

interface Entry {
  state?: OrderState;
  fills: Map<string, Fill>;
}

export class PushedOrders {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Reports answered from the stream, without REST (for tests and the status line). */
  hits = 0;

  constructor(private readonly capacity = 5_000) {}

  /** The stream pushed an order update. A later non-final state never overwrites a final one. */
  order(state: OrderState): void {
    const e = this.entry(state.clientId);
    if (e.state && isFinalOrderStatus(e.state.status) && !isFinalOrderStatus(state.status)) return;
    e.state = state;
    this.wake(state.clientId);
  }

  /** The stream pushed a fill. */
  fill(fill: Fill): void {
    const e = this.entry(fill.clientId);
    e.fills.set(fill.fillId, fill);
    this.wake(fill.clientId);
  }

  /** The order's end as pushed, when complete: final, and its fills add up to its filled size. */
  complete(clientId: string): OrderReport | undefined {
    const e = this.entries.get(clientId);
    if (!e?.state || !isFinalOrderStatus(e.state.status)) return undefined;
    const fills = [...e.fills.values()];
    let sum = new Decimal(0);
    for (const f of fills) sum = sum.plus(f.size);
    if (!sum.eq(e.state.filledSize)) return undefined;
    this.hits += 1;
    return { state: { ...e.state }, fills };
  }

  /** Fills pushed so far for this order (REST answers may lag the stream). */
  fillsOf(clientId: string): Fill[] {
    return [...(this.entries.get(clientId)?.fills.values() ?? [])];
  }

  /** Resolves on the next push about this order, or after `ms`. */
  waitForUpdate(clientId: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.waiters.get(clientId);
      if (!set) this.waiters.set(clientId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0) this.waiters.delete(clientId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private entry(clientId: string): Entry {
    let e = this.entries.get(clientId);
    if (!e) {
      e = { fills: new Map() };
      this.entries.set(clientId, e);
      if (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return e;
  }

  private wake(clientId: string): void {
    for (const done of [...(this.waiters.get(clientId) ?? [])]) done();
  }
}
