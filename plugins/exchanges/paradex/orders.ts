/**
 * Paradex order gateway: signs orders on the market grid, places them with a JWT, and reports
 * any order's state and fills, whatever its status, from the private stream or private REST.
 *
 * - Grid: size and price are checked exactly against GET /markets (tick, size increment) before
 *   signing; the 1e8 scaling happens in the signer.
 * - Auth: every private call carries `Authorization: Bearer <JWT>`; on 401 the token is dropped
 *   and the call retried once with a fresh one (a 401 means the venue did not act).
 * - Rate limits: every request waits for the plugin's one RateLimiter (limits.ts: the venue's
 *   published table) with its priority: sends 'order', report/cancel/openOrders 'reconcile',
 *   positions/account/markets 'background'. A 429 holds the limiter for Retry-After; a send then
 *   fails with RateLimitedError (not acted), a background read is asked again after the hold,
 *   and a report read is not retried inside report(): the executor waits on `pacing` (outside its
 *   deadline) and polls again, so "slow down" never turns into "unresolved".
 * - Outcomes: VenueRejectError with the venue's code for a refusal; OrderOutcomeUnknownError for a
 *   timeout, transport failure or 5xx, so the executor reconciles by report().
 *
 * Finding an order (report):
 * - `GET /orders/by_client_id/{id}` "Only returns orders in OPEN status" and `GET /orders/{id}`
 *   "Only return orders in OPEN or NEW status" (https://docs.paradex.trade/api-reference/prod/orders/get-by-client-id,
 *   https://docs.paradex.trade/api/prod/orders/get.md). A filled, cancelled or expired order is a
 *   404 there; it is found with `GET /orders-history?client_id=` (query client_id, market, side,
 *   status, type, start_at, end_at, page_size default 100, cursor:
 *   https://docs.paradex.trade/api/prod/orders/get-orders.md; paradex-py 334a7f8
 *   paradex_py/api/api_client.py `fetch_orders_history`).
 * - Order of requests: an IOC (or MARKET) order never rests, so by the first poll it is almost
 *   always CLOSED and by_client_id would answer 404: history goes first (one request finds it).
 *   A resting order (GTC, POST_ONLY) is usually still open: by_client_id first (the live view of
 *   an open order), history only when it is no longer open. Known instruction comes from the
 *   SignedOrder's venueRef (journaled before the send, so a restarted gateway knows it too).
 * - Fills: `GET /fills` filters only by market, start_at, end_at, page_size, cursor (and
 *   asset_kind) (https://docs.paradex.trade/api/prod/account/list-fills.md; api_client.py
 *   `fetch_fills`): we ask for the order's market from its creation time and match order_id
 *   ourselves, paging with the cursor until the fills add up to the order's filled size. No fills
 *   request at all when nothing filled. A filled IOC is thus confirmed with its fills in one poll
 *   (two requests).
 * - Stream first: when the private stream (private-stream.ts) already holds the order's end (final
 *   state, fills adding up), report() answers from it with no request at all. While the stream is
 *   live, the first report of an order gives the push up to STREAM_WAIT_MS to arrive (the POST's
 *   answer can overtake the push) before spending the REST budget.
 * - A CLOSED order never changes ("No changes once status=CLOSED", last_updated_at in the order
 *   object, https://docs.paradex.trade/api-reference/prod/orders/get-by-client-id): once seen it is
 *   not looked up again, so a poll cut short by a 429 resumes at the fills.
 * - Never placed: every order carries recv_window (config.ts, 5 s): the API refuses one it
 *   receives later than signature_timestamp + recv_window (https://docs.paradex.trade/api/prod/orders/new),
 *   so a "not found" past SignedOrder.executableUntil (and the grace) means it never got in. One the
 *   API did receive is queued for risk checks as NEW and shows in GET /orders/{id} and history.
 * - Cancel is by client id (`DELETE /orders/by_client_id/{cid}?market=`); it only queues the
 *   cancellation (204). A cancelled order vanishes from by_client_id too, so the confirmation is
 *   report() (orders-history, or the orders stream). Cancelling an order that is no longer open
 *   answers CLIENT_ORDER_ID_NOT_FOUND: if history shows it final there is nothing left to cancel.
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
import { ParadexAuth } from './auth.ts';
import { PARADEX, decodeMarkets } from './codec.ts';
import type { ParadexOptions } from './config.ts';
import { PARADEX_COST, PARADEX_RATE_LIMITS } from './limits.ts';
import {
  PARADEX_ERRORS,
  decodeParadexAccountValue,
  decodeParadexFill,
  decodeParadexOrder,
  decodeParadexPage,
  decodeParadexPosition,
  fillOrderId,
  paradexErrorOf,
  resultsOf,
  type ParadexOrderView,
} from './order-codec.ts';
import { ParadexPrivateStream, privateStreamUrl } from './private-stream.ts';
import { ParadexSigner } from './signer.ts';

export class ParadexCredentialsError extends Error {
  constructor(message: string) {
    super(`paradex: ${message}`);
    this.name = 'ParadexCredentialsError';
  }
}

export interface ParadexGatewayDeps {
  clock: Clock;
  logger: Logger;
  secrets: SecretSource;
  optionsPath?: string;
  /** The plugin's one limiter, shared with the connector's public REST; a gateway alone makes its own. */
  limiter?: RateLimiter;
}

