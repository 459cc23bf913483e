/**
 * Vest order state end to end: the real executor (placeOrder / verifyOrder) drives the real Vest
 * gateway against the Vest simulator, which answers GET /orders as the docs describe (any status
 * by nonce or id; fill fields null unless FILLED), pushes ORDER events on the listenKey account
 * stream, and refuses requests over its budgets with the docs' 429.
 */
import { Decimal } from 'decimal.js';
import { Wallet } from 'ethers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import type { SecretRef, SecretSource } from '../../engine/exchange/connector.ts';
import type { OrderLocator, OrderRequest } from '../../engine/exchange/orders.ts';
import { ExecutionConfigSchema, type ExecutionConfig } from '../../engine/execution/config.ts';
import { placeOrder, verifyOrder, type CommandDeps, type VenueHealthSink } from '../../engine/execution/order-command.ts';
import { monotonicNow, VenueWait } from '../../engine/execution/venue-wait.ts';
import { Journal } from '../../engine/journal/journal.ts';
import { TradeJournal } from '../../engine/journal/trade-journal.ts';
import { parseVestOptions } from '../../plugins/exchanges/vest/config.ts';
import { VestOrderGateway } from '../../plugins/exchanges/vest/orders.ts';
import { signVestRegistration } from '../../plugins/exchanges/vest/signer.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { VEST_VERIFYING_CONTRACT } from '../../simulators/vest/private.ts';
import { setBook } from '../simulators/private/helpers.ts';

const BTC = 'BTC-PERP';
const primary = Wallet.createRandom();
const signing = Wallet.createRandom();
const keys: Record<string, string> = { VEST_IT_SIGNING: signing.privateKey };
const secrets: SecretSource = {
  read(ref: SecretRef, field: string) {
    const v = 'env' in ref ? keys[ref.env] : undefined;
    if (!v) throw new Error(`secret ${field}: not set`);
    return v;
  },
};

