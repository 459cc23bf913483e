/**
 * Paradex simulator, private side: onboarding, JWT auth, signed orders, account state and the
 * private WebSocket channels, on top of the venue-agnostic matching engine.
 *
 * Follows docs.paradex.trade where it speaks: POST /v1/onboarding and /v1/auth with the
 * PARADEX-* headers and Stark signatures over typed data, `{jwt_token}`, Bearer JWT on private
 * calls, POST /v1/orders with a Stark signature over the Order typed data, DELETE by id and by
 * client id (204), GET orders/fills/positions/account, JSON-RPC `auth` with `{bearer}` and the
 * channels `orders.{market|ALL}`, `fills.{market|ALL}`, `positions`, `account`. Risk
 * rejections (margin, post-only, reduce-only) come back the way Paradex reports them: the POST
 * acknowledges the order (status NEW) and the order then closes with a `cancel_reason`.
 *
 * Order lookups as documented, quirks included: `GET /orders/by_client_id/{id}` "Only returns
 * orders in OPEN status" (https://docs.paradex.trade/api-reference/prod/orders/get-by-client-id)
 * and `GET /orders/{id}` only OPEN or NEW (https://docs.paradex.trade/api/prod/orders/get.md):
 * anything else is a 404. `GET /orders-history` filters by client_id, market, side, status, type,
 * start_at, end_at with page_size (default 100) and cursor
 * (https://docs.paradex.trade/api/prod/orders/get-orders.md); `GET /fills` by market, start_at,
 * end_at, page_size, cursor only (https://docs.paradex.trade/api/prod/account/list-fills.md): no
 * order id or client id filter. Lists are newest first with an opaque `next` cursor. Rate limits
 * per rate-limits.ts. Guessed where the docs are silent: see simulators/README.md.
 *
 * Receive window: "Order will be created if it is received by API within RecvWindow milliseconds
 * from signature timestamp, minimum is 10 milliseconds" (recv_window on POST /orders,
 * https://docs.paradex.trade/api/prod/orders/new); "If not specified, this is currently set to
 * 300000 ms (5 minute) by default. Condition: If current_time > recv_window + signature_time ->
 * reject the order" (https://docs.paradex.trade/trading/receive-window). The check runs when the
 * order reaches the API: for an ack stall in "defer" mode (the request held on its way in) that is
 * after the hold, so a request held past its window is refused, not executed. The error code of
 * that refusal is not documented; VALIDATION_ERROR (a documented code) stands in for it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../engine/core/clock.ts';
import { averagePrice, EngineError, MatchingEngine, type EngineEvent, type EngineReason, type Fill, type Order, type PositionView } from '../matching/engine.ts';
import { moneyToUnits, trimmed, unitsToMoney } from '../matching/money.ts';
import { AckTimers, OrderFaults, runWithFault } from '../matching/order-faults.ts';
import type { VenueMarket } from '../venue-market.ts';
import { SimRateLimits } from '../rate-limits.ts';
import { json, type ClientSocket, type RestReply, type RestRequest, type Route } from '../venue-host.ts';
import { isRecord, parseJson } from '../venue-simulator.ts';
import { PARADEX_PUBLISHED_LIMITS, paradexRateRules, type ParadexLimits } from './rate-limits.ts';
import * as stark from './stark-auth.ts';

/** recv_window when the order carries none (docs, receive-window page), ms. */
export const PARADEX_DEFAULT_RECV_WINDOW_MS = 300_000;

/** Current docs: API maker 0.003%, taker 0.045% (the public /markets fee_config says the same). */
export const PARADEX_FEES = { maker: '0.00003', taker: '0.00045' } as const;

export interface ParadexPrivateOptions {
  readonly markets: readonly VenueMarket[];
  readonly clock: Clock;
  readonly chainId: string;
  /** JWT lifetime, ms. Docs: 5 minutes. */
  readonly jwtTtlMs?: number;
  /** The venue's open sockets, for private pushes. */
  readonly clients: () => Iterable<ClientSocket>;
}

interface ParadexAccount {
  readonly address: string;
  readonly ethereumAccount: string | undefined;
  /** Stark keys (x) allowed to sign: the onboarded key and any subkeys. */
  readonly keys: Set<bigint>;
}

type RpcRequest = { id: unknown; method: string; params: Record<string, unknown> };

/** What the API made of an order when it received it: accepted (its wire form) or refused. */
type Received = { wire: Record<string, unknown> } | { refused: RestReply };

/** One REST request as the venue saw it (tests count requests: e.g. "no REST call was needed"). */
export interface ParadexRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly account: string | undefined;
  readonly at: number;
  /** Answered 429 instead of served. */
  readonly refused: boolean;
}