/** Fill rows per GET /fills page (the documented default and our page size). */
const FILLS_PAGE_SIZE = 100;
/** Pages of GET /fills one report may read before answering with what it has (the next poll goes on). */
const MAX_FILL_PAGES = 10;
/**
 * start_at = the order's created_at minus this: whether start_at is inclusive is not documented,
 * and an IOC's fills carry the same millisecond as its creation.
 */
const FILL_WINDOW_SLACK_MS = 1_000;
/** Rows asked of GET /orders-history by client id: one order per client id, a few to spare. */
const HISTORY_PAGE_SIZE = 10;
/** How long the first report of an order waits for the live stream's push before asking REST. */
const STREAM_WAIT_MS = 250;
/** Error codes that mean "no such order among those this endpoint shows". */
const NOT_FOUND_CODES = new Set(['CLIENT_ORDER_ID_NOT_FOUND', 'ORDER_ID_NOT_FOUND', 'NOT_FOUND']);

/** What we learned about an order that helps find it next time (bounded; a restart has the venueRef). */
interface KnownOrder {
  instruction?: string;
  venueOrderId?: string;
  createdAt?: number;
  /** The order as last seen CLOSED: final, it cannot change. */
  closed?: ParadexOrderView;
  /** The first report already gave the stream its chance. */
  streamWaited?: boolean;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface CallOptions {
  cost: RequestCost;
  priority: RequestPriority;
  /** Reads asked again after a 429 inside this call (default 3; report reads 0, see the header). */
  readRetries?: number;
}

export class ParadexOrderGateway implements OrderGateway {
  readonly auth: ParadexAuth;
  /** The venue's rate limits; the executor awaits `pacing.ready('reconcile')` before each poll. */
  readonly pacing: RateLimiter;
  /** What the private stream has pushed, by client id. */
  readonly pushed = new PushedOrders();
  readonly stream: ParadexPrivateStream | undefined;
  /** REST requests sent, by operation ("GET /orders-history"): tests and status lines read it. */
  readonly requestCounts = new Map<string, number>();
  private signerPromise: Promise<ParadexSigner> | undefined;
  private marketsPromise: Promise<Map<string, MarketInfo>> | undefined;
  private readonly privateKey: string;
  private readonly log: Logger;
  private readonly known = new Map<string, KnownOrder>();

