/**
 * Normalized order commands and results. A venue's gateway turns these into signed wire
 * requests; nothing above it knows the venue's order format.
 */
import type { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';

export type OrderSide = 'buy' | 'sell';
export type TimeInForce = 'IOC' | 'GTC' | 'GTT' | 'POST_ONLY';

export interface OrderRequest {
  venue: VenueId;
  symbol: string;
  side: OrderSide;
  type: 'limit' | 'market';
  size: Decimal;
  /** Limit price; for IOC legs it is the protective band edge. */
  price?: Decimal;
  timeInForce: TimeInForce;
  reduceOnly?: boolean;
  /** Our id for the order, unique per venue; the venue echoes it so we can reconcile. */
  clientId: string;
  /** Expiry for GTT orders, ms since epoch. */
  expiresAt?: number;
}

/** An order already signed for the wire, ready to send with no further key use. */
export interface SignedOrder {
  request: OrderRequest;
  /** Venue-specific wire body; opaque above the gateway. */
  wire: unknown;
  signedAt: number;
}

export type OrderStatus = 'open' | 'filled' | 'partially_filled' | 'cancelled' | 'rejected' | 'unknown';

export interface Fill {
  venue: VenueId;
  symbol: string;
  clientId: string;
  venueOrderId?: string;
  fillId: string;
  side: OrderSide;
  price: Decimal;
  size: Decimal;
  fee: Decimal;
  liquidity: 'maker' | 'taker';
  time: number;
}

export interface OrderState {
  clientId: string;
  /** The venue symbol; openOrders() must set it so a kill switch can cancel by (symbol, clientId). */
  symbol?: string;
  venueOrderId?: string;
  status: OrderStatus;
  filledSize: Decimal;
  averagePrice?: Decimal;
  rejectReason?: string;
}

export interface Position {
  venue: VenueId;
  symbol: string;
  /** Signed: positive long, negative short. */
  size: Decimal;
  entryPrice?: Decimal;
}

export interface OrderGateway {
  sign(request: OrderRequest): Promise<SignedOrder>;
  /** Send a pre-signed order; resolves on the venue's acknowledgement (not its fill). */
  send(order: SignedOrder): Promise<OrderState>;
  cancel(symbol: string, clientId: string): Promise<void>;
  status(symbol: string, clientId: string): Promise<OrderState>;
  fills(symbol: string, clientId: string): Promise<Fill[]>;
  positions(): Promise<Position[]>;
  openOrders(): Promise<OrderState[]>;
  /**
   * Account value in USD (collateral plus unrealized PnL), read from the venue, for the margin
   * check. Optional for third-party gateways: live margin checks run only when every trading
   * venue's gateway offers it.
   */
  accountValue?(): Promise<Decimal>;
}

/** A venue refused a request. `code` is the venue's own error code or message key. */
export class VenueRejectError extends Error {
  constructor(
    readonly venue: VenueId,
    readonly code: string,
    message: string,
  ) {
    super(`${venue} rejected: ${message} (${code})`);
    this.name = 'VenueRejectError';
  }
}

/**
 * The venue has no record of this clientId. Right after a send it may still be in flight, so
 * callers only treat it as "never placed" once a grace period has passed.
 */
export class OrderNotFoundError extends Error {
  constructor(
    readonly venue: VenueId,
    readonly clientId: string,
  ) {
    super(`${venue} has no order with client id ${clientId}`);
    this.name = 'OrderNotFoundError';
  }
}

/**
 * An order that can trade no more: IOC orders end filled, cancelled (with any partial fill in
 * filledSize) or rejected. `open` and `partially_filled` mean the venue may still fill it.
 */
export function isFinalOrderStatus(status: OrderStatus): boolean {
  return status === 'filled' || status === 'cancelled' || status === 'rejected';
}
