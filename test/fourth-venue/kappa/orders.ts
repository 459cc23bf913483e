/**
 * Kappa orders over REST: IOC limit orders by client id, one call for an order's state and
 * fills (GET /orders/:clientId), positions and account equity. Kappa signs nothing: the API key
 * header authenticates, so sign() only builds the body.
 */
import { Decimal } from 'decimal.js';
import {
  OrderNotFoundError,
  RateLimitedError,
  VenueRejectError,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type SignedOrder,
} from 'perp-arb-engine/engine/exchange/orders.ts';
import type { Clock } from 'perp-arb-engine/engine/core/clock.ts';

interface WireOrder {
  clientId: string;
  id: string;
  symbol: string;
  status: OrderState['status'];
  filled: string;
  avgPrice?: string;
}
interface WireFill {
  id: string;
  clientId: string;
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: string;
  size: string;
  fee: string;
  time: number;
}

const state = (o: WireOrder): OrderState => ({
  clientId: o.clientId,
  symbol: o.symbol,
  venueOrderId: o.id,
  status: o.status,
  filledSize: new Decimal(o.filled),
  ...(o.avgPrice ? { averagePrice: new Decimal(o.avgPrice) } : {}),
});

export class KappaOrderGateway implements OrderGateway {
  constructor(
    private readonly restUrl: string,
    private readonly apiKey: string,
    private readonly clock: Clock,
  ) {}

  private async call<T>(method: string, path: string, operation: string, body?: unknown): Promise<{ status: number; json: T & { error?: { code: string; message: string } } }> {
    const res = await fetch(`${this.restUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-kappa-key': this.apiKey },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status === 429) throw new RateLimitedError('kappa', operation, undefined);
    const json = (await res.json()) as T & { error?: { code: string; message: string } };
    if (res.status >= 400 && res.status !== 404) throw new VenueRejectError('kappa', json.error?.code ?? `HTTP_${res.status}`, `${operation}: ${json.error?.message ?? ''}`);
    return { status: res.status, json };
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    if (request.timeInForce !== 'IOC' || !request.price) throw new VenueRejectError('kappa', 'INVALID_ORDER', 'kappa takes IOC limit orders only');
    const wire = { clientId: request.clientId, symbol: request.symbol, side: request.side, size: request.size.toString(), price: request.price.toString(), tif: 'IOC' };
    return { request, wire, signedAt: this.clock.now() };
  }

  async send(order: SignedOrder): Promise<OrderState> {
    const { json } = await this.call<{ order: WireOrder }>('POST', '/orders', 'create order', order.wire);
    return state(json.order);
  }

  async cancel(order: OrderLocator): Promise<void> {
    await this.call('DELETE', `/orders/${encodeURIComponent(order.clientId)}`, 'cancel');
  }

  async report(order: OrderLocator): Promise<OrderReport> {
    const { status, json } = await this.call<{ order: WireOrder; fills: WireFill[] }>('GET', `/orders/${encodeURIComponent(order.clientId)}`, 'order report');
    if (status === 404) throw new OrderNotFoundError('kappa', order.clientId);
    return {
      state: state(json.order),
      fills: json.fills.map((f) => ({
        venue: 'kappa',
        symbol: f.symbol,
        clientId: f.clientId,
        venueOrderId: f.orderId,
        fillId: f.id,
        side: f.side,
        price: new Decimal(f.price),
        size: new Decimal(f.size),
        fee: new Decimal(f.fee),
        liquidity: 'taker' as const,
        time: f.time,
      })),
    };
  }

  async positions(): Promise<Position[]> {
    const { json } = await this.call<{ positions: Array<{ symbol: string; size: string }> }>('GET', '/positions', 'positions');
    return json.positions.map((p) => ({ venue: 'kappa', symbol: p.symbol, size: new Decimal(p.size) }));
  }

  async openOrders(): Promise<OrderState[]> {
    const { json } = await this.call<{ orders: WireOrder[] }>('GET', '/orders?status=open', 'open orders');
    return json.orders.map(state);
  }

  async accountValue(): Promise<Decimal> {
    const { json } = await this.call<{ equity: string }>('GET', '/account', 'account');
    return new Decimal(json.equity);
  }
}
