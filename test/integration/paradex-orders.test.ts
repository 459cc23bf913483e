/**
 * Paradex order state end to end: the real executor (placeOrder / verifyOrder) drives the real
 * Paradex gateway against the Paradex simulator, which answers order lookups as the venue
 * documents them (by client id: OPEN orders only; closed orders in orders-history; fills without
 * an order filter) and enforces its rate limits. Each test fails against the gateway that asked
 * GET /orders/by_client_id alone: an IOC that filled at once was a 404 there, and after the
 * not-found grace the executor journaled a real position as "not placed".
 */
import { Decimal } from 'decimal.js';
import { ec } from 'starknet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../engine/exchange/connector.ts';
import type { OrderLocator, OrderRequest } from '../../engine/exchange/orders.ts';
import { ExecutionConfigSchema, type ExecutionConfig } from '../../engine/execution/config.ts';
import { placeOrder, verifyOrder, type CommandDeps } from '../../engine/execution/order-command.ts';
import { monotonicNow, VenueWait } from '../../engine/execution/venue-wait.ts';
import { Journal } from '../../engine/journal/journal.ts';
import { TradeJournal } from '../../engine/journal/trade-journal.ts';
import { parseParadexOptions } from '../../plugins/exchanges/paradex/config.ts';
import { ParadexOrderGateway } from '../../plugins/exchanges/paradex/orders.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { setBook } from '../simulators/private/helpers.ts';

const ACCOUNT = '0x129c135ed63df9353885e292be4426b8ed6122b13c6c0e1bb787288a1f5adfa';
const KEY = '0x3c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc';
const BTC = 'BTC-USD-PERP';

const secrets: SecretSource = {
  read(ref: SecretRef) {
    if ('env' in ref && ref.env === 'PDX_IT_KEY') return KEY;
    throw new Error('no such secret');
  },
};

let sims: VenueSimulators;
let seq = 0;
const gateways: ParadexOrderGateway[] = [];

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 11, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  const trading = sims.trading.paradex;
  trading.registerAccount(ACCOUNT, ec.starkCurve.getStarkKey(KEY));
  trading.engine.fund(trading.accountId(ACCOUNT), '1000000');
});
afterEach(async () => {
  sims.trading.paradex.setRateLimits();
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});
afterAll(async () => {
  await sims.stop();
});

function gateway(stream: boolean): ParadexOrderGateway {
  const options = parseParadexOptions({
    restUrl: sims.paradex.restUrl,
    wsUrl: sims.paradex.wsUrl,
    requestTimeoutMs: 5_000,
    privateStream: stream,
    credentials: { account: ACCOUNT, privateKey: { env: 'PDX_IT_KEY' } },
  });
  const gw = new ParadexOrderGateway(options, { clock: systemClock, logger: silentLogger, secrets });
  gateways.push(gw);
  return gw;
}

/** Counts report() calls: "within one poll" is one call. */
function countReports(gw: ParadexOrderGateway): { calls: number } {
  const counter = { calls: 0 };
  const report = gw.report.bind(gw);
  gw.report = (l: OrderLocator) => {
    counter.calls += 1;
    return report(l);
  };
  return counter;
}

function deps(config: Partial<ExecutionConfig> = {}): CommandDeps & { trades: TradeJournal } {
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  const trades = new TradeJournal(journal.db);
  trades.openTrade({
    id: 't-1', intentId: 'i-1', instrument: 'BTC', buy: { venue: 'paradex', symbol: BTC }, sell: { venue: 'vest', symbol: 'BTC-PERP' },
    size: new Decimal(1), firstLeg: 'buy', expectedNet: new Decimal(0), detectedAt: 0, judgedAt: 0, startedAt: 0,
  });
  const parsed = ExecutionConfigSchema.parse({ ackTimeoutMs: 3_000, reconcileTimeoutMs: 3_000, pollIntervalMs: 20, maxPollIntervalMs: 200, notFoundGraceMs: 300, ...config });
  return { journal: trades, trades, clock: systemClock, monotonic: monotonicNow, config: parsed, logger: silentLogger };
}

function ioc(over: Partial<OrderRequest> = {}): OrderRequest {
  seq += 1;
  return { venue: 'paradex', symbol: BTC, side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: `it-${seq}-${Date.now()}`, ...over };
}

/** 0.1 @ 65000 + 0.1 @ 65002: a 0.2 IOC buy fills at once over two levels. */
function twoLevelBook(): void {
  setBook(sims.market('paradex', 'BTC'), [['64990', '5']], [['65000', '0.1'], ['65002', '0.3'], ['65010', '5']]);
}