  constructor(
    private readonly options: ParadexOptions,
    private readonly deps: ParadexGatewayDeps,
  ) {
    const path = deps.optionsPath ?? 'venues.paradex';
    const creds = options.credentials;
    if (!creds) throw new ParadexCredentialsError(`live mode needs ${path}.credentials (account, privateKey: { env } or { file })`);
    if (options.onboard && (creds.subkey || !creds.ethereumAccount)) {
      throw new ParadexCredentialsError(`${path}.onboard needs the main key (subkey: false) and ${path}.credentials.ethereumAccount`);
    }
    this.privateKey = deps.secrets.read(creds.privateKey, `${path}.credentials.privateKey`);
    this.log = deps.logger.child({ venue: PARADEX, component: 'orders' });
    this.pacing = deps.limiter ?? new RateLimiter(PARADEX_RATE_LIMITS, { logger: this.log });
    // A poll is usually two private GETs (the order, then its fills): the executor's ready('reconcile')
    // reserves them outside its deadline, so after a 429 the refill (one per 100 ms) is not paid inside it.
    this.pacing.expectPolls('reconcile', PARADEX_COST.privateGet.map((c) => ({ bucket: c.bucket, weight: 2 })));
    // A reconciliation's GET /positions (background) is reserved before its timeout starts (engine/execution/venue-wait.ts readsAllowed).
    this.pacing.expectPolls('background', PARADEX_COST.privateGet);
    this.auth = new ParadexAuth(
      {
        restUrl: options.restUrl,
        requestTimeoutMs: options.requestTimeoutMs,
        jwtRefreshMarginMs: options.jwtRefreshMarginMs,
        jwtFallbackLifetimeMs: options.jwtFallbackLifetimeMs,
        authSignatureTtlSec: options.authSignatureTtlSec,
        onboard: options.onboard && creds.ethereumAccount ? { ethereumAccount: creds.ethereumAccount } : undefined,
      },
      () => this.signer(),
      deps.clock,
      this.log,
      this.pacing,
    );
    if (options.privateStream) {
      this.stream = new ParadexPrivateStream({
        url: options.privateWsUrl ?? privateStreamUrl(options.wsUrl),
        connection: options,
        token: () => this.auth.token(),
        invalidate: (jwt) => this.auth.invalidate(jwt),
        pushed: this.pushed,
        logger: deps.logger,
      });
    }
  }

  /** Start the private stream now (it also starts by itself on the first sign()). */
  startStream(): void {
    this.stream?.start();
  }

  /** The signer, built once the chain id is known (config, else GET /system/config). */
  signer(): Promise<ParadexSigner> {
    this.signerPromise ??= this.buildSigner().catch((err: unknown) => {
      this.signerPromise = undefined;
      throw err;
    });
    return this.signerPromise;
  }

  private async buildSigner(): Promise<ParadexSigner> {
    let chainId = this.options.chainId;
    if (!chainId) {
      const body = (await this.publicGet('system/config')) as { starknet_chain_id?: unknown };
      if (typeof body.starknet_chain_id !== 'string') throw new ParadexCredentialsError('GET /system/config has no starknet_chain_id; set chainId in the config');
      chainId = body.starknet_chain_id;
    }
    const creds = this.options.credentials!;
    try {
      return new ParadexSigner({ chainId, account: creds.account, privateKey: this.privateKey });
    } catch (err) {
      // The signer's messages never include the key; keep only them.
      throw new ParadexCredentialsError(err instanceof Error ? err.message : 'signer refused the credentials');
    }
  }

  private markets(): Promise<Map<string, MarketInfo>> {
    this.marketsPromise ??= this.publicGet('markets')
      .then((body) => new Map(decodeMarkets(body).map((m) => [m.info.symbol, m.info])))
      .catch((err: unknown) => {
        this.marketsPromise = undefined;
        throw err;
      });
    return this.marketsPromise;
  }

  private publicGet(path: string): Promise<unknown> {
    this.count(`GET /${path}`);
    return getJson(joinUrl(this.options.restUrl, path), {
      venue: PARADEX,
      timeoutMs: this.options.requestTimeoutMs,
      rate: { limiter: this.pacing, cost: PARADEX_COST.publicGet, priority: 'background' },
    });
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    // Up before the first order goes out, so its pushes are not missed (REST covers them if they are).
    this.startStream();
    const market = (await this.markets()).get(request.symbol);
    if (!market) throw new ParadexCredentialsError(`order ${request.clientId}: market ${request.symbol} is not listed by GET /markets`);
    checkOrderGrid(PARADEX, request, market);
    const signer = await this.signer();
    const signed = signer.signOrderRequest(request, this.deps.clock.now());
    // Always sent (config.ts): the venue refuses an order its API receives later than this after the
    // signature time, so past executableUntil a "not found" means never placed. Without it the venue's
    // 5-minute default applies, and a restarted engine journaled an order held on its way in as
    // not-placed that then executed (chaos seed 2511842972).
    const recvWindowMs = this.options.recvWindowMs;
    signed.wire = { ...(signed.wire as object), recv_window: recvWindowMs };
    signed.executableUntil = signed.signedAt + recvWindowMs;
    // Journaled before the send: a restarted gateway knows which lookup to try first.
    signed.venueRef = { instruction: request.timeInForce, type: request.type, signatureTimestamp: signed.signedAt };
    this.remember(request.clientId, { instruction: instructionOf(request.type, request.timeInForce) });
    return signed;
  }

