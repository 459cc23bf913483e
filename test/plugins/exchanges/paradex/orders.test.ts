/**
 * Paradex order gateway against a loopback venue written here from the docs. The venue checks
 * what Paradex checks, independently of the plugin: the auth and order signatures are rebuilt
 * from the wire (hand-written typed data, starknet.js getMessageHash) and verified with
 * ec.starkCurve.verify against the (sub)key's public key. Its order lookups are the documented
 * ones, quirks included: by client id shows OPEN orders only, orders-history finds any status by
 * client_id, GET /fills has no order filter and pages with a cursor.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { ec, shortString, typedData } from 'starknet';
import type { TypedData } from 'starknet';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { OrderNotFoundError, RateLimitedError, VenueRejectError, type OrderRequest } from '../../../../engine/exchange/orders.ts';
import { parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { PARADEX_COST, PARADEX_RATE_LIMITS } from '../../../../plugins/exchanges/paradex/limits.ts';
import { ParadexOrderGateway } from '../../../../plugins/exchanges/paradex/orders.ts';
import { OrderGridError } from '../../../../plugins/exchanges/shared/order-grid.ts';
import { OrderOutcomeUnknownError } from '../../../../plugins/exchanges/shared/private-rest.ts';
import { ConfigError } from '../../../../plugins/exchanges/shared/config.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { setBook } from '../../../simulators/private/helpers.ts';
import { recordingLogger, startHttpVenue, type HttpVenue, type RecordedRequest, type Reply } from '../shared/http-venue.ts';

const CHAIN = 'PRIVATE_SN_POTC_SEPOLIA';
// Main account address (public) and a SUBKEY's private key: a subkey signs for the main account.
const ACCOUNT = '0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa';
const SUBKEY = '0x3c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc';
const SUBKEY_PUBLIC = ec.starkCurve.getPublicKey(SUBKEY, false);

const felt = (name: string) => ({ name, type: 'felt' });
const domain = { name: 'Paradex', chainId: shortString.encodeShortString(CHAIN), version: '1' };
const domainType = [felt('name'), felt('chainId'), felt('version')];

function verifyStark(td: TypedData, sigText: string): boolean {
  const [r, s] = JSON.parse(sigText) as [string, string];
  const h = typedData.getMessageHash(td, ACCOUNT);
  return ec.starkCurve.verify(new ec.starkCurve.Signature(BigInt(r), BigInt(s)), h, SUBKEY_PUBLIC);
}

/** Exact x1e8 of a decimal string, by hand (no float). */
function quantum(text: string): string {
  const [w, f = ''] = text.split('.');
  return BigInt((w ?? '0') + f.padEnd(8, '0').slice(0, 8)).toString();
}

