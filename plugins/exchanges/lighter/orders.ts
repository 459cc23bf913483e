/**
 * Lighter order gateway: txs signed by the WASM signer (signer.ts), sent form-encoded to
 * POST /api/v1/sendTx (`tx_type`, `tx_info`), nonces from one sequencer per API key (nonce.ts).
 *
 * Nonces are strictly sequential per key and a refused tx does not consume its nonce. sign() leases
 * a nonce; if the venue answers "invalid nonce" (orders sent out of lease order, another process on
 * the key, a hole left by a refused tx), send() resyncs the sequencer from /nextNonce (once per
 * epoch, however many orders fail together), re-signs the same order with a fresh lease and sends
 * again, at most twice. The sequencer never hands one nonce to two orders.
 *
 * Private GETs carry an auth token ("{deadline}:{account}:{key}:{sig}") as `auth`, renewed before
 * its deadline. sendTx success is the venue's acknowledgement (a tx hash), not a fill: the order
 * is reported `open` and its fate read from accountActiveOrders / accountInactiveOrders.
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
import { LIGHTER, decodeOrderBookDetails } from './codec.ts';
import type { LighterOptions } from './config.ts';
import { NonceSequencer, isInvalidNonceError, type NonceLease } from './nonce.ts';
import {
  LIGHTER_ERRORS,
  clientOrderIndexOf,
  decodeLighterAccountValue,
  decodeLighterFills,
  decodeLighterOrder,
  decodeLighterPositions,
  lighterErrorOf,
  ordersOf,
  type LighterOrderView,
} from './order-codec.ts';
import { LIGHTER_TX_TYPE, lighterOrderFromRequest, loadLighterSigner, type LighterSigner } from './signer.ts';

export class LighterCredentialsError extends Error {
  constructor(message: string) {
    super(`lighter: ${message}`);
    this.name = 'LighterCredentialsError';
  }
}

export interface LighterGatewayDeps {
  clock: Clock;
  logger: Logger;
  secrets: SecretSource;
  optionsPath?: string;
}

/** What travels in SignedOrder.wire for Lighter. */
export interface LighterWireOrder {
  txType: number;
  txInfo: string;
  txHash: string;
  nonce: number;
  clientOrderIndex: number;
  marketIndex: number;
  /** Lease the nonce came from; lets a refusal resync only once per epoch. */
  lease: NonceLease;
}

const MAX_NONCE_RETRIES = 2;

export class LighterOrderGateway implements OrderGateway {
  readonly nonces: NonceSequencer;
  private signerPromise: Promise<LighterSigner> | undefined;
  private marketsPromise: Promise<Map<string, MarketInfo>> | undefined;
  private token: { value: string; renewAt: number } | undefined;
  private readonly apiPrivateKey: string;
  private readonly accountIndex: number;
  private readonly apiKeyIndex: number;
  private readonly log: Logger;

  constructor(
    private readonly options: LighterOptions,
    private readonly deps: LighterGatewayDeps,
  ) {
    const path = deps.optionsPath ?? 'venues.lighter';
    const creds = options.credentials;
    if (!creds) throw new LighterCredentialsError(`live mode needs ${path}.credentials (apiPrivateKey: { env } or { file }, accountIndex, apiKeyIndex)`);
    this.apiPrivateKey = deps.secrets.read(creds.apiPrivateKey, `${path}.credentials.apiPrivateKey`);
    this.accountIndex = creds.accountIndex;
    this.apiKeyIndex = creds.apiKeyIndex;
    this.log = deps.logger.child({ venue: LIGHTER, component: 'orders' });
    this.nonces = new NonceSequencer(() => this.fetchNextNonce(), `account ${this.accountIndex} key ${this.apiKeyIndex}`);
  }

  private signer(): Promise<LighterSigner> {
    this.signerPromise ??= loadLighterSigner({ now: () => this.deps.clock.now() })
      .then((wasm) =>
        wasm.signerFor({ apiPrivateKey: this.apiPrivateKey, accountIndex: this.accountIndex, apiKeyIndex: this.apiKeyIndex, chainId: this.options.chainId }),
      )
      .catch((err: unknown) => {
        this.signerPromise = undefined;
        throw err;
      });
    return this.signerPromise;
  }

  private markets(): Promise<Map<string, MarketInfo>> {
    this.marketsPromise ??= getJson(joinUrl(this.options.restUrl, 'api/v1/orderBookDetails'), { venue: LIGHTER, timeoutMs: this.options.requestTimeoutMs })
      .then((body) => new Map(decodeOrderBookDetails(body).map((m) => [m.symbol, m])))
      .catch((err: unknown) => {
        this.marketsPromise = undefined;
        throw err;
      });
    return this.marketsPromise;
  }

