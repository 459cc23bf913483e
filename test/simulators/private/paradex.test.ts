/**
 * Paradex private API against the simulator, signed in the test with starknet.js from the
 * documented scheme (docs.paradex.trade: onboarding, auth, order signing), never from the
 * connector in plugins/.
 */
import { Decimal } from 'decimal.js';
import { ec, shortString, typedData } from 'starknet';
import type { TypedData } from 'starknet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';
import { WireClient } from '../wire-client.ts';
import { http, setBook } from './helpers.ts';

const CHAIN = 'PRIVATE_SN_PARACLEAR_MAINNET';
const BTC = 'BTC-USD-PERP';
const DOMAIN_TYPE = [
  { name: 'name', type: 'felt' },
  { name: 'chainId', type: 'felt' },
  { name: 'version', type: 'felt' },
];
const domain = { name: 'Paradex', chainId: shortString.encodeShortString(CHAIN), version: '1' };

function sign(data: TypedData, account: string, privateKey: string): string {
  const hash = typedData.getMessageHash(data, account);
  const sig = ec.starkCurve.sign(hash, privateKey);
  return JSON.stringify([sig.r.toString(), sig.s.toString()]);
}

const scale = (v: string) => new Decimal(v).mul(1e8).trunc().toFixed(0);

function orderData(o: { ts: number; market: string; side: 'BUY' | 'SELL'; type: 'LIMIT' | 'MARKET'; size: string; price: string }): TypedData {
  return {
    domain,
    primaryType: 'Order',
    types: {
      StarkNetDomain: DOMAIN_TYPE,
      Order: ['timestamp', 'market', 'side', 'orderType', 'size', 'price'].map((name) => ({ name, type: 'felt' })),
    },
    message: { timestamp: o.ts, market: o.market, side: o.side === 'BUY' ? '1' : '2', orderType: o.type, size: scale(o.size), price: o.type === 'MARKET' ? '0' : scale(o.price) },
  };
}

interface Trader {
  address: string;
  key: string;
  jwt: string;
}

let sims: VenueSimulators;
const clients: WireClient[] = [];
let seq = 0;

async function onboard(key: string, address: string): Promise<void> {
  const data: TypedData = { domain, primaryType: 'Constant', types: { StarkNetDomain: DOMAIN_TYPE, Constant: [{ name: 'action', type: 'felt' }] }, message: { action: 'Onboarding' } };
  const res = await http('POST', `${sims.paradex.restUrl}/onboarding`, {
    headers: { 'PARADEX-ETHEREUM-ACCOUNT': '0x' + '11'.repeat(20), 'PARADEX-STARKNET-ACCOUNT': address, 'PARADEX-STARKNET-SIGNATURE': sign(data, address, key) },
    body: { public_key: ec.starkCurve.getStarkKey(key) },
  });
  expect(res.status).toBe(200);
}

async function auth(address: string, key: string): Promise<{ status: number; body: any }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const expiration = timestamp + 300;
  const data: TypedData = {
    domain,
    primaryType: 'Request',
    types: { StarkNetDomain: DOMAIN_TYPE, Request: ['method', 'path', 'body', 'timestamp', 'expiration'].map((name) => ({ name, type: 'felt' })) },
    message: { method: 'POST', path: '/v1/auth', body: '', timestamp, expiration },
  };
  return http('POST', `${sims.paradex.restUrl}/auth`, {
    headers: {
      'PARADEX-STARKNET-ACCOUNT': address,
      'PARADEX-STARKNET-SIGNATURE': sign(data, address, key),
      'PARADEX-TIMESTAMP': String(timestamp),
      'PARADEX-SIGNATURE-EXPIRATION': String(expiration),
    },
  });
}

async function newTrader(collateral: string): Promise<Trader> {
  seq++;
  const key = '0x' + (0x1234567n + BigInt(seq) * 7919n).toString(16);
  const address = '0x' + (0xabc000n + BigInt(seq)).toString(16);
  await onboard(key, address);
  const res = await auth(address, key);
  expect(res.status).toBe(200);
  sims.trading.paradex.engine.fund(sims.trading.paradex.accountId(address), collateral);
  return { address, key, jwt: res.body.jwt_token };
}