function jwtWithExp(expSec: number, n: number): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'none' })}.${b({ exp: expSec, n })}.sig${n}`;
}

interface Book {
  now: number;
}

const OPEN_STATUSES = new Set(['NEW', 'OPEN', 'UNTRIGGERED']);

class ParadexVenue {
  /** GET /fills rows, newest first (the venue's order); paged by page_size and cursor. */
  fills: Array<Record<string, unknown>> = [
    { id: 'f1', order_id: 'o-1', client_id: 'c-1', market: 'BTC-USD-PERP', side: 'BUY', price: '65000.1', size: '0.004', fee: '0.117', liquidity: 'TAKER', created_at: 1_700_000_000_001 },
    { id: 'f2', order_id: 'o-9', client_id: 'other', market: 'BTC-USD-PERP', side: 'SELL', price: '1', size: '1', fee: '0', liquidity: 'MAKER', created_at: 1 },
  ];
  jwts: string[] = [];
  revoked = new Set<string>();
  orders = new Map<string, Record<string, unknown>>();
  orderReply: ((req: RecordedRequest) => Reply) | undefined;
  /** GET /account answers this body. */
  account: unknown = { account: ACCOUNT, account_value: '1000', free_collateral: '1000' };
  jwtLifetimeSec = 300;
  /** Off only where a test needs the venue fast (signature checks cost CPU in this process). */
  verifyAuth = true;
  constructor(
    readonly http: HttpVenue,
    readonly clock: Book,
  ) {
    http.handle((req) => this.route(req));
  }

  route(req: RecordedRequest): Reply {
    const { method, path } = req;
    if (method === 'GET' && path === '/system/config') return { status: 200, body: { starknet_chain_id: CHAIN, paraclear_decimals: 8 } };
    if (method === 'GET' && path === '/markets') {
      return { status: 200, body: { results: [{ symbol: 'BTC-USD-PERP', price_tick_size: '0.1', order_size_increment: '0.001', min_notional: '10' }] } };
    }
    if (method === 'POST' && path === '/auth') return this.auth(req);
    const bearer = String(req.headers['authorization'] ?? '');
    const jwt = bearer.replace(/^Bearer /, '');
    if (!this.jwts.includes(jwt) || this.revoked.has(jwt)) return { status: 401, body: { error: 'INVALID_TOKEN', message: 'invalid bearer' } };
    if (method === 'POST' && path === '/orders') return this.orderReply ? this.orderReply(req) : this.placeOrder(req);
    const byCid = /^\/orders\/by_client_id\/(.+)$/.exec(path);
    if (byCid) {
      // Docs: "Only returns orders in OPEN status"; cancel by client id cancels an OPEN order.
      const o = this.orders.get(decodeURIComponent(byCid[1]!));
      if (!o || o['market'] !== req.query.get('market') || !OPEN_STATUSES.has(String(o['status']))) return { status: 404, body: { error: 'CLIENT_ORDER_ID_NOT_FOUND', message: 'not found' } };
      if (method === 'DELETE') {
        this.orders.set(String(o['client_id']), { ...o, status: 'CLOSED', cancel_reason: 'USER_CANCELED' });
        return { status: 204 };
      }
      return { status: 200, body: o };
    }
    if (method === 'GET' && path === '/orders-history') {
      const cid = req.query.get('client_id');
      const market = req.query.get('market');
      const rows = [...this.orders.values()].filter((o) => (!cid || o['client_id'] === cid) && (!market || o['market'] === market));
      return { status: 200, body: { next: null, prev: null, results: rows.reverse() } };
    }
    if (method === 'GET' && path === '/fills') {
      // Documented filters only: market, start_at, end_at, page_size, cursor.
      const market = req.query.get('market');
      const startAt = Number(req.query.get('start_at') ?? 0);
      const size = Number(req.query.get('page_size') ?? 100);
      const rows = this.fills.filter((f) => (!market || f['market'] === market) && Number(f['created_at']) >= startAt);
      const from = Number(req.query.get('cursor') ?? 0);
      const next = from + size < rows.length ? String(from + size) : null;
      return { status: 200, body: { next, prev: null, results: rows.slice(from, from + size) } };
    }
    if (method === 'GET' && path === '/positions') {
      return {
        status: 200,
        body: {
          results: [
            { market: 'BTC-USD-PERP', side: 'SHORT', size: '-0.004', average_entry_price: '65000.1', status: 'OPEN' },
            { market: 'ETH-USD-PERP', side: 'LONG', size: '0', status: 'CLOSED' },
          ],
        },
      };
    }
    if (method === 'GET' && path === '/orders') return { status: 200, body: { results: [...this.orders.values()].filter((o) => OPEN_STATUSES.has(String(o['status']))) } };
    if (method === 'GET' && path === '/account') return { status: 200, body: this.account };
    return { status: 404, body: { error: 'NOT_FOUND', message: path } };
  }

  auth(req: RecordedRequest): Reply {
    const h = req.headers;
    if (h['paradex-starknet-account'] !== ACCOUNT) return { status: 400, body: { error: 'INVALID_STARKNET_ADDRESS' } };
    const timestamp = Number(h['paradex-timestamp']);
    const expiration = Number(h['paradex-signature-expiration']);
    const td: TypedData = {
      domain,
      primaryType: 'Request',
      types: { StarkNetDomain: domainType, Request: ['method', 'path', 'body', 'timestamp', 'expiration'].map(felt) },
      message: { method: 'POST', path: '/v1/auth', body: '', timestamp, expiration },
    };
    if (this.verifyAuth && !verifyStark(td, String(h['paradex-starknet-signature']))) return { status: 400, body: { error: 'STARKNET_SIGNATURE_VERIFICATION_FAILED' } };
    const jwt = jwtWithExp(Math.floor(this.clock.now / 1000) + this.jwtLifetimeSec, this.jwts.length + 1);
    this.jwts.push(jwt);
    return { status: 200, body: { jwt_token: jwt } };
  }

  placeOrder(req: RecordedRequest): Reply {
    const b = req.json as Record<string, unknown>;
    const td: TypedData = {
      domain,
      primaryType: 'Order',
      types: { StarkNetDomain: domainType, Order: ['timestamp', 'market', 'side', 'orderType', 'size', 'price'].map(felt) },
      message: {
        timestamp: String(b['signature_timestamp']),
        market: String(b['market']),
        side: b['side'] === 'BUY' ? '1' : '2',
        orderType: String(b['type']),
        size: quantum(String(b['size'])),
        price: b['type'] === 'MARKET' ? '0' : quantum(String(b['price'])),
      },
    };
    if (!verifyStark(td, String(b['signature']))) return { status: 400, body: { error: 'INVALID_ORDER_SIGNATURE', message: 'bad signature' } };
    const order = { id: `o-${this.orders.size + 1}`, client_id: b['client_id'], market: b['market'], side: b['side'], type: b['type'], size: b['size'], remaining_size: b['size'], price: b['price'] ?? '0', status: 'NEW', instruction: b['instruction'], flags: b['flags'] ?? [], created_at: 1_700_000_000_000 };
    this.orders.set(String(b['client_id']), order);
    return { status: 201, body: order };
  }
}

function envSecrets(values: Record<string, string>): SecretSource {
  return {
    read(ref: SecretRef, field: string) {
      const v = 'env' in ref ? values[ref.env] : undefined;
      if (!v) throw new Error(`secret ${field}: not set`);
      return v;
    },
  };
}

function ioc(clientId: string, over: Partial<OrderRequest> = {}): OrderRequest {
  return { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('0.004'), price: new Decimal('65000.1'), timeInForce: 'IOC', clientId, ...over };
}

let http: HttpVenue;
let venue: ParadexVenue;
let clock: Book;
let log: ReturnType<typeof recordingLogger>;

function gateway(extra: Record<string, unknown> = {}) {
  const options = parseParadexOptions({
    restUrl: http.url,
    requestTimeoutMs: 5_000,
    credentials: { account: ACCOUNT, privateKey: { env: 'PDX_KEY' }, subkey: true },
    // This loopback venue has no socket: REST only (the stream has its own tests).
    privateStream: false,
    ...extra,
  });
  return new ParadexOrderGateway(options, { clock: { now: () => clock.now }, logger: log.logger, secrets: envSecrets({ PDX_KEY: SUBKEY }) });
}

beforeEach(async () => {
  http = await startHttpVenue('/v1');
  clock = { now: Date.now() };
  venue = new ParadexVenue(http, clock);
  log = recordingLogger();
});
afterEach(async () => {
  await http.close();
});

describe('paradex gateway: orders on the wire', () => {
  it('signs with a subkey for the main account and sends the documented body with a JWT', async () => {
    const gw = gateway();
    const signed = await gw.sign(ioc('c-1', { reduceOnly: true }));
    const state = await gw.send(signed);
    expect(state).toMatchObject({ clientId: 'c-1', venueOrderId: 'o-1', status: 'open' });
    expect(state.filledSize.toFixed()).toBe('0');
    const post = http.requests.find((r) => r.method === 'POST' && r.path === '/orders')!;
    expect(post.json).toEqual({
      market: 'BTC-USD-PERP',
      side: 'BUY',
      type: 'LIMIT',
      size: '0.004',
      price: '65000.1',
      instruction: 'IOC',
      signature: expect.stringMatching(/^\["\d+","\d+"\]$/),
      signature_timestamp: clock.now,
      client_id: 'c-1',
      flags: ['REDUCE_ONLY'],
      // Always sent (config default 5 s): past it the venue's API refuses the order (recv-window.test.ts).
      recv_window: 5000,
    });
    expect(post.headers['authorization']).toBe(`Bearer ${venue.jwts[0]}`);
    // The order went through the venue's independent signature check (a bad one answers 400).
    expect(venue.orders.get('c-1')).toBeDefined();
    await gw.stop();
  });

  it('refuses sizes and prices off the market grid before signing or sending', async () => {
    const gw = gateway();
    await expect(gw.sign(ioc('c-2', { size: new Decimal('0.0045') }))).rejects.toBeInstanceOf(OrderGridError);
    await expect(gw.sign(ioc('c-3', { price: new Decimal('65000.15') }))).rejects.toThrow(/not on the tick 0.1/);
    expect(http.requests.some((r) => r.path === '/orders')).toBe(false);
    await gw.stop();
  });

  it('signed positions and open orders of every market in one GET /orders', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(ioc('c-1')));
    const positions = await gw.positions();
    expect(positions).toHaveLength(1);
    expect(positions[0]!.size.toFixed()).toBe('-0.004');
    expect(await gw.openOrders()).toEqual([expect.objectContaining({ clientId: 'c-1', symbol: 'BTC-USD-PERP', status: 'open' })]);
    const gets = http.requests.filter((r) => r.method === 'GET' && r.path === '/orders');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.query.get('market')).toBeNull();
    await gw.stop();
  });
});

describe('paradex gateway: an order is found whatever its status', () => {
  const paths = (since: number) => http.requests.slice(since).map((r) => `${r.method} ${r.path}`);

  it('a filled IOC: orders-history by client id, then its fills from its creation time matched by order id; never by_client_id', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(ioc('c-1')));
    venue.orders.set('c-1', { ...venue.orders.get('c-1')!, status: 'CLOSED', remaining_size: '0', avg_fill_price: '65000.1' });
    const before = http.requests.length;
    const { state, fills } = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1' });
    expect(state).toMatchObject({ status: 'filled', venueOrderId: 'o-1' });
    expect(state.filledSize.toFixed()).toBe('0.004');
    expect(state.averagePrice?.toFixed()).toBe('65000.1');
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ fillId: 'f1', side: 'buy', liquidity: 'taker', clientId: 'c-1', venueOrderId: 'o-1' });
    expect(fills[0]!.fee.toFixed()).toBe('0.117');
    expect(paths(before)).toEqual(['GET /orders-history', 'GET /fills']);
    const [history, fillsReq] = http.requests.slice(before);
    expect(Object.fromEntries(history!.query)).toMatchObject({ client_id: 'c-1', market: 'BTC-USD-PERP' });
    // No order filter exists on GET /fills: market and a window from the order's created_at.
    expect(Object.fromEntries(fillsReq!.query)).toEqual({ market: 'BTC-USD-PERP', start_at: String(1_700_000_000_000 - 1_000), page_size: '100' });
    // A CLOSED order cannot change: the next report asks for nothing but the fills.
    const again = http.requests.length;
    await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1' });
    expect(paths(again)).toEqual(['GET /fills']);
    await gw.stop();
  });

  it('a resting GTC: by_client_id first (one request, no fills request while nothing filled); cancelled, it is read from history', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(ioc('g-1', { timeInForce: 'GTC' })));
    venue.orders.set('g-1', { ...venue.orders.get('g-1')!, status: 'OPEN' });
    let before = http.requests.length;
    expect((await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'g-1' })).state.status).toBe('open');
    expect(paths(before)).toEqual(['GET /orders/by_client_id/g-1']);

    await gw.cancel({ symbol: 'BTC-USD-PERP', clientId: 'g-1' });
    const del = http.requests.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe('/orders/by_client_id/g-1');
    expect(del.query.get('market')).toBe('BTC-USD-PERP');
    before = http.requests.length;
    const { state, fills } = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'g-1' });
    expect(state.status).toBe('cancelled');
    expect(state.rejectReason).toBe('USER_CANCELED');
    expect(fills).toEqual([]);
    expect(paths(before)).toEqual(['GET /orders/by_client_id/g-1', 'GET /orders-history']);
    // Cancelling it again: not open any more, history says it is final: nothing left to do.
    await expect(gw.cancel({ symbol: 'BTC-USD-PERP', clientId: 'g-1' })).resolves.toBeUndefined();
    await gw.stop();
  });

  it('a restarted gateway (empty memory) finds a filled IOC from the journaled venueRef, history first', async () => {
    const first = gateway();
    const signed = await first.sign(ioc('c-1'));
    expect(signed.venueRef).toEqual({ instruction: 'IOC', type: 'limit', signatureTimestamp: clock.now });
    await first.send(signed);
    await first.stop();
    venue.orders.set('c-1', { ...venue.orders.get('c-1')!, status: 'CLOSED', remaining_size: '0', avg_fill_price: '65000.1' });
    const restarted = gateway();
    const before = http.requests.length;
    const { state, fills } = await restarted.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1', venueRef: signed.venueRef! });
    expect(state.status).toBe('filled');
    expect(fills.map((f) => f.fillId)).toEqual(['f1']);
    // A new gateway authenticates first (chain id, JWT); then two requests find the order and its fills.
    expect(paths(before).filter((p) => p !== 'POST /auth' && p !== 'GET /system/config')).toEqual(['GET /orders-history', 'GET /fills']);
    // Without the venueRef (an older journal) it still finds it: by_client_id 404, then history.
    const blind = gateway();
    expect((await blind.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1' })).state.status).toBe('filled');
    await restarted.stop();
    await blind.stop();
  });

  it('fill rows of other orders are skipped unread: a malformed one does not block ours', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(ioc('c-1', { size: new Decimal('0.003') })));
    venue.orders.set('c-1', { ...venue.orders.get('c-1')!, status: 'CLOSED', remaining_size: '0' });
    const mine = (n: number) => ({ id: `m${n}`, order_id: 'o-1', client_id: 'c-1', market: 'BTC-USD-PERP', side: 'BUY', price: '65000', size: '0.001', fee: '0.01', liquidity: 'TAKER', created_at: 1_700_000_000_005 + n });
    const noise = (n: number) => ({ id: `x${n}`, order_id: `o-other-${n}`, market: 'BTC-USD-PERP', price: 12.5, created_at: 1_700_000_000_005 });
    venue.fills = [noise(1), mine(1), noise(2), noise(3), mine(2), noise(4), mine(3), noise(5), noise(6)];
    const before = http.requests.length;
    const { fills } = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1' });
    expect(fills.map((f) => f.fillId).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(paths(before)).toEqual(['GET /orders-history', 'GET /fills']);
    await gw.stop();
  });

  it('pages through GET /fills with the venue cursor and stops once the fills add up', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(ioc('c-1', { size: new Decimal('0.002') })));
    venue.orders.set('c-1', { ...venue.orders.get('c-1')!, status: 'CLOSED', remaining_size: '0' });
    const row = (id: string, order: string) => ({ id, order_id: order, client_id: '', market: 'BTC-USD-PERP', side: 'BUY', price: '65000', size: '0.001', fee: '0', liquidity: 'MAKER', created_at: 1_700_000_000_010 });
    // 100 rows per page: ours are at rows 150 and 250; 400 rows in all.
    venue.fills = Array.from({ length: 400 }, (_, i) => (i === 150 || i === 250 ? row(`mine-${i}`, 'o-1') : row(`n-${i}`, `o-x${i}`)));
    const before = http.requests.length;
    const { fills } = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'c-1' });
    expect(fills.map((f) => [f.fillId, f.clientId, f.liquidity])).toEqual([['mine-150', 'c-1', 'maker'], ['mine-250', 'c-1', 'maker']]);
    const pages = http.requests.slice(before).filter((r) => r.path === '/fills');
    expect(pages.map((r) => r.query.get('cursor'))).toEqual([null, '100', '200']);
    await gw.stop();
  });

  it('no record anywhere is OrderNotFoundError (not definitive: the executor applies its grace)', async () => {
    const gw = gateway();
    const err = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderNotFoundError);
    expect((err as OrderNotFoundError).definitive).toBe(false);
    await gw.stop();
  });
});

describe('paradex gateway: rate limits', () => {
  it('a 429 on a report read holds the shared limiter and is not retried inside report(); a background read is asked again after the hold', async () => {
    const gw = gateway();
    await gw.openOrders();
    let refuse = 1;
    const base = venue.route.bind(venue);
    http.handle((req) => (req.method === 'GET' && refuse-- > 0 ? { status: 429, body: { error: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } } : base(req)));
    const err = await gw.report({ symbol: 'BTC-USD-PERP', clientId: 'c-x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).not.toBeInstanceOf(OrderNotFoundError);
    expect(gw.pacing.heldForMs()).toBeGreaterThan(0);
    refuse = 1;
    const before = http.requests.length;
    const t0 = Date.now();
    await gw.positions();
    // Refused once, held, asked again: two requests, the second after the back-off.
    expect(http.requests.slice(before).map((r) => r.path)).toEqual(['/positions', '/positions']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(PARADEX_RATE_LIMITS.backOffMs - 50);
    await gw.stop();
  });

  it('a 429 on POST /orders is a RateLimitedError (the venue did not act), sent once', async () => {
    const gw = gateway();
    venue.orderReply = () => ({ status: 429, body: { error: 'RATE_LIMIT_EXCEEDED', message: 'slow down' } });
    const signed = await gw.sign(ioc('c-429'));
    const err = await gw.send(signed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).code).toBe('RATE_LIMITED');
    expect(http.requests.filter((r) => r.method === 'POST' && r.path === '/orders')).toHaveLength(1);
    await gw.stop();
  });

  it('one limiter carries the published table: every private GET is charged to the account and IP budgets', () => {
    expect(PARADEX_RATE_LIMITS.buckets['privateGetPerMinute']).toMatchObject({ limit: 600, windowMs: 60_000 });
    expect(PARADEX_RATE_LIMITS.buckets['privateGetPerSecond']).toMatchObject({ limit: 120, windowMs: 1_000 });
    expect(PARADEX_RATE_LIMITS.buckets['ordersPerSecond']).toMatchObject({ limit: 800, windowMs: 1_000 });
    expect(PARADEX_RATE_LIMITS.buckets['ip']).toMatchObject({ limit: 1500, windowMs: 60_000 });
    expect(PARADEX_COST.privateGet.map((c) => c.bucket)).toEqual(['privateGetPerSecond', 'privateGetPerMinute', 'ip']);
  });
});

describe('paradex gateway: JWT lifecycle', () => {
  it('refreshes before expiry by the clock (exp - margin), not after a failure', async () => {
    const gw = gateway({ jwtRefreshMarginMs: 60_000 });
    await gw.openOrders();
    clock.now += 200_000; // JWT lives 300 s: still well inside
    await gw.openOrders();
    expect(venue.jwts).toHaveLength(1);
    clock.now += 45_000; // 245 s: inside the 60 s margin before exp
    await gw.openOrders();
    expect(venue.jwts).toHaveLength(2);
    const paths = http.requests.map((r) => `${r.method} ${r.path}`).filter((p) => !p.includes('system'));
    expect(paths).toEqual(['POST /auth', 'GET /orders', 'GET /orders', 'POST /auth', 'GET /orders']);
    expect(http.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${venue.jwts[1]}`);
    await gw.stop();
  });

  it('schedules the refresh from the exp claim: a new token arrives with no private call', async () => {
    // Real clock here: the timer must fire on its own. Tokens live 4 s, margin 2 s.
    venue.jwtLifetimeSec = 4;
    Object.defineProperty(clock, 'now', { get: () => Date.now() });
    const options = parseParadexOptions({ restUrl: http.url, requestTimeoutMs: 5_000, jwtRefreshMarginMs: 2_000, privateStream: false, credentials: { account: ACCOUNT, privateKey: { env: 'PDX_KEY' } } });
    const gw = new ParadexOrderGateway(options, { clock: { now: () => Date.now() }, logger: log.logger, secrets: envSecrets({ PDX_KEY: SUBKEY }) });
    const first = await gw.auth.token();
    expect(gw.auth.refreshes).toBe(1);
    const start = Date.now();
    while (gw.auth.refreshes < 2 && Date.now() - start < 8_000) await new Promise((r) => setTimeout(r, 20));
    expect(gw.auth.refreshes).toBe(2);
    // The second POST /auth reached the venue before the first token's exp, with no other call.
    const exp = JSON.parse(Buffer.from(first.split('.')[1]!, 'base64url').toString()) as { exp: number };
    const auths = http.requests.filter((r) => r.path === '/auth');
    expect(auths).toHaveLength(2);
    expect(auths[1]!.at).toBeLessThan(exp.exp * 1000);
    expect(http.requests.filter((r) => r.path !== '/system/config').map((r) => r.path)).toEqual(['/auth', '/auth']);
    expect(await gw.auth.token()).toBe(venue.jwts[1]);
    await gw.stop();
  }, 15_000);

  it('on 401 refreshes once and retries once; a second 401 is a reject', async () => {
    const gw = gateway();
    await gw.openOrders();
    venue.revoked.add(venue.jwts[0]!);
    await gw.openOrders();
    expect(venue.jwts).toHaveLength(2);
    // Every token refused: exactly one retry, then the 401 surfaces as a reject with the venue code.
    const refuseAll = venue.route.bind(venue);
    http.handle((req) => (req.path === '/auth' || req.path === '/system/config' ? refuseAll(req) : { status: 401, body: { error: 'INVALID_TOKEN', message: 'no' } }));
    const before = http.requests.length;
    const err = await gw.positions().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect((err as VenueRejectError).code).toBe('INVALID_TOKEN');
    expect(http.requests.slice(before).map((r) => r.path)).toEqual(['/positions', '/auth', '/positions']);
    await gw.stop();
  });
});