const REQUEST_LOG_SIZE = 10_000;
/** GET /orders-history and GET /fills: docs default page size. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

const CANCEL_REASON: Partial<Record<EngineReason, string>> = {
  POST_ONLY_WOULD_CROSS: 'POST_ONLY_WOULD_CROSS',
  REDUCE_ONLY_INCREASES: 'REDUCE_ONLY_WILL_INCREASE',
  REDUCE_ONLY_EXCEEDS: 'REDUCE_ONLY_WILL_INCREASE',
  INSUFFICIENT_MARGIN: 'NOT_ENOUGH_MARGIN',
  NO_LIQUIDITY: 'NO_LIQUIDITY',
  IOC_REMAINDER: 'IOC_CANCEL',
  USER_CANCELED: 'USER_CANCELED',
  EXPIRED: 'EXPIRED',
  FAULT_INJECTED: 'SIMULATED_REJECT',
  INVALID_SIZE: 'INVALID_ORDER_SIZE',
  INVALID_PRICE: 'INVALID_PRICE',
};

export class ParadexPrivate {
  readonly engine: MatchingEngine;
  readonly faults = new OrderFaults();
  private readonly accounts = new Map<string, ParadexAccount>();
  private readonly sessions = new WeakMap<ClientSocket, string>();
  private readonly secret = randomBytes(32);
  private readonly timers = new AckTimers();
  private jwtTtlMs: number;
  private readonly markets: Map<string, VenueMarket>;
  private seqNo = 0;
  /** The venue's rate limits (rate-limits.ts); `.refused` counts 429s per rule, `.enabled` turns them off. */
  readonly rateLimits: SimRateLimits;
  /** Every REST request, newest last (bounded). */
  readonly requestLog: ParadexRequestRecord[] = [];

  constructor(private readonly options: ParadexPrivateOptions) {
    this.markets = new Map(options.markets.map((m) => [m.instrument.symbol, m]));
    this.jwtTtlMs = options.jwtTtlMs ?? 300_000;
    this.rateLimits = new SimRateLimits(this.rateRules(PARADEX_PUBLISHED_LIMITS));
    this.engine = new MatchingEngine({
      venue: 'paradex',
      markets: options.markets,
      clock: options.clock,
      makerFee: PARADEX_FEES.maker,
      takerFee: PARADEX_FEES.taker,
      initialMarginRatio: '0.1',
      reduceOnlyExceeds: 'trim',
    });
    this.engine.on((event) => this.push(event));
  }

  // --- test control ------------------------------------------------------------------------

  setJwtTtl(ms: number): void {
    this.jwtTtlMs = ms;
  }

  /** Tighten (or restore, with no argument) the rate limits; counts start afresh. */
  setRateLimits(overrides: Partial<ParadexLimits> = {}): void {
    this.rateLimits.setRules(this.rateRules({ ...PARADEX_PUBLISHED_LIMITS, ...overrides }));
  }

  /** REST requests seen (served or refused) matching method and path, optionally since a time. */
  requestsTo(method: string, path: string | RegExp, since = 0): ParadexRequestRecord[] {
    return this.requestLog.filter((r) => r.at >= since && r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /**
   * Checked before routing, for every REST request of the venue (public ones included): records
   * it and answers the venue's 429 when a budget is spent.
   */
  guard(request: RestRequest): RestReply | undefined {
    const refusal = this.rateLimits.check(request);
    this.requestLog.push({ method: request.method, path: request.path, query: request.query.toString(), account: this.accountOf(request), at: Date.now(), refused: refusal !== undefined });
    if (this.requestLog.length > REQUEST_LOG_SIZE) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_SIZE);
    return refusal;
  }

  private rateRules(limits: ParadexLimits) {
    return paradexRateRules(limits, (r) => this.accountOf(r), () => Date.now());
  }

  /** The account a request's bearer stands for, or undefined (no valid bearer). */
  private accountOf(r: RestRequest): string | undefined {
    const who = this.bearer(r);
    return 'account' in who ? who.account : undefined;
  }

  /** Register an account directly (no signature), e.g. for tests that skip onboarding. */
  registerAccount(address: string, publicKey: string, ethereumAccount?: string): void {
    const key = stark.feltHex(address);
    const existing = this.accounts.get(key);
    if (existing) existing.keys.add(BigInt(publicKey));
    else this.accounts.set(key, { address: key, ethereumAccount, keys: new Set([BigInt(publicKey)]) });
    this.engine.openAccount(key);
  }

  /** Subkeys: an extra Stark key that may authenticate and sign orders for the account. */
  addSubkey(address: string, publicKey: string): void {
    const account = this.accounts.get(stark.feltHex(address));
    if (!account) throw new Error(`paradex simulator: account ${address} is not onboarded`);
    account.keys.add(BigInt(publicKey));
  }

  /** A valid JWT for an onboarded account without the signed auth round trip (tests). */
  issueToken(address: string): string {
    return this.issueJwt(stark.feltHex(address));
  }

  accountId(address: string): string {
    return stark.feltHex(address);
  }

  dropPrivateSockets(): void {
    for (const client of this.options.clients()) if (this.sessions.has(client)) client.terminate();
  }

  afterStep(): void {
    this.engine.afterStep();
  }

  close(): void {
    this.timers.clear();
  }

  // --- REST ----------------------------------------------------------------------------------

  routes(): Route[] {
    return [
      { method: 'POST', pattern: /^\/v1\/onboarding$/, handle: (r) => this.onboarding(r) },
      { method: 'POST', pattern: /^\/v1\/auth$/, handle: (r) => this.auth(r, undefined) },
      { method: 'POST', pattern: /^\/v1\/auth\/(0x[0-9a-fA-F]+)$/, handle: (r) => this.auth(r, r.params[0]) },
      { method: 'POST', pattern: /^\/v1\/account\/(?:keys\/)?subkeys$/, handle: (r) => this.authed(r, (a) => this.restAddSubkey(a, r)) },
      { method: 'DELETE', pattern: /^\/v1\/orders$/, handle: (r) => this.authed(r, (a) => this.cancelAll(a, r)) },
      { method: 'POST', pattern: /^\/v1\/orders$/, handle: (r) => this.authedAsync(r, (a) => this.createOrder(a, r)) },
      { method: 'DELETE', pattern: /^\/v1\/orders\/by_client_id\/([^/]+)$/, handle: (r) => this.authed(r, (a) => this.cancelByClientId(a, r.params[0] ?? '')) },
      { method: 'DELETE', pattern: /^\/v1\/orders\/([^/]+)$/, handle: (r) => this.authed(r, (a) => this.cancelById(a, r.params[0] ?? '')) },
      { method: 'GET', pattern: /^\/v1\/orders\/by_client_id\/([^/]+)$/, handle: (r) => this.authed(r, (a) => this.getByClientId(a, r.params[0] ?? '')) },
      { method: 'GET', pattern: /^\/v1\/orders\/([^/]+)$/, handle: (r) => this.authed(r, (a) => this.getOrder(a, r.params[0] ?? '')) },
      { method: 'GET', pattern: /^\/v1\/orders$/, handle: (r) => this.authed(r, (a) => this.listOpenOrders(a, r)) },
      { method: 'GET', pattern: /^\/v1\/orders-history$/, handle: (r) => this.authed(r, (a) => this.listOrderHistory(a, r)) },
      { method: 'GET', pattern: /^\/v1\/fills$/, handle: (r) => this.authed(r, (a) => this.listFills(a, r)) },
      { method: 'GET', pattern: /^\/v1\/positions$/, handle: (r) => this.authed(r, (a) => json(200, { results: this.positionsWire(a) })) },
      { method: 'GET', pattern: /^\/v1\/account$/, handle: (r) => this.authed(r, (a) => json(200, this.accountWire(a))) },
    ];
  }

  private onboarding(r: RestRequest): RestReply {
    const address = header(r, 'paradex-starknet-account');
    const ethereum = header(r, 'paradex-ethereum-account');
    const sig = stark.parseSignature(header(r, 'paradex-starknet-signature'));
    const body = parseJson(r.body);
    const publicKey = isRecord(body) ? body['public_key'] : undefined;
    if (!address || !/^0x[0-9a-fA-F]+$/.test(address)) return error(400, 'INVALID_STARKNET_ADDRESS', 'PARADEX-STARKNET-ACCOUNT header is required');
    if (typeof publicKey !== 'string' || !/^0x[0-9a-fA-F]+$/.test(publicKey)) return error(400, 'PUBLIC_KEY_INVALID', 'body.public_key must be a 0x hex Stark key');
    if (!sig) return error(400, 'INVALID_STARKNET_SIGNATURE', 'PARADEX-STARKNET-SIGNATURE must be ["r","s"]');
    const hash = stark.messageHash(stark.onboardingTypedData(this.options.chainId), address);
    if (!stark.verifyStark(hash, sig, BigInt(publicKey))) {
      return error(400, 'STARKNET_SIGNATURE_VERIFICATION_FAILED', 'onboarding signature does not verify against public_key');
    }
    this.registerAccount(address, publicKey, ethereum);
    return json(200, {});
  }

  /** `POST /auth` (any key of the account) or `POST /auth/{public key}` (that key, which must be registered). */
  private auth(r: RestRequest, pathKey: string | undefined): RestReply {
    const address = header(r, 'paradex-starknet-account');
    const sig = stark.parseSignature(header(r, 'paradex-starknet-signature'));
    const timestamp = Number(header(r, 'paradex-timestamp'));
    const expiration = Number(header(r, 'paradex-signature-expiration'));
    if (!address) return error(400, 'INVALID_STARKNET_ADDRESS', 'PARADEX-STARKNET-ACCOUNT header is required');
    const account = this.accounts.get(stark.feltHex(address));
    if (!account) return error(400, 'NOT_ONBOARDED', 'User has never called /onboarding endpoint');
    if (!sig) return error(400, 'INVALID_STARKNET_SIGNATURE', 'PARADEX-STARKNET-SIGNATURE must be ["r","s"]');
    if (!Number.isSafeInteger(timestamp) || timestamp <= 0) return error(400, 'INVALID_TIMESTAMP', 'PARADEX-TIMESTAMP must be unix seconds');
    const nowS = Math.floor(this.options.clock.now() / 1000);
    if (!Number.isSafeInteger(expiration) || expiration <= nowS) return error(400, 'INVALID_SIGNATURE_EXPIRATION', 'PARADEX-SIGNATURE-EXPIRATION must be in the future (unix seconds)');
    const hash = stark.messageHash(stark.authTypedData(this.options.chainId, timestamp, expiration), address);
    const candidates = pathKey === undefined ? [...account.keys] : [...account.keys].filter((k) => k === BigInt(pathKey));
    if (pathKey !== undefined && candidates.length === 0) return error(400, 'PUBLIC_KEY_INVALID', `${pathKey} is not a key of the account`);
    if (!candidates.some((k) => stark.verifyStark(hash, sig, k))) {
      return error(400, 'STARKNET_SIGNATURE_VERIFICATION_FAILED', 'auth signature does not verify against any key of the account');
    }
    return json(200, { jwt_token: this.issueJwt(account.address) });
  }

  private restAddSubkey(account: string, r: RestRequest): RestReply {
    const body = parseJson(r.body);
    const key = isRecord(body) ? body['public_key'] : undefined;
    if (typeof key !== 'string' || !/^0x[0-9a-fA-F]+$/.test(key)) return error(400, 'PUBLIC_KEY_INVALID', 'body.public_key must be a 0x hex Stark key');
    this.addSubkey(account, key);
    return json(201, { account, public_key: key, state: 'active' });
  }

  private createOrder(account: string, r: RestRequest): Promise<RestReply> | RestReply {
    const body = parseJson(r.body);
    if (!isRecord(body)) return error(400, 'BINDING_ERROR', 'body must be a JSON object');
    const market = this.markets.get(String(body['market']));
    if (!market) return error(400, 'MARKET_NOT_FOUND', `market ${String(body['market'])} not found`);
    const side = body['side'];
    const type = body['type'];
    const instruction = body['instruction'] ?? 'GTC';
    const size = body['size'];
    const price = body['price'] ?? '0';
    const ts = body['signature_timestamp'];
    if (side !== 'BUY' && side !== 'SELL') return error(400, 'VALIDATION_ERROR', 'side must be BUY or SELL');
    if (type !== 'LIMIT' && type !== 'MARKET') return error(400, 'VALIDATION_ERROR', 'type must be LIMIT or MARKET');
    if (instruction !== 'GTC' && instruction !== 'IOC' && instruction !== 'POST_ONLY') return error(400, 'VALIDATION_ERROR', 'instruction must be GTC, IOC or POST_ONLY');
    if (typeof size !== 'string' || typeof price !== 'string') return error(400, 'VALIDATION_ERROR', 'size and price must be decimal strings');
    if (!Number.isSafeInteger(ts)) return error(400, 'VALIDATION_ERROR', 'signature_timestamp must be an integer (ms)');
    const recvWindow = body['recv_window'] ?? PARADEX_DEFAULT_RECV_WINDOW_MS;
    if (!Number.isSafeInteger(recvWindow) || (recvWindow as number) < 10) return error(400, 'VALIDATION_ERROR', 'recv_window must be an integer of at least 10 (ms)');
    const i = market.instrument;
    const sizeUnits = moneyToUnits(size, i.sizeDecimals);
    if (sizeUnits === undefined || sizeUnits <= 0) return error(400, 'INVALID_ORDER_SIZE', `size ${size} is not a positive multiple of ${i.sizeStep}`);
    const priceUnits = type === 'LIMIT' ? moneyToUnits(price, i.priceDecimals) : undefined;
    if (type === 'LIMIT' && (priceUnits === undefined || priceUnits <= 0)) return error(400, 'INVALID_PRICE_PRECISION', `price ${price} is not on the ${i.priceTick} tick`);
    const sig = stark.parseSignature(body['signature']);
    if (!sig) return error(400, 'INVALID_STARKNET_SIGNATURE', 'signature must be ["r","s"]');
    const hash = stark.messageHash(
      stark.orderTypedData(this.options.chainId, { signatureTimestamp: ts as number, market: i.symbol, side, type, size, price }),
      account,
    );
    const keys = this.accounts.get(account)?.keys ?? new Set<bigint>();
    if (![...keys].some((k) => stark.verifyStark(hash, sig, k))) {
      return error(400, 'INVALID_ORDER_SIGNATURE', 'order signature does not verify against any key of the account');
    }
    const clientId = typeof body['client_id'] === 'string' && body['client_id'] !== '' ? body['client_id'] : undefined;
    if (clientId && this.engine.openOrders(account).some((o) => o.clientId === clientId)) {
      return error(400, 'DUPLICATED_CLIENT_ID', `client_id ${clientId} is already used by an open order`);
    }
    const flags = Array.isArray(body['flags']) ? body['flags'] : [];
    const id = `${ts}${String(this.engine.orders(account).length + 1).padStart(6, '0')}`;
    return runWithFault<Received>(this.faults.take(), this.timers, {
      execute: (maxFillUnits) => {
        // Checked as the API receives the order: after a deferred ack's hold, not before it.
        const now = this.options.clock.now();
        if (now > (ts as number) + (recvWindow as number)) {
          return { refused: error(400, 'VALIDATION_ERROR', `order received at ${now}, after signature_timestamp ${String(ts)} + recv_window ${String(recvWindow)}`) };
        }
        let acked: Record<string, unknown> | undefined;
        // The POST answers with the order as accepted (NEW): capture it before matching moves it.
        const off = this.engine.on((e) => {
          if (!acked && e.type === 'order' && e.order.id === id) acked = { ...this.orderWire(e.order), status: 'NEW', cancel_reason: '', remaining_size: size };
        });
        try {
          const order = this.engine.submit(
            {
              id,
              account,
              symbol: i.symbol,
              side: side === 'BUY' ? 'buy' : 'sell',
              kind: type === 'LIMIT' ? 'limit' : 'market',
              sizeUnits,
              priceUnits,
              timeInForce: instruction === 'IOC' ? 'IOC' : 'GTC',
              postOnly: instruction === 'POST_ONLY',
              reduceOnly: flags.includes('REDUCE_ONLY'),
              clientId,
            },
            { maxFillUnits },
          );
          return { wire: acked ?? this.orderWire(order) };
        } finally {
          off();
        }
      },
      reply: (received) => ('refused' in received ? received.refused : json(201, received.wire)),
      rejected: (message) => error(400, 'ORDER_REJECTED', message),
      sizeUnits: (s) => moneyToUnits(s, i.sizeDecimals) ?? 0,
    });
  }

  private cancelById(account: string, id: string): RestReply {
    try {
      this.engine.cancel(account, id);
      return json(204, undefined);
    } catch (e) {
      return cancelError(e);
    }
  }

  private cancelAll(account: string, r: RestRequest): RestReply {
    this.engine.cancelAll(account, r.query.get('market') ?? undefined);
    return json(204, undefined);
  }

  /** "Cancel open order by client order id": a closed order is not found by client id. */
  private cancelByClientId(account: string, clientId: string): RestReply {
    const order = this.openByClientId(account, clientId);
    if (!order) return error(404, 'CLIENT_ORDER_ID_NOT_FOUND', `no open order with client_id ${clientId}`);
    return this.cancelById(account, order.id);
  }

  /** Docs: "Only return orders in OPEN or NEW status". */
  private getOrder(account: string, id: string): RestReply {
    const order = this.engine.order(account, id);
    return order && order.status === 'open' ? json(200, this.orderWire(order)) : error(404, 'ORDER_ID_NOT_FOUND', `no open order ${id}`);
  }

  /** Docs: "Only returns orders in OPEN status": a filled, cancelled or expired order is a 404. */
  private getByClientId(account: string, clientId: string): RestReply {
    const order = this.openByClientId(account, clientId);
    return order ? json(200, this.orderWire(order)) : error(404, 'CLIENT_ORDER_ID_NOT_FOUND', `no open order with client_id ${clientId}`);
  }

  private openByClientId(account: string, clientId: string): Order | undefined {
    return this.engine.openOrders(account).find((o) => o.clientId === clientId);
  }

  private listOpenOrders(account: string, r: RestRequest): RestReply {
    const market = r.query.get('market') ?? undefined;
    return json(200, { results: this.engine.openOrders(account, market).map((o) => this.orderWire(o)) });
  }

  /** Every order of the account, any status, filtered on the documented attributes. */
  private listOrderHistory(account: string, r: RestRequest): RestReply {
    const q = r.query;
    const window = timeWindow(q);
    if ('invalid' in window) return error(400, 'INVALID_REQUEST_PARAMETER', window.invalid);
    const wanted = {
      client_id: q.get('client_id'),
      market: q.get('market'),
      side: q.get('side'),
      status: q.get('status'),
      type: q.get('type'),
    };
    const rows = this.engine
      .orders(account)
      .map((o) => this.orderWire(o))
      .filter((w) => (Object.keys(wanted) as Array<keyof typeof wanted>).every((k) => wanted[k] === null || wanted[k] === '' || String(w[k]) === wanted[k]))
      .filter((w) => w.created_at >= window.startAt && w.created_at <= window.endAt);
    return page(rows, q);
  }

  /** Fills of the account; filters market, start_at, end_at only (no order id, no client id). */
  private listFills(account: string, r: RestRequest): RestReply {
    const q = r.query;
    const window = timeWindow(q);
    if ('invalid' in window) return error(400, 'INVALID_REQUEST_PARAMETER', window.invalid);
    const market = q.get('market') || undefined;
    const rows = this.engine
      .fills(account, market)
      .map((f) => this.fillWire(f))
      .filter((w) => w.created_at >= window.startAt && w.created_at <= window.endAt);
    return page(rows, q);
  }

  // --- JWT -----------------------------------------------------------------------------------

  private issueJwt(account: string): string {
    const now = this.options.clock.now();
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const claims = b64url(JSON.stringify({ sub: account, iat: Math.floor(now / 1000), exp_ms: now + this.jwtTtlMs, exp: Math.floor((now + this.jwtTtlMs) / 1000) }));
    const mac = createHmac('sha256', this.secret).update(`${head}.${claims}`).digest('base64url');
    return `${head}.${claims}.${mac}`;
  }

  /** The account a bearer token stands for, or why not. */
  private verifyJwt(token: string): { account: string } | { reason: string } {
    const [head, claims, mac] = token.split('.');
    if (!head || !claims || !mac) return { reason: 'malformed token' };
    const expected = createHmac('sha256', this.secret).update(`${head}.${claims}`).digest('base64url');
    if (expected !== mac) return { reason: 'invalid token signature' };
    const payload = parseJson(Buffer.from(claims, 'base64url').toString('utf8'));
    if (!isRecord(payload) || typeof payload['sub'] !== 'string' || typeof payload['exp_ms'] !== 'number') return { reason: 'malformed claims' };
    if (payload['exp_ms'] <= this.options.clock.now()) return { reason: 'token expired' };
    return { account: payload['sub'] };
  }

  private bearer(r: RestRequest): { account: string } | RestReply {
    const h = header(r, 'authorization');
    const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
    if (!m || !m[1]) return error(401, 'UNAUTHORIZED_ERROR', 'Authorization: Bearer <jwt> is required');
    const verdict = this.verifyJwt(m[1]);
    if ('reason' in verdict) return error(401, 'UNAUTHORIZED_ERROR', verdict.reason);
    return verdict;
  }

  private authed(r: RestRequest, handle: (account: string) => RestReply): RestReply {
    const who = this.bearer(r);
    return 'account' in who ? handle(who.account) : who;
  }

  private authedAsync(r: RestRequest, handle: (account: string) => RestReply | Promise<RestReply>): RestReply | Promise<RestReply> {
    const who = this.bearer(r);
    return 'account' in who ? handle(who.account) : who;
  }

  // --- WebSocket -------------------------------------------------------------------------------

  /** JSON-RPC `auth` with `{bearer}`. */
  rpcAuth(client: ClientSocket, request: RpcRequest): void {
    const bearer = request.params['bearer'];
    // Docs (WS error handling): 40110 Malformed Bearer Token, 40111 Invalid Bearer Token.
    if (typeof bearer !== 'string' || bearer.split('.').length !== 3) return client.send(rpcError(request.id, 40110, 'Malformed Bearer Token', 'params.bearer must be a JWT'));
    const verdict = this.verifyJwt(bearer);
    if ('reason' in verdict) return client.send(rpcError(request.id, 40111, 'Invalid Bearer Token', verdict.reason));
    this.sessions.set(client, verdict.account);
    client.send(rpcResult(request.id, { node_id: 'simulator' }));
  }

  /** Handle a subscribe to a private channel; false when the name is not a private channel. */
  subscribe(client: ClientSocket, request: RpcRequest, name: string): boolean {
    if (!this.isPrivateChannel(name)) return false;
    if (!this.sessions.has(client)) {
      client.send(rpcError(request.id, 40110, 'invalid subscribe request', 'authentication required: call auth first'));
      return true;
    }
    if (client.subscriptions.has(name)) {
      client.send(rpcError(request.id, -32600, 'invalid subscribe request', 'already subscribed'));
      return true;
    }
    client.subscriptions.add(name);
    client.send(rpcResult(request.id, { channel: name }));
    return true;
  }

  private isPrivateChannel(name: string): boolean {
    if (name === 'positions' || name === 'account') return true;
    const m = /^(orders|fills)\.(.+)$/.exec(name);
    return m !== null && (m[2] === 'ALL' || this.markets.has(m[2] ?? ''));
  }

  private push(event: EngineEvent): void {
    const account = event.type === 'order' ? event.order.account : event.type === 'fill' ? event.fill.account : event.type === 'funding' ? event.payment.account : event.type === 'position' ? event.account : event.account.id;
    const messages: Array<[string, unknown]> = [];
    if (event.type === 'order') {
      const data = this.orderWire(event.order);
      messages.push([`orders.${event.order.symbol}`, data], ['orders.ALL', data]);
    } else if (event.type === 'fill') {
      const data = this.fillWire(event.fill);
      messages.push([`fills.${event.fill.symbol}`, data], ['fills.ALL', data]);
    } else if (event.type === 'position') {
      messages.push(['positions', this.positionWire(account, this.engine.position(account, event.position.symbol))]);
    } else if (event.type === 'account') {
      messages.push(['account', this.accountWire(account)]);
    }
    for (const client of this.options.clients()) {
      if (this.sessions.get(client) !== account) continue;
      for (const [channel, data] of messages) {
        if (client.subscriptions.has(channel)) client.send({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
      }
    }
  }

  // --- wire shapes ---------------------------------------------------------------------------

  private orderWire(o: Order) {
    const i = this.instrument(o.symbol);
    const avg = averagePrice(o, i.sizeDecimals);
    const status = o.status === 'open' ? 'OPEN' : 'CLOSED';
    return {
      id: o.id,
      account: o.account,
      market: o.symbol,
      side: o.side === 'buy' ? 'BUY' : 'SELL',
      type: o.kind === 'limit' ? 'LIMIT' : 'MARKET',
      size: trimmed(unitsToMoney(o.sizeUnits, i.sizeDecimals)),
      remaining_size: trimmed(unitsToMoney(o.sizeUnits - o.filledUnits, i.sizeDecimals)),
      price: o.priceUnits === undefined ? '0' : trimmed(unitsToMoney(o.priceUnits, i.priceDecimals)),
      status,
      instruction: o.postOnly ? 'POST_ONLY' : o.timeInForce === 'IOC' && o.kind === 'limit' ? 'IOC' : 'GTC',
      flags: o.reduceOnly ? ['REDUCE_ONLY'] : [],
      client_id: o.clientId ?? '',
      cancel_reason: o.reason ? (CANCEL_REASON[o.reason] ?? o.reason) : '',
      avg_fill_price: avg ? trimmed(avg, 8) : '',
      created_at: o.createdAt,
      received_at: o.createdAt,
      published_at: o.createdAt,
      last_updated_at: o.updatedAt,
      timestamp: o.createdAt,
      seq_no: o.seq,
      stp: 'EXPIRE_TAKER',
    };
  }

  private fillWire(f: Fill) {
    return {
      id: f.id,
      account: f.account,
      market: f.symbol,
      order_id: f.orderId,
      client_id: f.clientId ?? '',
      side: f.side === 'buy' ? 'BUY' : 'SELL',
      liquidity: f.liquidity === 'maker' ? 'MAKER' : 'TAKER',
      price: trimmed(f.price),
      size: trimmed(f.size),
      fee: trimmed(f.fee, 8),
      fee_currency: 'USDC',
      realized_pnl: trimmed(f.realizedPnl, 8),
      fill_type: 'FILL',
      created_at: f.createdAt,
    };
  }

  private positionsWire(account: string) {
    return this.engine.positions(account).map((p) => this.positionWire(account, p));
  }

  private positionWire(account: string, p: PositionView) {
    return {
      id: `${account}-${p.symbol}`,
      account,
      market: p.symbol,
      status: p.sizeUnits === 0 ? 'CLOSED' : 'OPEN',
      side: p.sizeUnits >= 0 ? 'LONG' : 'SHORT',
      size: trimmed(p.size),
      average_entry_price: trimmed(p.entryPrice, 8),
      average_entry_price_usd: trimmed(p.entryPrice, 8),
      unrealized_pnl: trimmed(p.unrealizedPnl, 8),
      unrealized_funding_pnl: trimmed(p.funding, 8),
      realized_positional_pnl: trimmed(p.realizedPnl, 8),
      cost: trimmed(p.size.mul(p.entryPrice), 8),
      cost_usd: trimmed(p.size.mul(p.entryPrice), 8),
      last_updated_at: this.options.clock.now(),
      seq_no: ++this.seqNo,
    };
  }

  private accountWire(account: string) {
    const equity = this.engine.equity(account);
    const im = this.engine.initialMargin(account);
    const collateral = this.engine.account(account)?.collateral;
    return {
      account,
      account_value: trimmed(equity, 8),
      total_collateral: trimmed(collateral ?? equity, 8),
      free_collateral: trimmed(equity.sub(im), 8),
      initial_margin_requirement: trimmed(im, 8),
      maintenance_margin_requirement: trimmed(im.div(2), 8),
      margin_cushion: trimmed(equity.sub(im.div(2)), 8),
      settlement_asset: 'USDC',
      status: 'ACTIVE',
      updated_at: this.options.clock.now(),
      seq_no: ++this.seqNo,
    };
  }

  private instrument(symbol: string) {
    const m = this.markets.get(symbol);
    if (!m) throw new Error(`paradex simulator: unknown market ${symbol}`);
    return m.instrument;
  }
}

function header(r: RestRequest, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Paradex's error body: `{error, message}` (ApiError in the docs' schema). */
function error(status: number, code: string, message: string): RestReply {
  return json(status, { error: code, message });
}

function cancelError(e: unknown): RestReply {
  if (e instanceof EngineError && e.reason === 'ORDER_NOT_FOUND') return error(404, 'ORDER_ID_NOT_FOUND', e.message);
  if (e instanceof EngineError && e.reason === 'ORDER_CLOSED') return error(400, 'ORDER_IS_CLOSED', e.message);
  throw e;
}

/** start_at / end_at (unix ms, inclusive), as the list endpoints take them. */
function timeWindow(q: URLSearchParams): { startAt: number; endAt: number } | { invalid: string } {
  const read = (name: string, fallback: number): number | string => {
    const text = q.get(name);
    if (text === null || text === '') return fallback;
    return /^\d+$/.test(text) ? Number(text) : `${name} must be unix milliseconds, got ${text}`;
  };
  const startAt = read('start_at', 0);
  const endAt = read('end_at', Number.MAX_SAFE_INTEGER);
  if (typeof startAt === 'string') return { invalid: startAt };
  if (typeof endAt === 'string') return { invalid: endAt };
  return { startAt, endAt };
}

/**
 * Newest first, `page_size` rows (default 100), `next` an opaque cursor (null on the last page).
 * The cursor is a position in the oldest-first list; new rows are appended at its end, so they do
 * not shift the pages a reader is walking through.
 */
function page<T>(oldestFirst: readonly T[], q: URLSearchParams): RestReply {
  const sizeText = q.get('page_size');
  const size = sizeText === null || sizeText === '' ? DEFAULT_PAGE_SIZE : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return error(400, 'INVALID_REQUEST_PARAMETER', `page_size must be 1..${MAX_PAGE_SIZE}`);
  const cursor = q.get('cursor');
  let end = oldestFirst.length;
  if (cursor) {
    const m = /^before:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m) return error(400, 'INVALID_REQUEST_PARAMETER', 'cursor is not one this venue issued');
    end = Math.min(Number(m[1]), oldestFirst.length);
  }
  const start = Math.max(0, end - size);
  const next = start > 0 ? Buffer.from(`before:${start}`, 'utf8').toString('base64url') : null;
  return json(200, { next, prev: null, results: oldestFirst.slice(start, end).reverse() });
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function rpcResult(id: unknown, result: unknown) {
  return { jsonrpc: '2.0', result, usIn: Date.now() * 1000, usDiff: 150, id };
}

function rpcError(id: unknown, code: number, message: string, data: string) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message, data } };
}
