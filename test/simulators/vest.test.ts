import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { getJson, WireClient } from './wire-client.ts';

const HEADERS = { xrestservermm: 'restserver0' };
const PAIR = /^\d+\.\d{2}$/; // BTC-PERP priceDecimals 2
const SIZE = /^\d+\.\d{4}$/; // BTC-PERP sizeDecimals 4

let sims: VenueSimulators;
const clients: WireClient[] = [];

async function connect(url = sims.vest.wsUrl): Promise<WireClient> {
  const c = await WireClient.open(url);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 9, updateIntervalMs: 0, dislocationProbability: 0 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('vest simulator REST', () => {
  it('refuses calls without the xrestservermm header, like the venue', async () => {
    const res = await getJson(`${sims.vest.restUrl}/exchangeInfo`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(1146);
    expect((await getJson(`${sims.vest.restUrl}/exchangeInfo`, { xrestservermm: 'group0' })).status).toBe(400);
  });

  it('serves exchangeInfo, depth, tickers and funding history with documented types', async () => {
    const info = (await getJson(`${sims.vest.restUrl}/exchangeInfo?symbols=BTC-PERP`, HEADERS)).body;
    expect(info.symbols).toHaveLength(1);
    expect(info.symbols[0]).toMatchObject({ symbol: 'BTC-PERP', base: 'BTC', quote: 'USDC', sizeDecimals: 4, priceDecimals: 2, isolated: false });
    expect(typeof info.symbols[0].takerFee).toBe('string');
    expect(info.exchange.collateralDecimals).toBe(6);

    const depth = (await getJson(`${sims.vest.restUrl}/depth?symbol=BTC-PERP&limit=5`, HEADERS)).body;
    expect(depth.bids).toHaveLength(5);
    for (const [p, s] of [...depth.bids, ...depth.asks]) {
      expect(p).toMatch(PAIR);
      expect(s).toMatch(SIZE);
    }

    const tickers = (await getJson(`${sims.vest.restUrl}/ticker/latest?symbols=BTC-PERP,ETH-PERP`, HEADERS)).body.tickers;
    expect(tickers.map((t: any) => t.symbol)).toEqual(['BTC-PERP', 'ETH-PERP']);
    expect(tickers[0].markPrice).toMatch(PAIR);
    expect(tickers[0].oneHrFundingRate).toMatch(/^-?\d+\.\d+$/);
    expect(tickers[0].status).toBe('TRADING');

    const history = (await getJson(`${sims.vest.restUrl}/funding/history?symbol=BTC-PERP&limit=3`, HEADERS)).body;
    expect(history).toHaveLength(3);
    expect(typeof history[0].time).toBe('number');
    expect(history[0].time - history[1].time).toBe(3_600_000);

    expect((await getJson(`${sims.vest.restUrl}/depth?symbol=NOPE-PERP`, HEADERS)).status).toBe(400);
  });
});

describe('vest simulator WebSocket', () => {
  it('closes a socket without the account group in the query', async () => {
    const bare = sims.vest.wsUrl.replace(/&xwebsocketserver=[^&]*/, '');
    const c = await connect(bare);
    expect((await c.closed).code).toBe(4002);
  });

  it('acks SUBSCRIBE with result null and pushes full depth snapshots that match REST', async () => {
    const c = await connect();
    c.send({ method: 'SUBSCRIBE', params: ['BTC-PERP@depth', 'tickers'], id: 7 });
    expect(await c.next()).toEqual({ result: null, id: 7 });
    const initial = await c.next();
    expect(initial.channel).toBe('BTC-PERP@depth');

    sims.step();
    const pushes = [await c.next(), await c.next()];
    const depth = pushes.find((m) => m.channel === 'BTC-PERP@depth');
    const tickers = pushes.find((m) => m.channel === 'tickers');
    expect(depth.data.bids.length).toBe(20);
    expect(depth.data.bids[0][0]).toMatch(PAIR);
    expect(tickers.data.length).toBe(3);

    const rest = (await getJson(`${sims.vest.restUrl}/depth?symbol=BTC-PERP&limit=20`, HEADERS)).body;
    expect(depth.data).toEqual(rest);
  });

  it('answers PING with PONG and rejects an unknown channel', async () => {
    const c = await connect();
    c.send({ method: 'PING', params: [], id: 0 });
    expect(await c.next()).toEqual({ data: 'PONG' });
    c.send({ method: 'SUBSCRIBE', params: ['NOPE-PERP@depth'], id: 3 });
    const err = await c.next();
    expect(err.id).toBe(3);
    expect(err.error).toBeDefined();
  });
});

describe('vest simulator faults', () => {
  it('garbage, a lost push, a stall and dropped sockets are observable', async () => {
    const c = await connect();
    c.send({ method: 'SUBSCRIBE', params: ['BTC-PERP@depth'], id: 1 });
    await c.next();
    await c.next();

    sims.faults.sendGarbage('vest');
    const raw = await c.nextRaw();
    expect(() => JSON.parse(raw)).toThrow();
    const typed = await c.next();
    expect(typeof typed.data.bids[0][0]).toBe('number');
    expect(Array.isArray(typed.data.asks)).toBe(false);

    sims.faults.skipSequence('vest', 'BTC-PERP');
    sims.step();
    expect(await c.silentFor(100)).toBe(true);

    sims.faults.stall('vest', 300);
    sims.step();
    c.send({ method: 'PING', params: [], id: 0 });
    expect(await c.silentFor(200)).toBe(true);
    expect((await c.next(1000)).channel).toBe('BTC-PERP@depth');
    expect(await c.next(1000)).toEqual({ data: 'PONG' });

    sims.faults.dropSockets('vest');
    expect((await c.closed).code).toBe(1006);
  });
});
