/**
 * Lighter order state end to end: the real executor (placeOrder / verifyOrder) drives the real
 * Lighter gateway against the Lighter simulator, which answers lookups as Lighter documents them
 * (accountActiveOrders: open orders only; accountOrders by client order index: any status; trades
 * by order_index; tx by hash), holds taker orders for the Standard account's 300 ms speed bump and
 * enforces the published rate limits (60 requests a rolling minute, then the IP blocked).
 *
 * Against the gateway that looked in accountActiveOrders and one page of accountInactiveOrders,
 * matched fills among the 100 newest trades and never asked for the tx: a filled IOC was found
 * only while it was among the newest closed orders, a restarted gateway had no tx hash, and a
 * failed tx read as "not found" until the grace ran out (then "not placed" only by luck of timing).
 *
 * The REST cases run with the account stream off (privateStream: false), so that they prove the
 * REST path; the stream cases turn it on and count the REST lookups it saves.
 */
import { Decimal } from 'decimal.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../engine/exchange/connector.ts';
import type { OrderRequest } from '../../engine/exchange/orders.ts';
import { ExecutionConfigSchema, type ExecutionConfig } from '../../engine/execution/config.ts';
import { placeOrder, verifyOrder, type CommandDeps } from '../../engine/execution/order-command.ts';
import { monotonicNow, VenueWait } from '../../engine/execution/venue-wait.ts';
import { Journal } from '../../engine/journal/journal.ts';
import { TradeJournal } from '../../engine/journal/trade-journal.ts';
import { parseLighterOptions } from '../../plugins/exchanges/lighter/config.ts';
import { LighterOrderGateway } from '../../plugins/exchanges/lighter/orders.ts';
import { loadLighterSigner } from '../../plugins/exchanges/lighter/signer.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { LIGHTER_STANDARD_TAKER_DELAY_MS } from '../../simulators/lighter/private.ts';
import { setBook } from '../simulators/private/helpers.ts';

const ACCOUNT = 31;
const KEY_INDEX = 3;
let apiKey: string;
const secrets: SecretSource = {
  read(ref: SecretRef) {
    if ('env' in ref && ref.env === 'LIGHTER_IT_KEY') return apiKey;
    throw new Error('no such secret');
  },
};

let sims: VenueSimulators;
let market: string;
let seq = 0;

