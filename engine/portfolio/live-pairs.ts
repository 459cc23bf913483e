/**
 * The seam between the live executor and the PairBook: a completed two-leg trade becomes a
 * live pair (priced from the venues' verified fills, not the intent), the exit policy's
 * signal becomes two reduce-only IOC orders, and their verified fills close the pair.
 * Sending the orders is the executor's job (journal, send, verify by client id); this file
 * only builds requests and reads fills, so it tests without venues.
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderRequest } from '../exchange/orders.ts';
import type { TradeResult } from '../execution/trade-result.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import type { ExitPolicy, ExitQuote, ExitSignal } from './exit-policy.ts';
import type { ClosePairInput, OpenPairInput } from './pair-book.ts';
import { expectedPnlOf } from './pair-intent.ts';
import { ZERO, type PairPosition } from './pair-position.ts';

export class PairFillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PairFillError';
  }
}

interface LegFills {
  size: Decimal;
  vwap: Decimal;
  fees: Decimal;
}

function legFills(fills: Fill[], venue: string, side: 'buy' | 'sell'): LegFills {
  const mine = fills.filter((f) => f.venue === venue && f.side === side);
  const size = mine.reduce((s, f) => s.plus(f.size), ZERO);
  if (size.isZero()) throw new PairFillError(`no ${side} fills on ${venue}`);
  const cost = mine.reduce((s, f) => s.plus(f.price.mul(f.size)), ZERO);
  return { size, vwap: cost.div(size), fees: mine.reduce((s, f) => s.plus(f.fee), ZERO) };
}

/** A 'completed' trade (both legs filled to the same size) opens a live pair at its fill prices. */
export function pairFromTrade(result: TradeResult, j: Judgment, policy: ExitPolicy, at: number): OpenPairInput {
  if (result.state !== 'completed') throw new PairFillError(`trade ${result.tradeId} ended ${result.state}: no pair to hold`);
  const fills = result.orders.flatMap((o) => o.fills);
  const { buy, sell } = j.intent;
  const long = legFills(fills, buy.venue, 'buy');
  const short = legFills(fills, sell.venue, 'sell');
  if (!long.size.eq(short.size)) throw new PairFillError(`trade ${result.tradeId}: long ${long.size} and short ${short.size} differ`);
  return {
    id: `pair-${result.tradeId}`,
    strategy: j.intent.strategy,
    intentId: j.intent.id,
    instrument: j.intent.instrument,
    mode: 'live',
    size: long.size,
    long: { venue: buy.venue, symbol: buy.symbol, price: long.vwap },
    short: { venue: sell.venue, symbol: sell.symbol, price: short.vwap },
    entryFees: long.fees.plus(short.fees),
    expectedPnl: expectedPnlOf(j),
    policy,
    at,
  };
}

/**
 * The two closing orders: reduce-only IOC, each limited `bandBps` beyond the walked exit price
 * so a thin book fills partially rather than at any price.
 */
export function closeOrders(pair: PairPosition, quote: ExitQuote, bandBps: number, clientId: (leg: 'long' | 'short') => string): [OrderRequest, OrderRequest] {
  const band = new Decimal(bandBps).div(10_000);
  return [
    {
      venue: pair.long.venue,
      symbol: pair.long.symbol,
      side: 'sell',
      type: 'limit',
      size: pair.size,
      price: quote.longExit.mul(new Decimal(1).minus(band)),
      timeInForce: 'IOC',
      reduceOnly: true,
      clientId: clientId('long'),
    },
    {
      venue: pair.short.venue,
      symbol: pair.short.symbol,
      side: 'buy',
      type: 'limit',
      size: pair.size,
      price: quote.shortExit.mul(new Decimal(1).plus(band)),
      timeInForce: 'IOC',
      reduceOnly: true,
      clientId: clientId('short'),
    },
  ];
}

/**
 * Close input from the closing orders' verified fills. Both must have filled the pair's whole
 * size; a partial close leaves the pair 'closing' for the executor's repair path.
 */
export function closeFromFills(pair: PairPosition, fills: Fill[], signal: ExitSignal, at: number): ClosePairInput {
  const long = legFills(fills, pair.long.venue, 'sell');
  const short = legFills(fills, pair.short.venue, 'buy');
  if (!long.size.eq(pair.size) || !short.size.eq(pair.size)) {
    throw new PairFillError(`pair ${pair.id}: closed long ${long.size} and short ${short.size} of ${pair.size}`);
  }
  return { longExit: long.vwap, shortExit: short.vwap, exitFees: long.fees.plus(short.fees), reason: signal.reason, detail: signal.detail, at };
}
