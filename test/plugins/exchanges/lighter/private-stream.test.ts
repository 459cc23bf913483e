/**
 * Lighter account stream: against a loopback socket speaking the documented shapes
 * (apidocs.lighter.xyz/docs/websocket-reference: subscribe with `auth`, `account_all_orders:{id}`
 * and `account_all_trades:{id}` frames, orders and trades keyed by market index; the captured
 * frames in test/fixtures/venues/lighter/private-ws/), and against the Lighter simulator, which
 * checks real CreateAuthToken tokens for deadline, account and key.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { Decimal } from 'decimal.js';
import { parseLighterOptions } from '../../../../plugins/exchanges/lighter/config.ts';
import { LighterOrderGateway } from '../../../../plugins/exchanges/lighter/orders.ts';
import { LighterPrivateStream, type LighterStreamToken } from '../../../../plugins/exchanges/lighter/private-stream.ts';
import { loadLighterSigner } from '../../../../plugins/exchanges/lighter/signer.ts';
import { decodeLighterPrivateFrame } from '../../../../plugins/exchanges/lighter/stream-codec.ts';
import { PushedOrders } from '../../../../plugins/exchanges/shared/pushed-orders.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { setBook } from '../../../simulators/private/helpers.ts';
import { startTestVenue, type TestVenue } from '../shared/ws-server.ts';

const CONNECTION = { reconnect: { minMs: 20, maxMs: 50 }, connectTimeoutMs: 2_000, stallTimeoutMs: 5_000, heartbeatIntervalMs: 1_000 };
const ACCOUNT = 1234;
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/venues/lighter/private-ws/${name}`, import.meta.url), 'utf8');

const order = (over: Record<string, unknown> = {}) => ({
  order_index: 281476929510110, client_order_index: 42, order_id: '281476929510110', client_order_id: '42', market_index: 0,
  owner_account_index: ACCOUNT, initial_base_amount: '0.2000', price: '65005.0', remaining_base_amount: '0.0000', is_ask: false,
  filled_base_amount: '0.2000', filled_quote_amount: '13000.200000', side: 'buy', type: 'limit', time_in_force: 'immediate-or-cancel',
  status: 'filled', timestamp: 1_777_941_383_576, ...over,
});
const trade = (id: number, size: string, price: string, over: Record<string, unknown> = {}) => ({
  trade_id: id, tx_hash: '00ab', type: 'trade', market_id: 0, size, price, usd_amount: '0', ask_id: 99, bid_id: 281476929510110,
  ask_client_id: 0, bid_client_id: 42, ask_account_id: 91249, bid_account_id: ACCOUNT, is_maker_ask: true, block_height: 1,
  timestamp: 1_777_941_384_181, taker_fee: 196, ...over,
});
const ordersFrame = (orders: unknown[], type = 'update/account_all_orders') => JSON.stringify({ channel: `account_all_orders:${ACCOUNT}`, orders: { '0': orders }, type });
const tradesFrame = (trades: unknown[], type = 'update/account_all_trades') => JSON.stringify({ channel: `account_all_trades:${ACCOUNT}`, trades: { '0': trades }, type });

describe('lighter private frames (stream-codec)', () => {
  it('reads the captured account_orders and account_all_trades frames', () => {
    const orders = decodeLighterPrivateFrame(fixture('account-orders-update-nautilus.json'), 1234);
    expect(orders).toMatchObject({ kind: 'orders', channel: 'account_orders:0:1234', subscribed: false });
    if (orders.kind !== 'orders') throw new Error('orders');
    expect(orders.views[0]).toMatchObject({ orderIndex: 281476929510110, clientOrderIndex: 42, marketIndex: 0 });
    expect(orders.views[0]!.state).toMatchObject({ clientId: '42', status: 'partially_filled', venueOrderId: '281476929510110' });
    expect(orders.views[0]!.state.filledSize.toFixed()).toBe('0.002');

    const trades = decodeLighterPrivateFrame(fixture('account-all-trades-update-nautilus.json'), 1234);
    if (trades.kind !== 'trades') throw new Error('trades');
    // Account 1234 is the bid (the taker: the ask was the maker).
    expect(trades.fills).toHaveLength(1);
    expect(trades.fills[0]).toMatchObject({ orderIndex: 562947905631053, clientOrderIndex: 7001011966 });
    expect(trades.fills[0]!.fill).toMatchObject({ side: 'buy', liquidity: 'taker', fillId: '19209006902', symbol: '0' });
    expect(trades.fills[0]!.fill.fee.toFixed()).toBe(new Decimal('0.1336').times('2352.73').times(196).div(1e6).toFixed());

    // ccxt's capture (account 723310 on neither side here): no fill is ours.
    const other = decodeLighterPrivateFrame(fixture('account-all-trades-ccxt.json'), 723310);
    expect(other).toMatchObject({ kind: 'trades', fills: [] });
  });

  it('names the field of a malformed push', () => {
    expect(() => decodeLighterPrivateFrame(ordersFrame([order({ filled_base_amount: 0.2 })]), ACCOUNT)).toThrow(/orders\.0\[0\]\.filled_base_amount/);
    expect(() => decodeLighterPrivateFrame(tradesFrame([trade(1, '0.1', '65000', { bid_id: 'x' })]), ACCOUNT)).toThrow(/trades\.0\[0\]\.bid_id/);
    expect(() => decodeLighterPrivateFrame('not json', ACCOUNT)).toThrow();
  });
});

describe('lighter private stream against a loopback socket', () => {
  let venue: TestVenue;
  let stream: LighterPrivateStream | undefined;
  let pushed: PushedOrders;
  let minted: string[];

  /** Acknowledges each subscription with an empty `subscribed/` frame, refusing tokens in `refuse`. */
  function behave(refuse: Set<string> = new Set()): void {
    venue.onConnection((ws: WebSocket) => ws.send(JSON.stringify({ session_id: 's', type: 'connected' })));
    venue.onFrame((ws: WebSocket, text: string) => {
      const m = JSON.parse(text) as { type: string; channel: string; auth?: string };
      if (m.type !== 'subscribe') return;
      if (!m.auth || refuse.has(m.auth)) return ws.send(JSON.stringify({ error: { code: 30010, message: 'invalid auth' } }));
      const kind = m.channel.split('/')[0];
      ws.send(JSON.stringify({ channel: m.channel.replace('/', ':'), [kind === 'account_all_orders' ? 'orders' : 'trades']: {}, type: `subscribed/${kind}` }));
    });
  }

  function start(token: () => LighterStreamToken = () => ({ value: `tok-${minted.length + 1}`, renewAt: Date.now() + 60_000 })): LighterPrivateStream {
    stream = new LighterPrivateStream({
      url: venue.url,
      connection: CONNECTION,
      accountIndex: ACCOUNT,
      token: async () => {
        const t = token();
        minted.push(t.value);
        return t;
      },
      pushed,
      logger: silentLogger,
      random: () => 0.5,
    });
    stream.start();
    return stream;
  }

  const subscribes = (i: number) => venue.received[i]!.map((t) => JSON.parse(t) as Record<string, unknown>).filter((m) => m['type'] === 'subscribe');

  beforeEach(async () => {
    venue = await startTestVenue('/stream');
    pushed = new PushedOrders();
    minted = [];
  });
  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
    await venue.close();
  });

  it('subscribes both account channels with the auth token, and turns pushes into a complete report', async () => {
    behave();
    const s = start();
    expect(await s.whenLive(2_000)).toBe(true);
    expect(subscribes(0)).toEqual([
      { type: 'subscribe', channel: `account_all_orders/${ACCOUNT}`, auth: 'tok-1' },
      { type: 'subscribe', channel: `account_all_trades/${ACCOUNT}`, auth: 'tok-1' },
    ]);
    const ws = venue.sockets[0]!;
    // A trade without our client index arrives before its order: it waits for the order's push.
    ws.send(tradesFrame([trade(1, '0.1', '65000', { bid_client_id: 0 })]));
    ws.send(ordersFrame([order({ status: 'open', filled_base_amount: '0.1000', filled_quote_amount: '6500.000000' })]));
    ws.send(tradesFrame([trade(2, '0.1', '65002')]));
    ws.send(ordersFrame([order({ filled_quote_amount: '13000.200000' })]));
    await venue.waitFor(() => pushed.complete('42') !== undefined, 2_000);
    const report = pushed.complete('42')!;
    expect(report.state).toMatchObject({ clientId: '42', status: 'filled', venueOrderId: '281476929510110' });
    expect(report.fills.map((f) => [f.fillId, f.clientId, f.size.toFixed(), f.liquidity])).toEqual([
      ['1', '42', '0.1', 'taker'],
      ['2', '42', '0.1', 'taker'],
    ]);
    // Another account's trade and an order with no client index are not ours.
    ws.send(tradesFrame([trade(3, '1', '1', { bid_account_id: 7 })]));
    ws.send(ordersFrame([order({ client_order_index: 0, order_index: 5 })]));
    await new Promise((r) => setTimeout(r, 30));
    expect(pushed.fillsOf('42')).toHaveLength(2);
  });

  it('counts and skips malformed frames without dropping the socket', async () => {
    behave();
    const s = start();
    await s.whenLive(2_000);
    const ws = venue.sockets[0]!;
    ws.send('not json');
    ws.send(ordersFrame([order({ filled_base_amount: 0.2 })]));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(ordersFrame([order()]));
    await venue.waitFor(() => s.pushes >= 1, 2_000);
    expect(s.malformedFrames).toBe(3);
    expect(s.connections).toBe(1);
    expect(s.live).toBe(true);
  });

  it('answers the venue\'s ping and pings it (Lighter drops silent sockets)', async () => {
    behave();
    const s = start();
    await s.whenLive(2_000);
    venue.sockets[0]!.send(JSON.stringify({ type: 'ping' }));
    await venue.waitFor(() => venue.received[0]!.includes('{"type":"pong"}'), 2_000);
  });

  it('a refused subscription reconnects and subscribes with a freshly minted token', async () => {
    behave(new Set(['tok-1']));
    const s = start();
    expect(await s.whenLive(3_000)).toBe(true);
    expect(s.refusedSubscriptions).toBeGreaterThanOrEqual(1);
    expect(venue.sockets.length).toBeGreaterThanOrEqual(2);
    expect(subscribes(venue.sockets.length - 1).map((m) => m['auth'])).toEqual(['tok-2', 'tok-2']);
  });

  it('renews the auth token before its deadline: reconnects and subscribes again with a new one', async () => {
    behave();
    // renewAt floors at 250 ms: the first token is due for renewal right away.
    const s = start(() => ({ value: `tok-${minted.length + 1}`, renewAt: minted.length === 0 ? Date.now() : Date.now() + 60_000 }));
    await s.whenLive(2_000);
    await venue.waitFor(() => venue.sockets.length >= 2 && subscribes(1).length === 2, 3_000);
    expect(subscribes(1).map((m) => m['auth'])).toEqual(['tok-2', 'tok-2']);
    expect(await s.whenLive(2_000)).toBe(true);
  });

  it('re-authenticates on every reconnect and keeps pushing', async () => {
    behave();
    const s = start();
    await s.whenLive(2_000);
    venue.sockets[0]!.terminate();
    await venue.waitFor(() => venue.sockets.length >= 2 && subscribes(1).length === 2, 3_000);
    expect(subscribes(1).map((m) => m['auth'])).toEqual(['tok-2', 'tok-2']);
    await s.whenLive(2_000);
    venue.sockets[1]!.send(ordersFrame([order()]));
    venue.sockets[1]!.send(tradesFrame([trade(1, '0.1', '65000'), trade(2, '0.1', '65002')]));
    await venue.waitFor(() => pushed.complete('42') !== undefined, 2_000);
  });
});

