import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { getJson, TestBook, WireClient } from './wire-client.ts';

const BTC_ID = 1;
const PADDED_BTC_PRICE = /^\d+\.\d$/; // price_decimals 1
const PADDED_BTC_SIZE = /^\d+\.\d{5}$/; // size_decimals 5

let sims: VenueSimulators;
const clients: WireClient[] = [];

async function connect(): Promise<WireClient> {
  const c = await WireClient.open(sims.lighter.wsUrl);
  clients.push(c);
  expect(await c.next()).toMatchObject({ type: 'connected' });
  return c;
}

function applyBook(book: TestBook, ob: any): void {
  for (const l of ob.bids) book.set('bid', l.price, l.size);
  for (const l of ob.asks) book.set('ask', l.price, l.size);
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0, pingIntervalMs: { lighter: 0 } });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('lighter simulator REST', () => {
  it('serves orderBooks and orderBookDetails with mainnet ids and documented types', async () => {
    const books = (await getJson(`${sims.lighter.restUrl}/api/v1/orderBooks`)).body;
    expect(books.code).toBe(200);
    const ids = Object.fromEntries(books.order_books.map((b: any) => [b.symbol, b.market_id]));
    expect(ids).toEqual({ ETH: 0, BTC: 1, SOL: 2 });

    const details = (await getJson(`${sims.lighter.restUrl}/api/v1/orderBookDetails?market_id=${BTC_ID}`)).body;
    expect(details.order_book_details).toHaveLength(1);
    const d = details.order_book_details[0];
    expect(d).toMatchObject({ symbol: 'BTC', market_id: 1, status: 'active', size_decimals: 5, price_decimals: 1 });
    expect(typeof d.taker_fee).toBe('string');
    expect(typeof d.min_base_amount).toBe('string');
    expect(typeof d.last_trade_price).toBe('number');
    expect(details.spot_order_book_details).toEqual([]);

    const funding = (await getJson(`${sims.lighter.restUrl}/api/v1/funding-rates`)).body;
    expect(funding.funding_rates[0]).toMatchObject({ exchange: 'lighter' });
    expect(typeof funding.funding_rates[0].rate).toBe('number');
    expect(typeof funding.funding_rates[0].market_id).toBe('number');
  });
});

