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
 * its deadline. sendTx success is the venue's acknowledgement (a tx hash), not a fill.
 *
 * Rate limits: every request waits for the plugin's one RateLimiter (limits.ts, the published
 * table) with its priority: sends and nonces 'order', report/cancel/openOrders 'reconcile',
 * account and markets 'background'. "Slow down" is HTTP 429 or `code` 429 in a 200 body; a report
 * read is not retried inside report() (the executor waits on `pacing`, outside its deadline).
 * Any other non-200 `code` in a 200 body is an error, never an empty list.
 *
 * Finding an order (report), whatever its status:
 * - `GET /api/v1/accountOrders?client_order_indexes=` "Get account orders by client order
 *   indexes ... Supports the last 10K active orders (with no time limits), or the last 1K inactive
 *   orders (in the last 24 hours)", up to 20 indexes (lighter-python docs/OrderApi.md). One
 *   request finds an open, filled or cancelled order; accountActiveOrders shows open orders only
 *   and accountInactiveOrders pages the newest closed ones (weight 100, no client filter).
 * - Fills: `GET /api/v1/trades?order_index=` (same doc: trades filter by account_index and
 *   order_index), asked only when something filled; weight 600 (a Standard account's 40/min).
 * - Not found: the tx hash from the venueRef (journaled before the send) is looked up with
 *   `GET /api/v1/tx?by=hash&value=`. A tx the venue records as failed can never execute: a
 *   definitive OrderNotFoundError. Pending, executed-but-not-indexed, or unknown: not definitive;
 *   the executor waits notFoundGraceMs (options, default 10 s: Lighter publishes no indexing delay,
 *   Hummingbot waits 10 s) and the tx's ExpiredAt (SignedOrder.executableUntil).
 * - A final order never changes: once seen it is not looked up again (a poll cut short by a 429
 *   resumes at the fills), and once its fills add up it is answered from memory.
 * - openOrders(): accountActiveOrders without market_id "returns active orders for all markets"
 *   (OrderApi.md): one request for the kill switch, whatever the number of markets.
 * - Stream first (options.privateStream): when the account stream (private-stream.ts) already
 *   holds the order's end (final state, fills adding up), report() answers from it with no
 *   request at all. While the stream is live, the first report of an order gives the push up to
 *   the taker speed bump plus STREAM_WAIT_MS to arrive (a Standard taker reaches the book 300 ms
 *   after its tx, limits.ts) before spending the REST budget. When REST finds the order final and
 *   the pushed fills already add up, the trades request (weight 600) is skipped.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { SecretSource } from '../../../engine/exchange/connector.ts';
import {
  isFinalOrderStatus,
  OrderNotFoundError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type RequestPriority,
  type SignedOrder,
} from '../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';
import { checkOrderGrid } from '../shared/order-grid.ts';
import { limitedRequest, OrderOutcomeUnknownError, venueFailure, type VenueResponse } from '../shared/private-rest.ts';
import { PushedOrders } from '../shared/pushed-orders.ts';
import { RateLimiter, type RequestCost } from '../shared/rate-limiter.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { LIGHTER, decodeOrderBookDetails } from './codec.ts';
import type { LighterOptions } from './config.ts';
import { isLighterRateLimited, lighterCost, lighterPollCost, lighterRateLimits, LIGHTER_TAKER_DELAY_MS, LIGHTER_WEIGHTS } from './limits.ts';
import { LighterPrivateStream, type LighterStreamToken } from './private-stream.ts';
import { NonceSequencer, isInvalidNonceError, type NonceLease } from './nonce.ts';
import {
  LIGHTER_ERRORS,
  bodyErrorCode,
  clientOrderIndexOf,
  decodeLighterAccountValue,
  decodeLighterOrder,
  decodeLighterOrderFills,
  decodeLighterPositions,
  decodeLighterTx,
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
  /** The plugin's one limiter, shared with the connector's public REST; a gateway alone makes its own. */
  limiter?: RateLimiter;
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
/** Trades asked per fills read: one order's fills, with room to spare. */
const TRADES_PAGE = 100;
/** Beyond the taker speed bump: how long the first report waits for the live stream's push. */
const STREAM_WAIT_MS = 250;

type Endpoint = keyof typeof LIGHTER_WEIGHTS;

interface CallOptions {
  endpoint: Endpoint;
  priority: RequestPriority;
  authed?: boolean;
  /** Reads asked again after a 429 inside this call (default 3; report reads 0). */
  readRetries?: number;
}

/** What we learned about an order that helps find it next time (bounded; a restart has the venueRef). */
interface KnownOrder {
  txHash?: string;
  /** The order as last seen final, with fills adding up: it cannot change. */
  closed?: OrderReport;
  /** The order as last seen final (its fills perhaps not read yet): a poll cut short by a 429 resumes at the fills. */
  final?: LighterOrderView;
  /** The first report already gave the stream its chance. */
  streamWaited?: boolean;
}

export class LighterOrderGateway implements OrderGateway {
  readonly nonces: NonceSequencer;
  /** The venue's rate limits; the executor awaits `pacing.ready('reconcile')` before each poll. */
  readonly pacing: RateLimiter;
  readonly notFoundGraceMs: number;
  /** REST requests sent, by operation ("GET /accountOrders"): tests and status lines read it. */
  readonly requestCounts = new Map<string, number>();
  /** What the account stream has pushed, keyed by the decimal client_order_index. */
  readonly pushed = new PushedOrders();
  readonly stream: LighterPrivateStream | undefined;
  private signerPromise: Promise<LighterSigner> | undefined;
  private marketsPromise: Promise<Map<string, MarketInfo>> | undefined;
  private token: { value: string; renewAt: number } | undefined;
  private readonly apiPrivateKey: string;
  private readonly accountIndex: number;
  private readonly apiKeyIndex: number;
  private readonly log: Logger;
  private readonly known = new Map<string, KnownOrder>();

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
    this.pacing = deps.limiter ?? newLighterPacing(options, this.log);
    // A Standard account refills a poll's weight in seconds: the executor's ready('reconcile')
    // reserves the whole poll (accountOrders + trades) outside its deadline (rate-limiter.ts).
    this.pacing.expectPolls('reconcile', lighterPollCost(options.accountTier));
    // A reconciliation reads positions (background) before its timeout starts: ready('background')
    // reserves one such read, so its wait for the budget is not spent inside that timeout
    // (engine/execution/venue-wait.ts readsAllowed; GET /account weighs 300, "Other endpoints",
    // https://apidocs.lighter.xyz/docs/rate-limits).
    this.pacing.expectPolls('background', this.cost('other'));
    this.notFoundGraceMs = options.notFoundGraceMs;
    this.nonces = new NonceSequencer(() => this.fetchNextNonce(), `account ${this.accountIndex} key ${this.apiKeyIndex}`);
    if (options.privateStream) {
      this.stream = new LighterPrivateStream({
        url: options.wsUrl,
        connection: options,
        accountIndex: this.accountIndex,
        token: () => this.streamToken(),
        pushed: this.pushed,
        logger: deps.logger,
        now: () => deps.clock.now(),
      });
    }
  }

  /** Start the account stream now (it also starts by itself on the first sign()). */
  startStream(): void {
    this.stream?.start();
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
    this.marketsPromise ??= this.countThen('GET /orderBookDetails', () => getJson(joinUrl(this.options.restUrl, 'api/v1/orderBookDetails'), {
      venue: LIGHTER,
      timeoutMs: this.options.requestTimeoutMs,
      rate: { limiter: this.pacing, cost: this.cost('other'), priority: 'background' },
    }))
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
    const op = 'GET /nextNonce';
    const res = await this.get(`api/v1/nextNonce?account_index=${this.accountIndex}&api_key_index=${this.apiKeyIndex}`, op, { endpoint: 'nextNonce', priority: 'order', authed: false });
    this.expectOk(op, res);
    const nonce = (res.json as { nonce?: unknown } | undefined)?.nonce;
    if (typeof nonce !== 'number') throw new OrderOutcomeUnknownError(LIGHTER, op, 'answer has no nonce');
    return nonce;
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    this.startStream();
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
    this.remember(request.clientId, { txHash: tx.txHash });
    const signed: SignedOrder = {
      request,
      wire,
      signedAt: this.deps.clock.now(),
      // Journaled before the send: a restarted gateway looks the order up by client order index
      // and, if the venue shows none, asks for the tx by hash.
      venueRef: { txHash: tx.txHash, clientOrderIndex, marketIndex: spec.marketIndex },
    };
    // The venue executes a tx until its ExpiredAt (the WASM sets now + 10 min - 1 s).
    if (tx.parsed.ExpiredAt > 0) signed.executableUntil = tx.parsed.ExpiredAt;
    return signed;
  }

  async send(order: SignedOrder): Promise<OrderState> {
    let current = order;
    for (let attempt = 0; ; attempt++) {
      const wire = current.wire as LighterWireOrder;
      try {
        const hash = await this.sendTx(wire, `sendTx create ${order.request.clientId}`);
        // The venue's own hash for the tx wins (on Lighter it is the one the signer computed; the
        // simulator, which cannot compute Poseidon2 hashes, answers its own).
        if (hash) this.remember(order.request.clientId, { txHash: hash });
        return { clientId: order.request.clientId, status: 'open', filledSize: new Decimal(0) };
      } catch (err) {
        if (!isInvalidNonceError(err) || attempt >= MAX_NONCE_RETRIES) throw err;
        this.log.warn('invalid nonce; resyncing and re-signing', { clientId: order.request.clientId, nonce: wire.nonce, attempt });
        await this.nonces.invalidNonce(wire.lease);
        current = await this.signWithLease(order.request, await this.market(order.request.symbol, order.request.clientId), await this.nonces.acquire());
      }
    }
  }

  /** Resolves with the venue's `tx_hash` (undefined when the answer has none). */
  private async sendTx(wire: { txType: number; txInfo: string; lease: NonceLease }, op: string): Promise<string | undefined> {
    const form = new URLSearchParams({ tx_type: String(wire.txType), tx_info: wire.txInfo });
    this.count('POST /sendTx');
    const res = await limitedRequest({
      venue: LIGHTER,
      method: 'POST',
      url: joinUrl(this.options.restUrl, 'api/v1/sendTx'),
      body: form,
      timeoutMs: this.options.requestTimeoutMs,
      secrets: [this.apiPrivateKey],
      limiter: this.pacing,
      cost: this.cost('sendTx'),
      priority: 'order',
      operation: op,
      isRateLimited: (r) => isLighterRateLimited(r.status, r.json),
    });
    if (res.status === 200 && bodyErrorCode(res.json) === undefined) {
      const hash = (res.json as { tx_hash?: unknown } | undefined)?.tx_hash;
      return typeof hash === 'string' && hash !== '' ? hash : undefined;
    }
    const failure = this.failure(op, res);
    // A refused tx leaves its nonce unused: later leases would hit a hole, so resync now.
    if (!(failure instanceof OrderOutcomeUnknownError) && !isInvalidNonceError(failure)) void this.nonces.invalidNonce(wire.lease).catch(() => undefined);
    throw failure;
  }

  async cancel(locator: OrderLocator): Promise<void> {
    const { clientId } = locator;
    const view = await this.byClientIndex(locator);
    if (!view) throw new OrderNotFoundError(LIGHTER, clientId, false, 'not in GET /accountOrders');
    // Nothing left to cancel once the order is final.
    if (isFinalOrderStatus(view.state.status)) return;
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

  async report(locator: OrderLocator): Promise<OrderReport> {
    const closed = this.known.get(locator.clientId)?.closed;
    if (closed) return { state: { ...closed.state }, fills: [...closed.fills] };
    const key = pushKey(locator);
    const pushed = this.pushed.complete(key) ?? (await this.awaitStream(locator.clientId, key));
    if (pushed) {
      const report = relabel(pushed, locator.clientId);
      this.remember(locator.clientId, { closed: report });
      return { state: { ...report.state }, fills: [...report.fills] };
    }
    const final = this.known.get(locator.clientId)?.final;
    const view = final ? { ...final, state: { ...final.state } } : await this.byClientIndex(locator);
    if (!view) throw await this.notFound(locator);
    if (!final && isFinalOrderStatus(view.state.status)) this.remember(locator.clientId, { final: view });
    const fills = view.state.filledSize.gt(0) ? (this.pushedFillsOf(locator.clientId, key, view) ?? (await this.fillsOf(locator.clientId, view))) : [];
    const report: OrderReport = { state: view.state, fills };
    let sum = new Decimal(0);
    for (const f of fills) sum = sum.plus(f.size);
    if (isFinalOrderStatus(view.state.status) && sum.eq(view.state.filledSize)) this.remember(locator.clientId, { closed: report });
    return report;
  }

  /** The order whatever its status, by client order index (one request); undefined when the venue shows none. */
  private async byClientIndex({ clientId, venueRef }: OrderLocator): Promise<LighterOrderView | undefined> {
    const ref = venueRef?.['clientOrderIndex'];
    const coi = typeof ref === 'number' ? ref : clientOrderIndexOf(clientId);
    const op = `GET /accountOrders ${clientId}`;
    const res = await this.get(`api/v1/accountOrders?account_index=${this.accountIndex}&client_order_indexes=${coi}`, op, { endpoint: 'other', priority: 'reconcile', readRetries: 0 });
    this.expectOk(op, res);
    const views = this.decodeOr(op, () => ordersOf(res.json).map((raw, i) => decodeLighterOrder(raw, clientId, `orders[${i}]`)));
    // The filter is checked again here: a row for another order is never taken.
    return views.filter((v) => v.clientOrderIndex === coi).sort((a, b) => b.orderIndex - a.orderIndex)[0];
  }

  /** The first report of an order while the stream is live: give the push a moment (see the header). */
  private async awaitStream(clientId: string, key: string): Promise<OrderReport | undefined> {
    if (!this.stream?.live || this.known.get(clientId)?.streamWaited) return undefined;
    this.remember(clientId, { streamWaited: true });
    const wait = LIGHTER_TAKER_DELAY_MS[this.options.accountTier] + STREAM_WAIT_MS;
    const end = Date.now() + wait;
    for (let left = wait; left > 0; left = end - Date.now()) {
      await this.pushed.waitForUpdate(key, left);
      const done = this.pushed.complete(key);
      if (done) return done;
    }
    return undefined;
  }

  /** The pushed fills of this order when they add up to what REST says filled (no trades request then). */
  private pushedFillsOf(clientId: string, key: string, view: LighterOrderView): Fill[] | undefined {
    const fills = this.pushed.fillsOf(key).filter((f) => f.venueOrderId === undefined || f.venueOrderId === view.state.venueOrderId);
    let sum = new Decimal(0);
    for (const f of fills) sum = sum.plus(f.size);
    return fills.length > 0 && sum.eq(view.state.filledSize) ? fills.map((f) => ({ ...f, clientId })) : undefined;
  }

  /** Resolves on the next push about this order (or after ms); without a stream it just waits. */
  waitForUpdate(clientId: string, ms: number): Promise<void> {
    if (this.stream?.running) return this.pushed.waitForUpdate(String(clientOrderIndexOf(clientId)), ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async stop(): Promise<void> {
    await this.stream?.stop();
  }

  /** Why the venue shows no order: its tx failed (definitive), or not known yet (wait). */
  private async notFound(locator: OrderLocator): Promise<OrderNotFoundError> {
    const ref = locator.venueRef?.['txHash'];
    const hash = this.known.get(locator.clientId)?.txHash ?? (typeof ref === 'string' ? ref : undefined);
    if (!hash) return new OrderNotFoundError(LIGHTER, locator.clientId, false, 'not in GET /accountOrders; no tx hash to look up');
    const op = `GET /tx ${locator.clientId}`;
    const res = await this.get(`api/v1/tx?by=hash&value=${encodeURIComponent(hash)}`, op, { endpoint: 'other', priority: 'reconcile', authed: false, readRetries: 0 });
    if (res.status >= 500) throw this.failure(op, res);
    if (res.status !== 200 || bodyErrorCode(res.json) !== undefined) {
      return new OrderNotFoundError(LIGHTER, locator.clientId, false, `not in GET /accountOrders; tx ${hash.slice(0, 16)} not indexed yet`);
    }
    const tx = this.decodeOr(op, () => decodeLighterTx(res.json));
    if (tx.fate === 'failed') return new OrderNotFoundError(LIGHTER, locator.clientId, true, `tx ${hash.slice(0, 16)} failed (status ${tx.status}): it can never execute`);
    return new OrderNotFoundError(LIGHTER, locator.clientId, false, `not in GET /accountOrders; tx ${hash.slice(0, 16)} ${tx.fate}`);
  }

  private async fillsOf(clientId: string, view: LighterOrderView): Promise<Fill[]> {
    const op = `GET /trades ${clientId}`;
    const query = `account_index=${this.accountIndex}&order_index=${view.orderIndex}&sort_by=timestamp&limit=${TRADES_PAGE}`;
    const res = await this.get(`api/v1/trades?${query}`, op, { endpoint: 'trades', priority: 'reconcile', readRetries: 0 });
    this.expectOk(op, res);
    return this.decodeOr(op, () => decodeLighterOrderFills(res.json, this.accountIndex, view.orderIndex, clientId));
  }

  async positions(): Promise<Position[]> {
    const op = 'GET /account';
    const res = await this.get(`api/v1/account?by=index&value=${this.accountIndex}`, op, { endpoint: 'other', priority: 'background', authed: false });
    this.expectOk(op, res);
    return this.decodeOr(op, () => decodeLighterPositions(res.json));
  }

  /**
   * From the public account endpoint positions() reads. A malformed answer throws the codec's
   * WireFormatError (it names the field): a read has no order outcome to reconcile.
   */
  async accountValue(): Promise<Decimal> {
    const op = 'GET /account';
    const res = await this.get(`api/v1/account?by=index&value=${this.accountIndex}`, op, { endpoint: 'other', priority: 'background', authed: false });
    this.expectOk(op, res);
    return decodeLighterAccountValue(res.json);
  }

  /** Open orders on every market in one request (accountActiveOrders without market_id). */
  async openOrders(): Promise<OrderState[]> {
    const op = 'GET /accountActiveOrders';
    const res = await this.get(`api/v1/accountActiveOrders?account_index=${this.accountIndex}`, op, { endpoint: 'other', priority: 'reconcile' });
    this.expectOk(op, res);
    // The kill switch cancels by (symbol, clientId): say the symbol, and name an order whose clientId we
    // never knew by its decimal client_order_index (clientOrderIndexOf maps that back to itself).
    return this.decodeOr(op, () =>
      ordersOf(res.json).map((raw, i) => {
        const view = decodeLighterOrder(raw, '', `orders[${i}]`);
        return { ...view.state, clientId: String(view.clientOrderIndex), symbol: String(view.marketIndex) };
      }),
    );
  }

  private async authToken(): Promise<string> {
    const now = this.deps.clock.now();
    if (this.token && now < this.token.renewAt) return this.token.value;
    const life = this.options.authTokenLifetimeSec;
    const value = (await this.signer()).authToken(Math.floor(now / 1000) + life);
    this.token = { value, renewAt: now + life * 800 };
    return value;
  }

  /** A token for the account stream's subscriptions, minted fresh for each connection. */
  private async streamToken(): Promise<LighterStreamToken> {
    const now = this.deps.clock.now();
    const life = this.options.authTokenLifetimeSec;
    const value = (await this.signer()).authToken(Math.floor(now / 1000) + life);
    return { value, renewAt: now + life * 800 };
  }

  private cost(endpoint: Endpoint): RequestCost {
    return lighterCost(this.options.accountTier, endpoint);
  }

  private async get(path: string, op: string, call: CallOptions): Promise<VenueResponse> {
    const token = call.authed === false ? undefined : await this.authToken();
    this.count(op.split(' ').slice(0, 2).join(' '));
    return limitedRequest({
      venue: LIGHTER,
      method: 'GET',
      url: joinUrl(this.options.restUrl, token ? `${path}&auth=${encodeURIComponent(token)}` : path),
      ...(token ? { headers: { authorization: token } } : {}),
      timeoutMs: this.options.requestTimeoutMs,
      secrets: [this.apiPrivateKey, ...(token ? [token] : [])],
      limiter: this.pacing,
      cost: this.cost(call.endpoint),
      priority: call.priority,
      operation: op,
      isRateLimited: (r) => isLighterRateLimited(r.status, r.json),
      ...(call.readRetries !== undefined ? { readRetries: call.readRetries } : {}),
    }).catch((err: unknown) => {
      if (err instanceof Error && (err.name === 'RateLimitedError' || err instanceof OrderOutcomeUnknownError)) throw err;
      throw new OrderOutcomeUnknownError(LIGHTER, op, 'request failed');
    });
  }

  /** HTTP 200 with body code 200 (or none); anything else is the venue's refusal, never an empty answer. */
  private expectOk(op: string, res: VenueResponse): void {
    if (res.status !== 200 || bodyErrorCode(res.json) !== undefined) throw this.failure(op, res);
  }

  private countThen<T>(op: string, run: () => T): T {
    this.count(op);
    return run();
  }

  private count(op: string): void {
    this.requestCounts.set(op, (this.requestCounts.get(op) ?? 0) + 1);
  }

  private remember(clientId: string, update: KnownOrder): void {
    this.known.set(clientId, { ...this.known.get(clientId), ...update });
    if (this.known.size > 5_000) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
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

/** Pushes are keyed by the venue's client_order_index (private-stream.ts). */
function pushKey({ clientId, venueRef }: OrderLocator): string {
  const ref = venueRef?.['clientOrderIndex'];
  return String(typeof ref === 'number' ? ref : clientOrderIndexOf(clientId));
}

/** A pushed report under our clientId (the stream knows only the client_order_index). */
function relabel(report: OrderReport, clientId: string): OrderReport {
  return { state: { ...report.state, clientId }, fills: report.fills.map((f) => ({ ...f, clientId })) };
}

/** The plugin's limiter for this account tier (limits.ts). */
export function newLighterPacing(options: Pick<LighterOptions, 'accountTier' | 'rateLimitBackOffMs'>, logger?: Logger): RateLimiter {
  return new RateLimiter(lighterRateLimits(options.accountTier, options.rateLimitBackOffMs), logger ? { logger } : {});
}