describe('lighter private stream against the simulator (real auth tokens)', () => {
  const KEY_INDEX = 3;
  const SIM_ACCOUNT = 41;
  let sims: VenueSimulators;
  let apiKey: string;
  let gw: LighterOrderGateway | undefined;
  const secrets: SecretSource = {
    read(ref: SecretRef) {
      if ('env' in ref && ref.env === 'LIGHTER_PS_KEY') return apiKey;
      throw new Error('no such secret');
    },
  };

  beforeAll(async () => {
    apiKey = (await loadLighterSigner()).generateApiKey().privateKey;
    sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
    sims.trading.lighter.createAccount(SIM_ACCOUNT, { apiKeys: [KEY_INDEX], collateral: '1000000' });
    sims.trading.lighter.checkAuthTokens(true);
  });
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });
  afterAll(async () => {
    await sims.stop();
  });

  function gateway(accountIndex = SIM_ACCOUNT): LighterOrderGateway {
    const options = parseLighterOptions({
      restUrl: sims.lighter.restUrl,
      wsUrl: sims.lighter.wsUrl,
      reconnect: { minMs: 20, maxMs: 50 },
      credentials: { apiPrivateKey: { env: 'LIGHTER_PS_KEY' }, accountIndex, apiKeyIndex: KEY_INDEX },
    });
    gw = new LighterOrderGateway(options, { clock: systemClock, logger: silentLogger, secrets });
    return gw;
  }

  it('subscribes with a CreateAuthToken token the venue accepts, and a filled IOC arrives complete', async () => {
    const refusedBefore = sims.trading.lighter.refusedAuth;
    const g = gateway();
    g.startStream();
    expect(await g.stream!.whenLive(3_000)).toBe(true);
    expect(sims.trading.lighter.refusedAuth).toBe(refusedBefore);
    setBook(sims.market('lighter', 'BTC'), [['64990', '5']], [['65000', '0.1'], ['65002', '0.3']]);
    const market = String(sims.market('lighter', 'BTC').instrument.marketId);
    const signed = await g.sign({ venue: 'lighter', symbol: market, side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: '777001' });
    await g.send(signed);
    for (let i = 0; i < 200 && !g.pushed.complete('777001'); i++) await new Promise((r) => setTimeout(r, 5));
    const report = g.pushed.complete('777001')!;
    expect(report.state.status).toBe('filled');
    expect(report.fills.map((f) => f.size.toFixed())).toEqual(['0.1', '0.1']);
  });

  it('the simulator refuses a token for another account; the stream keeps retrying rather than going live', async () => {
    // The gateway signs for account 41 but subscribes to account 42's channels: the token's account differs.
    sims.trading.lighter.createAccount(SIM_ACCOUNT + 1, { apiKeys: [KEY_INDEX] });
    const g = gateway(SIM_ACCOUNT);
    const refusedBefore = sims.trading.lighter.refusedAuth;
    const wrong = new LighterPrivateStream({
      url: sims.lighter.wsUrl,
      connection: CONNECTION,
      accountIndex: SIM_ACCOUNT + 1,
      token: async () => ({ value: (await loadLighterSigner()).signerFor({ apiPrivateKey: apiKey, accountIndex: SIM_ACCOUNT, apiKeyIndex: KEY_INDEX, chainId: 304 }).authToken(Math.floor(Date.now() / 1000) + 600), renewAt: Date.now() + 60_000 }),
      pushed: g.pushed,
      logger: silentLogger,
    });
    wrong.start();
    try {
      expect(await wrong.whenLive(300)).toBe(false);
      expect(wrong.refusedSubscriptions).toBeGreaterThanOrEqual(1);
      expect(sims.trading.lighter.refusedAuth).toBeGreaterThan(refusedBefore);
    } finally {
      await wrong.stop();
    }
  });

  it('after the venue drops the socket the stream subscribes again with a new token and keeps pushing', async () => {
    const g = gateway();
    g.startStream();
    expect(await g.stream!.whenLive(3_000)).toBe(true);
    const used = g.stream!.tokensUsed;
    sims.trading.lighter.dropPrivateSockets();
    await new Promise((r) => setTimeout(r, 50));
    expect(await g.stream!.whenLive(3_000)).toBe(true);
    expect(g.stream!.tokensUsed).toBe(used + 1);
    expect(g.stream!.connections).toBe(2);
    setBook(sims.market('lighter', 'BTC'), [['64990', '5']], [['65000', '0.1'], ['65002', '0.3']]);
    const market = String(sims.market('lighter', 'BTC').instrument.marketId);
    const signed = await g.sign({ venue: 'lighter', symbol: market, side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: '777002' });
    await g.send(signed);
    for (let i = 0; i < 200 && !g.pushed.complete('777002'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(g.pushed.complete('777002')?.state.status).toBe('filled');
  });
});