  async send(order: SignedOrder): Promise<OrderState> {
    const op = `POST /orders ${order.request.clientId}`;
    const res = await this.call('POST', 'orders', op, { cost: PARADEX_COST.order, priority: 'order' }, order.wire);
    if (res.status !== 200 && res.status !== 201) throw this.failure(op, res);
    const view = this.decodeOr(op, () => decodeParadexOrder(res.json));
    if (!view.state.clientId) view.state.clientId = order.request.clientId;
    this.learn(view);
    return view.state;
  }

  async cancel(locator: OrderLocator): Promise<void> {
    const { symbol, clientId } = locator;
    const op = `DELETE /orders/by_client_id ${clientId}`;
    const res = await this.call('DELETE', `orders/by_client_id/${encodeURIComponent(clientId)}?market=${encodeURIComponent(symbol)}`, op, { cost: PARADEX_COST.order, priority: 'reconcile' });
    if (res.status === 200 || res.status === 204) return;
    if (this.isNotFound(res)) {
      // Not open any more (or never was): a final order in history has nothing left to cancel.
      const closed = await this.fromHistory(locator);
      if (closed && isFinalOrderStatus(closed.state.status)) return;
      throw new OrderNotFoundError(PARADEX, clientId, false, 'not open (DELETE by client id) and not final in GET /orders-history');
    }
    throw this.failure(op, res);
  }

  async report(locator: OrderLocator): Promise<OrderReport> {
    const pushed = this.pushed.complete(locator.clientId) ?? (await this.awaitStream(locator.clientId));
    if (pushed) return pushed;
    const view = await this.find(locator);
    const fills = view.state.filledSize.gt(0) ? await this.fillsOf(locator, view) : [];
    return { state: view.state, fills: this.withPushedFills(locator.clientId, view, fills) };
  }

  /** The first report of an order while the stream is live: give the push a moment (see the header). */
  private async awaitStream(clientId: string): Promise<OrderReport | undefined> {
    if (!this.stream?.live || this.known.get(clientId)?.streamWaited) return undefined;
    this.remember(clientId, { streamWaited: true });
    const end = Date.now() + STREAM_WAIT_MS;
    for (let left = STREAM_WAIT_MS; left > 0; left = end - Date.now()) {
      await this.pushed.waitForUpdate(clientId, left);
      const done = this.pushed.complete(clientId);
      if (done) return done;
    }
    return undefined;
  }

  /** By client id and history, cheapest first for this kind of order (see the header). */
  private async find(locator: OrderLocator): Promise<ParadexOrderView> {
    const closed = this.known.get(locator.clientId)?.closed;
    if (closed && (locator.venueOrderId === undefined || closed.state.venueOrderId === locator.venueOrderId)) return { ...closed, state: { ...closed.state } };
    const lookups = this.neverRests(locator) ? [this.fromHistory, this.fromOpen] : [this.fromOpen, this.fromHistory];
    for (const lookup of lookups) {
      const view = await lookup.call(this, locator);
      if (view) {
        this.learn(view);
        return view;
      }
    }
    throw new OrderNotFoundError(PARADEX, locator.clientId, false, 'not open (GET /orders/by_client_id) and not in GET /orders-history');
  }

  private neverRests(locator: OrderLocator): boolean {
    const ref = locator.venueRef;
    if (ref && (ref['instruction'] === 'IOC' || ref['type'] === 'market')) return true;
    const known = this.known.get(locator.clientId)?.instruction;
    return known === 'IOC';
  }

  /** Open orders only (docs): undefined on 404. */
  private async fromOpen({ symbol, clientId }: OrderLocator): Promise<ParadexOrderView | undefined> {
    const op = `GET /orders/by_client_id ${clientId}`;
    const res = await this.call('GET', `orders/by_client_id/${encodeURIComponent(clientId)}?market=${encodeURIComponent(symbol)}`, op, { cost: PARADEX_COST.privateGet, priority: 'reconcile', readRetries: 0 });
    if (res.status === 200) return this.decodeOr(op, () => decodeParadexOrder(res.json));
    if (this.isNotFound(res)) return undefined;
    throw this.failure(op, res);
  }