describe('paradex gateway: errors as data, secrets kept out', () => {
  it('maps a documented refusal to VenueRejectError with the venue code', async () => {
    const gw = gateway();
    venue.orderReply = () => ({ status: 400, body: { error: 'INVALID_ORDER_SIZE', message: 'size too small' } });
    const err = await gw.send(await gw.sign(ioc('c-5'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect((err as VenueRejectError).code).toBe('INVALID_ORDER_SIZE');
    await gw.stop();
  });

  it('5xx, INTERNAL_ERROR, a dropped connection and a timeout are unknown outcomes, not rejects', async () => {
    const gw = gateway();
    const signed = await gw.sign(ioc('c-6'));
    for (const reply of [
      { status: 502, body: 'bad gateway' },
      { status: 400, body: { error: 'INTERNAL_ERROR', message: 'x' } },
      { status: 0, destroy: true },
    ] as Reply[]) {
      venue.orderReply = () => reply;
      const err = await gw.send(signed).catch((e: unknown) => e);
      expect(err, JSON.stringify(reply)).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(err).not.toBeInstanceOf(VenueRejectError);
    }
    venue.verifyAuth = false;
    const impatient = gateway({ requestTimeoutMs: 150 });
    await impatient.auth.token();
    venue.orderReply = () => ({ status: 0, hang: true });
    const err = await impatient.send(signed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderOutcomeUnknownError);
    expect((err as Error).message).toMatch(/no answer within 150 ms/);
    await impatient.stop();
    await gw.stop();
  });

  it('never puts the key in errors or logs, even when the venue echoes it', async () => {
    const gw = gateway();
    venue.orderReply = () => ({ status: 400, body: { error: 'VALIDATION_ERROR', message: `bad key ${SUBKEY} / ${SUBKEY.slice(2)}` } });
    const err = (await gw.send(await gw.sign(ioc('c-7'))).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(VenueRejectError);
    expect(err.message).toContain('[REDACTED]');
    expect(err.message).not.toContain(SUBKEY.slice(2));
    expect(log.lines.join('\n')).not.toContain(SUBKEY.slice(2));
    await gw.stop();
  });

  it('config refuses a literal key, naming the field and the env/file alternative', () => {
    let err: unknown;
    try {
      parseParadexOptions({ credentials: { account: ACCOUNT, privateKey: SUBKEY } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('venues.paradex.credentials.privateKey');
    expect(msg).toMatch(/env.*file/);
    expect(msg).not.toContain(SUBKEY.slice(2));
  });
});

describe('paradex gateway: account value', () => {
  let sims: VenueSimulators;
  beforeAll(async () => {
    sims = await startVenueSimulators({ seed: 3, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  });
  afterAll(async () => {
    await sims.stop();
  });

  it("reads account_value: the simulator engine's equity (collateral less fees plus unrealized PnL), exactly", async () => {
    const trading = sims.trading.paradex;
    trading.registerAccount(ACCOUNT, ec.starkCurve.getStarkKey(SUBKEY));
    const id = trading.accountId(ACCOUNT);
    trading.engine.fund(id, '10000');
    // Mid 65000: a 0.1 buy filled at 65010 is 1 USD under water, plus the taker fee on 6501.
    setBook(sims.market('paradex', 'BTC'), [['64990.0', '1']], [['65010.0', '1']]);
    const options = parseParadexOptions({ restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl, requestTimeoutMs: 5_000, credentials: { account: ACCOUNT, privateKey: { env: 'PDX_KEY' } } });
    const gw = new ParadexOrderGateway(options, { clock: { now: () => Date.now() }, logger: log.logger, secrets: envSecrets({ PDX_KEY: SUBKEY }) });
    await gw.send(await gw.sign(ioc('value-1', { size: new Decimal('0.1'), price: new Decimal('65010') })));
    await until(() => trading.engine.position(id, 'BTC-USD-PERP').sizeUnits !== 0);
    expect(trading.engine.position(id, 'BTC-USD-PERP').size.toString()).toBe('0.1');

    const equity = new Decimal(trading.engine.equity(id).toString());
    expect(equity.eq('10000')).toBe(false);
    expect(equity.decimalPlaces()).toBeLessThanOrEqual(8); // the venue sends 8 places: no rounding in between
    const value = await gw.accountValue();
    expect(value.eq(equity), `${value.toFixed()} vs ${equity.toFixed()}`).toBe(true);
    await gw.stop();
  });

  it('a malformed GET /account answer throws a WireFormatError naming account_value', async () => {
    const gw = gateway();
    venue.account = { account: ACCOUNT, account_value: '1234.56789012' };
    expect((await gw.accountValue()).toFixed()).toBe('1234.56789012');
    for (const body of [{ account: ACCOUNT, account_value: 1234.5 }, { account: ACCOUNT, free_collateral: '1' }]) {
      venue.account = body;
      const err = await gw.accountValue().catch((e: unknown) => e);
      expect(err, JSON.stringify(body)).toBeInstanceOf(WireFormatError);
      expect((err as WireFormatError).field).toBe('account_value');
      expect((err as Error).message).toMatch(/^paradex: account_value must be a string/);
    }
    await gw.stop();
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
