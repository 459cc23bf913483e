/**
 * Vest simulator, private side: signing-key registration, API-key calls, signed orders and
 * cancels, account state, the listenKey account stream.
 *
 * From the Vest API docs and the community clients (hummingbot-style constants, a TS client,
 * python samples): POST /register with an EIP-712 SignerProof signed by the primary wallet
 * (domain VestRouterV2 / 0.0.1 / verifyingContract, no chainId) -> {apiKey, accGroup};
 * private calls carry X-API-KEY and `xrestservermm: restserver{accGroup}`; orders are signed by
 * the approved signing key as an EIP-191 message over
 * keccak256(abi.encode(time, nonce, orderType, symbol, isBuy, size, limitPrice, reduceOnly));
 * cancels over keccak256(abi.encode(time, nonce, id)); `recvWindow` (default 5000): the server
 * discards when its time > time + recvWindow; GET /account/nonce -> {lastNonce}; error codes
 * from the docs' list (INVALID_SIGNATURE 1022, INVALID_NONCE 1023, ORDER_EXPIRED 1132, ...).
 * POST /orders answers {id}; margin and reduce-only rejections show as status REJECTED with a
 * `code` on the order (the docs' OrderResponse). Guesses: see simulators/README.md.
 *
 * Order lookups as the docs' GET /orders: `id` (comma-separated), `nonce`, `symbol`, `orderType`,
 * `status` (all statuses by default), `startTime`/`endTime` (postTime), `limit` (default 1000),
 * newest first. lastFilledSize / lastFilledPrice / lastFilledTime / avgFilledPrice /
 * settledFunding / realizedPnl are "null if status != FILLED" and there is no cumulative filled
 * size: a partly filled, then cancelled order shows only its `fees`. Account-stream ORDER pushes
 * take the docs' payload shapes (new order; execution with the last fill; cancellation and
 * rejection with id, status, code, postTime, nonce only); a partial execution's push is guessed
 * as the execution shape with status PARTIALLY_FILLED. Listen keys live 60 minutes; POST returns
 * the active key and extends it; PUT on an expired or missing key answers 1125 (docs). Rate
 * limits per rate-limits.ts (Vest publishes none).
 */
import { randomBytes } from 'node:crypto';
import { AbiCoder, getBytes, keccak256, verifyMessage, verifyTypedData } from 'ethers';
import type { Clock } from '../../engine/core/clock.ts';
import { SimRateLimits } from '../rate-limits.ts';
import { averagePrice, EngineError, MatchingEngine, type EngineEvent, type EngineReason, type Order } from '../matching/engine.ts';
import { moneyToUnits, padded, unitsToMoney, ZERO } from '../matching/money.ts';
import { AckTimers, OrderFaults, runWithFault } from '../matching/order-faults.ts';
import type { VenueMarket } from '../venue-market.ts';
import { json, type ClientSocket, type RestReply, type RestRequest, type Route } from '../venue-host.ts';
import { isRecord, parseJson } from '../venue-simulator.ts';
import { VEST_ASSUMED_LIMITS, vestRateRules, type VestLimits } from './rate-limits.ts';

/** "Returns a listen key that is valid for 60 minutes" (docs, POST /account/listenKey). */
export const LISTEN_KEY_TTL_MS = 60 * 60_000;
const REQUEST_LOG_SIZE = 5_000;

export interface VestRequestRecord {
  method: string;
  path: string;
  query: string;
  at: number;
  refused: boolean;
}

/** Production VestRouterV2 (docs' "Contract Addresses"). */
export const VEST_VERIFYING_CONTRACT = '0x919386306C47b2Fe1036e3B4F7C40D22D2461a23';
/** exchangeInfo's takerFee; Vest lists no maker fee (a guess: 0). */
export const VEST_FEES = { maker: '0', taker: '0.0001' } as const;
export const VEST_COLLATERAL_DECIMALS = 6;