  private async market(symbol: string, clientId: string): Promise<MarketInfo> {
    const m = (await this.markets()).get(symbol);
    if (!m) throw new LighterCredentialsError(`order ${clientId}: market ${symbol} is not listed by orderBookDetails`);
    return m;
  }

  private async fetchNextNonce(): Promise<number> {
    const res = await this.get(`api/v1/nextNonce?account_index=${this.accountIndex}&api_key_index=${this.apiKeyIndex}`, 'GET /nextNonce', false);
    if (res.status !== 200) throw this.failure('GET /nextNonce', res);
    const nonce = (res.json as { nonce?: unknown } | undefined)?.nonce;
    if (typeof nonce !== 'number') throw new OrderOutcomeUnknownError(LIGHTER, 'GET /nextNonce', 'answer has no nonce');
    return nonce;
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    const market = await this.market(request.symbol, request.clientId);
    checkOrderGrid(LIGHTER, request, market);
    return this.signWithLease(request, market, await this.nonces.acquire());
  }

  private async signWithLease(request: OrderRequest, market: MarketInfo, lease: NonceLease): Promise<SignedOrder> {
    const signer = await this.signer();
    const clientOrderIndex = clientOrderIndexOf(request.clientId);
    const spec = { marketIndex: Number(market.symbol), priceDecimals: market.priceDecimals, sizeDecimals: market.sizeDecimals };
    const tx = signer.createOrder(lighterOrderFromRequest(request, spec, clientOrderIndex, lease.nonce));
    const wire: LighterWireOrder = { txType: tx.txType, txInfo: tx.txInfo, txHash: tx.txHash, nonce: lease.nonce, clientOrderIndex, marketIndex: spec.marketIndex, lease };
    return { request, wire, signedAt: this.deps.clock.now() };
  }

  async send(order: SignedOrder): Promise<OrderState> {
    let current = order;
    for (let attempt = 0; ; attempt++) {
      const wire = current.wire as LighterWireOrder;
      try {
        await this.sendTx(wire, `sendTx create ${order.request.clientId}`);
        return { clientId: order.request.clientId, status: 'open', filledSize: new Decimal(0) };
      } catch (err) {
        if (!isInvalidNonceError(err) || attempt >= MAX_NONCE_RETRIES) throw err;
        this.log.warn('invalid nonce; resyncing and re-signing', { clientId: order.request.clientId, nonce: wire.nonce, attempt });
        await this.nonces.invalidNonce(wire.lease);
        current = await this.signWithLease(order.request, await this.market(order.request.symbol, order.request.clientId), await this.nonces.acquire());
      }
    }
  }

  private async sendTx(wire: { txType: number; txInfo: string; lease: NonceLease }, op: string): Promise<void> {
    const form = new URLSearchParams({ tx_type: String(wire.txType), tx_info: wire.txInfo });
    const res = await venueRequest({
      venue: LIGHTER,
      method: 'POST',
      url: joinUrl(this.options.restUrl, 'api/v1/sendTx'),
      body: form,
      timeoutMs: this.options.requestTimeoutMs,
      secrets: [this.apiPrivateKey],
    });
    const { code } = lighterErrorOf(res.json, res.text);
    if (res.status === 200 && (code === undefined || code === '200')) return;
    const failure = this.failure(op, res);
    // A refused tx leaves its nonce unused: later leases would hit a hole, so resync now.
    if (!(failure instanceof OrderOutcomeUnknownError) && !isInvalidNonceError(failure)) void this.nonces.invalidNonce(wire.lease).catch(() => undefined);
    throw failure;
  }

  async cancel({ symbol, clientId }: OrderLocator): Promise<void> {
    const view = await this.find(symbol, clientId);
    const signer = await this.signer();
    for (let attempt = 0; ; attempt++) {
      const lease = await this.nonces.acquire();
      const tx = signer.cancelOrder(view.marketIndex, view.orderIndex, lease.nonce);
      try {
        await this.sendTx({ txType: tx.txType === -1 ? LIGHTER_TX_TYPE.cancelOrder : tx.txType, txInfo: tx.txInfo, lease }, `sendTx cancel ${clientId}`);
        return;
      } catch (err) {
        if (!isInvalidNonceError(err) || attempt >= MAX_NONCE_RETRIES) throw err;
        await this.nonces.invalidNonce(lease);
      }
    }
  }