  /** Any status. The client_id filter is checked again on our side: a row for another order is never taken. */
  private async fromHistory({ symbol, clientId, venueOrderId }: OrderLocator): Promise<ParadexOrderView | undefined> {
    const op = `GET /orders-history ${clientId}`;
    const query = new URLSearchParams({ client_id: clientId, market: symbol, page_size: String(HISTORY_PAGE_SIZE) });
    const res = await this.call('GET', `orders-history?${query.toString()}`, op, { cost: PARADEX_COST.privateGet, priority: 'reconcile', readRetries: 0 });
    if (res.status !== 200) throw this.failure(op, res);
    const page = this.decodeOr(op, () => decodeParadexPage(res.json));
    let best: ParadexOrderView | undefined;
    for (const [i, raw] of page.results.entries()) {
      if (typeof raw !== 'object' || raw === null || (raw as Record<string, unknown>)['client_id'] !== clientId) continue;
      const view = this.decodeOr(op, () => decodeParadexOrder(raw, `results[${i}]`));
      if (venueOrderId !== undefined && view.state.venueOrderId !== venueOrderId) continue;
      // Client ids are unique among open orders only: the newest order with ours is the one.
      if (!best || (view.createdAt ?? 0) > (best.createdAt ?? 0)) best = view;
    }
    return best;
  }

  /** Fills of this order: its market from its creation on, matched by order id, paged by cursor. */
  private async fillsOf(locator: OrderLocator, view: ParadexOrderView): Promise<Fill[]> {
    const orderId = view.state.venueOrderId;
    if (!orderId) return [];
    const ref = locator.venueRef?.['signatureTimestamp'];
    const from = view.createdAt ?? (typeof ref === 'number' ? ref : this.deps.clock.now() - 60_000);
    const op = `GET /fills ${locator.clientId}`;
    const found = new Map<string, Fill>();
    let filled = new Decimal(0);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_FILL_PAGES; page++) {
      const query = new URLSearchParams({ market: locator.symbol, start_at: String(from - FILL_WINDOW_SLACK_MS), page_size: String(FILLS_PAGE_SIZE) });
      if (cursor) query.set('cursor', cursor);
      const res = await this.call('GET', `fills?${query.toString()}`, op, { cost: PARADEX_COST.privateGet, priority: 'reconcile', readRetries: 0 });
      if (res.status !== 200) throw this.failure(op, res);
      const body = this.decodeOr(op, () => decodeParadexPage(res.json));
      for (const [i, raw] of body.results.entries()) {
        // Rows of other orders are skipped unread: a malformed one must not block ours.
        if (fillOrderId(raw) !== orderId) continue;
        const { orderId: _orderId, ...fill } = this.decodeOr(op, () => decodeParadexFill(raw, `results[${i}]`));
        if (!found.has(fill.fillId)) filled = filled.plus(fill.size);
        found.set(fill.fillId, { ...fill, clientId: locator.clientId });
      }
      cursor = body.next;
      if (!cursor || filled.gte(view.state.filledSize)) break;
    }
    return [...found.values()];
  }

  /** The REST answer plus any fill of the same order the stream pushed that REST does not show yet. */
  private withPushedFills(clientId: string, view: ParadexOrderView, fills: Fill[]): Fill[] {
    const ids = new Set(fills.map((f) => f.fillId));
    const extra = this.pushed.fillsOf(clientId).filter((f) => !ids.has(f.fillId) && (f.venueOrderId === undefined || f.venueOrderId === view.state.venueOrderId));
    return extra.length === 0 ? fills : [...fills, ...extra];
  }

  async positions(): Promise<Position[]> {
    const res = await this.call('GET', 'positions', 'GET /positions', { cost: PARADEX_COST.privateGet, priority: 'background' });
    if (res.status !== 200) throw this.failure('GET /positions', res);
    return this.decodeOr('GET /positions', () =>
      resultsOf(res.json)
        .map((raw, i) => decodeParadexPosition(raw, `results[${i}]`))
        .filter((p): p is Position => p !== undefined),
    );
  }