export type VestNonceRule = 'increasing' | 'unique';

export interface VestPrivateOptions {
  readonly markets: readonly VenueMarket[];
  readonly clock: Clock;
  readonly accountGroup: number;
  readonly clients: () => Iterable<ClientSocket>;
  /** Nonces must exceed the account's lastNonce ("increasing", default) or only be unused. */
  readonly nonceRule?: VestNonceRule;
}

interface VestAccount {
  readonly primary: string;
  readonly signer: string;
  readonly signerExpiry: number;
  readonly apiKey: string;
  lastNonce: number;
  readonly usedNonces: Set<number>;
  listenKey: string | undefined;
  listenKeyExpiresAt: number;
}

const REJECT_CODE: Partial<Record<EngineReason, string>> = {
  INSUFFICIENT_MARGIN: 'MARGIN_CHECK_FAILED',
  REDUCE_ONLY_INCREASES: 'REDUCE_ONLY_INCREASES',
  REDUCE_ONLY_EXCEEDS: 'REDUCE_ONLY_EXCEEDS_SIZE',
  POST_ONLY_WOULD_CROSS: 'INVALID_LIMIT_PRICE',
  INVALID_PRICE: 'INVALID_LIMIT_PRICE',
  INVALID_SIZE: 'BAD_DECIMALS',
  FAULT_INJECTED: 'SIMULATED_REJECT',
};

const ORDER_TYPES = ['uint256', 'uint256', 'string', 'string', 'bool', 'string', 'string', 'bool'];
const CANCEL_TYPES = ['uint256', 'uint256', 'string'];

export class VestPrivate {
  readonly engine: MatchingEngine;
  readonly faults = new OrderFaults();
  private readonly byApiKey = new Map<string, VestAccount>();
  private readonly byListenKey = new Map<string, VestAccount>();
  private readonly sessions = new WeakMap<ClientSocket, string>();
  private readonly markets: Map<string, VenueMarket>;
  private readonly timers = new AckTimers();
  private nonceRule: VestNonceRule;
  private orderSeq = 0;
  /** The venue's rate limits (rate-limits.ts); `.refused` counts 429s per rule, `.enabled` turns them off. */
  readonly rateLimits: SimRateLimits;
  /** Every REST request, newest last (bounded). */
  readonly requestLog: VestRequestRecord[] = [];

  constructor(private readonly options: VestPrivateOptions) {
    this.markets = new Map(options.markets.map((m) => [m.instrument.symbol, m]));
    this.nonceRule = options.nonceRule ?? 'increasing';
    this.rateLimits = new SimRateLimits(this.rateRules(VEST_ASSUMED_LIMITS));
    this.engine = new MatchingEngine({
      venue: 'vest',
      markets: options.markets,
      clock: options.clock,
      makerFee: VEST_FEES.maker,
      takerFee: VEST_FEES.taker,
      initialMarginRatio: '0.1',
      reduceOnlyExceeds: 'reject',
    });
    this.engine.on((e) => this.push(e));
  }

  // --- test control ----------------------------------------------------------------------------

  setNonceRule(rule: VestNonceRule): void {
    this.nonceRule = rule;
  }

  /** Tighten (or restore, with no argument) the rate limits; counts start afresh. */
  setRateLimits(overrides: Partial<VestLimits> = {}): void {
    this.rateLimits.setRules(this.rateRules({ ...VEST_ASSUMED_LIMITS, ...overrides }));
  }