let sims: VenueSimulators;
let seq = 0;
const gateways: VestOrderGateway[] = [];

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 13, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  const registration = signVestRegistration(primary.privateKey, signing.address, Date.now() + 86_400_000, VEST_VERIFYING_CONTRACT);
  const res = await fetch(`${sims.vest.restUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', xrestservermm: `restserver${sims.vest.accountGroup}` },
    body: JSON.stringify(registration),
  });
  keys['VEST_IT_API'] = ((await res.json()) as { apiKey: string }).apiKey;
  sims.trading.vest.engine.fund(sims.trading.vest.accountId(primary.address), '1000000');
});
afterEach(async () => {
  sims.trading.vest.setRateLimits();
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
});
afterAll(async () => {
  await sims.stop();
});

function gateway(stream: boolean): VestOrderGateway {
  const options = parseVestOptions({
    restUrl: sims.vest.restUrl,
    wsUrl: sims.vest.wsUrl.split('?')[0],
    accountGroup: sims.vest.accountGroup,
    requestTimeoutMs: 5_000,
    privateStream: stream,
    credentials: { signingKey: { env: 'VEST_IT_SIGNING' }, apiKey: { env: 'VEST_IT_API' } },
  });
  const gw = new VestOrderGateway(options, { clock: systemClock, logger: silentLogger, secrets });
  gateways.push(gw);
  return gw;
}

function countReports(gw: VestOrderGateway): { calls: number } {
  const counter = { calls: 0 };
  const report = gw.report.bind(gw);
  gw.report = (l: OrderLocator) => {
    counter.calls += 1;
    return report(l);
  };
  return counter;
}

interface HealthSpy extends VenueHealthSink {
  rejects: string[];
  timeouts: number;
}

function deps(config: Partial<ExecutionConfig> = {}): CommandDeps & { trades: TradeJournal; health: HealthSpy } {
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  const trades = new TradeJournal(journal.db);
  trades.openTrade({
    id: 't-1', intentId: 'i-1', instrument: 'BTC', buy: { venue: 'vest', symbol: BTC }, sell: { venue: 'paradex', symbol: 'BTC-USD-PERP' },
    size: new Decimal(1), firstLeg: 'buy', expectedNet: new Decimal(0), detectedAt: 0, judgedAt: 0, startedAt: 0,
  });
  const health: HealthSpy = {
    rejects: [],
    timeouts: 0,
    recordAck() {},
    recordReject(_venue, code) {
      health.rejects.push(code);
    },
    recordTimeout() {
      health.timeouts += 1;
    },
  };
  const parsed = ExecutionConfigSchema.parse({ ackTimeoutMs: 3_000, reconcileTimeoutMs: 3_000, pollIntervalMs: 20, maxPollIntervalMs: 200, notFoundGraceMs: 300, ...config });
  return { journal: trades, trades, clock: systemClock, monotonic: monotonicNow, config: parsed, logger: silentLogger, health };
}

function ioc(over: Partial<OrderRequest> = {}): OrderRequest {
  seq += 1;
  return { venue: 'vest', symbol: BTC, side: 'buy', type: 'limit', size: new Decimal('0.2'), price: new Decimal('65005'), timeInForce: 'IOC', clientId: `vit-${seq}-${Date.now()}`, ...over };
}

/** 0.1 @ 65000 + 0.3 @ 65002 inside the band, more at 65010 outside it. */
function twoLevelBook(): void {
  setBook(sims.market('vest', 'BTC'), [['64990.00', '5']], [['65000.00', '0.1'], ['65002.00', '0.3'], ['65010.00', '5']]);
}

const orderLookups = (since: number) => sims.trading.vest.requestsTo('GET', '/v2/orders', since);

describe('vest orders through the executor, against the simulator', () => {
  it('an IOC that fills at once is confirmed filled with its fill in one poll (one GET /orders by nonce)', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const reports = countReports(gw);
    const d = deps();
    const signed = await gw.sign(ioc());
    expect(signed.venueRef?.['nonce']).toBe((signed.wire as { order: { nonce: number } }).order.nonce);
    expect(signed.executableUntil).toBe(signed.signedAt + 5_000);
    const since = Date.now();
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(placed.fills.map((f) => [f.size.toFixed(), f.liquidity])).toEqual([['0.2', 'taker']]);
    expect(placed.averagePrice?.toFixed()).toBe('65001');
    expect(reports.calls).toBe(1);
    const lookups = orderLookups(since);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.query).toMatch(/^id=0x/); // the POST answered the id: the poll asks by it
  });

  it('a partly filled, then cancelled IOC is summed exactly from the account stream', async () => {
    twoLevelBook();
    const gw = gateway(true);
    gw.startStream();
    expect(await gw.stream!.whenLive(5_000)).toBe(true);
    const signed = await gw.sign(ioc({ size: new Decimal('0.5') }));
    const placed = await placeOrder(deps(), gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.4');
    expect(placed.fills.map((f) => [f.price.toFixed(), f.size.toFixed()])).toEqual([
      ['65000', '0.1'],
      ['65002', '0.3'],
    ]);
    expect(placed.averagePrice?.toFixed()).toBe('65001.5');
    const fees = placed.fills.reduce((s, f) => s.plus(f.fee), new Decimal(0));
    expect(fees.gt(0)).toBe(true);
  });

  it('without the stream, a partly filled cancelled IOC (REST shows fees, no size) is unresolved, never zero filled', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const signed = await gw.sign(ioc({ size: new Decimal('0.5') }));
    const placed = await placeOrder(deps({ reconcileTimeoutMs: 200 }), gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('unresolved');
    // The fill is then read from the venue position only when the move is this order's alone
    // (engine/execution/position-fill.ts); this account already holds earlier tests' fills.
    expect(placed.reason).toMatch(/fill size unknown; venue position .* is no buy of at most 0\.5/);
  });

  it('a 429 storm during verification ends confirmed, not unresolved, and does not bench the venue', async () => {
    twoLevelBook();
    const gw = gateway(false);
    // Deadline 600 ms; one /orders request a second: the GET after the POST is refused (no
    // Retry-After, as documented), the limiter holds 1 s, longer than the whole deadline.
    const d = deps({ reconcileTimeoutMs: 600 });
    const signed = await gw.sign(ioc());
    sims.trading.vest.setRateLimits({ orders: { limit: 1, windowMs: 1_000 } });
    const placed = await placeOrder(d, gw, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toFixed()).toBe('0.2');
    expect(sims.trading.vest.rateLimits.refused.get('orders per API key')).toBeGreaterThanOrEqual(1);
    expect(gw.pacing.rateLimitedAnswers).toBeGreaterThanOrEqual(1);
    expect(d.health.rejects).toEqual([]);
    expect(d.health.timeouts).toBe(0);
  });

  it('a Retry-After, if the venue sends one, sets the hold (the docs show none)', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const signed = await gw.sign(ioc());
    sims.trading.vest.setRateLimits({ orders: { limit: 1, windowMs: 3_000 }, retryAfter: true });
    await gw.send(signed);
    await expect(gw.report({ symbol: BTC, clientId: signed.request.clientId })).rejects.toThrow(/rate limited/);
    expect(gw.pacing.heldForMs()).toBeGreaterThan(2_000);
  });

  it('after a restart (new gateway, empty memory) the journaled venueRef finds the filled order by its nonce', async () => {
    twoLevelBook();
    const before = gateway(false);
    const req = ioc();
    const signed = await before.sign(req);
    await before.send(signed);
    const restarted = gateway(false);
    const since = Date.now();
    const verified = await verifyOrder(deps(), restarted, 't-1', req, { sentAt: Date.now() - 6_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0.2');
    const lookups = orderLookups(since);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.query).toContain(`nonce=${String(signed.venueRef!['nonce'])}`);
  });

  it('after a restart, an order re-signed on INVALID_NONCE is found by its signed fields', async () => {
    twoLevelBook();
    const before = gateway(false);
    const req = ioc();
    const signed = await before.sign(req);
    // Someone else used nonces meanwhile: the first send is refused for its nonce, re-signed, placed.
    sims.trading.vest.setNonceRule('increasing');
    await fetchNonceBump(signed.venueRef!['nonce'] as number);
    await before.send(signed);
    const restarted = gateway(false);
    const verified = await verifyOrder(deps(), restarted, 't-1', req, { sentAt: Date.now() - 6_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0.2');
  });

  it('a cancelled order reads as cancelled, and verifies as confirmed with nothing filled', async () => {
    twoLevelBook();
    const gw = gateway(false);
    const req = ioc({ timeInForce: 'GTC', price: new Decimal('60000'), size: new Decimal('0.1') });
    const signed = await gw.sign(req);
    const ack = await gw.send(signed);
    const locator = { symbol: BTC, clientId: req.clientId, venueRef: signed.venueRef! };
    expect((await gw.report(locator)).state.status).toBe('open');
    const open = await gw.openOrders();
    expect(open.find((o) => o.venueOrderId === ack.venueOrderId)).toMatchObject({ symbol: BTC, clientId: req.clientId });
    await gw.cancel(locator);
    const { state, fills } = await gw.report(locator);
    expect(state.status).toBe('cancelled');
    expect(state.filledSize.toFixed()).toBe('0');
    expect(fills).toEqual([]);
    const verified = await verifyOrder(deps(), gateway(false), 't-1', req, { sentAt: Date.now() - 6_000 }, new VenueWait(monotonicNow), { inFlight: false, venueRef: signed.venueRef! });
    expect(verified.outcome).toBe('confirmed');
    expect(verified.filled.toFixed()).toBe('0');
  });
});

/** Places an order signed elsewhere with a higher nonce, so the account's lastNonce passes `nonce`. */
async function fetchNonceBump(nonce: number): Promise<void> {
  const other = gateway(false);
  // A resting buy far below the market: it never fills, it only uses a nonce above ours.
  other.nonces.atLeast(nonce + 1_000);
  const s = await other.sign(ioc({ timeInForce: 'GTC', price: new Decimal('50000'), size: new Decimal('0.1') }));
  await other.send(s);
}
