/**
 * Lighter simulator, private side: sendTx / sendTxBatch, nonces per (account, API key), active
 * orders, the account snapshot and the account WebSocket channels.
 *
 * From apidocs.lighter.xyz and the official SDKs (lighter-python, lighter-go): POST
 * /api/v1/sendTx with form fields `tx_type` and `tx_info` (a JSON string); tx types 14 create
 * order, 15 cancel order, 16 cancel all; create-order fields AccountIndex, ApiKeyIndex,
 * MarketIndex, ClientOrderIndex, BaseAmount, Price (integers at the market's size/price
 * decimals), IsAsk, Type (0 limit, 1 market), TimeInForce (0 IOC, 1 GTT, 2 post-only),
 * ReduceOnly, TriggerPrice, OrderExpiry, ExpiredAt, Nonce, Sig. Nonces are per API key and must
 * be exactly the next one (`invalid nonce`, code 21104; a batch must be consecutive, 21105); a
 * transaction the API accepts consumes its nonce even when the sequencer then cancels the
 * order (margin, post-only, reduce-only), which shows only in the order's status.
 *
 * Timing as published (https://apidocs.lighter.xyz/docs/account-types): a Standard account's
 * taker order (IOC or market) reaches the book 300 ms after the venue accepted its tx (the "taker
 * latency" speed bump; setSpeedBump, off by default, see speedBumpMs). Until then the tx is pending and no order exists. An executed
 * order shows in the REST lookups only indexDelayMs later (setIndexDelay; Lighter publishes no
 * figure, default 0). Lookups as documented (lighter-python docs/OrderApi.md): accountActiveOrders
 * open orders only (every market without market_id), accountInactiveOrders closed ones,
 * accountOrders by client_order_indexes any status, trades filtered by order_index, and
 * GET /api/v1/tx?by=hash a tx's status (0 failed, 1 pending, 2 executed; df-lighter-core's reading).
 * Rate limits: rate-limits.ts.
 *
 * NOT verified: the Schnorr signature over ECgFp5/Poseidon2. No implementation independent of
 * the connector's signer exists here, so the simulator only checks that `Sig` is present and is
 * base64 of 80 bytes (the signature's size). Auth tokens are likewise only checked for shape.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../engine/core/clock.ts';
import { averagePrice, MatchingEngine, type EngineEvent, type EngineReason, type Fill as EngineFill, type Order, type PositionView } from '../matching/engine.ts';
import { Money, moneyToUnits, padded as fixed, unitsToMoney, ZERO } from '../matching/money.ts';
import { AckTimers, OrderFaults, runWithFault } from '../matching/order-faults.ts';
import type { VenueMarket } from '../venue-market.ts';
import { json, type ClientSocket, type RestReply, type RestRequest, type Route } from '../venue-host.ts';
import { isRecord, parseJson } from '../venue-simulator.ts';
import { SimRateLimits } from '../rate-limits.ts';
import { LIGHTER_PUBLISHED_LIMITS, lighterRateRules, type LighterLimits } from './rate-limits.ts';

export const LIGHTER_TX_TYPE = { createOrder: 14, cancelOrder: 15, cancelAllOrders: 16 } as const;
/** Standard accounts trade at 0 / 0 (the public orderBookDetails say the same); setFees changes it. */
export const LIGHTER_FEES = { maker: '0', taker: '0' } as const;
/** Documented error codes. */
export const LIGHTER_CODES = { invalidNonce: 21104, batchNonceGap: 21105, accountNotFound: 21100, invalidPubKey: 21108 } as const;
const SIG_BYTES = 80;
/** Tx status codes (see the header). */
const TX_STATUS = { failed: 0, pending: 1, executed: 2 } as const;
const REQUEST_LOG_SIZE = 10_000;
/** The published Standard taker latency. */
export const LIGHTER_STANDARD_TAKER_DELAY_MS = 300;

/** One REST request as the venue saw it. */
export interface LighterRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly at: number;
  readonly refused: boolean;
}

interface TxRecord {
  status: number;
  /** Before this the venue answers "not found" for the hash (indexing). */
  visibleAt: number;
}
const MAX_BATCH = 50;

export interface LighterPrivateOptions {
  readonly markets: readonly VenueMarket[];
  readonly clock: Clock;
  readonly clients: () => Iterable<ClientSocket>;
}

interface LighterAccount {
  readonly index: number;
  readonly l1Address: string;
  /** Next nonce per API key index. */
  readonly nonces: Map<number, number>;
}