  /** REST requests seen (served or refused) matching method and path, optionally since a time. */
  requestsTo(method: string, path: string | RegExp, since = 0): VestRequestRecord[] {
    return this.requestLog.filter((r) => r.at >= since && r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Checked before routing, for every REST request: records it and answers 429 when a budget is spent. */
  guard(request: RestRequest): RestReply | undefined {
    const refusal = this.rateLimits.check(request);
    this.requestLog.push({ method: request.method, path: request.path, query: request.query.toString(), at: Date.now(), refused: refusal !== undefined });
    if (this.requestLog.length > REQUEST_LOG_SIZE) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_SIZE);
    return refusal;
  }

  /**
   * Expire every listen key now; with `close`, also close the private sockets as the venue does
   * (LISTEN_KEY_EXPIRED 4005). Without it, the next PUT /account/listenKey answers 1125.
   */
  expireListenKeys(close = true): void {
    for (const a of this.byApiKey.values()) a.listenKeyExpiresAt = 0;
    if (!close) return;
    for (const client of this.options.clients()) {
      if (this.sessions.has(client)) client.close(4005, 'LISTEN_KEY_EXPIRED');
    }
  }

  private rateRules(limits: VestLimits) {
    return vestRateRules(limits, (r) => {
      const key = header(r, 'x-api-key');
      return key && this.byApiKey.has(key) ? key : undefined;
    });
  }

  /** The engine account id of a primary address (lowercase). */
  accountId(primaryAddr: string): string {
    return primaryAddr.toLowerCase();
  }

  dropPrivateSockets(): void {
    for (const client of this.options.clients()) if (this.sessions.has(client)) client.terminate();
  }

  /**
   * Drop the account sockets just before the next order executes: its pushes go nowhere and the
   * client's stream reconnects only afterwards (as a reconnect racing an order on the venue).
   */
  dropPrivateSocketsAtNextOrder(): void {
    this.dropAtNextOrder = true;
  }

  private dropAtNextOrder = false;

  afterStep(): void {
    this.engine.afterStep();
  }

  close(): void {
    this.timers.clear();
  }

  // --- WebSocket hooks -------------------------------------------------------------------------

  /** On connect: a `listenKey` query parameter makes the socket private. False = refuse it. */
  onConnection(client: ClientSocket, query: URLSearchParams): boolean {
    const key = query.get('listenKey');
    if (key === null) return true;
    const account = this.byListenKey.get(key);
    if (account && account.listenKeyExpiresAt <= this.options.clock.now()) {
      client.send({ error: { code: 1125, msg: 'Listen key expired. Make a POST request to create a new key.' }, id: null });
      client.close(4005, 'LISTEN_KEY_EXPIRED');
      return false;
    }
    if (!account) {
      client.send({ error: { code: 1125, msg: 'INVALID_LISTEN_KEY' }, id: null });
      client.close(4004, 'LISTEN_KEY_NOT_FOUND');
      return false;
    }
    this.sessions.set(client, account.primary);
    return true;
  }

  /** `account_private` is a channel only on a socket opened with a listenKey. */
  isChannel(client: ClientSocket, name: string): boolean {
    return name === 'account_private' && this.sessions.has(client);
  }

  private push(event: EngineEvent): void {
    if (event.type !== 'order') return;
    // The engine reports the last fill, then the close: the venue pushes that execution once, as FILLED.
    if (event.order.status === 'open' && event.order.filledUnits === event.order.sizeUnits) return;
    const data = { event: 'ORDER', args: this.pushWire(event.order) };
    for (const client of this.options.clients()) {
      if (this.sessions.get(client) === event.order.account && client.subscriptions.has('account_private')) {
        client.send({ channel: 'account_private', data });
      }
    }
  }

  // --- REST --------------------------------------------------------------------------------------

  routes(): Route[] {
    return [
      { method: 'POST', pattern: /^\/v2\/register$/, handle: (r) => this.register(r) },
      { method: 'POST', pattern: /^\/v2\/orders$/, handle: (r) => this.withKeyAsync(r, (a) => this.createOrder(a, r)) },
      { method: 'POST', pattern: /^\/v2\/orders\/cancel$/, handle: (r) => this.withKey(r, (a) => this.cancelOrder(a, r)) },
      { method: 'GET', pattern: /^\/v2\/orders$/, handle: (r) => this.withKey(r, (a) => this.listOrders(a, r)) },
      { method: 'GET', pattern: /^\/v2\/account$/, handle: (r) => this.withKey(r, (a) => json(200, this.accountWire(a))) },
      { method: 'GET', pattern: /^\/v2\/account\/nonce$/, handle: (r) => this.withKey(r, (a) => json(200, { lastNonce: a.lastNonce })) },
      { method: 'POST', pattern: /^\/v2\/account\/listenKey$/, handle: (r) => this.withKey(r, (a) => this.listenKey(a, 'create')) },
      { method: 'PUT', pattern: /^\/v2\/account\/listenKey$/, handle: (r) => this.withKey(r, (a) => this.listenKey(a, 'extend')) },
      { method: 'DELETE', pattern: /^\/v2\/account\/listenKey$/, handle: (r) => this.withKey(r, (a) => this.listenKey(a, 'delete')) },
    ];
  }

  private register(r: RestRequest): RestReply {
    const body = parseJson(r.body);
    if (!isRecord(body)) return error(1130, 'INVALID_PARAMETER: body must be a JSON object');
    const { signingAddr, primaryAddr, signature, expiryTime } = body;
    if (typeof signingAddr !== 'string' || typeof primaryAddr !== 'string' || typeof signature !== 'string' || typeof expiryTime !== 'number') {
      return error(1130, 'INVALID_PARAMETER: signingAddr, primaryAddr, signature (strings) and expiryTime (ms) are required');
    }
    if (expiryTime <= this.options.clock.now()) return error(1130, 'INVALID_PARAMETER: expiryTime is in the past');
    let recovered: string;
    try {
      recovered = verifyTypedData(
        { name: 'VestRouterV2', version: '0.0.1', verifyingContract: VEST_VERIFYING_CONTRACT },
        { SignerProof: [{ name: 'approvedSigner', type: 'address' }, { name: 'signerExpiry', type: 'uint256' }] },
        { approvedSigner: signingAddr, signerExpiry: expiryTime },
        signature,
      );
    } catch {
      return error(1022, 'INVALID_SIGNATURE: malformed SignerProof signature');
    }
    if (recovered.toLowerCase() !== primaryAddr.toLowerCase()) return error(1022, 'INVALID_SIGNATURE: SignerProof not signed by primaryAddr');
    const primary = primaryAddr.toLowerCase();
    const existing = [...this.byApiKey.values()].find((a) => a.primary === primary);
    const apiKey = randomBytes(24).toString('hex');
    const account: VestAccount = {
      primary,
      signer: signingAddr.toLowerCase(),
      signerExpiry: expiryTime,
      apiKey,
      lastNonce: existing?.lastNonce ?? 0,
      usedNonces: existing?.usedNonces ?? new Set(),
      listenKey: undefined,
      listenKeyExpiresAt: 0,
    };
    if (existing) this.byApiKey.delete(existing.apiKey);
    this.byApiKey.set(apiKey, account);
    this.engine.openAccount(primary);
    return json(200, { apiKey, accGroup: this.options.accountGroup });
  }

  private resolveKey(r: RestRequest): VestAccount | RestReply {
    const key = header(r, 'x-api-key');
    const account = key ? this.byApiKey.get(key) : undefined;
    if (!account) return json(401, { code: 1002, msg: 'UNAUTHORIZED: missing or unknown X-API-KEY' });
    if (header(r, 'xrestservermm') !== `restserver${this.options.accountGroup}`) {
      return error(1146, `INVALID_ACCOUNT_GROUP: this account is in restserver${this.options.accountGroup}`);
    }
    return account;
  }

  private withKey(r: RestRequest, handle: (a: VestAccount) => RestReply): RestReply {
    const a = this.resolveKey(r);
    return 'apiKey' in a ? handle(a) : a;
  }

  private withKeyAsync(r: RestRequest, handle: (a: VestAccount) => RestReply | Promise<RestReply>): RestReply | Promise<RestReply> {
    const a = this.resolveKey(r);
    return 'apiKey' in a ? handle(a) : a;
  }

  /** recvWindow, nonce and signer checks shared by orders and cancels; a reply refuses. */
  private checkSigned(account: VestAccount, time: unknown, nonce: unknown, recvWindow: unknown, signature: unknown, types: string[], values: unknown[]): RestReply | undefined {
    const now = this.options.clock.now();
    const window = recvWindow === undefined ? 5000 : recvWindow;
    if (typeof window !== 'number' || !Number.isSafeInteger(window) || window <= 0 || window > 60_000) return error(1131, 'BAD_RECV_WINDOW');
    if (typeof time !== 'number' || !Number.isSafeInteger(time)) return error(1130, 'INVALID_PARAMETER: order.time must be ms since epoch');
    if (now > time + window) return error(1132, `ORDER_EXPIRED: server time ${now} > time ${time} + recvWindow ${window}`);
    if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0) return error(1023, 'INVALID_NONCE: nonce must be a non-negative integer');
    const nonceOk = this.nonceRule === 'increasing' ? nonce > account.lastNonce : !account.usedNonces.has(nonce);
    if (!nonceOk) return error(1023, `INVALID_NONCE: ${nonce} (lastNonce ${account.lastNonce}, rule: ${this.nonceRule})`);
    if (typeof signature !== 'string') return error(1022, 'INVALID_SIGNATURE: signature is required');
    if (account.signerExpiry <= now) return error(1022, 'INVALID_SIGNATURE: signing key expired; register again');
    let recovered: string;
    try {
      const digest = keccak256(AbiCoder.defaultAbiCoder().encode(types, values));
      recovered = verifyMessage(getBytes(digest), signature);
    } catch {
      return error(1022, 'INVALID_SIGNATURE: malformed signature or fields');
    }
    if (recovered.toLowerCase() !== account.signer) return error(1022, 'INVALID_SIGNATURE: not signed by the registered signing key');
    account.usedNonces.add(nonce);
    account.lastNonce = Math.max(account.lastNonce, nonce);
    return undefined;
  }

