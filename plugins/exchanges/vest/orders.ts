/**
 * Vest order gateway. Every private call carries `xrestservermm: restserver{accountGroup}` and
 * `X-API-KEY`; GETs carry `time` as the docs ask.
 *
 * Nonces: the docs recommend the time as nonce; we hand out max(now, last + 1) so two orders in
 * the same millisecond never share one, seeded once from GET /account/nonce (lastNonce). On
 * INVALID_NONCE (1023) the venue did not act: we resync, re-sign with a fresh nonce and send once
 * more.
 *
 * Finding an order (report, cancel). Source: Vest API docs, GET /orders (hummingbot/hummingbot
 * VEST_API_DOCS.md @ 0d60409b, the copy of https://docs.vest.exchange/getting-started/vest-api):
 * parameters `id` ("accepts comma-separated list of ids"), `nonce`, `symbol`, `orderType`,
 * `status` ("returns all statuses by default"), startTime, endTime, limit (default 1000). So one
 * request finds an order whatever its status, FILLED and CANCELLED included.
 * - Vest has no client order id: our clientId finds its order through the signed nonce. sign()
 *   puts the nonce, signing time and signed fields on SignedOrder.venueRef (journaled before the
 *   send) and `time + recvWindow` on executableUntil ("server will discard if server ts > time +
 *   recvWindow", POST /orders). A restarted gateway finds the order from the venueRef alone.
 * - The venue's order id (POST /orders answers `{id}`) is used once known (locator.venueOrderId
 *   or an earlier answer): `GET /orders?id=`.
 * - An INVALID_NONCE retry is re-signed with a nonce the journal never saw. After a restart a miss
 *   by nonce therefore asks once more by the signed fields within the order's executable window
 *   (symbol, startTime/endTime) and takes our own order with the same side, type, size and price.
 * - Fills: Vest has no per-fill endpoint; an order's fill is its aggregate (avgFilledPrice, fees),
 *   see order-codec.ts. The docs mark lastFilledSize/avgFilledPrice "null if status != FILLED": a
 *   partly filled, then cancelled order is summed from the account stream's executions
 *   (private-stream.ts) and never read as zero filled (order-codec.ts `fillUnknown`).
 * - What is left when the stream missed those executions (it was reconnecting when the order
 *   executed): the documented private REST API (same docs: /account, /account/nonce,
 *   /account/leverage, /orders, /orders/cancel, /lp, /transfer, /account/listenKey) has no
 *   account fills or trades history, and GET /trades is the public tape (id, price, qty, time: no
 *   account, no order id). hummingbot's Vest constants list the same private paths and no fills
 *   path (hummingbot/hummingbot @ 0d60409b,
 *   hummingbot/connector/derivative/vest_perpetual/vest_perpetual_constants.py). Hosts outside the documented API
 *   (the web app's gateway) are not relied on. What REST does give is GET /account `positions`
 *   (symbol, isLong, size, entryPrice): report() marks such an order `fillUnknown` and the
 *   executor reads the size from the position against the journal (engine/execution/position-fill.ts).
 * - An HTTP 200 that carries `{code, msg}` is an error ("Vest reports some errors as 200 with
 *   {code,msg} (e.g. unknown symbol = 1121)", autopilotaitech/BookDepthIQ-Vest src/vest/rest.ts),
 *   never an empty list.
 * - Cancel is by the venue's id (POST /orders/cancel signs {time, nonce, id}).
 *
 * Rate limits: every request waits for the plugin's one RateLimiter (limits.ts) with its
 * priority: sends 'order', report/cancel/openOrders 'reconcile', account reads and markets
 * 'background'. A report read is not retried inside report() after a 429: the executor waits on
 * `pacing` (outside its deadline) and polls again. HTTP 429 and the docs' TOO_MANY_REQUESTS
 * (1003) or `{"code": 429}` bodies all count as "slow down".
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { SecretSource } from '../../../engine/exchange/connector.ts';
import {
  OrderNotFoundError,
  VenueRejectError,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type RequestPriority,
  type SignedOrder,
  type VenueOrderRef,
} from '../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';
import { checkOrderGrid } from '../shared/order-grid.ts';
import { limitedRequest, OrderOutcomeUnknownError, venueFailure, type VenueResponse } from '../shared/private-rest.ts';
import { PushedOrders } from '../shared/pushed-orders.ts';
import { RateLimiter, type RequestCost } from '../shared/rate-limiter.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { VEST, decodeExchangeInfo } from './codec.ts';
import { vestRestHeaders, type VestOptions } from './config.ts';
import { VEST_COST, VEST_RATE_LIMITS } from './limits.ts';
import {
  VEST_ERRORS,
  decodeVestAccountValue,
  decodeVestOrder,
  decodeVestPositions,
  isVestRateLimited,
  vestAggregateFill,
  vestErrorBody,
  vestErrorOf,
  type VestOrderView,
} from './order-codec.ts';
import { VestPrivateStream } from './private-stream.ts';
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
  /** The plugin's one limiter, shared with the connector's public REST; a gateway alone makes its own. */
  limiter?: RateLimiter;
}