const lookups = (since: number) => ({
  byClientId: sims.trading.paradex.requestsTo('GET', /^\/v1\/orders\/by_client_id\//, since).length,
  history: sims.trading.paradex.requestsTo('GET', '/v1/orders-history', since).length,
  fills: sims.trading.paradex.requestsTo('GET', '/v1/fills', since).length,
});

describe('paradex orders through the executor, against the simulator', () => {
  it('an IOC that fills at once is confirmed filled with its fills in one poll (orders-history + fills, no by_client_id)', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const reports = countReports(gw);
    const d = deps();
    const signed = await gw.sign(ioc());
    const since = Date.now();
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills.map((f) => [f.price.toFixed(), f.size.toFixed(), f.liquidity]).sort()).toEqual([
      ['65000', '0.1', 'taker'],
      ['65002', '0.1', 'taker'],
    ]);
    expect(placed.averagePrice?.toFixed()).toBe('65001');
    expect(reports.calls).toBe(1);
    expect(lookups(since)).toEqual({ byClientId: 0, history: 1, fills: 1 });
    const row = d.trades.ordersOf('t-1').find((o) => o.client_id === signed.request.clientId)!;
    expect(row.outcome).toBe('confirmed');
    expect(sims.trading.paradex.engine.position(sims.trading.paradex.accountId(ACCOUNT), BTC).sizeUnits).toBeGreaterThan(0);
  });

  it('a cancelled order reads as cancelled, and verifies as confirmed with nothing filled', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const req = ioc({ timeInForce: 'GTC', price: new Decimal('60000'), size: new Decimal('0.1') });
    const signed = await gw.sign(req);
    await gw.send(signed);
    const locator = { symbol: BTC, clientId: req.clientId, venueRef: signed.venueRef! };
    expect((await gw.report(locator)).state.status).toBe('open');
    await gw.cancel(locator);
    const { state, fills } = await gw.report(locator);
    expect(state).toMatchObject({ status: 'cancelled', rejectReason: 'USER_CANCELED' });
    expect(state.filledSize.toFixed()).toBe('0');
    expect(fills).toEqual([]);
    const verified = await verifyOrder(deps(), gw, 't-1', req, { sentAt: Date.now() - 1_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0');
  });

  it('a 429 burst on the private GETs during verification ends confirmed, not unresolved: the hold is outside the deadline', async () => {
    twoLevelBook();
    const gw = gateway(false);
    // Deadline 600 ms; the venue allows one private GET a second, so the fills read after the
    // history read is refused with Retry-After 1 s, longer than the whole deadline.
    const d = deps({ reconcileTimeoutMs: 600 });
    const signed = await gw.sign(ioc());
    sims.trading.paradex.setRateLimits({ privateGetPerSecond: { limit: 1, windowMs: 1_000 } });
    const since = Date.now();
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills).toHaveLength(2);
    expect(sims.trading.paradex.rateLimits.refused.get('private GET per account per second')).toBeGreaterThanOrEqual(1);
    expect(gw.pacing.rateLimitedAnswers).toBeGreaterThanOrEqual(1);
    // The closed order was read once: the poll after the hold only asked for the fills.
    expect(lookups(since).history).toBe(1);
  });

  it('the stream pushes the fill: report() answers from it, the venue sees no order or fills request', async () => {
    twoLevelBook();
    const gw = gateway(true);
    gw.startStream();
    expect(await gw.stream!.whenLive(5_000)).toBe(true);
    const reports = countReports(gw);
    const signed = await gw.sign(ioc());
    const since = Date.now();
    const placed = await placeOrder(deps(), gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills.map((f) => f.size.toFixed())).toEqual(['0.1', '0.1']);
    expect(placed.fills.every((f) => f.clientId === signed.request.clientId && f.venueOrderId !== undefined)).toBe(true);
    expect(reports.calls).toBe(1);
    expect(gw.pushed.hits).toBe(1);
    expect(lookups(since)).toEqual({ byClientId: 0, history: 0, fills: 0 });
  });

  it('after a restart (new gateway, empty memory) the journaled venueRef finds the filled order and its fills', async () => {
    twoLevelBook();
    const before = gateway(false);
    const req = ioc();
    const signed = await before.sign(req);
    await before.send(signed);
    await before.stop();
    const restarted = gateway(false);
    const since = Date.now();
    const verified = await verifyOrder(deps(), restarted, 't-1', req, { sentAt: Date.now() - 5_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0.2');
    expect(verified.fills).toHaveLength(2);
    expect(lookups(since)).toEqual({ byClientId: 0, history: 1, fills: 1 });
  });
});
