/**
 * Vest order gateway. Every private call carries `xrestservermm: restserver{accountGroup}` and
 * `X-API-KEY`; GETs carry `time` as the docs ask.
 *
 * Nonces: the docs recommend the time as nonce; we hand out max(now, last + 1) so two orders in
 * the same millisecond never share one, seeded once from GET /account/nonce (lastNonce). On
 * INVALID_NONCE (1023) the venue did not act: we resync, re-sign with a fresh nonce and send once
 * more. Vest has no client order id, so the signed nonce is how our clientId finds its order
 * (`GET /orders?nonce=`); `remember()` restores that link from a journaled SignedOrder after a
 * restart.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { SecretSource } from '../../../engine/exchange/connector.ts';
import {
  OrderNotFoundError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type SignedOrder,
} from '../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';
import { checkOrderGrid } from '../shared/order-grid.ts';
import { OrderOutcomeUnknownError, venueFailure, venueRequest, type VenueResponse } from '../shared/private-rest.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { VEST, decodeExchangeInfo } from './codec.ts';
import { vestRestHeaders, type VestOptions } from './config.ts';
import { VEST_ERRORS, decodeVestAccountValue, decodeVestOrder, decodeVestPositions, vestAggregateFill, vestErrorOf, type VestOrderView } from './order-codec.ts';
import { VestSigner, type VestOrderBody } from './signer.ts';

export class VestCredentialsError extends Error {
  constructor(message: string) {
    super(`vest: ${message}`);
    this.name = 'VestCredentialsError';
  }
}

export interface VestGatewayDeps {
  clock: Clock;
  logger: Logger;
  secrets: SecretSource;
  optionsPath?: string;
}

interface Known {
  symbol: string;
  nonce: number;
  id?: string;
}

/** Time-based nonces, strictly increasing in this process, never below the venue's lastNonce. */
export class VestNonces {
  private last = 0;
  constructor(private readonly clock: Clock) {}
  next(): number {
    this.last = Math.max(this.clock.now(), this.last + 1);
    return this.last;
  }
  atLeast(lastNonce: number): void {
    this.last = Math.max(this.last, lastNonce);
  }
}

