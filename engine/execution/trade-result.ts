/** What a trade ended as, with every order it sent and the timings of its two legs. */
import { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { TradeEndState } from '../journal/trade-journal.ts';
import type { PlacedOrder } from './order-command.ts';

export interface TradeLatency {
  detectedAt: number;
  judgedAt: number;
  startedAt: number;
  signedAt?: number;
  fillVerifiedAt?: number;
  endedAt: number;
  /** Decision to both legs verified (or the trade's end), ms. */
  totalMs: number;
  /** Of that, waiting on venue calls. */
  venueWaitMs: number;
  /** The rest: the engine's own work. */
  overheadMs: number;
  /** Decision to the second leg's ack, minus venue waits up to then: the benched number. */
  ackOverheadMs?: number;
}

export interface TradeResult {
  tradeId: string;
  intentId: string;
  instrument: string;
  state: TradeEndState;
  /** Base size still exposed on one venue: zero unless failed-unresolved. */
  residual: Decimal;
  orders: PlacedOrder[];
  realizedPnl?: Decimal;
  latency?: TradeLatency;
  note?: string;
}

/** Cash flow of a flat trade: sells in, buys out, fees out. Only meaningful when flat. */
export function realizedPnl(fills: Fill[]): Decimal {
  let pnl = new Decimal(0);
  for (const f of fills) {
    const notional = f.price.mul(f.size);
    pnl = f.side === 'sell' ? pnl.plus(notional) : pnl.minus(notional);
    pnl = pnl.minus(f.fee);
  }
  return pnl;
}