  private createOrder(account: VestAccount, r: RestRequest): RestReply | Promise<RestReply> {
    const body = parseJson(r.body);
    const o = isRecord(body) && isRecord(body['order']) ? body['order'] : undefined;
    if (!isRecord(body) || !o) return error(1130, 'INVALID_PARAMETER: body.order is required');
    const { time, nonce, orderType, symbol, isBuy, size, limitPrice, reduceOnly } = o;
    const tif = o['timeInForce'];
    if (orderType !== 'MARKET' && orderType !== 'LIMIT') return error(1116, `INVALID_ORDER_TYPE: ${String(orderType)}`);
    const market = typeof symbol === 'string' ? this.markets.get(symbol) : undefined;
    if (!market) return error(1121, `BAD_SYMBOL: ${String(symbol)}`);
    if (typeof isBuy !== 'boolean' || typeof reduceOnly !== 'boolean') return error(1130, 'INVALID_PARAMETER: isBuy and reduceOnly must be booleans');
    if (typeof size !== 'string' || typeof limitPrice !== 'string') return error(1111, 'BAD_DECIMALS: size and limitPrice must be decimal strings');
    if (tif !== undefined && (orderType !== 'LIMIT' || (tif !== 'GTC' && tif !== 'FOK'))) return error(1133, 'INVALID_TIME_IN_FORCE: only GTC or FOK, and only on LIMIT');
    const i = market.instrument;
    const sizeUnits = moneyToUnits(size, i.sizeDecimals);
    const priceUnits = moneyToUnits(limitPrice, i.priceDecimals);
    if (sizeUnits === undefined || sizeUnits <= 0 || priceUnits === undefined || priceUnits <= 0) {
      return error(1111, `BAD_DECIMALS: size ${size} (${i.sizeDecimals} dp) / limitPrice ${limitPrice} (${i.priceDecimals} dp)`);
    }
    const refused = this.checkSigned(account, time, nonce, body['recvWindow'], body['signature'], ORDER_TYPES, [time, nonce, orderType, symbol, isBuy, size, limitPrice, reduceOnly]);
    if (refused) return refused;
    const id = `0x${(++this.orderSeq).toString(16).padStart(16, '0')}`;
    return runWithFault(this.faults.take(), this.timers, {
      execute: (maxFillUnits) => {
        if (this.dropAtNextOrder) {
          this.dropAtNextOrder = false;
          this.dropPrivateSockets();
        }
        return this.engine.submit(
          {
            id,
            account: account.primary,
            symbol: i.symbol,
            side: isBuy ? 'buy' : 'sell',
            kind: orderType === 'LIMIT' ? 'limit' : 'market',
            sizeUnits,
            // A Vest market order's limitPrice is its worst acceptable price.
            priceUnits,
            timeInForce: tif === 'FOK' ? 'FOK' : orderType === 'MARKET' ? 'IOC' : 'GTC',
            reduceOnly,
            clientId: String(nonce),
          },
          { maxFillUnits },
        );
      },
      reply: () => json(200, { id }),
      rejected: (message) => {
        this.engine.submit({ id, account: account.primary, symbol: i.symbol, side: isBuy ? 'buy' : 'sell', kind: 'limit', sizeUnits, priceUnits, timeInForce: 'GTC', clientId: String(nonce) }, { reject: 'FAULT_INJECTED' });
        void message;
        return json(200, { id });
      },
      sizeUnits: (s) => moneyToUnits(s, i.sizeDecimals) ?? 0,
    });
  }