interface Known {
  symbol: string;
  nonce: number;
  id?: string;
}

/** Slack around the executable window when a restarted gateway searches by signed fields. */
const WINDOW_SLACK_MS = 2_000;
/**
 * Not-found grace: Vest documents none. POST /orders answers with the order's id, so an answered
 * send is indexed; the grace covers a send that timed out. Stated default: the recvWindow, past
 * which the venue discards a late order anyway (the executor also waits for executableUntil).
 */
const DEFAULT_NOT_FOUND_GRACE_MS = 5_000;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallOptions {
  cost: RequestCost;
  priority: RequestPriority;
  readRetries?: number;
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
  /** The venue's rate limits; the executor awaits `pacing.ready('reconcile')` before each poll. */
  readonly pacing: RateLimiter;
  readonly notFoundGraceMs: number;
  /** What the account stream has pushed, by client id. */
  readonly pushed = new PushedOrders();
  readonly stream: VestPrivateStream | undefined;
  /** REST requests sent, by operation ("GET /orders"): tests and status lines read it. */
  readonly requestCounts = new Map<string, number>();
  private readonly signer: VestSigner;
  private readonly apiKey: string;
  private readonly secretValues: string[];
  private readonly known = new Map<string, Known>();
  private readonly clientIdByNonce = new Map<number, string>();
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
    this.pacing = deps.limiter ?? new RateLimiter(VEST_RATE_LIMITS, { logger: this.log });
    this.notFoundGraceMs = options.notFoundGraceMs ?? DEFAULT_NOT_FOUND_GRACE_MS;
    if (options.privateStream) {
      this.stream = new VestPrivateStream({
        options,
        listenKey: (method) => this.listenKey(method),
        clientIdOf: (nonce, id) => this.clientIdOf(nonce, id),
        pushed: this.pushed,
        logger: deps.logger,
      });
    }
  }

  /** Start the account stream now (it also starts by itself on the first sign()). */
  startStream(): void {
    this.stream?.start();
  }

  async stop(): Promise<void> {
    await this.stream?.stop();
  }

  /** Re-link a journaled signed order to its clientId (after a restart). */
  remember(order: SignedOrder, venueOrderId?: string): void {
    const body = order.wire as VestOrderBody;
    this.learn(order.request.clientId, { symbol: order.request.symbol, nonce: body.order.nonce, ...(venueOrderId ? { id: venueOrderId } : {}) });
  }

  private learn(clientId: string, k: Known): void {
    this.known.set(clientId, k);
    this.clientIdByNonce.set(k.nonce, clientId);
    if (this.known.size > 5_000) {
      const [oldest, entry] = this.known.entries().next().value!;
      this.known.delete(oldest);
      this.clientIdByNonce.delete(entry.nonce);
    }
  }

  private clientIdOf(nonce: number | undefined, id: string | undefined): string | undefined {
    if (nonce !== undefined) {
      const byNonce = this.clientIdByNonce.get(nonce);
      if (byNonce) return byNonce;
    }
    if (id === undefined) return undefined;
    for (const [clientId, k] of this.known) if (k.id === id) return clientId;
    return undefined;
  }

  private markets(): Promise<Map<string, MarketInfo>> {
    this.marketsPromise ??= (this.count('GET /exchangeInfo'), getJson(joinUrl(this.options.restUrl, 'exchangeInfo'), {
      venue: VEST,
      timeoutMs: this.options.requestTimeoutMs,
      headers: vestRestHeaders(this.options),
      rate: { limiter: this.pacing, cost: VEST_COST.publicGet, priority: 'background' },
    }))
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
    this.synced ??= this.call('GET', 'account/nonce', 'GET /account/nonce', { cost: VEST_COST.account, priority: 'order' }).then((res) => {
      if (res.status !== 200 || vestErrorBody(res.json)) throw this.failure('GET /account/nonce', res);
      const last = (res.json as { lastNonce?: unknown } | undefined)?.lastNonce;
      if (typeof last === 'number' && Number.isSafeInteger(last)) this.nonces.atLeast(last);
    }).catch((err: unknown) => {
      this.synced = undefined;
      throw err;
    });
    return this.synced;
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    this.startStream();
    const market = (await this.markets()).get(request.symbol);
    if (!market) throw new VestCredentialsError(`order ${request.clientId}: market ${request.symbol} is not listed by GET /exchangeInfo`);
    checkOrderGrid(VEST, request, market);
    await this.syncNonce();
    const time = this.deps.clock.now();
    const signed = this.signer.signOrderRequest(request, market, time, this.nonces.next(), this.options.recvWindowMs);
    const o = (signed.wire as VestOrderBody).order;
    // Journaled before the send: the nonce finds the order; the signed fields find a re-signed retry.
    signed.venueRef = { nonce: o.nonce, time: o.time, orderType: o.orderType, isBuy: o.isBuy ? 1 : 0, size: o.size, limitPrice: o.limitPrice };
    signed.executableUntil = time + this.options.recvWindowMs;
    this.remember(signed);
    return signed;
  }

  async send(order: SignedOrder): Promise<OrderState> {
    const clientId = order.request.clientId;
    let current = order;
    for (let attempt = 0; ; attempt++) {
      const op = `POST /orders ${clientId}`;
      const res = await this.call('POST', 'orders', op, { cost: VEST_COST.orders, priority: 'order' }, current.wire);
      if ((res.status === 200 || res.status === 201) && !vestErrorBody(res.json)) {
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

  /** By the venue's id: the locator's (openOrders gives it), one learned earlier, else looked up. */
  async cancel(locator: OrderLocator): Promise<void> {
    const { clientId } = locator;
    const id = locator.venueOrderId ?? this.known.get(clientId)?.id ?? (await this.find(locator)).id;
    await this.syncNonce();
    const body = this.signer.signCancel({ time: this.deps.clock.now(), nonce: this.nonces.next(), id }, this.options.recvWindowMs);
    const op = `POST /orders/cancel ${clientId}`;
    const res = await this.call('POST', 'orders/cancel', op, { cost: VEST_COST.orders, priority: 'reconcile' }, body);
    if ((res.status === 200 || res.status === 201) && !vestErrorBody(res.json)) return;
    throw this.failure(op, res);
  }

  async report(locator: OrderLocator): Promise<OrderReport> {
    const pushed = this.pushed.complete(locator.clientId);
    if (pushed) return pushed;
    const view = await this.find(locator);
    return this.reportOf(view, locator);
  }

  /**
   * The REST view. Where REST cannot say how much filled (fillUnknown), the stream's executions
   * are the answer, but only when the stream saw the order from its NEW push on without a break
   * (one connection delivers pushes in order), so no execution can be missing.
   */
  private reportOf(view: VestOrderView, locator: OrderLocator): OrderReport {
    if (!view.fillUnknown) {
      const fill = vestAggregateFill(view, locator.symbol);
      return { state: view.state, fills: fill ? [fill] : [] };
    }
    const executions = this.pushed.fillsOf(locator.clientId).filter((f) => f.venueOrderId === view.id);
    const streamHasAll = this.stream?.sawEveryPush(locator.clientId) ?? false;
    if (executions.length === 0 || !streamHasAll) {
      // Something executed (fees charged) and nobody says how much: never zero, never final.
      const unknown: OrderReport = { state: { ...view.state, status: 'unknown' }, fills: [] };
      // Over at the venue (CANCELLED: nothing more can fill) and the stream missed pushes (or there
      // is none), so no later answer will give the size: say so, and the executor reads it from the
      // position (engine/execution/position-fill.ts). A stream that has every push is waited for.
      if (view.state.status === 'cancelled' && !streamHasAll) unknown.fillUnknown = { finalStatus: 'cancelled', fee: view.fees };
      return unknown;
    }
    let size = new Decimal(0);
    let notional = new Decimal(0);
    for (const f of executions) {
      size = size.plus(f.size);
      notional = notional.plus(f.size.mul(f.price));
    }
    return { state: { ...view.state, filledSize: size, averagePrice: notional.div(size) }, fills: executions };
  }

  private async find(locator: OrderLocator): Promise<VestOrderView> {
    const { symbol, clientId } = locator;
    const k = this.known.get(clientId);
    const ref = locator.venueRef;
    const id = locator.venueOrderId ?? k?.id;
    const nonce = k?.nonce ?? refNumber(ref, 'nonce');
    if (id === undefined && nonce === undefined) throw new OrderNotFoundError(VEST, clientId, false, 'no nonce or order id known for it (journal without venueRef?)');
    const query = id !== undefined ? `id=${encodeURIComponent(id)}` : `nonce=${nonce}&symbol=${encodeURIComponent(symbol)}`;
    const list = await this.listOrders(`orders?${query}`, `GET /orders ${clientId}`, clientId);
    let view = list.find((v) => (id !== undefined ? v.id === id : v.nonce === nonce));
    // Restarted (nothing in memory) and the journaled nonce missed: a re-signed retry?
    if (!view && !k && ref) view = await this.findBySignedFields(locator, ref);
    if (!view) throw new OrderNotFoundError(VEST, clientId, false, `GET /orders by ${id !== undefined ? `id ${id}` : `nonce ${nonce}`}`);
    if (view.nonce !== undefined) this.learn(clientId, { symbol, nonce: view.nonce, id: view.id });
    return view;
  }

  private async findBySignedFields(locator: OrderLocator, ref: VenueOrderRef): Promise<VestOrderView | undefined> {
    const time = refNumber(ref, 'time');
    const nonce = refNumber(ref, 'nonce');
    if (time === undefined) return undefined;
    const end = time + this.options.recvWindowMs + WINDOW_SLACK_MS;
    const query = new URLSearchParams({ symbol: locator.symbol, startTime: String(time - WINDOW_SLACK_MS), endTime: String(end) });
    const list = await this.listOrders(`orders?${query.toString()}`, `GET /orders ${locator.clientId} (signed fields)`, locator.clientId);
    return list
      .filter((v) => v.nonce !== nonce && v.nonce !== undefined && v.nonce > (nonce ?? 0))
      .filter((v) => v.orderType === ref['orderType'] && (v.isBuy ? 1 : 0) === ref['isBuy'] && v.size?.eq(String(ref['size'])) && v.limitPrice?.eq(String(ref['limitPrice'])))
      .filter((v) => this.clientIdByNonce.get(v.nonce!) === undefined)
      .sort((a, b) => (a.nonce ?? 0) - (b.nonce ?? 0))[0];
  }

  private async listOrders(path: string, op: string, clientId: string): Promise<VestOrderView[]> {
    const res = await this.call('GET', path, op, { cost: VEST_COST.orders, priority: 'reconcile', readRetries: 0 });
    if (res.status !== 200 || vestErrorBody(res.json)) throw this.failure(op, res);
    if (!Array.isArray(res.json)) throw new OrderOutcomeUnknownError(VEST, op, 'answer is not a list of orders');
    const list = res.json as unknown[];
    return this.decodeOr(op, () => list.map((raw, i) => decodeVestOrder(raw, clientId, `[${i}]`)));
  }

  async positions(): Promise<Position[]> {
    const res = await this.call('GET', 'account', 'GET /account', { cost: VEST_COST.account, priority: 'background' });
    if (res.status !== 200 || vestErrorBody(res.json)) throw this.failure('GET /account', res);
    return this.decodeOr('GET /account', () => decodeVestPositions(res.json));
  }

  /** A malformed answer throws the codec's WireFormatError (it names the field): a read has no order outcome to reconcile. */
  async accountValue(): Promise<Decimal> {
    const res = await this.call('GET', 'account', 'GET /account', { cost: VEST_COST.account, priority: 'background' });
    if (res.status !== 200 || vestErrorBody(res.json)) throw this.failure('GET /account', res);
    return decodeVestAccountValue(res.json);
  }

  /** Open orders of every market: one GET /orders per open status (the filter takes one status). */
  async openOrders(): Promise<OrderState[]> {
    const out: OrderState[] = [];
    for (const status of ['NEW', 'PARTIALLY_FILLED']) {
      const op = `GET /orders status=${status}`;
      const res = await this.call('GET', `orders?status=${status}`, op, { cost: VEST_COST.orders, priority: 'reconcile' });
      if (res.status !== 200 || vestErrorBody(res.json)) throw this.failure(op, res);
      if (!Array.isArray(res.json)) throw new OrderOutcomeUnknownError(VEST, op, 'answer is not a list of orders');
      const list = res.json as unknown[];
      this.decodeOr(op, () =>
        list.forEach((raw, i) => {
          const nonce = (raw as { nonce?: unknown }).nonce;
          const view = decodeVestOrder(raw, (typeof nonce === 'number' && this.clientIdByNonce.get(nonce)) || '', `[${i}]`);
          // The kill switch cancels by (symbol, clientId, venueOrderId): openOrders must say the symbol.
          out.push(view.symbol ? { ...view.state, symbol: view.symbol } : view.state);
        }),
      );
    }
    return out;
  }

  /** Resolves on the next push about this order (or after ms); without a stream it just waits. */
  waitForUpdate(clientId: string, ms: number): Promise<void> {
    if (this.stream?.running) return this.pushed.waitForUpdate(clientId, ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** POST (create or reuse), PUT (extend) the account stream's listen key: the stream's REST half. */
  async listenKey(method: 'POST' | 'PUT'): Promise<{ listenKey?: string; code?: string; message: string }> {
    const op = `${method} /account/listenKey`;
    const res = await this.call(method, 'account/listenKey', op, { cost: VEST_COST.account, priority: 'background' });
    const err = vestErrorBody(res.json);
    const key = (res.json as { listenKey?: unknown } | undefined)?.listenKey;
    if (res.status === 200 && !err && typeof key === 'string' && key !== '') return { listenKey: key, message: 'ok' };
    const { code, message } = vestErrorOf(res.json, res.text);
    if (res.status >= 500) throw this.failure(op, res);
    return { ...(code !== undefined ? { code } : {}), message };
  }

  private call(method: Method, path: string, op: string, rate: CallOptions, body?: unknown): Promise<VenueResponse> {
    // GETs carry `time` (docs: private GET parameters).
    const withTime = method === 'GET' ? `${path}${path.includes('?') ? '&' : '?'}time=${this.deps.clock.now()}` : path;
    this.count(`${method} /${path.split('?')[0]}`);
    return limitedRequest({
      venue: VEST,
      method,
      url: joinUrl(this.options.restUrl, withTime),
      headers: { ...vestRestHeaders(this.options), 'X-API-KEY': this.apiKey },
      body,
      timeoutMs: this.options.requestTimeoutMs,
      secrets: this.secretValues,
      limiter: this.pacing,
      cost: rate.cost,
      priority: rate.priority,
      operation: op,
      isRateLimited: (res) => isVestRateLimited(res.json),
      ...(rate.readRetries !== undefined ? { readRetries: rate.readRetries } : {}),
    }).catch((err: unknown) => {
      if (err instanceof OrderOutcomeUnknownError || err instanceof VenueRejectError) throw err;
      throw new OrderOutcomeUnknownError(VEST, op, 'request failed');
    });
  }

  private count(op: string): void {
    this.requestCounts.set(op, (this.requestCounts.get(op) ?? 0) + 1);
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

function refNumber(ref: VenueOrderRef | undefined, key: string): number | undefined {
  const v = ref?.[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}
