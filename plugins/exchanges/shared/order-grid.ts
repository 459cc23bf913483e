/**
 * Exact checks that an order's size and price sit on the market's grid, before anything is signed.
 * Refuses instead of rounding: which way to round a price is the strategy's decision (it depends
 * on the side and the protective band), never the gateway's.
 */
import { Decimal } from 'decimal.js';
import type { OrderRequest } from '../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';

export class OrderGridError extends Error {
  constructor(
    readonly venue: string,
    readonly clientId: string,
    readonly field: 'size' | 'price',
    problem: string,
  ) {
    super(`${venue}: order ${clientId} ${field} ${problem}`);
    this.name = 'OrderGridError';
  }
}

export function checkOrderGrid(venue: string, req: OrderRequest, market: MarketInfo): void {
  const size = new Decimal(req.size);
  if (!size.isFinite() || size.lte(0)) throw new OrderGridError(venue, req.clientId, 'size', `must be positive, got ${size.toFixed()}`);
  const step = new Decimal(market.sizeIncrement);
  if (!size.mod(step).isZero()) {
    throw new OrderGridError(venue, req.clientId, 'size', `${size.toFixed()} is not a multiple of the size increment ${market.sizeIncrement} on ${market.symbol}`);
  }
  if (market.minSize !== undefined && size.lt(market.minSize)) {
    throw new OrderGridError(venue, req.clientId, 'size', `${size.toFixed()} is below the minimum ${market.minSize} on ${market.symbol}`);
  }
  if (req.price !== undefined) {
    const price = new Decimal(req.price);
    if (!price.isFinite() || price.lte(0)) throw new OrderGridError(venue, req.clientId, 'price', `must be positive, got ${price.toFixed()}`);
    if (!price.mod(market.tickSize).isZero()) {
      throw new OrderGridError(venue, req.clientId, 'price', `${price.toFixed()} is not on the tick ${market.tickSize} of ${market.symbol}`);
    }
  } else if (req.type === 'limit') {
    throw new OrderGridError(venue, req.clientId, 'price', 'is required for a limit order');
  }
}