  private cancelOrder(account: VestAccount, r: RestRequest): RestReply {
    const body = parseJson(r.body);
    const o = isRecord(body) && isRecord(body['order']) ? body['order'] : undefined;
    if (!isRecord(body) || !o || typeof o['id'] !== 'string') return error(1130, 'INVALID_PARAMETER: body.order.id is required');
    const id = o['id'];
    const refused = this.checkSigned(account, o['time'], o['nonce'], body['recvWindow'], body['signature'], CANCEL_TYPES, [o['time'], o['nonce'], id]);
    if (refused) return refused;
    try {
      this.engine.cancel(account.primary, id);
      return json(200, { id });
    } catch (e) {
      if (e instanceof EngineError) return error(3017, `ORDER_NOT_FOUND: ${e.message}`);
      throw e;
    }
  }

  private listOrders(account: VestAccount, r: RestRequest): RestReply {
    const q = r.query;
    let list = this.engine.orders(account.primary);
    const id = q.get('id');
    const nonce = q.get('nonce');
    const symbol = q.get('symbol');
    const status = q.get('status');
    const orderType = q.get('orderType');
    const start = q.get('startTime');
    const end = q.get('endTime');
    const limit = Math.min(1000, Number(q.get('limit') ?? 1000) || 1000);
    if (id) {
      const ids = new Set(id.split(','));
      list = list.filter((o) => ids.has(o.id));
    }
    if (nonce) list = list.filter((o) => o.clientId === nonce);
    if (symbol) list = list.filter((o) => o.symbol === symbol);
    if (start) list = list.filter((o) => o.createdAt >= Number(start));
    if (end) list = list.filter((o) => o.createdAt <= Number(end));
    let wire = list.map((o) => this.orderWire(o));
    if (status) wire = wire.filter((o) => o.status === status);
    if (orderType) wire = wire.filter((o) => o.orderType === orderType);
    return json(200, wire.reverse().slice(0, limit));
  }

