import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { canonicalPairs, getJson, TestBook, WireClient } from './wire-client.ts';

const BTC = 'BTC-USD-PERP';
const DELTAS = `order_book.${BTC}.deltas`;
const DECIMAL = /^\d+(\.\d+)?$/;

let sims: VenueSimulators;
const clients: WireClient[] = [];

async function connect(): Promise<WireClient> {
  const c = await WireClient.open(sims.paradex.wsUrl);
  clients.push(c);
  return c;
}

async function subscribe(c: WireClient, channel: string, id: number): Promise<any> {
  c.send({ jsonrpc: '2.0', method: 'subscribe', params: { channel }, id });
  return c.next();
}

function applyUpdate(book: TestBook, data: any): void {
  const side = (s: string) => (s === 'BUY' ? 'bid' : 'ask');
  for (const e of data.inserts) book.set(side(e.side), e.price, e.size);
  for (const e of data.updates) book.set(side(e.side), e.price, e.size);
  for (const e of data.deletes) book.remove(side(e.side), e.price);
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 11, updateIntervalMs: 0, dislocationProbability: 0, paradexPublicEncoding: 'json' }); // the JSON feed (pre-SBE); SBE mode: paradex-sbe-socket.test.ts
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('paradex simulator REST', () => {
  it('lists markets with decimals as strings and counts as numbers', async () => {
    const { status, body } = await getJson(`${sims.paradex.restUrl}/markets`);
    expect(status).toBe(200);
    const btc = body.results.find((m: any) => m.symbol === BTC);
    expect(btc).toMatchObject({ base_currency: 'BTC', quote_currency: 'USD', settlement_currency: 'USDC', asset_kind: 'PERP', price_tick_size: '0.1' });
    expect(btc.order_size_increment).toMatch(DECIMAL);
    expect(btc.min_notional).toMatch(DECIMAL);
    expect(typeof btc.max_open_orders).toBe('number');
    expect(typeof btc.open_at).toBe('number');
    expect(btc.funding_period_hours).toBe(8);
    expect(body.results.map((m: any) => m.symbol).sort()).toEqual(['BTC-USD-PERP', 'ETH-USD-PERP', 'SOL-USD-PERP']);
  });

  it('serves system config, summary and an order book with a numeric seq_no', async () => {
    const config = (await getJson(`${sims.paradex.restUrl}/system/config`)).body;
    expect(config.starknet_chain_id).toBe('PRIVATE_SN_PARACLEAR_MAINNET');
    expect(config.paraclear_decimals).toBe(8);

    const summary = (await getJson(`${sims.paradex.restUrl}/markets/summary?market=ALL`)).body.results;
    expect(summary).toHaveLength(3);
    expect(summary[0].mark_price).toMatch(DECIMAL);
    expect(typeof summary[0].funding_rate).toBe('string');
    expect(typeof summary[0].created_at).toBe('number');

    const book = (await getJson(`${sims.paradex.restUrl}/orderbook/${BTC}?depth=5`)).body;
    expect(book.market).toBe(BTC);
    expect(Number.isInteger(book.seq_no)).toBe(true);
    expect(book.bids).toHaveLength(5);
    for (const [p, s] of [...book.bids, ...book.asks]) {
      expect(p).toMatch(DECIMAL);
      expect(s).toMatch(DECIMAL);
      // On the 0.1 tick grid: at most one decimal.
      expect(p).toMatch(/^\d+(\.\d)?$/);
    }
    expect(Number(book.bids[0][0])).toBeLessThan(Number(book.asks[0][0]));

    expect((await getJson(`${sims.paradex.restUrl}/orderbook/NOPE-USD-PERP`)).status).toBe(404);
  });
});

