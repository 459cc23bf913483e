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

/**
 * Venue keys a gateway needs to find an order again that are not the clientId (Vest's signed
 * nonce, Lighter's tx hash, the signing time). The journal writes them before the send, so a
 * restarted engine finds every order a crashed run may have placed. Plain data: JSON-safe.
 */
export type VenueOrderRef = Readonly<Record<string, string | number>>;

/** An order already signed for the wire, ready to send with no further key use. */
export interface SignedOrder {
  request: OrderRequest;
  /** Venue-specific wire body; opaque above the gateway. */
  wire: unknown;
  signedAt: number;
  /** See VenueOrderRef; journaled with the order before it is sent. */
  venueRef?: VenueOrderRef;
  /**
   * Ms since epoch after which the venue can no longer execute this order even if it arrives
   * late (Vest: time + recvWindow; Lighter: the tx's ExpiredAt; Paradex: signature time +
   * recv_window). "Not placed" is believed only past this point (and the venue's indexing grace).
   */
  executableUntil?: number;
}

/** How to find one order at its venue: what report() and cancel() take. */
export interface OrderLocator {
  symbol: string;
  clientId: string;
  /** The venue's own id when known (openOrders() and earlier reports give it). */
  venueOrderId?: string;
  /** What the gateway put on the SignedOrder (from the journal after a restart). */
  venueRef?: VenueOrderRef;
}

/** An order's state and its fills, read together (one round trip where the venue allows it). */
export interface OrderReport {
  state: OrderState;
  fills: Fill[];
  /**
   * The order is over at the venue (`finalStatus`) and something executed (it was charged `fee`),
   * but the venue will never say how much: it lists no fills, and the pushes that carried them
   * were missed (Vest). `state.status` stays 'unknown', so no caller takes it for a zero fill; the
   * executor may read the size from the venue's position (engine/execution/position-fill.ts).
   */
  fillUnknown?: { finalStatus: OrderStatus; fee: Decimal };
}

/** Who is asking: when a venue's rate limit is tight, orders go before reconciliation, and both before background reads. */
export type RequestPriority = 'order' | 'reconcile' | 'background';

/**
 * A gateway's view of its venue's rate limits, for callers that poll. The executor waits on
 * ready() before each status poll and does not count that wait against its reconcile deadline:
 * a venue that says "slow down" (HTTP 429) slows verification down, it never makes an order
 * unresolved.
 */
export interface RequestPacing {
  /** Resolves when a request of this priority may go out now (never rejects). */
  ready(priority: RequestPriority): Promise<void>;
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
  /**
   * Send a pre-signed order; resolves on the venue's acknowledgement (not its fill). Must settle
   * (resolve or reject) within the gateway's own request timeout: the executor never believes
   * "not placed" while a send is still in flight.
   */
  send(order: SignedOrder): Promise<OrderState>;
  cancel(order: OrderLocator): Promise<void>;
  /**
   * The order's state and fills, whatever its status (open, filled, cancelled): a venue whose
   * by-client-id lookup shows only open orders must also look in its closed-order history.
   * Throws OrderNotFoundError when the venue has no record of it.
   */
  report(order: OrderLocator): Promise<OrderReport>;
  positions(): Promise<Position[]>;
  /** Every open order on the account (all markets, in as few requests as the venue allows). */
  openOrders(): Promise<OrderState[]>;
  /**
   * Account value in USD (collateral plus unrealized PnL), read from the venue, for the margin
   * check. Optional for third-party gateways: live margin checks run only when every trading
   * venue's gateway offers it.
   */
  accountValue?(): Promise<Decimal>;
  /**
   * Resolves when the venue has pushed news of this order (private stream) or after `ms`,
   * whichever is first: the executor waits here between polls so a pushed fill is seen at once.
   * Gateways without a private stream leave it out (the executor then sleeps).
   */
  waitForUpdate?(clientId: string, ms: number): Promise<void>;
  /** Rate-limit pacing for pollers; absent means the gateway does not limit itself. */
  readonly pacing?: RequestPacing;
  /**
   * How long after a send this venue may take to show the order (indexing delay), ms. The
   * executor uses the larger of this and its configured notFoundGraceMs.
   */
  readonly notFoundGraceMs?: number;
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
    /**
     * True when the venue's own records say the order can never execute (e.g. its transaction
     * is known and failed): "not placed" needs no further waiting.
     */
    readonly definitive = false,
    detail?: string,
  ) {
    super(`${venue} has no order with client id ${clientId}${detail ? ` (${detail})` : ''}`);
    this.name = 'OrderNotFoundError';
  }
}

/**
 * The venue answered "slow down" (HTTP 429 or its own rate-limit code) and did not act. For a
 * send this is a definite refusal; for a read it means ask again later, and never "not found".
 */
export class RateLimitedError extends VenueRejectError {
  constructor(
    venue: VenueId,
    operation: string,
    /** How long the venue asked us to wait (Retry-After), ms, when it said. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(venue, 'RATE_LIMITED', `${operation}: rate limited${retryAfterMs !== undefined ? `, retry after ${retryAfterMs} ms` : ''}`);
    this.name = 'RateLimitedError';
  }
}

/**
 * An order that can trade no more: IOC orders end filled, cancelled (with any partial fill in
 * filledSize) or rejected. `open` and `partially_filled` mean the venue may still fill it.
 */
export function isFinalOrderStatus(status: OrderStatus): boolean {
  return status === 'filled' || status === 'cancelled' || status === 'rejected';
}