  private listenKey(account: VestAccount, action: 'create' | 'extend' | 'delete'): RestReply {
    const now = this.options.clock.now();
    if (action === 'delete') {
      if (account.listenKey) this.byListenKey.delete(account.listenKey);
      account.listenKey = undefined;
      return json(200, {});
    }
    const active = account.listenKey !== undefined && account.listenKeyExpiresAt > now;
    if (action === 'extend' && !active) return error(1125, 'Listen key expired. Make a POST request to create a new key.');
    if (!active) {
      if (account.listenKey) this.byListenKey.delete(account.listenKey);
      account.listenKey = randomBytes(16).toString('hex');
      this.byListenKey.set(account.listenKey, account);
    }
    account.listenKeyExpiresAt = now + LISTEN_KEY_TTL_MS;
    return json(200, { listenKey: account.listenKey });
  }

  // --- wire shapes -----------------------------------------------------------------------------

  private orderWire(o: Order) {
    const i = this.instrument(o.symbol);
    const last = this.engine.fills(o.account, o.symbol).filter((f) => f.orderId === o.id).at(-1);
    const avg = averagePrice(o, i.sizeDecimals);
    const realized = this.engine.fills(o.account, o.symbol).filter((f) => f.orderId === o.id).reduce((s, f) => s.add(f.realizedPnl), ZERO);
    const status = wireStatus(o);
    const filled = status === 'FILLED';
    return {
      id: o.id,
      nonce: Number(o.clientId),
      symbol: o.symbol,
      isBuy: o.side === 'buy',
      orderType: o.kind === 'limit' ? 'LIMIT' : 'MARKET',
      limitPrice: o.priceUnits === undefined ? null : padded(unitsToMoney(o.priceUnits, i.priceDecimals), i.priceDecimals),
      markPrice: padded(this.engine.markPrice(o.symbol), i.priceDecimals),
      size: padded(unitsToMoney(o.sizeUnits, i.sizeDecimals), i.sizeDecimals),
      status,
      reduceOnly: o.reduceOnly,
      initMarginRatio: this.engine.marginRatio(o.symbol).toFixed(),
      code: o.status === 'rejected' && o.reason ? (REJECT_CODE[o.reason] ?? o.reason) : null,
      // "null if status != FILLED" (docs, GET /orders).
      lastFilledSize: filled && last ? padded(last.size, i.sizeDecimals) : null,
      lastFilledPrice: filled && last ? padded(last.price, i.priceDecimals) : null,
      lastFilledTime: filled && last ? last.createdAt : null,
      avgFilledPrice: filled && avg ? padded(avg, i.priceDecimals) : null,
      settledFunding: filled ? padded(ZERO, VEST_COLLATERAL_DECIMALS) : null,
      fees: padded(o.fees, VEST_COLLATERAL_DECIMALS),
      realizedPnl: filled ? padded(realized.sub(o.fees), VEST_COLLATERAL_DECIMALS) : null,
      postTime: o.createdAt,
      tpPrice: null,
      slPrice: null,
    };
  }