describe('paradex simulator WebSocket', () => {
  it('acks a subscribe, sends a snapshot, then deltas whose application reproduces the REST book', async () => {
    const c = await connect();
    const ack = await subscribe(c, DELTAS, 1);
    expect(ack).toMatchObject({ jsonrpc: '2.0', id: 1, result: { channel: DELTAS } });
    expect(typeof ack.usIn).toBe('number');

    const snap = await c.next();
    expect(snap.method).toBe('subscription');
    expect(snap.params.channel).toBe(DELTAS);
    expect(snap.params.data.update_type).toBe('s');
    expect(snap.params.data.inserts.length).toBe(30);
    const book = new TestBook();
    applyUpdate(book, snap.params.data);

    let seq = snap.params.data.seq_no as number;
    let sawUpdateOrDelete = false;
    for (let i = 0; i < 8; i++) {
      sims.step();
      const d = (await c.next()).params.data;
      expect(d.update_type).toBe('d');
      expect(d.seq_no).toBe(seq + 1);
      seq = d.seq_no;
      sawUpdateOrDelete ||= d.updates.length > 0 || d.deletes.length > 0;
      applyUpdate(book, d);
    }
    expect(sawUpdateOrDelete).toBe(true);

    const rest = (await getJson(`${sims.paradex.restUrl}/orderbook/${BTC}?depth=50`)).body;
    expect(rest.seq_no).toBe(seq);
    expect(book.levels('bid')).toEqual(canonicalPairs(rest.bids));
    expect(book.levels('ask')).toEqual(canonicalPairs(rest.asks));
  });

  it('pushes snapshot, bbo and funding channels, with the exact channel name echoed', async () => {
    const c = await connect();
    const snapCh = `order_book.${BTC}.snapshot@15@100ms`;
    expect((await subscribe(c, snapCh, 2)).result.channel).toBe(snapCh);
    expect((await c.next()).params.data.update_type).toBe('s');
    expect((await subscribe(c, `bbo.${BTC}`, 3)).result.channel).toBe(`bbo.${BTC}`);
    const bbo = (await c.next()).params.data;
    expect(bbo).toMatchObject({ market: BTC });
    expect(bbo.bid).toMatch(DECIMAL);
    expect(bbo.ask_size).toMatch(DECIMAL);
    expect(Number.isInteger(bbo.seq_no)).toBe(true);
    expect((await subscribe(c, `funding_data.${BTC}`, 4)).result.channel).toBe(`funding_data.${BTC}`);
    const funding = (await c.next()).params.data;
    expect(funding.funding_rate).toMatch(/^-?\d+(\.\d+)?$/);
    expect(funding.funding_period_hours).toBe(8);

    sims.step();
    const snapshot = await c.nextWhere((m) => m.params?.channel === snapCh);
    expect(snapshot.params.data.update_type).toBe('s');
    expect(snapshot.params.data.inserts).toHaveLength(30);
  });

  it('answers a bad channel and a repeated subscribe with JSON-RPC errors', async () => {
    const c = await connect();
    const bad = await subscribe(c, 'order_book.NOPE-USD-PERP.deltas', 5);
    expect(bad).toMatchObject({ jsonrpc: '2.0', id: 5, error: { code: -32600, message: 'invalid subscribe request', data: 'invalid channel' } });
    await subscribe(c, `bbo.${BTC}`, 6);
    await c.next();
    const again = await subscribe(c, `bbo.${BTC}`, 7);
    expect(again.error).toBeDefined();
    c.send({ jsonrpc: '2.0', method: 'unsubscribe', params: { channel: `bbo.${BTC}` }, id: 8 });
    expect(await c.next()).toMatchObject({ id: 8, result: { channel: `bbo.${BTC}` } });
  });
});

describe('paradex simulator faults', () => {
  it('skipSequence loses one delta: the next seq_no jumps by two', async () => {
    const c = await connect();
    await subscribe(c, DELTAS, 1);
    const seq0 = (await c.next()).params.data.seq_no as number;
    sims.faults.skipSequence('paradex', BTC);
    sims.step();
    sims.step();
    const d = (await c.next()).params.data;
    expect(d.seq_no).toBe(seq0 + 2);
  });

  it('sendGarbage pushes a non-JSON frame and a book update with wrong-typed fields', async () => {
    const c = await connect();
    await subscribe(c, DELTAS, 1);
    await c.next();
    sims.faults.sendGarbage('paradex');
    const raw = await c.nextRaw();
    expect(() => JSON.parse(raw)).toThrow();
    const typed = await c.next();
    expect(typeof typed.params.data.seq_no).toBe('string');
    expect(typeof typed.params.data.inserts[0].price).toBe('number');
  });

  it('dropSockets closes client sockets abruptly; new connections still work', async () => {
    const c = await connect();
    sims.faults.dropSockets('paradex');
    const { code } = await c.closed;
    expect(code).toBe(1006);
    const again = await connect();
    expect((await subscribe(again, `bbo.${BTC}`, 1)).result).toBeDefined();
  });

  it('stall silences pushes and pongs, then delivers what was held in order', async () => {
    const c = await connect();
    await subscribe(c, DELTAS, 1);
    const seq0 = (await c.next()).params.data.seq_no as number;
    let pongs = 0;
    c.ws.on('pong', () => pongs++);
    sims.faults.stall('paradex', 400);
    sims.step();
    c.ws.ping();
    expect(await c.silentFor(250)).toBe(true);
    expect(pongs).toBe(0);
    const held = (await c.next(1000)).params.data;
    expect(held.seq_no).toBe(seq0 + 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(pongs).toBe(1);
  });
});