beforeAll(async () => {
  apiKey = (await loadLighterSigner()).generateApiKey().privateKey;
  sims = await startVenueSimulators({ seed: 12, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  const trading = sims.trading.lighter;
  trading.createAccount(ACCOUNT, { apiKeys: [KEY_INDEX], collateral: '1000000' });
  market = String(sims.market('lighter', 'BTC').instrument.marketId);
});
afterEach(() => {
  sims.trading.lighter.setRateLimits();
  sims.trading.lighter.setSpeedBump(0);
  sims.trading.lighter.setIndexDelay(0);
  sims.trading.lighter.checkAuthTokens(false);
});
const gateways: LighterOrderGateway[] = [];
afterEach(async () => {
  for (const gw of gateways.splice(0)) await gw.stop();
});
afterAll(async () => {
  await sims.stop();
});

function gateway(over: Record<string, unknown> = {}): LighterOrderGateway {
  const options = parseLighterOptions({
    restUrl: sims.lighter.restUrl,
    wsUrl: sims.lighter.wsUrl,
    requestTimeoutMs: 5_000,
    credentials: { apiPrivateKey: { env: 'LIGHTER_IT_KEY' }, accountIndex: ACCOUNT, apiKeyIndex: KEY_INDEX },
    privateStream: false,
    ...over,
  });
  const gw = new LighterOrderGateway(options, { clock: systemClock, logger: silentLogger, secrets });
  gateways.push(gw);
  return gw;
}

function deps(config: Partial<ExecutionConfig> = {}): CommandDeps & { trades: TradeJournal } {
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  const trades = new TradeJournal(journal.db);
  trades.openTrade({
    id: 't-1', instrument: 'BTC', intentId: 'i-1', buy: { venue: 'lighter', symbol: market }, sell: { venue: 'paradex', symbol: 'BTC-USD-PERP' },
    size: new Decimal(1), firstLeg: 'buy', expectedNet: new Decimal(0), detectedAt: 0, judgedAt: 0, startedAt: 0,
  });
  const parsed = ExecutionConfigSchema.parse({ ackTimeoutMs: 3_000, reconcileTimeoutMs: 3_000, pollIntervalMs: 20, maxPollIntervalMs: 200, notFoundGraceMs: 300, ...config });
  return { journal: trades, trades, clock: systemClock, monotonic: monotonicNow, config: parsed, logger: silentLogger };
}

function ioc(over: Partial<OrderRequest> = {}): OrderRequest {
  seq += 1;
  return { venue: 'lighter', symbol: market, side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: `${Date.now() % 1_000_000}${seq}`, ...over };
}

/** 0.1 @ 65000 + 0.1 @ 65002: a 0.2 IOC buy fills over two levels. */
function twoLevelBook(): void {
  setBook(sims.market('lighter', 'BTC'), [['64990', '5']], [['65000', '0.1'], ['65002', '0.3'], ['65010', '5']]);
}

const lookups = (since: number) => ({
  active: sims.trading.lighter.requestsTo('GET', '/api/v1/accountActiveOrders', since).length,
  inactive: sims.trading.lighter.requestsTo('GET', '/api/v1/accountInactiveOrders', since).length,
  byClientIndex: sims.trading.lighter.requestsTo('GET', '/api/v1/accountOrders', since).length,
  trades: sims.trading.lighter.requestsTo('GET', '/api/v1/trades', since).length,
});

describe('lighter orders through the executor, against the simulator', () => {
  it('an IOC held by the 300 ms speed bump is confirmed filled with its fills (accountOrders + trades by order_index)', async () => {
    twoLevelBook();
    sims.trading.lighter.setSpeedBump(LIGHTER_STANDARD_TAKER_DELAY_MS);
    const gw = gateway();
    const d = deps();
    const signed = await gw.sign(ioc());
    expect(signed.venueRef).toMatchObject({ txHash: expect.any(String), clientOrderIndex: Number(signed.request.clientId) });
    expect(signed.executableUntil).toBeGreaterThan(Date.now());
    const since = Date.now();
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills.map((f) => [f.price.toFixed(), f.size.toFixed(), f.liquidity]).sort()).toEqual([
      ['65000', '0.1', 'taker'],
      ['65002', '0.1', 'taker'],
    ]);
    // The fill came after the speed bump, not inside the sendTx answer.
    expect(placed.times.verifiedAt! - since).toBeGreaterThanOrEqual(LIGHTER_STANDARD_TAKER_DELAY_MS - 20);
    const l = lookups(since);
    expect(l).toMatchObject({ active: 0, inactive: 0, trades: 1 });
    expect(l.byClientIndex).toBeGreaterThanOrEqual(1);
  });

  it('with the account stream on, a filled IOC held by the speed bump is confirmed with its fills and zero REST order lookups', async () => {
    twoLevelBook();
    sims.trading.lighter.setSpeedBump(LIGHTER_STANDARD_TAKER_DELAY_MS);
    sims.trading.lighter.checkAuthTokens(true);
    const gw = gateway({ privateStream: true });
    gw.startStream();
    expect(await gw.stream!.whenLive(2_000)).toBe(true);
    const since = Date.now();
    const placed = await placeOrder(deps(), gw, 't-1', 'leg1', await gw.sign(ioc()), new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills.map((f) => [f.price.toFixed(), f.size.toFixed(), f.liquidity]).sort()).toEqual([
      ['65000', '0.1', 'taker'],
      ['65002', '0.1', 'taker'],
    ]);
    expect(placed.fills.every((f) => f.clientId === placed.request.clientId)).toBe(true);
    // Not one accountOrders, trades or tx request: the pushes held the order's end.
    expect(lookups(since)).toEqual({ active: 0, inactive: 0, byClientIndex: 0, trades: 0 });
    expect(sims.trading.lighter.requestsTo('GET', '/api/v1/tx', since)).toHaveLength(0);
    expect(gw.pushed.hits).toBeGreaterThanOrEqual(1);
    expect(sims.trading.lighter.refusedAuth).toBe(0);
  });

  it('with the account stream on, a report of a pushed order costs no request where a REST-only gateway pays accountOrders + trades', async () => {
    twoLevelBook();
    const gw = gateway({ privateStream: true });
    gw.startStream();
    expect(await gw.stream!.whenLive(2_000)).toBe(true);
    const req = ioc();
    const signed = await gw.sign(req);
    await gw.send(signed);
    const key = String(signed.venueRef!['clientOrderIndex']);
    for (let i = 0; i < 100 && !gw.pushed.complete(key); i++) await new Promise((r) => setTimeout(r, 10));
    const since = Date.now();
    // The REST-only gateway needs both requests (900 of 24,000 weighted); the streaming one answers from pushes alone.
    const rest = await gateway().report({ symbol: req.symbol, clientId: req.clientId, venueRef: signed.venueRef! });
    expect(lookups(since)).toMatchObject({ byClientIndex: 1, trades: 1 });
    const streamed = await gw.report({ symbol: req.symbol, clientId: req.clientId, venueRef: signed.venueRef! });
    expect(streamed.state.status).toBe('filled');
    expect(streamed.fills.map((f) => f.fillId).sort()).toEqual(rest.fills.map((f) => f.fillId).sort());
    expect(lookups(since)).toMatchObject({ byClientIndex: 1, trades: 1 });
  });

  it('a 429 storm during verification ends confirmed, not unresolved; the IP block is waited out outside the deadline', async () => {
    twoLevelBook();
    // Deadline 600 ms; the venue allows 2 requests a second, then blocks the IP for 300 ms. After
    // the 429 the gateway's buckets are empty and refill at the Standard rate (a poll's weight in
    // about 3 s): all of it is waited in pacing.ready, outside the deadline.
    const gw = gateway({ rateLimitBackOffMs: 300 });
    const d = deps({ reconcileTimeoutMs: 600 });
    const signed = await gw.sign(ioc());
    sims.trading.lighter.setRateLimits({ weightPerWindow: 800, windowMs: 1_000, blockMs: 300 });
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills).toHaveLength(2);
    expect(sims.trading.lighter.rateLimits.refused.get('standard requests per IP')).toBeGreaterThanOrEqual(1);
    expect(gw.pacing.rateLimitedAnswers).toBeGreaterThanOrEqual(1);
    const row = d.trades.ordersOf('t-1').find((o) => o.client_id === signed.request.clientId)!;
    expect(row.outcome).toBe('confirmed');
    // The final order was read once: the polls after the hold asked only for the fills.
    expect(gw.requestCounts.get('GET /accountOrders')).toBe(1);
  });

  it('after a restart (new gateway, empty memory) the journaled venueRef finds the filled order and its fills', async () => {
    twoLevelBook();
    const before = gateway();
    const req = ioc();
    const signed = await before.sign(req);
    await before.send(signed);
    const restarted = gateway();
    const verified = await verifyOrder(deps(), restarted, 't-1', req, { sentAt: Date.now() - 5_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0.2');
    expect(verified.fills).toHaveLength(2);
  });

  it('a tx the venue records as failed reads as definitively not placed, without waiting for the grace or ExpiredAt', async () => {
    twoLevelBook();
    const gw = gateway();
    const signed = await gw.sign(ioc());
    sims.trading.lighter.failNextTx();
    // A grace far longer than the test: only the venue's own "failed" can end it.
    const placed = await placeOrder(deps({ notFoundGraceMs: 60_000 }), gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect([placed.outcome, placed.reason]).toEqual(['not-placed', expect.any(String)]);
    expect(placed.reason).toMatch(/failed/);
    expect(sims.trading.lighter.requestsTo('GET', '/api/v1/tx').length).toBeGreaterThanOrEqual(1);
  });

  it('a just-sent tx not yet indexed is not believed missing: the order is confirmed once the venue shows it', async () => {
    twoLevelBook();
    sims.trading.lighter.setIndexDelay(400);
    const gw = gateway();
    const signed = await gw.sign(ioc());
    const placed = await placeOrder(deps({ notFoundGraceMs: 1 }), gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(gw.notFoundGraceMs).toBe(10_000);
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
  });
});