  private async find(symbol: string, clientId: string): Promise<LighterOrderView> {
    const coi = clientOrderIndexOf(clientId);
    for (const which of ['accountActiveOrders', 'accountInactiveOrders'] as const) {
      const extra = which === 'accountInactiveOrders' ? '&limit=100' : '';
      const op = `GET /${which} ${clientId}`;
      const res = await this.get(`api/v1/${which}?account_index=${this.accountIndex}&market_id=${encodeURIComponent(symbol)}${extra}`, op);
      if (res.status !== 200) throw this.failure(op, res);
      const views = this.decodeOr(op, () => ordersOf(res.json).map((raw, i) => decodeLighterOrder(raw, clientId, `orders[${i}]`)));
      const hit = views.find((v) => v.clientOrderIndex === coi);
      if (hit) return hit;
    }
    throw new OrderNotFoundError(LIGHTER, clientId);
  }

  async report({ symbol, clientId }: OrderLocator): Promise<OrderReport> {
    const view = await this.find(symbol, clientId);
    return { state: view.state, fills: await this.fills(symbol, clientId) };
  }

  private async fills(symbol: string, clientId: string): Promise<Fill[]> {
    const op = `GET /trades ${clientId}`;
    const res = await this.get(`api/v1/trades?account_index=${this.accountIndex}&market_id=${encodeURIComponent(symbol)}&sort_by=timestamp&limit=100`, op);
    if (res.status !== 200) throw this.failure(op, res);
    return this.decodeOr(op, () => decodeLighterFills(res.json, this.accountIndex, clientOrderIndexOf(clientId), clientId));
  }

  async positions(): Promise<Position[]> {
    const res = await this.get(`api/v1/account?by=index&value=${this.accountIndex}`, 'GET /account', false);
    if (res.status !== 200) throw this.failure('GET /account', res);
    return this.decodeOr('GET /account', () => decodeLighterPositions(res.json));
  }

  /**
   * From the public account endpoint positions() reads. A malformed answer throws the codec's
   * WireFormatError (it names the field): a read has no order outcome to reconcile.
   */
  async accountValue(): Promise<Decimal> {
    const res = await this.get(`api/v1/account?by=index&value=${this.accountIndex}`, 'GET /account', false);
    if (res.status !== 200) throw this.failure('GET /account', res);
    return decodeLighterAccountValue(res.json);
  }

  /** Open orders on the markets this gateway has seen (orderBookDetails). */
  async openOrders(): Promise<OrderState[]> {
    const out: OrderState[] = [];
    for (const symbol of (await this.markets()).keys()) {
      const op = `GET /accountActiveOrders ${symbol}`;
      const res = await this.get(`api/v1/accountActiveOrders?account_index=${this.accountIndex}&market_id=${symbol}`, op);
      if (res.status !== 200) throw this.failure(op, res);
      // The kill switch cancels by (symbol, clientId): say the symbol, and name an order whose clientId we
      // never knew by its decimal client_order_index (clientOrderIndexOf maps that back to itself).
      out.push(
        ...this.decodeOr(op, () =>
          ordersOf(res.json).map((raw, i) => {
            const view = decodeLighterOrder(raw, '', `orders[${i}]`);
            return { ...view.state, clientId: String(view.clientOrderIndex), symbol };
          }),
        ),
      );
    }
    return out;
  }

  private async authToken(): Promise<string> {
    const now = this.deps.clock.now();
    if (this.token && now < this.token.renewAt) return this.token.value;
    const life = this.options.authTokenLifetimeSec;
    const value = (await this.signer()).authToken(Math.floor(now / 1000) + life);
    this.token = { value, renewAt: now + life * 800 };
    return value;
  }

  private async get(path: string, op: string, authed = true): Promise<VenueResponse> {
    const token = authed ? await this.authToken() : undefined;
    return venueRequest({
      venue: LIGHTER,
      method: 'GET',
      url: joinUrl(this.options.restUrl, token ? `${path}&auth=${encodeURIComponent(token)}` : path),
      ...(token ? { headers: { authorization: token } } : {}),
      timeoutMs: this.options.requestTimeoutMs,
      secrets: [this.apiPrivateKey, ...(token ? [token] : [])],
    }).catch((err: unknown) => {
      throw err instanceof OrderOutcomeUnknownError ? err : new OrderOutcomeUnknownError(LIGHTER, op, 'request failed');
    });
  }

  private failure(op: string, res: VenueResponse): Error {
    const { code, message } = lighterErrorOf(res.json, res.text);
    // HTTP 200 with a non-200 body code is still a refusal: treat it as a 400.
    const status = res.status === 200 ? 400 : res.status;
    return venueFailure(LIGHTER, op, status, code, message, LIGHTER_ERRORS, [this.apiPrivateKey]);
  }

  private decodeOr<T>(op: string, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      throw new OrderOutcomeUnknownError(LIGHTER, op, `unreadable answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