const STATUS: Partial<Record<EngineReason, string>> = {
  POST_ONLY_WOULD_CROSS: 'canceled-post-only',
  REDUCE_ONLY_INCREASES: 'canceled-reduce-only',
  REDUCE_ONLY_EXCEEDS: 'canceled-reduce-only',
  INSUFFICIENT_MARGIN: 'canceled-margin-not-allowed',
  NO_LIQUIDITY: 'canceled-not-enough-liquidity',
  IOC_REMAINDER: 'canceled',
  USER_CANCELED: 'canceled',
  EXPIRED: 'canceled-expired',
  INVALID_SIZE: 'canceled-invalid-balance',
  INVALID_PRICE: 'canceled-invalid-balance',
  FAULT_INJECTED: 'canceled',
};

type TxInfo = Record<string, unknown>;

export class LighterPrivate {
  readonly engine: MatchingEngine;
  readonly faults = new OrderFaults();
  private readonly accounts = new Map<number, LighterAccount>();
  private readonly markets: Map<number, VenueMarket>;
  private readonly timers = new AckTimers();
  private orderIndex = 281_474_976_710_000;
  private txCount = 0;
  private readonly txs = new Map<string, TxRecord>();
  /** When each order (by id) shows in REST lookups. */
  private readonly visibleAt = new Map<string, number>();
  private readonly bumpTimers = new Set<NodeJS.Timeout>();
  /**
   * Off by default so far: the shared simulator tests (test/simulators/private, test/e2e) expect a
   * taker to fill within the sendTx answer. Tests of Lighter timing call
   * setSpeedBump(LIGHTER_STANDARD_TAKER_DELAY_MS).
   */
  private speedBumpMs = 0;
  private indexDelayMs = 0;
  private failNext = 0;
  /** The venue's rate limits (rate-limits.ts); `.refused` counts 429s per rule, `.enabled` turns them off. */
  readonly rateLimits = new SimRateLimits(lighterRateRules(LIGHTER_PUBLISHED_LIMITS));
  /** Account-channel subscriptions refused for their auth token. */
  refusedAuth = 0;
  /** Off by default: older simulator tests subscribe with a placeholder token. */
  private tokenCheck = false;
  /** Every REST request, newest last (bounded). */
  readonly requestLog: LighterRequestRecord[] = [];

  constructor(private readonly options: LighterPrivateOptions) {
    this.markets = new Map(options.markets.map((m) => [m.instrument.marketId, m]));
    this.engine = new MatchingEngine({
      venue: 'lighter',
      markets: options.markets,
      clock: options.clock,
      makerFee: LIGHTER_FEES.maker,
      takerFee: LIGHTER_FEES.taker,
      // default_initial_margin_fraction 500 (of 10 000) in the public orderBookDetails.
      initialMarginRatio: '0.05',
      reduceOnlyExceeds: 'trim',
    });
    this.engine.on((e) => this.push(e));
  }

  // --- test control --------------------------------------------------------------------------

  /** Create an account with API keys (nonces start at `startNonce`, default 0). */
  createAccount(index: number, options: { apiKeys?: readonly number[]; collateral?: string; l1Address?: string; startNonce?: number } = {}): void {
    const keys = options.apiKeys ?? [0];
    const existing = this.accounts.get(index);
    const account: LighterAccount = existing ?? { index, l1Address: options.l1Address ?? `0x${index.toString(16).padStart(40, '0')}`, nonces: new Map() };
    for (const k of keys) if (!account.nonces.has(k)) account.nonces.set(k, options.startNonce ?? 0);
    this.accounts.set(index, account);
    this.engine.openAccount(String(index), options.collateral ?? '0');
  }

  /** Check account-channel auth tokens for shape, deadline, account and key (see subscribe). */
  checkAuthTokens(on = true): void {
    this.tokenCheck = on;
  }

  /** Tighten (or restore, with no argument) the rate limits; counts start afresh. */
  setRateLimits(overrides: Partial<LighterLimits> = {}): void {
    this.rateLimits.setRules(lighterRateRules({ ...LIGHTER_PUBLISHED_LIMITS, ...overrides }));
  }

  /** Taker latency in ms (published Standard: 300; 0 switches it off). */
  setSpeedBump(ms: number): void {
    this.speedBumpMs = ms;
  }

  /** How long an executed order (and a tx) takes to show in REST lookups, ms. */
  setIndexDelay(ms: number): void {
    this.indexDelayMs = ms;
  }

  /** The next `count` create-order txs are accepted (hash, nonce used) and then fail in the sequencer: no order. */
  failNextTx(count = 1): void {
    this.failNext += count;
  }