  /**
   * `GET /orders` without `market` lists the open orders of every market in one answer (paradex-py
   * api_client.py `fetch_orders`: market optional); at most 100 open orders per market
   * (https://docs.paradex.trade/api/general-information/rate-limits/open-orders-per-account.md), no paging.
   */
  async openOrders(): Promise<OrderState[]> {
    const res = await this.call('GET', 'orders', 'GET /orders', { cost: PARADEX_COST.privateGet, priority: 'reconcile' });
    if (res.status !== 200) throw this.failure('GET /orders', res);
    // The kill switch cancels by (symbol, clientId): openOrders must say the symbol.
    return this.decodeOr('GET /orders', () =>
      resultsOf(res.json).map((raw, i) => {
        const view = decodeParadexOrder(raw, `results[${i}]`);
        return { ...view.state, symbol: view.market };
      }),
    );
  }

  /** A malformed answer throws the codec's WireFormatError (it names the field): a read has no order outcome to reconcile. */
  async accountValue(): Promise<Decimal> {
    const res = await this.call('GET', 'account', 'GET /account', { cost: PARADEX_COST.privateGet, priority: 'background' });
    if (res.status !== 200) throw this.failure('GET /account', res);
    return decodeParadexAccountValue(res.json);
  }

  /** Resolves on the next push about this order (or after ms); without a stream it just waits. */
  waitForUpdate(clientId: string, ms: number): Promise<void> {
    if (this.stream?.running) return this.pushed.waitForUpdate(clientId, ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async stop(): Promise<void> {
    this.auth.stop();
    await this.stream?.stop();
  }

  /** One private call with the JWT, charged to the rate limits; on 401 one retry with a fresh token. */
  private async call(method: Method, path: string, op: string, rate: CallOptions, body?: unknown): Promise<VenueResponse> {
    for (let attempt = 0; ; attempt++) {
      const jwt = await this.auth.token();
      this.count(`${method} /${path.split('?')[0]!.replace(/\/by_client_id\/.*$/, '/by_client_id')}`);
      const res = await limitedRequest({
        venue: PARADEX,
        method,
        url: joinUrl(this.options.restUrl, path),
        headers: { authorization: `Bearer ${jwt}` },
        body,
        timeoutMs: this.options.requestTimeoutMs,
        secrets: [this.privateKey, jwt],
        limiter: this.pacing,
        cost: rate.cost,
        priority: rate.priority,
        operation: op,
        ...(rate.readRetries !== undefined ? { readRetries: rate.readRetries } : {}),
      });
      if (res.status === 401 && attempt === 0) {
        this.log.info('JWT refused; refreshing once', { op });
        this.auth.invalidate(jwt);
        continue;
      }
      return res;
    }
  }

  private count(op: string): void {
    this.requestCounts.set(op, (this.requestCounts.get(op) ?? 0) + 1);
  }

  private isNotFound(res: VenueResponse): boolean {
    if (res.status === 404) return true;
    const { code } = paradexErrorOf(res.json, res.text);
    return res.status >= 400 && res.status < 500 && code !== undefined && NOT_FOUND_CODES.has(code);
  }

  private learn(view: ParadexOrderView): void {
    const update: KnownOrder = {};
    if (view.state.venueOrderId) update.venueOrderId = view.state.venueOrderId;
    if (view.createdAt !== undefined) update.createdAt = view.createdAt;
    const clientId = view.state.clientId;
    if (!clientId) return;
    if (view.venueStatus === 'CLOSED') update.closed = view;
    // What we signed wins: the venue may echo a MARKET order's instruction as GTC.
    if (view.instruction && !this.known.get(clientId)?.instruction) update.instruction = view.instruction;
    this.remember(clientId, update);
  }

  private remember(clientId: string, update: KnownOrder): void {
    this.known.set(clientId, { ...this.known.get(clientId), ...update });
    if (this.known.size > 5_000) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  private failure(op: string, res: VenueResponse): Error {
    const { code, message } = paradexErrorOf(res.json, res.text);
    return venueFailure(PARADEX, op, res.status, code, message, PARADEX_ERRORS, [this.privateKey]);
  }

  /** A 2xx body we cannot read leaves the outcome unknown, never "rejected". */
  private decodeOr<T>(op: string, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      throw new OrderOutcomeUnknownError(PARADEX, op, `unreadable answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** A MARKET order executes like an IOC: it never rests. */
function instructionOf(type: OrderRequest['type'], timeInForce: OrderRequest['timeInForce']): string {
  return type === 'market' ? 'IOC' : timeInForce;
}