export class VestOrderGateway implements OrderGateway {
  readonly nonces: VestNonces;
  private readonly signer: VestSigner;
  private readonly apiKey: string;
  private readonly secretValues: string[];
  private readonly known = new Map<string, Known>();
  private marketsPromise: Promise<Map<string, MarketInfo>> | undefined;
  private synced: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly options: VestOptions,
    private readonly deps: VestGatewayDeps,
  ) {
    const path = deps.optionsPath ?? 'venues.vest';
    const creds = options.credentials;
    if (!creds) throw new VestCredentialsError(`live mode needs ${path}.credentials (signingKey, apiKey: { env } or { file })`);
    const signingKey = deps.secrets.read(creds.signingKey, `${path}.credentials.signingKey`);
    this.apiKey = deps.secrets.read(creds.apiKey, `${path}.credentials.apiKey`);
    this.secretValues = [signingKey, this.apiKey];
    this.signer = new VestSigner({ signingKey, ...(options.signingScheme ? { scheme: options.signingScheme } : {}) });
    this.nonces = new VestNonces(deps.clock);
    this.log = deps.logger.child({ venue: VEST, component: 'orders' });
  }

  /** Re-link a journaled signed order to its clientId (after a restart). */
  remember(order: SignedOrder, venueOrderId?: string): void {
    const body = order.wire as VestOrderBody;
    this.known.set(order.request.clientId, { symbol: order.request.symbol, nonce: body.order.nonce, ...(venueOrderId ? { id: venueOrderId } : {}) });
  }

  private markets(): Promise<Map<string, MarketInfo>> {
    this.marketsPromise ??= getJson(joinUrl(this.options.restUrl, 'exchangeInfo'), { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options) })
      .then((body) => new Map(decodeExchangeInfo(body, this.options.missingTickSize ?? 'refuse').map((m) => [m.symbol, m])))
      .catch((err: unknown) => {
        this.marketsPromise = undefined;
        throw err;
      });
    return this.marketsPromise;
  }

  /** Seed the nonce floor from GET /account/nonce once (and again after INVALID_NONCE). */
  private syncNonce(force = false): Promise<void> {
    if (force) this.synced = undefined;
    this.synced ??= this.call('GET', 'account/nonce', 'GET /account/nonce').then((res) => {
      if (res.status !== 200) throw this.failure('GET /account/nonce', res);
      const last = (res.json as { lastNonce?: unknown } | undefined)?.lastNonce;
      if (typeof last === 'number' && Number.isSafeInteger(last)) this.nonces.atLeast(last);
    }).catch((err: unknown) => {
      this.synced = undefined;
      throw err;
    });
    return this.synced;
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    const market = (await this.markets()).get(request.symbol);
    if (!market) throw new VestCredentialsError(`order ${request.clientId}: market ${request.symbol} is not listed by GET /exchangeInfo`);
    checkOrderGrid(VEST, request, market);
    await this.syncNonce();
    const time = this.deps.clock.now();
    const signed = this.signer.signOrderRequest(request, market, time, this.nonces.next(), this.options.recvWindowMs);
    this.remember(signed);
    return signed;
  }

  async send(order: SignedOrder): Promise<OrderState> {
    const clientId = order.request.clientId;
    let current = order;
    for (let attempt = 0; ; attempt++) {
      const op = `POST /orders ${clientId}`;
      const res = await this.call('POST', 'orders', op, current.wire);
      if (res.status === 200 || res.status === 201) {
        const id = (res.json as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string' || id === '') throw new OrderOutcomeUnknownError(VEST, op, 'answer has no order id');
        this.remember(current, id);
        return { clientId, venueOrderId: id, status: 'open', filledSize: new Decimal(0) };
      }
      const { code } = vestErrorOf(res.json, res.text);
      if (code === '1023' && attempt === 0) {
        // Refused for its nonce: not placed. Resync and re-sign the same request once.
        this.log.warn('invalid nonce; resyncing and re-signing once', { clientId });
        await this.syncNonce(true);
        current = await this.sign(order.request);
        continue;
      }
      throw this.failure(op, res);
    }
  }

  async cancel({ symbol, clientId }: OrderLocator): Promise<void> {
    const id = (await this.find(symbol, clientId)).id;
    await this.syncNonce();
    const body = this.signer.signCancel({ time: this.deps.clock.now(), nonce: this.nonces.next(), id }, this.options.recvWindowMs);
    const op = `POST /orders/cancel ${clientId}`;
    const res = await this.call('POST', 'orders/cancel', op, body);
    if (res.status === 200 || res.status === 201) return;
    throw this.failure(op, res);
  }

  private async find(symbol: string, clientId: string): Promise<VestOrderView> {
    const k = this.known.get(clientId);
    if (!k) throw new OrderNotFoundError(VEST, clientId);
    const query = k.id ? `id=${encodeURIComponent(k.id)}` : `nonce=${k.nonce}&symbol=${encodeURIComponent(symbol)}`;
    const op = `GET /orders ${clientId}`;
    const res = await this.call('GET', `orders?${query}`, op);
    if (res.status !== 200) throw this.failure(op, res);
    const list = this.decodeOr(op, () => (Array.isArray(res.json) ? res.json : []).map((raw, i) => decodeVestOrder(raw, clientId, `[${i}]`)));
    const view = list.find((v) => (k.id ? v.id === k.id : v.nonce === k.nonce));
    if (!view) throw new OrderNotFoundError(VEST, clientId);
    k.id = view.id;
    return view;
  }

  async report({ symbol, clientId }: OrderLocator): Promise<OrderReport> {
    const view = await this.find(symbol, clientId);
    const fill = vestAggregateFill(view, symbol);
    return { state: view.state, fills: fill ? [fill] : [] };
  }

  async positions(): Promise<Position[]> {
    const res = await this.call('GET', 'account', 'GET /account');
    if (res.status !== 200) throw this.failure('GET /account', res);
    return this.decodeOr('GET /account', () => decodeVestPositions(res.json));
  }

  /** A malformed answer throws the codec's WireFormatError (it names the field): a read has no order outcome to reconcile. */
  async accountValue(): Promise<Decimal> {
    const res = await this.call('GET', 'account', 'GET /account');
    if (res.status !== 200) throw this.failure('GET /account', res);
    return decodeVestAccountValue(res.json);
  }

  async openOrders(): Promise<OrderState[]> {
    const out: OrderState[] = [];
    const byNonce = new Map([...this.known].map(([cid, k]) => [k.nonce, cid]));
    for (const status of ['NEW', 'PARTIALLY_FILLED']) {
      const op = `GET /orders status=${status}`;
      const res = await this.call('GET', `orders?status=${status}`, op);
      if (res.status !== 200) throw this.failure(op, res);
      const list = Array.isArray(res.json) ? res.json : [];
      this.decodeOr(op, () =>
        list.forEach((raw, i) => {
          const nonce = (raw as { nonce?: unknown }).nonce;
          const view = decodeVestOrder(raw, (typeof nonce === 'number' && byNonce.get(nonce)) || '', `[${i}]`);
          // The kill switch cancels by (symbol, clientId): openOrders must say the symbol.
          out.push(view.symbol ? { ...view.state, symbol: view.symbol } : view.state);
        }),
      );
    }
    return out;
  }

  private call(method: 'GET' | 'POST', path: string, op: string, body?: unknown): Promise<VenueResponse> {
    // GETs carry `time` (docs: private GET parameters).
    const withTime = method === 'GET' ? `${path}${path.includes('?') ? '&' : '?'}time=${this.deps.clock.now()}` : path;
    return venueRequest({
      venue: VEST,
      method,
      url: joinUrl(this.options.restUrl, withTime),
      headers: { ...vestRestHeaders(this.options), 'X-API-KEY': this.apiKey },
      body,
      timeoutMs: this.options.requestTimeoutMs,
      secrets: this.secretValues,
    }).catch((err: unknown) => {
      throw err instanceof OrderOutcomeUnknownError ? err : new OrderOutcomeUnknownError(VEST, op, 'request failed');
    });
  }

  private failure(op: string, res: VenueResponse): Error {
    const { code, message } = vestErrorOf(res.json, res.text);
    return venueFailure(VEST, op, res.status, code, message, VEST_ERRORS, this.secretValues);
  }

  private decodeOr<T>(op: string, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      throw new OrderOutcomeUnknownError(VEST, op, `unreadable answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