  /** REST requests seen (served or refused) matching method and path, optionally since a time. */
  requestsTo(method: string, path: string | RegExp, since = 0): LighterRequestRecord[] {
    return this.requestLog.filter((r) => r.at >= since && r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Checked before routing, for every REST request (public ones too): records it, answers 429 past a budget. */
  guard(request: RestRequest): RestReply | undefined {
    const refusal = this.rateLimits.check(request);
    this.requestLog.push({ method: request.method, path: request.path, query: request.query.toString(), at: Date.now(), refused: refusal !== undefined });
    if (this.requestLog.length > REQUEST_LOG_SIZE) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_SIZE);
    return refusal;
  }

  accountId(index: number): string {
    return String(index);
  }

  dropPrivateSockets(): void {
    for (const client of this.options.clients()) {
      if ([...client.subscriptions].some((s) => s.startsWith('account_'))) client.terminate();
    }
  }

  afterStep(): void {
    this.engine.afterStep();
  }

  close(): void {
    this.timers.clear();
    for (const t of this.bumpTimers) clearTimeout(t);
    this.bumpTimers.clear();
  }

  // --- REST ------------------------------------------------------------------------------------

  routes(): Route[] {
    return [
      { method: 'POST', pattern: /^\/api\/v1\/sendTx$/, handle: (r) => this.sendTx(r) },
      { method: 'POST', pattern: /^\/api\/v1\/sendTxBatch$/, handle: (r) => this.sendTxBatch(r) },
      { method: 'GET', pattern: /^\/api\/v1\/nextNonce$/, handle: (r) => this.nextNonce(r) },
      { method: 'GET', pattern: /^\/api\/v1\/accountActiveOrders$/, handle: (r) => this.orders(r, true) },
      { method: 'GET', pattern: /^\/api\/v1\/accountInactiveOrders$/, handle: (r) => this.orders(r, false) },
      { method: 'GET', pattern: /^\/api\/v1\/accountOrders$/, handle: (r) => this.ordersByClientIndex(r) },
      { method: 'GET', pattern: /^\/api\/v1\/tx$/, handle: (r) => this.tx(r) },
      { method: 'GET', pattern: /^\/api\/v1\/account$/, handle: (r) => this.account(r) },
      { method: 'GET', pattern: /^\/api\/v1\/trades$/, handle: (r) => this.trades(r) },
    ];
  }

  private nextNonce(r: RestRequest): RestReply {
    const account = this.accounts.get(Number(r.query.get('account_index')));
    const key = Number(r.query.get('api_key_index'));
    const nonce = account?.nonces.get(key);
    if (!account) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    if (nonce === undefined) return fail(LIGHTER_CODES.invalidPubKey, 'invalid PublicKey, please run changePubKey');
    return json(200, { code: 200, nonce });
  }

  private orders(r: RestRequest, active: boolean): RestReply {
    const index = Number(r.query.get('account_index'));
    if (!this.accounts.has(index)) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    if (!authPresent(r)) return fail(20001, 'auth is required (Authorization header or auth query parameter)');
    const marketText = r.query.get('market_id');
    const market = marketText === null ? undefined : this.markets.get(Number(marketText));
    if (marketText !== null && !market) return fail(20001, `market_id ${marketText} not found`);
    const list = this.engine
      .orders(String(index))
      .filter((o) => this.visible(o.id) && (active ? o.status === 'open' : o.status !== 'open') && (!market || o.symbol === market.instrument.symbol));
    return json(200, { code: 200, orders: list.map((o) => this.orderWire(o)) });
  }

  /**
   * `GET /api/v1/accountOrders?client_order_indexes=` (auth): "Get account orders by client order
   * indexes ... the last 10K active orders ..., or the last 1K inactive orders (in the last 24
   * hours)", comma-separated, at most 20 (lighter-python docs/OrderApi.md). Any status.
   */
  private ordersByClientIndex(r: RestRequest): RestReply {
    if (!authPresent(r)) return fail(20001, 'auth is required (Authorization header or auth query parameter)');
    const index = Number(r.query.get('account_index'));
    if (!this.accounts.has(index)) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    const raw = (r.query.get('client_order_indexes') ?? '').split(',').filter((x) => x !== '');
    if (raw.length === 0 || raw.length > 20 || raw.some((x) => !/^\d+$/.test(x))) return fail(20001, 'client_order_indexes must be 1 to 20 comma-separated integers');
    const wanted = new Set(raw);
    const list = this.engine.orders(String(index)).filter((o) => this.visible(o.id) && wanted.has(String(o.clientId ?? '')));
    return json(200, { code: 200, orders: list.map((o) => this.orderWire(o)) });
  }

  /** `GET /api/v1/tx?by=hash&value=` (public): a sent tx's status; unknown or not yet indexed answers 400. */
  private tx(r: RestRequest): RestReply {
    if (r.query.get('by') !== 'hash') return fail(20001, 'by must be hash');
    const hash = r.query.get('value') ?? '';
    const tx = this.txs.get(hash);
    if (!tx || this.options.clock.now() < tx.visibleAt) return fail(21500, 'transaction not found');
    return json(200, { code: 200, hash, type: LIGHTER_TX_TYPE.createOrder, status: tx.status, info: '{}', event_info: '{}' });
  }

  private visible(orderId: string): boolean {
    return this.options.clock.now() >= (this.visibleAt.get(orderId) ?? 0);
  }

  /**
   * `GET /api/v1/trades?account_index=&market_id=&sort_by=&limit=` (auth): the account's trades,
   * newest first, in the SDK's Trade shape. The other side of every trade is the synthetic book
   * (account 0, ids 0). Fee fields are the rates in millionths of notional (guess: the docs are silent).
   */
  private trades(r: RestRequest): RestReply {
    const index = Number(r.query.get('account_index'));
    if (!this.accounts.has(index)) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    if (!authPresent(r)) return fail(20001, 'auth is required (Authorization header or auth query parameter)');
    const marketText = r.query.get('market_id');
    const market = marketText === null ? undefined : this.markets.get(Number(marketText));
    if (marketText !== null && !market) return fail(20001, `market_id ${marketText} not found`);
    const limit = Math.min(Math.max(Number(r.query.get('limit') ?? 100) || 100, 1), 100);
    const orderFilter = r.query.get('order_index');
    const id = String(index);
    const list = this.engine
      .fills(id, market?.instrument.symbol)
      .filter((f) => this.visible(f.orderId) && (orderFilter === null || f.orderId === orderFilter))
      .slice()
      .reverse()
      .slice(0, limit)
      .map((f) => this.tradeWire(index, f));
    return json(200, { code: 200, next_cursor: '', trades: list });
  }

  private account(r: RestRequest): RestReply {
    const by = r.query.get('by') ?? 'index';
    const value = r.query.get('value') ?? '';
    const account = by === 'index' ? this.accounts.get(Number(value)) : [...this.accounts.values()].find((a) => a.l1Address.toLowerCase() === value.toLowerCase());
    if (!account) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    return json(200, { code: 200, total: 1, accounts: [this.accountWire(account)] });
  }

  private async sendTx(r: RestRequest): Promise<RestReply> {
    const form = parseForm(r);
    const txType = Number(form.get('tx_type'));
    const info = parseJson(form.get('tx_info') ?? '');
    if (!isRecord(info)) return fail(20001, 'tx_info must be a JSON object string');
    const refused = this.validate(txType, info, undefined);
    if (refused) return refused;
    if (txType !== LIGHTER_TX_TYPE.createOrder) return json(200, this.apply(txType, info, undefined));
    if (this.failNext > 0) {
      this.failNext -= 1;
      return json(200, this.accept(info, TX_STATUS.failed));
    }
    const taker = info['TimeInForce'] === 0 || info['Type'] === 1;
    const fault = this.faults.take();
    if (taker && this.speedBumpMs > 0 && !fault) {
      // Accepted now (nonce used, hash answered); the order reaches the book after the speed bump.
      const answer = this.accept(info, TX_STATUS.pending);
      const hash = answer['tx_hash'] as string;
      const timer = setTimeout(() => {
        this.bumpTimers.delete(timer);
        this.execute(txType, info, undefined);
        const tx = this.txs.get(hash);
        if (tx) tx.status = TX_STATUS.executed;
      }, this.speedBumpMs);
      this.bumpTimers.add(timer);
      return json(200, answer);
    }
    return runWithFault(fault, this.timers, {
      execute: (cap) => this.apply(txType, info, cap),
      reply: (body) => json(200, body),
      rejected: (message) => fail(21700, `order rejected: ${message}`),
      sizeUnits: (size) => this.sizeUnitsOf(info, size),
    });
  }

  private sendTxBatch(r: RestRequest): RestReply {
    const form = parseForm(r);
    const types = parseJson(form.get('tx_types') ?? '');
    const infos = parseJson(form.get('tx_infos') ?? '');
    if (!Array.isArray(types) || !Array.isArray(infos) || types.length !== infos.length || types.length === 0) {
      return fail(20001, 'tx_types and tx_infos must be JSON arrays of equal, non-zero length');
    }
    if (types.length > MAX_BATCH) return fail(20001, `at most ${MAX_BATCH} transactions per batch`);
    const parsed = infos.map((i) => (typeof i === 'string' ? parseJson(i) : i));
    const expected = new Map<string, number>();
    for (let k = 0; k < parsed.length; k++) {
      const info = parsed[k];
      if (!isRecord(info)) return fail(20001, `tx_infos[${k}] is not a JSON object`);
      const key = `${String(info['AccountIndex'])}/${String(info['ApiKeyIndex'])}`;
      const want = expected.get(key);
      const refused = this.validate(Number(types[k]), info, want);
      if (refused) return want !== undefined && isNonceError(refused) ? fail(LIGHTER_CODES.batchNonceGap, 'batch nonces must be consecutive') : refused;
      expected.set(key, Number(info['Nonce']) + 1);
    }
    const hashes = parsed.map((info, k) => (this.apply(Number(types[k]), info as TxInfo, undefined) as { tx_hash: string }).tx_hash);
    return json(200, { code: 200, message: '{"ratelimit": "didn\'t use volume quota"}', tx_hash: hashes, predicted_execution_time_ms: this.options.clock.now() + 5 });
  }

  /** Everything the API checks before accepting a transaction (no nonce consumed on refusal). */
  private validate(txType: number, info: TxInfo, expectedNonce: number | undefined): RestReply | undefined {
    if (txType !== LIGHTER_TX_TYPE.createOrder && txType !== LIGHTER_TX_TYPE.cancelOrder && txType !== LIGHTER_TX_TYPE.cancelAllOrders) {
      return fail(20001, `tx_type ${txType} is not simulated (14 create, 15 cancel, 16 cancel all)`);
    }
    const account = this.accounts.get(Number(info['AccountIndex']));
    if (!account) return fail(LIGHTER_CODES.accountNotFound, 'account not found');
    const keyIndex = Number(info['ApiKeyIndex']);
    const next = account.nonces.get(keyIndex);
    if (next === undefined) return fail(LIGHTER_CODES.invalidPubKey, 'invalid PublicKey, please run changePubKey');
    if (!isSig(info['Sig'])) return fail(21120, `invalid signature: Sig must be base64 of ${SIG_BYTES} bytes`);
    const expiredAt = info['ExpiredAt'];
    if (typeof expiredAt === 'number' && expiredAt > 0 && expiredAt < this.options.clock.now()) return fail(21116, 'transaction expired (ExpiredAt)');
    const nonce = info['Nonce'];
    if (typeof nonce !== 'number' || nonce !== (expectedNonce ?? next)) return fail(LIGHTER_CODES.invalidNonce, 'invalid nonce');
    if (txType === LIGHTER_TX_TYPE.createOrder) {
      const market = this.markets.get(Number(info['MarketIndex']));
      if (!market) return fail(21701, `invalid market index ${String(info['MarketIndex'])}`);
      for (const field of ['BaseAmount', 'Price', 'ClientOrderIndex'] as const) {
        if (!Number.isSafeInteger(info[field]) || (info[field] as number) < 0) return fail(21702, `${field} must be a non-negative integer`);
      }
      if (![0, 1].includes(info['IsAsk'] as number) || ![0, 1].includes(info['Type'] as number) || ![0, 1, 2].includes(info['TimeInForce'] as number)) {
        return fail(21702, 'IsAsk must be 0/1, Type 0 (limit) or 1 (market), TimeInForce 0 (IOC), 1 (GTT) or 2 (post-only)');
      }
    }
    return undefined;
  }

  /** Execute an accepted transaction now: consume its nonce, run it, answer like sendTx. */
  private apply(txType: number, info: TxInfo, maxFillUnits: number | undefined): Record<string, unknown> {
    const answer = this.accept(info, TX_STATUS.executed);
    this.execute(txType, info, maxFillUnits);
    return answer;
  }

  /** The API took the tx: its nonce is used and its hash known (status as given). */
  private accept(info: TxInfo, status: number): Record<string, unknown> {
    const account = this.accounts.get(Number(info['AccountIndex'])) as LighterAccount;
    account.nonces.set(Number(info['ApiKeyIndex']), Number(info['Nonce']) + 1);
    const hash = createHash('sha256').update(`${++this.txCount}:${JSON.stringify(info)}`).digest('hex');
    const now = this.options.clock.now();
    this.txs.set(hash, { status, visibleAt: now + this.indexDelayMs });
    return { code: 200, message: '{"ratelimit": "didn\'t use volume quota"}', tx_hash: hash, predicted_execution_time_ms: now + 5 };
  }

  /** The sequencer runs the tx against the book. */
  private execute(txType: number, info: TxInfo, maxFillUnits: number | undefined): void {
    const account = this.accounts.get(Number(info['AccountIndex'])) as LighterAccount;
    const id = String(account.index);
    if (txType === LIGHTER_TX_TYPE.createOrder) {
      const market = this.markets.get(Number(info['MarketIndex'])) as VenueMarket;
      const isMarket = info['Type'] === 1;
      const tif = info['TimeInForce'];
      const expiry = info['OrderExpiry'];
      const orderId = String(++this.orderIndex);
      this.visibleAt.set(orderId, this.options.clock.now() + this.indexDelayMs);
      this.engine.submit(
        {
          id: orderId,
          account: id,
          symbol: market.instrument.symbol,
          side: info['IsAsk'] === 1 ? 'sell' : 'buy',
          kind: isMarket ? 'market' : 'limit',
          sizeUnits: info['BaseAmount'] as number,
          // A market order's Price is its worst acceptable price.
          priceUnits: info['Price'] as number,
          timeInForce: tif === 0 || isMarket ? 'IOC' : 'GTT',
          postOnly: tif === 2,
          reduceOnly: info['ReduceOnly'] === 1,
          expiresAt: tif !== 0 && typeof expiry === 'number' && expiry > 0 ? expiry : undefined,
          clientId: String(info['ClientOrderIndex']),
        },
        { maxFillUnits },
      );
    } else if (txType === LIGHTER_TX_TYPE.cancelOrder) {
      const index = String(info['Index']);
      const order = this.engine.order(id, index) ?? this.engine.orderByClientId(id, index);
      // Cancelling a closed or unknown order is accepted and does nothing, as the sequencer would.
      if (order?.status === 'open') this.engine.cancel(id, order.id);
    } else {
      this.engine.cancelAll(id);
    }
  }

  private sizeUnitsOf(info: TxInfo, size: string): number {
    const market = this.markets.get(Number(info['MarketIndex']));
    if (!market) return 0;
    return moneyToUnits(size, market.instrument.sizeDecimals) ?? 0;
  }

  // --- WebSocket -------------------------------------------------------------------------------

  /**
   * `account_all/{account}`, `account_all_orders/{account}`, `account_orders/{market}/{account}`,
   * `account_all_trades/{account}` (with `auth`: apidocs.lighter.xyz/docs/websocket-reference);
   * false when the name is none of them. With checkAuthTokens(true) the token must be well formed
   * ("{deadline}:{account}:{key}:{sig}", as CreateAuthToken makes it), unexpired, and for this
   * account and one of its API keys (its signature is not checked, see the header); otherwise
   * any non-empty auth passes, as on REST. Lighter documents no error code for a refused token:
   * 30009 / 30010 are this simulator's own.
   */
  subscribe(client: ClientSocket, message: Record<string, unknown>): boolean {
    const name = message['channel'];
    if (typeof name !== 'string') return false;
    const m = /^(account_all|account_all_orders|account_all_trades)\/(\d+)$/.exec(name) ?? /^(account_orders)\/(\d+)\/(\d+)$/.exec(name);
    if (!m) return false;
    const accountIndex = Number(m[1] === 'account_orders' ? m[3] : m[2]);
    const marketId = m[1] === 'account_orders' ? Number(m[2]) : undefined;
    if (!this.accounts.has(accountIndex) || (marketId !== undefined && !this.markets.has(marketId))) {
      client.send({ error: { code: 30005, message: `Invalid Channel: ${name}` } });
      return true;
    }
    if (m[1] !== 'account_all' && (typeof message['auth'] !== 'string' || message['auth'] === '')) {
      client.send({ error: { code: 30009, message: `auth is required for ${name}` } });
      return true;
    }
    const refusal = m[1] === 'account_all' || !this.tokenCheck ? undefined : this.authRefusal(String(message['auth']), accountIndex);
    if (refusal) {
      this.refusedAuth += 1;
      client.send({ error: { code: 30010, message: `invalid auth for ${name}: ${refusal}` } });
      return true;
    }
    client.subscriptions.add(name);
    client.send(this.channelMessage(name, 'subscribed'));
    return true;
  }

  /** Why this token may not subscribe to the account's channels; undefined when it may. */
  private authRefusal(token: string, accountIndex: number): string | undefined {
    const parts = token.split(':');
    if (parts.length !== 4 || !parts.slice(0, 3).every((p) => /^\d+$/.test(p)) || parts[3] === '') return 'malformed token';
    const [deadline, account, key] = parts.map(Number) as [number, number, number];
    if (deadline * 1000 <= this.options.clock.now()) return 'token expired';
    if (account !== accountIndex) return `token is for account ${account}`;
    if (!this.accounts.get(accountIndex)?.nonces.has(key)) return `API key ${key} is not registered`;
    return undefined;
  }

  private channelMessage(name: string, phase: 'subscribed' | 'update'): Record<string, unknown> {
    const [kind, a, b] = name.split('/');
    const accountIndex = Number(kind === 'account_orders' ? b : a);
    const id = String(accountIndex);
    const wireChannel = name.replaceAll('/', ':');
    if (kind === 'account_all') {
      const positions = Object.fromEntries(this.engine.positions(id).map((p) => [String(this.marketIdOf(p.symbol)), this.positionWire(p)]));
      const trades: Record<string, unknown[]> = {};
      for (const f of this.engine.fills(id).slice(-50)) {
        const key = String(this.marketIdOf(f.symbol));
        (trades[key] ??= []).push({
          trade_id: Number(f.id),
          market_id: this.marketIdOf(f.symbol),
          size: fixed(f.size, this.decimals(f.symbol).size),
          price: fixed(f.price, this.decimals(f.symbol).price),
          usd_amount: fixed(f.size.mul(f.price), 6),
          is_maker_ask: f.side === 'buy',
          ask_account_id: f.side === 'sell' ? accountIndex : 0,
          bid_account_id: f.side === 'buy' ? accountIndex : 0,
          timestamp: f.createdAt,
        });
      }
      return { account: accountIndex, channel: wireChannel, positions, trades, funding_histories: {}, type: `${phase}/account_all` };
    }
    if (kind === 'account_all_trades') {
      // The subscription opens with the account's recent trades (the docs do not say how many).
      const trades: Record<string, unknown[]> = {};
      for (const f of this.engine.fills(id).slice(-50)) (trades[String(this.marketIdOf(f.symbol))] ??= []).push(this.tradeWire(accountIndex, f));
      return { channel: wireChannel, trades, type: `${phase}/account_all_trades` };
    }
    const orders: Record<string, unknown[]> = {};
    for (const o of this.engine.orders(id)) {
      const mid = this.marketIdOf(o.symbol);
      if (kind === 'account_orders' && mid !== Number(a)) continue;
      if (phase === 'subscribed' && o.status !== 'open') continue;
      (orders[String(mid)] ??= []).push(this.orderWire(o));
    }
    return { account: accountIndex, channel: wireChannel, orders, type: `${phase}/${kind}` };
  }

  private push(event: EngineEvent): void {
    const account = event.type === 'order' ? event.order.account : event.type === 'fill' ? event.fill.account : event.type === 'position' ? event.account : event.type === 'funding' ? event.payment.account : event.account.id;
    for (const client of this.options.clients()) {
      for (const name of client.subscriptions) {
        if (!name.startsWith('account_') || !name.endsWith(`/${account}`)) continue;
        if (event.type === 'order' && name.startsWith('account_all_orders')) {
          client.send({ account: Number(account), channel: name.replaceAll('/', ':'), orders: { [String(this.marketIdOf(event.order.symbol))]: [this.orderWire(event.order)] }, type: 'update/account_all_orders' });
        } else if (event.type === 'order' && name.startsWith('account_orders/')) {
          if (name.split('/')[1] !== String(this.marketIdOf(event.order.symbol))) continue;
          client.send({ account: Number(account), channel: name.replaceAll('/', ':'), orders: { [String(this.marketIdOf(event.order.symbol))]: [this.orderWire(event.order)] }, type: 'update/account_orders' });
        } else if (event.type === 'fill' && name.startsWith('account_all_trades/')) {
          client.send({ channel: name.replaceAll('/', ':'), trades: { [String(this.marketIdOf(event.fill.symbol))]: [this.tradeWire(Number(account), event.fill)] }, type: 'update/account_all_trades' });
        } else if ((event.type === 'position' || event.type === 'funding') && name.startsWith('account_all/')) {
          client.send(this.channelMessage(name, 'update'));
        }
      }
    }
  }

  // --- wire shapes -------------------------------------------------------------------------------

  /**
   * One of the account's fills in the SDK's Trade shape (REST trades and the account_all_trades
   * channel). The other side of every trade is the synthetic book (account 0, ids 0). Fee fields
   * are the rates in millionths of notional (guess: the docs are silent).
   */
  private tradeWire(accountIndex: number, f: EngineFill) {
    const fees = this.engine.fees();
    const millionths = (rate: Money) => Number(rate.mul(1_000_000).toFixed(0));
    const order = this.engine.order(String(accountIndex), f.orderId);
    const d = this.decimals(f.symbol);
    const ask = f.side === 'sell';
    const clientIndex = Number(order?.clientId ?? 0);
    return {
      trade_id: Number(f.id),
      type: 'trade',
      market_id: this.marketIdOf(f.symbol),
      size: fixed(f.size, d.size),
      price: fixed(f.price, d.price),
      usd_amount: fixed(f.size.mul(f.price), 6),
      ask_id: ask ? Number(f.orderId) : 0,
      bid_id: ask ? 0 : Number(f.orderId),
      ask_client_id: ask ? clientIndex : 0,
      bid_client_id: ask ? 0 : clientIndex,
      ask_account_id: ask ? accountIndex : 0,
      bid_account_id: ask ? 0 : accountIndex,
      // Our side was the maker only when our order rested.
      is_maker_ask: f.liquidity === 'maker' ? ask : !ask,
      timestamp: f.createdAt,
      taker_fee: millionths(fees.taker),
      maker_fee: millionths(fees.maker),
    };
  }

  private orderWire(o: Order) {
    const i = this.instrumentOf(o.symbol);
    const avg = averagePrice(o, i.sizeDecimals);
    const status = o.status === 'open' ? 'open' : o.status === 'filled' ? 'filled' : o.reason ? (STATUS[o.reason] ?? 'canceled') : 'canceled';
    return {
      order_index: Number(o.id),
      client_order_index: Number(o.clientId ?? 0),
      order_id: o.id,
      client_order_id: o.clientId ?? '0',
      market_index: i.marketId,
      owner_account_index: Number(o.account),
      initial_base_amount: fixed(unitsToMoney(o.requestedSizeUnits, i.sizeDecimals), i.sizeDecimals),
      price: fixed(unitsToMoney(o.priceUnits ?? 0, i.priceDecimals), i.priceDecimals),
      remaining_base_amount: fixed(unitsToMoney(o.status === 'open' ? o.sizeUnits - o.filledUnits : 0, i.sizeDecimals), i.sizeDecimals),
      filled_base_amount: fixed(unitsToMoney(o.filledUnits, i.sizeDecimals), i.sizeDecimals),
      filled_quote_amount: fixed(o.filledNotional, 6),
      avg_execution_price: avg ? fixed(avg, i.priceDecimals) : '0',
      is_ask: o.side === 'sell',
      side: o.side === 'sell' ? 'sell' : 'buy',
      type: o.kind,
      time_in_force: o.postOnly ? 'post-only' : o.timeInForce === 'IOC' ? 'immediate-or-cancel' : 'good-till-time',
      reduce_only: o.reduceOnly,
      trigger_price: '0',
      order_expiry: o.expiresAt ?? 0,
      status,
      timestamp: o.createdAt,
      updated_at: o.updatedAt,
    };
  }

  private positionWire(p: PositionView) {
    const i = this.instrumentOf(p.symbol);
    return {
      market_id: i.marketId,
      symbol: i.base,
      initial_margin_fraction: fixed(this.engine.marginRatio(p.symbol).mul(100), 2),
      sign: p.sizeUnits < 0 ? -1 : 1,
      position: fixed(p.size.abs(), i.sizeDecimals),
      avg_entry_price: fixed(p.entryPrice, i.priceDecimals),
      position_value: fixed(p.size.abs().mul(p.markPrice), 6),
      unrealized_pnl: fixed(p.unrealizedPnl, 6),
      realized_pnl: fixed(p.realizedPnl, 6),
      total_funding_paid_out: fixed(p.funding.neg(), 6),
      margin_mode: 0,
    };
  }

  private accountWire(a: LighterAccount) {
    const id = String(a.index);
    const collateral = this.engine.account(id)?.collateral ?? ZERO;
    const equity = this.engine.equity(id);
    const im = this.engine.initialMargin(id);
    return {
      code: 0,
      account_type: 0,
      index: a.index,
      l1_address: a.l1Address,
      cancel_all_time: 0,
      total_order_count: this.engine.orders(id).length,
      pending_order_count: 0,
      status: 1,
      collateral: fixed(collateral, 6),
      available_balance: fixed(equity.sub(im), 6),
      total_asset_value: fixed(equity, 6),
      positions: this.engine.positions(id).map((p) => this.positionWire(p)),
    };
  }

  private marketIdOf(symbol: string): number {
    return this.instrumentOf(symbol).marketId;
  }

  private decimals(symbol: string) {
    const i = this.instrumentOf(symbol);
    return { size: i.sizeDecimals, price: i.priceDecimals };
  }

  private instrumentOf(symbol: string) {
    const m = [...this.markets.values()].find((v) => v.instrument.symbol === symbol);
    if (!m) throw new Error(`lighter simulator: unknown market ${symbol}`);
    return m.instrument;
  }
}

function fail(code: number, message: string): RestReply {
  return json(400, { code, message });
}

function isNonceError(reply: RestReply): boolean {
  return isRecord(reply.body) && reply.body['code'] === LIGHTER_CODES.invalidNonce;
}

function isSig(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === SIG_BYTES;
}

function authPresent(r: RestRequest): boolean {
  const h = r.headers['authorization'];
  return (typeof h === 'string' && h !== '') || (r.query.get('auth') ?? '') !== '';
}

/** Form fields from an urlencoded or multipart body (the SDKs send either). */
function parseForm(r: RestRequest): URLSearchParams {
  const type = String(r.headers['content-type'] ?? '');
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) return new URLSearchParams(r.body);
  const out = new URLSearchParams();
  for (const part of r.body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const m = /name="([^"]+)"\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n$/.exec(part.replace(/^\r?\n/, ''));
    if (m && m[1] !== undefined && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}