function order(t: Trader, o: { side: 'BUY' | 'SELL'; type?: 'LIMIT' | 'MARKET'; size: string; price?: string; instruction?: string; client_id?: string; flags?: string[] }, signKey = t.key) {
  const ts = Date.now();
  const type = o.type ?? 'LIMIT';
  const price = o.price ?? '0';
  const signature = sign(orderData({ ts, market: BTC, side: o.side, type, size: o.size, price }), t.address, signKey);
  return http('POST', `${sims.paradex.restUrl}/orders`, {
    headers: { Authorization: `Bearer ${t.jwt}` },
    body: { market: BTC, side: o.side, type, size: o.size, price, instruction: o.instruction ?? 'GTC', signature, signature_timestamp: ts, client_id: o.client_id, flags: o.flags },
  });
}

const get = (t: Trader, path: string) => http('GET', `${sims.paradex.restUrl}${path}`, { headers: { Authorization: `Bearer ${t.jwt}` } });

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('paradex private API', () => {
  it('onboards, authenticates, and fills an IOC partially against book depth at a hand-computed VWAP', async () => {
    const t = await newTrader('10000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '1']], [['65000', '0.1'], ['65002', '0.3'], ['65010', '1']]);

    const res = await order(t, { side: 'BUY', size: '0.5', price: '65005', instruction: 'IOC' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ market: BTC, side: 'BUY', type: 'LIMIT', size: '0.5', status: 'NEW', instruction: 'IOC' });

    // Closed at once (IOC): GET /orders/{id} shows OPEN or NEW orders only; history has it.
    expect((await get(t, `/orders/${res.body.id}`)).status).toBe(404);
    const after = (await get(t, `/orders-history?market=${BTC}`)).body.results.find((o: any) => o.id === res.body.id);
    // 0.1 @ 65000 + 0.3 @ 65002 = 26000.6 over 0.4 -> 65001.5; the 0.1 left is cancelled (IOC).
    expect(after).toMatchObject({ status: 'CLOSED', remaining_size: '0.1', avg_fill_price: '65001.5', cancel_reason: 'IOC_CANCEL' });

    const fills = (await get(t, `/fills?market=${BTC}`)).body.results;
    expect(fills.map((f: any) => [f.price, f.size, f.liquidity]).sort()).toEqual([
      ['65000', '0.1', 'TAKER'],
      ['65002', '0.3', 'TAKER'],
    ]);
    // Taker fee 0.045% of 26000.6 = 11.70027.
    expect(fills.reduce((s: Decimal, f: any) => s.add(f.fee), new Decimal(0)).toFixed()).toBe('11.70027');

    const positions = (await get(t, '/positions')).body.results;
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({ market: BTC, side: 'LONG', size: '0.4', average_entry_price: '65001.5', status: 'OPEN' });

    const account = (await get(t, '/account')).body;
    expect(account.total_collateral).toBe('9988.29973');

    // The fills consumed the book: 65000 and 65002 are gone, a second buyer sees 65010 first.
    const book = (await http('GET', `${sims.paradex.restUrl}/orderbook/${BTC}?depth=3`)).body;
    expect(book.asks[0]).toEqual(['65010', '1']);
  });

  it('rejects a tampered order signature with INVALID_ORDER_SIGNATURE and keeps the book', async () => {
    const t = await newTrader('10000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '1']], [['65000', '1']]);
    const ts = Date.now();
    // Signed for 0.01, sent for 0.5.
    const signature = sign(orderData({ ts, market: BTC, side: 'BUY', type: 'LIMIT', size: '0.01', price: '65000' }), t.address, t.key);
    const res = await http('POST', `${sims.paradex.restUrl}/orders`, {
      headers: { Authorization: `Bearer ${t.jwt}` },
      body: { market: BTC, side: 'BUY', type: 'LIMIT', size: '0.5', price: '65000', instruction: 'GTC', signature, signature_timestamp: ts },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('INVALID_ORDER_SIGNATURE');
    expect(typeof res.body.message).toBe('string');
    expect(sims.market('paradex', 'BTC').book.best('ask')?.size).toBe(100000);

    // A key that is not the account's is refused as well.
    const stranger = await order(t, { side: 'BUY', size: '0.01', price: '65000' }, '0x777');
    expect(stranger.body.error).toBe('INVALID_ORDER_SIGNATURE');
  });

  it('accepts orders signed by a registered subkey, and auth with it', async () => {
    const t = await newTrader('10000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '1']], [['65000', '1']]);
    const subkey = '0x5ab5e7';
    expect((await order(t, { side: 'BUY', size: '0.01', price: '65000' }, subkey)).status).toBe(400);
    const reg = await http('POST', `${sims.paradex.restUrl}/account/subkeys`, { headers: { Authorization: `Bearer ${t.jwt}` }, body: { public_key: ec.starkCurve.getStarkKey(subkey) } });
    expect(reg.status).toBe(201);
    const res = await order(t, { side: 'BUY', size: '0.01', price: '65000', instruction: 'IOC', client_id: 'sub-1' }, subkey);
    expect(res.status).toBe(201);
    expect((await get(t, '/orders-history?client_id=sub-1')).body.results.map((o: any) => [o.id, o.status])).toEqual([[res.body.id, 'CLOSED']]);
    expect((await auth(t.address, subkey)).status).toBe(200);
  });

  it('rests a GTC order, cancels it by client id (204), and lists open orders by market', async () => {
    const t = await newTrader('10000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '1']], [['65000', '1']]);
    const res = await order(t, { side: 'BUY', size: '0.02', price: '64000', client_id: 'cid-1' });
    expect(res.status).toBe(201);
    const open = (await get(t, `/orders?market=${BTC}`)).body.results;
    expect(open.map((o: any) => [o.client_id, o.status])).toEqual([['cid-1', 'OPEN']]);
    const dup = await order(t, { side: 'BUY', size: '0.02', price: '64000', client_id: 'cid-1' });
    expect(dup.body.error).toBe('DUPLICATED_CLIENT_ID');

    expect((await get(t, '/orders/by_client_id/cid-1')).body).toMatchObject({ client_id: 'cid-1', status: 'OPEN' });

    const del = await http('DELETE', `${sims.paradex.restUrl}/orders/by_client_id/cid-1`, { headers: { Authorization: `Bearer ${t.jwt}` } });
    expect(del.status).toBe(204);
    // Cancelled, the order has left every open-only lookup: 404 by id and by client id ...
    expect((await get(t, `/orders/${res.body.id}`)).status).toBe(404);
    const byCid = await get(t, '/orders/by_client_id/cid-1');
    expect(byCid.status).toBe(404);
    expect(byCid.body).toMatchObject({ error: 'CLIENT_ORDER_ID_NOT_FOUND', message: expect.any(String) });
    // ... and orders-history is where it is confirmed.
    expect((await get(t, '/orders-history?client_id=cid-1')).body.results).toEqual([expect.objectContaining({ id: res.body.id, status: 'CLOSED', cancel_reason: 'USER_CANCELED' })]);
    const again = await http('DELETE', `${sims.paradex.restUrl}/orders/${res.body.id}`, { headers: { Authorization: `Bearer ${t.jwt}` } });
    expect(again.body.error).toBe('ORDER_IS_CLOSED');
    const againByCid = await http('DELETE', `${sims.paradex.restUrl}/orders/by_client_id/cid-1`, { headers: { Authorization: `Bearer ${t.jwt}` } });
    expect(againByCid.body.error).toBe('CLIENT_ORDER_ID_NOT_FOUND');
  });

  it('answers 401 once the JWT has expired, and to no token at all', async () => {
    sims.trading.paradex.setJwtTtl(150);
    try {
      const t = await newTrader('1');
      expect((await get(t, '/account')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
      const expired = await get(t, '/account');
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/expired/);
    } finally {
      sims.trading.paradex.setJwtTtl(300_000);
    }
    expect((await http('GET', `${sims.paradex.restUrl}/positions`)).status).toBe(401);
  });

  it('pushes orders, fills and positions on private channels after auth, and refuses them before', async () => {
    const t = await newTrader('10000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '1']], [['65000', '1']]);
    const ws = await WireClient.open(sims.paradex.wsUrl);
    clients.push(ws);
    ws.send({ jsonrpc: '2.0', method: 'subscribe', params: { channel: 'orders.ALL' }, id: 1 });
    expect((await ws.next()).error.data).toMatch(/auth/);

    // Docs (WS error handling): 40110 Malformed Bearer Token, 40111 Invalid Bearer Token.
    ws.send({ jsonrpc: '2.0', method: 'auth', params: { bearer: 'not-a-jwt' }, id: 20 });
    expect((await ws.next()).error).toMatchObject({ code: 40110, message: 'Malformed Bearer Token' });
    ws.send({ jsonrpc: '2.0', method: 'auth', params: { bearer: `${t.jwt.slice(0, -4)}AAAA` }, id: 21 });
    expect((await ws.next()).error).toMatchObject({ code: 40111, message: 'Invalid Bearer Token' });
    ws.send({ jsonrpc: '2.0', method: 'auth', params: { bearer: t.jwt }, id: 2 });
    expect((await ws.next())).toMatchObject({ id: 2, result: { node_id: expect.any(String) } });
    for (const [id, channel] of [[3, 'orders.ALL'], [4, `fills.${BTC}`], [5, 'positions']] as const) {
      ws.send({ jsonrpc: '2.0', method: 'subscribe', params: { channel }, id });
      expect((await ws.next()).result.channel).toBe(channel);
    }
    await order(t, { side: 'BUY', size: '0.2', price: '65000', instruction: 'IOC' });
    const fill = await ws.nextWhere((m) => m.params?.channel === `fills.${BTC}`);
    expect(fill.params.data).toMatchObject({ market: BTC, side: 'BUY', price: '65000', size: '0.2', liquidity: 'TAKER' });
    const pos = await ws.nextWhere((m) => m.params?.channel === 'positions');
    expect(pos.params.data).toMatchObject({ market: BTC, size: '0.2', side: 'LONG' });
    const closed = await ws.nextWhere((m) => m.params?.channel === 'orders.ALL' && m.params.data.status === 'CLOSED');
    expect(closed.params.data.remaining_size).toBe('0');
    // The pushes are the REST shapes (OrderResp, FillResult): the fill names its order and client id.
    expect(fill.params.data).toMatchObject({ id: expect.any(String), order_id: closed.params.data.id, client_id: '', fee: expect.any(String), created_at: expect.any(Number) });
    expect(closed.params.data).toMatchObject({ market: BTC, side: 'BUY', type: 'LIMIT', size: '0.2', instruction: 'IOC', created_at: expect.any(Number) });
  });
});

describe('paradex private API: order history and fills as documented', () => {
  it('orders-history honours client_id, market, status, time window, page_size and cursor (newest first)', async () => {
    const t = await newTrader('100000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '5']], [['65000', '5']]);
    const t0 = Date.now();
    for (let i = 1; i <= 5; i++) expect((await order(t, { side: 'BUY', size: '0.01', price: '65000', instruction: 'IOC', client_id: `h-${i}` })).status).toBe(201);
    expect((await order(t, { side: 'BUY', size: '0.01', price: '60000', client_id: 'h-rest' })).status).toBe(201);

    const one = (await get(t, '/orders-history?client_id=h-3')).body;
    expect(one.results.map((o: any) => o.client_id)).toEqual(['h-3']);
    expect(one.next).toBeNull();
    expect((await get(t, '/orders-history?client_id=nobody')).body.results).toEqual([]);
    expect((await get(t, '/orders-history?market=ETH-USD-PERP')).body.results).toEqual([]);
    expect((await get(t, '/orders-history?status=OPEN')).body.results.map((o: any) => o.client_id)).toEqual(['h-rest']);
    expect((await get(t, `/orders-history?start_at=${Date.now() + 60_000}`)).body.results).toEqual([]);
    expect((await get(t, `/orders-history?start_at=${t0}`)).body.results).toHaveLength(6);

    // Pages of 2, newest first, walked with the venue's cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: any = (await get(t, `/orders-history?page_size=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(body.results.length).toBeLessThanOrEqual(2);
      seen.push(...body.results.map((o: any) => o.client_id));
      cursor = body.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['h-rest', 'h-5', 'h-4', 'h-3', 'h-2', 'h-1']);
    expect((await get(t, '/orders-history?cursor=bogus')).status).toBe(400);
  });

  it('GET /fills filters by market and time window and pages by cursor; it has no order id filter', async () => {
    const t = await newTrader('100000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '5']], [['65000', '0.01'], ['65001', '0.01'], ['65002', '5']]);
    const a = await order(t, { side: 'BUY', size: '0.03', price: '65002', instruction: 'IOC', client_id: 'fa' });
    await order(t, { side: 'BUY', size: '0.01', price: '65002', instruction: 'IOC', client_id: 'fb' });
    const all = (await get(t, `/fills?market=${BTC}`)).body;
    expect(all.results).toHaveLength(4);
    expect(all.results.map((f: any) => f.client_id)).toEqual(['fb', 'fa', 'fa', 'fa']);
    // An order_id parameter is not a documented filter: the venue answers every fill.
    expect((await get(t, `/fills?market=${BTC}&order_id=${a.body.id}`)).body.results).toHaveLength(4);
    expect((await get(t, '/fills?market=ETH-USD-PERP')).body.results).toEqual([]);
    expect((await get(t, `/fills?start_at=${Date.now() + 60_000}`)).body.results).toEqual([]);
    const p1 = (await get(t, '/fills?page_size=3')).body;
    expect(p1.results).toHaveLength(3);
    const p2 = (await get(t, `/fills?page_size=3&cursor=${p1.next}`)).body;
    expect(p2.results).toHaveLength(1);
    expect(p2.next).toBeNull();
    expect([...p1.results, ...p2.results].map((f: any) => f.id)).toEqual(all.results.map((f: any) => f.id));
  });
});

describe('paradex private API: rate limits', () => {
  it('answers 429 with Retry-After and X-RateLimit-* once an account spends its private GET budget, per account', async () => {
    const t = await newTrader('1');
    const other = await newTrader('1');
    sims.trading.paradex.setRateLimits({ privateGetPerSecond: { limit: 3, windowMs: 1_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await get(t, '/account')).status);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const res = await fetch(`${sims.paradex.restUrl}/account`, { headers: { Authorization: `Bearer ${t.jwt}` } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(res.headers.get('x-ratelimit-window')).toBe('1');
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      expect(await res.json()).toMatchObject({ error: 'RATE_LIMIT_EXCEEDED', message: expect.any(String) });
      // Another account's budget is its own; public reads are not private GETs.
      expect((await get(other, '/account')).status).toBe(200);
      expect((await http('GET', `${sims.paradex.restUrl}/markets`)).status).toBe(200);
      expect(sims.trading.paradex.rateLimits.refused.get('private GET per account per second')).toBeGreaterThanOrEqual(3);
      await new Promise((r) => setTimeout(r, 1_050));
      expect((await get(t, '/account')).status).toBe(200);
    } finally {
      sims.trading.paradex.setRateLimits();
    }
  });

  it('orders count per account apart from GETs; the IP budget covers public and private calls', async () => {
    const t = await newTrader('100000');
    setBook(sims.market('paradex', 'BTC'), [['64990', '5']], [['65000', '5']]);
    sims.trading.paradex.setRateLimits({ ordersPerSecond: { limit: 1, windowMs: 1_000 } });
    try {
      expect((await order(t, { side: 'BUY', size: '0.01', price: '60000', client_id: 'rl-1' })).status).toBe(201);
      expect((await order(t, { side: 'BUY', size: '0.01', price: '60000', client_id: 'rl-2' })).status).toBe(429);
      const del = await http('DELETE', `${sims.paradex.restUrl}/orders/by_client_id/rl-1`, { headers: { Authorization: `Bearer ${t.jwt}` } });
      expect(del.status).toBe(429);
      expect((await get(t, '/orders')).status).toBe(200);
      sims.trading.paradex.setRateLimits({ perIp: { limit: 2, windowMs: 1_000 } });
      expect((await http('GET', `${sims.paradex.restUrl}/markets`)).status).toBe(200);
      expect((await get(t, '/orders')).status).toBe(200);
      expect((await http('GET', `${sims.paradex.restUrl}/markets`)).status).toBe(429);
    } finally {
      sims.trading.paradex.setRateLimits();
    }
  });

  it('logs every request it sees (tests count REST calls with it)', async () => {
    const t = await newTrader('1');
    const since = Date.now();
    await get(t, '/positions');
    await get(t, '/positions');
    const seen = sims.trading.paradex.requestsTo('GET', '/v1/positions', since);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ account: sims.trading.paradex.accountId(t.address), refused: false });
  });
});
