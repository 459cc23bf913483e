/**
 * What the account holds, as the risk gate sees it: signed position and last fill price per
 * (venue, symbol), and realized PnL for the current UTC day. Seeded from the venues and the
 * journal at start, then moved by every verified fill the executor reports.
 */
import { Decimal } from 'decimal.js';
import type { Fill, Position } from '../exchange/orders.ts';
import type { VenueId } from '../market/types.ts';

const DAY_MS = 86_400_000;

export class Exposure {
  private readonly positions = new Map<string, { venue: VenueId; size: Decimal; price?: Decimal }>();
  private day = -1;
  private realized = new Decimal(0);

  /** Replace what is known about one venue with what it reports now. */
  seedPositions(venue: VenueId, positions: Position[]): void {
    for (const [k, p] of this.positions) if (p.venue === venue) this.positions.delete(k);
    for (const p of positions) this.positions.set(key(venue, p.symbol), { venue, size: p.size, price: p.entryPrice });
  }

  seedRealized(pnl: Decimal, now: number): void {
    this.rollDay(now);
    this.realized = pnl;
  }

  applyFills(fills: Fill[]): void {
    for (const f of fills) {
      const k = key(f.venue, f.symbol);
      const cur = this.positions.get(k) ?? { venue: f.venue, size: new Decimal(0) };
      cur.size = f.side === 'buy' ? cur.size.plus(f.size) : cur.size.minus(f.size);
      cur.price = f.price;
      this.positions.set(k, cur);
    }
  }

  addRealized(pnl: Decimal, now: number): void {
    this.rollDay(now);
    this.realized = this.realized.plus(pnl);
  }

  realizedToday(now: number): Decimal {
    this.rollDay(now);
    return this.realized;
  }

  position(venue: VenueId, symbol: string): Decimal {
    return this.positions.get(key(venue, symbol))?.size ?? new Decimal(0);
  }

  /** Open notional on a venue at each position's last known price (entry price if none traded yet). */
  venueNotional(venue: VenueId): Decimal {
    let n = new Decimal(0);
    for (const p of this.positions.values()) if (p.venue === venue && p.price) n = n.plus(p.size.abs().mul(p.price));
    return n;
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.realized = new Decimal(0);
    }
  }
}

export function startOfUtcDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

function key(venue: VenueId, symbol: string): string {
  return `${venue}:${symbol}`;
}