describe('lighter simulator WebSocket', () => {
  it('snapshots, then updates chained by begin_nonce; applying them reproduces the REST book', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', channel: `order_book/${BTC_ID}` });
    const snap = await c.next();
    expect(snap.type).toBe('subscribed/order_book');
    expect(snap.channel).toBe(`order_book:${BTC_ID}`);
    expect(typeof snap.order_book.nonce).toBe('number');
    expect(typeof snap.offset).toBe('number');
    expect(snap.order_book.bids[0].price).toMatch(PADDED_BTC_PRICE);
    expect(snap.order_book.bids[0].size).toMatch(PADDED_BTC_SIZE);
    const book = new TestBook();
    applyBook(book, snap.order_book);

    let nonce = snap.order_book.nonce as number;
    let sawRemoval = false;
    for (let i = 0; i < 8; i++) {
      sims.step();
      const u = await c.next();
      expect(u.type).toBe('update/order_book');
      expect(u.order_book.begin_nonce).toBe(nonce);
      expect(u.order_book.nonce).toBeGreaterThan(nonce);
      nonce = u.order_book.nonce;
      sawRemoval ||= [...u.order_book.bids, ...u.order_book.asks].some((l: any) => l.size === '0.00000');
      applyBook(book, u.order_book);
    }
    expect(sawRemoval).toBe(true);

    const rest = (await getJson(`${sims.lighter.restUrl}/api/v1/orderBookOrders?market_id=${BTC_ID}&limit=100`)).body;
    // One synthetic resting order per level: the REST book must equal the one built from the stream.
    const restBook = new TestBook();
    for (const o of rest.bids) restBook.set('bid', o.price, o.remaining_base_amount);
    for (const o of rest.asks) restBook.set('ask', o.price, o.remaining_base_amount);
    expect(book.levels('bid')).toEqual(restBook.levels('bid'));
    expect(book.levels('ask')).toEqual(restBook.levels('ask'));
    expect(book.levels('bid').length).toBeGreaterThan(10);
  });

  it('pushes market_stats with funding fields', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', channel: `market_stats/${BTC_ID}` });
    const first = await c.next();
    expect(first).toMatchObject({ type: 'subscribed/market_stats', channel: `market_stats:${BTC_ID}` });
    expect(first.market_stats.market_id).toBe(BTC_ID);
    expect(typeof first.market_stats.current_funding_rate).toBe('string');
    expect(typeof first.market_stats.funding_timestamp).toBe('number');
    sims.step();
    expect((await c.next()).type).toBe('update/market_stats');
  });

  it('publishes the next-funding inputs in the venue format: live estimate, settled rate, last settlement in ms', async () => {
    const HOUR = 3_600_000;
    const DECIMAL = /^-?\d+(\.\d+)?$/;
    const c = await connect();
    c.send({ type: 'subscribe', channel: 'market_stats/all' });
    const frame = await c.next();
    expect(frame).toMatchObject({ type: 'subscribed/market_stats', channel: 'market_stats:all' });
    expect(Number.isSafeInteger(frame.timestamp)).toBe(true);
    const all = Object.values(frame.market_stats) as any[];
    expect(all.map((s) => s.market_id).sort()).toEqual([0, 1, 2]);
    for (const s of all) {
      // Rates as decimal strings (percent), as the docs' example and ccxt's capture have them.
      expect(s.current_funding_rate).toMatch(DECIMAL);
      expect(s.funding_rate).toMatch(DECIMAL);
      // funding_timestamp: an integer in ms (13 digits), the hour mark at or before the frame's time.
      expect(Number.isSafeInteger(s.funding_timestamp)).toBe(true);
      expect(s.funding_timestamp).toBeGreaterThan(1e12);
      expect(s.funding_timestamp % HOUR).toBe(0);
      expect(s.funding_timestamp).toBeLessThanOrEqual(frame.timestamp);
      expect(frame.timestamp - s.funding_timestamp).toBeLessThan(HOUR);
    }
  });

  it('answers pings, sends an error for an invalid channel', async () => {
    const c = await connect();
    c.send({ type: 'ping' });
    expect(await c.next()).toEqual({ type: 'pong' });
    c.send({ type: 'subscribe', channel: 'order_book/999' });
    const err = await c.next();
    expect(err.error.code).toBe(30005);
    expect(err.error.message).toMatch(/Invalid Channel/);
  });

  it('pings clients at the application level', async () => {
    const fast = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, pingIntervalMs: { lighter: 50, paradex: 0 } });
    try {
      const c = await WireClient.open(fast.lighter.wsUrl);
      await c.next();
      expect(await c.next(1000)).toEqual({ type: 'ping' });
      c.close();
    } finally {
      await fast.stop();
    }
  });
});

describe('lighter simulator faults', () => {
  it('skipSequence breaks begin_nonce continuity once', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', channel: `order_book/${BTC_ID}` });
    const nonce0 = (await c.next()).order_book.nonce as number;
    sims.faults.skipSequence('lighter', BTC_ID);
    sims.step();
    sims.step();
    const u = await c.next();
    expect(u.order_book.begin_nonce).not.toBe(nonce0);
    sims.step();
    const after = await c.next();
    expect(after.order_book.begin_nonce).toBe(u.order_book.nonce);
  });

  it('sendGarbage, dropSockets and stall are observable', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', channel: `order_book/${BTC_ID}` });
    await c.next();
    sims.faults.sendGarbage('lighter');
    const raw = await c.nextRaw();
    expect(() => JSON.parse(raw)).toThrow();
    expect(typeof (await c.next()).order_book.nonce).toBe('string');

    sims.faults.stall('lighter', 300);
    sims.step();
    c.send({ type: 'ping' });
    expect(await c.silentFor(200)).toBe(true);
    expect((await c.next(1000)).type).toBe('update/order_book');
    expect(await c.next(1000)).toEqual({ type: 'pong' });

    sims.faults.dropSockets('lighter');
    expect((await c.closed).code).toBe(1006);
  });
});