  /** The docs' ORDER push payloads: new, execution (the last fill), cancellation, rejection. */
  private pushWire(o: Order) {
    const status = wireStatus(o);
    const base = { id: o.id, status, postTime: o.createdAt, nonce: Number(o.clientId) };
    if (status === 'CANCELLED') return base;
    if (status === 'REJECTED') return { ...base, code: o.reason ? (REJECT_CODE[o.reason] ?? o.reason) : null };
    const i = this.instrument(o.symbol);
    const order = {
      ...base,
      symbol: o.symbol,
      isBuy: o.side === 'buy',
      orderType: o.kind === 'limit' ? 'LIMIT' : 'MARKET',
      limitPrice: o.priceUnits === undefined ? null : padded(unitsToMoney(o.priceUnits, i.priceDecimals), i.priceDecimals),
      size: padded(unitsToMoney(o.sizeUnits, i.sizeDecimals), i.sizeDecimals),
      reduceOnly: o.reduceOnly,
      initMarginRatio: this.engine.marginRatio(o.symbol).toFixed(),
    };
    if (status === 'NEW') return order;
    const last = this.engine.fills(o.account, o.symbol).filter((f) => f.orderId === o.id).at(-1);
    const avg = averagePrice(o, i.sizeDecimals);
    return {
      ...order,
      lastFilledSize: last ? padded(last.size, i.sizeDecimals) : null,
      lastFilledPrice: last ? padded(last.price, i.priceDecimals) : null,
      lastFilledTime: last ? last.createdAt : null,
      avgFilledPrice: avg ? padded(avg, i.priceDecimals) : null,
      cumFunding: padded(ZERO, VEST_COLLATERAL_DECIMALS),
      fees: padded(o.fees, VEST_COLLATERAL_DECIMALS),
    };
  }

  private accountWire(a: VestAccount) {
    const id = a.primary;
    const collateral = this.engine.account(id)?.collateral ?? ZERO;
    const equity = this.engine.equity(id);
    const im = this.engine.initialMargin(id);
    const d = VEST_COLLATERAL_DECIMALS;
    return {
      address: id,
      balances: [{ asset: 'USDC', total: padded(collateral, d), locked: padded(im, d) }],
      collateral: padded(collateral, d),
      withdrawable: padded(equity.sub(im).greaterThan(0) ? equity.sub(im) : ZERO, d),
      totalAccountValue: padded(equity, d),
      openOrderMargin: padded(this.openOrderMargin(id), d),
      totalMaintMargin: padded(im.div(2), d),
      positions: this.engine
        .positions(id)
        .filter((p) => p.sizeUnits !== 0)
        .map((p) => {
          const i = this.instrument(p.symbol);
          const notional = p.size.abs().mul(p.markPrice);
          return {
            symbol: p.symbol,
            isLong: p.sizeUnits > 0,
            size: padded(p.size.abs(), i.sizeDecimals),
            entryPrice: padded(p.entryPrice, i.priceDecimals),
            entryFunding: '0',
            unrealizedPnl: padded(p.unrealizedPnl, d),
            settledFunding: padded(p.funding, d),
            markPrice: padded(p.markPrice, i.priceDecimals),
            indexPrice: padded(p.markPrice, i.priceDecimals),
            liqPrice: '0',
            initMargin: padded(notional.mul(this.engine.marginRatio(p.symbol)), d),
            maintMargin: padded(notional.mul(this.engine.marginRatio(p.symbol)).div(2), d),
            initMarginRatio: this.engine.marginRatio(p.symbol).toFixed(),
          };
        }),
      leverages: this.engine.symbols.map((s) => ({ symbol: s, value: Math.round(1 / this.engine.marginRatio(s).toNumber()) })),
      lp: { balance: '0', shares: '0', unrealizedPnl: '0' },
      time: this.options.clock.now(),
    };
  }

  private openOrderMargin(id: string) {
    return this.engine.openOrders(id).reduce((sum, o) => {
      const i = this.instrument(o.symbol);
      const rest = unitsToMoney(o.sizeUnits - o.filledUnits, i.sizeDecimals).mul(unitsToMoney(o.priceUnits ?? 0, i.priceDecimals));
      return sum.add(rest.mul(this.engine.marginRatio(o.symbol)));
    }, ZERO);
  }

  private instrument(symbol: string) {
    const m = this.markets.get(symbol);
    if (!m) throw new Error(`vest simulator: unknown symbol ${symbol}`);
    return m.instrument;
  }
}

function wireStatus(o: Order): 'REJECTED' | 'FILLED' | 'CANCELLED' | 'PARTIALLY_FILLED' | 'NEW' {
  return o.status === 'rejected' ? 'REJECTED' : o.status === 'filled' ? 'FILLED' : o.status === 'cancelled' ? 'CANCELLED' : o.filledUnits > 0 ? 'PARTIALLY_FILLED' : 'NEW';
}

function header(r: RestRequest, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Vest's error body `{code, msg}` (the docs' error codes), HTTP 400. */
function error(code: number, msg: string): RestReply {
  return json(400, { code, msg });
}
