/**
 * Vest order gateway against a loopback venue written here from the Vest API docs: it checks the
 * routing and API-key headers on every private call and recovers the order signer with ethers
 * (keccak256(abi.encode(...)) as an EIP-191 message), independently of the plugin's signer.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { AbiCoder, Wallet, getBytes, keccak256, verifyMessage } from 'ethers';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { OrderNotFoundError, RateLimitedError, VenueRejectError, type OrderRequest } from '../../../../engine/exchange/orders.ts';
import { decodeVestOrder } from '../../../../plugins/exchanges/vest/order-codec.ts';
import { parseVestOptions } from '../../../../plugins/exchanges/vest/config.ts';
import { VestOrderGateway } from '../../../../plugins/exchanges/vest/orders.ts';
import { signVestRegistration } from '../../../../plugins/exchanges/vest/signer.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { OrderOutcomeUnknownError } from '../../../../plugins/exchanges/shared/private-rest.ts';
import { ConfigError } from '../../../../plugins/exchanges/shared/config.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { VEST_VERIFYING_CONTRACT } from '../../../../simulators/vest/private.ts';
import { setBook } from '../../../simulators/private/helpers.ts';
import { recordingLogger, startHttpVenue, type HttpVenue, type RecordedRequest, type Reply } from '../shared/http-venue.ts';

const SIGNING_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const SIGNER_ADDRESS = new Wallet(SIGNING_KEY).address;
const API_KEY = 'vest-api-key-0123456789abcdef';
const GROUP = 3;
const abi = AbiCoder.defaultAbiCoder();

function recoverOrderSigner(order: Record<string, unknown>, signature: string): string {
  const digest = keccak256(
    abi.encode(
      ['uint256', 'uint256', 'string', 'string', 'bool', 'string', 'string', 'bool'],
      [order['time'], order['nonce'], order['orderType'], order['symbol'], order['isBuy'], order['size'], order['limitPrice'], order['reduceOnly']],
    ),
  );
  return verifyMessage(getBytes(digest), signature);
}

class VestVenue {
  orders: Record<string, unknown>[] = [];
  usedNonces = new Set<number>();
  lastNonce = 0;
  headerFailures: string[] = [];
  orderReply: ((req: RecordedRequest) => Reply | undefined) | undefined;
  /** Overrides GET /orders when set. */
  listReply: ((req: RecordedRequest) => Reply | undefined) | undefined;
  /** GET /account answers this body. */
  account: unknown = { positions: [{ symbol: 'BTC-PERP', isLong: false, size: '0.1000', entryPrice: '65000.00' }] };
  constructor(readonly http: HttpVenue) {
    http.handle((req) => this.route(req));
  }
  route(req: RecordedRequest): Reply {
    if (req.headers['xrestservermm'] !== `restserver${GROUP}`) this.headerFailures.push(`${req.path}: xrestservermm`);
    if (req.path === '/exchangeInfo') return { status: 200, body: { symbols: [{ symbol: 'BTC-PERP', sizeDecimals: 4, priceDecimals: 2, minTickSize: '0.01' }], exchange: { collateralDecimals: 6 } } };
    if (req.headers['x-api-key'] !== API_KEY) {
      this.headerFailures.push(`${req.path}: X-API-KEY`);
      return { status: 401, body: { code: 1002, msg: 'unauthorized' } };
    }
    if (req.method === 'GET' && !req.query.get('time')) this.headerFailures.push(`${req.path}: time`);
    if (req.path === '/account/nonce') return { status: 200, body: { lastNonce: this.lastNonce } };
    if (req.method === 'POST' && req.path === '/orders') {
      const custom = this.orderReply?.(req);
      if (custom) return custom;
      const b = req.json as { order: Record<string, unknown>; signature: string; recvWindow?: number };
      if (recoverOrderSigner(b.order, b.signature) !== SIGNER_ADDRESS) return { status: 400, body: { code: 1022, msg: 'invalid signature' } };
      const nonce = Number(b.order['nonce']);
      if (this.usedNonces.has(nonce) || nonce <= this.lastNonce) return { status: 400, body: { code: 1023, msg: 'invalid nonce' } };
      this.usedNonces.add(nonce);
      const id = `0x${(this.orders.length + 1).toString(16).padStart(4, '0')}`;
      this.orders.push({ id, nonce, symbol: b.order['symbol'], isBuy: b.order['isBuy'], orderType: b.order['orderType'], size: b.order['size'], limitPrice: b.order['limitPrice'], status: 'NEW', postTime: 1 });
      return { status: 200, body: { id } };
    }
    if (req.method === 'POST' && req.path === '/orders/cancel') {
      const b = req.json as { order: { id: string } };
      const o = this.orders.find((x) => x['id'] === b.order.id);
      if (!o) return { status: 400, body: { code: 3017, msg: 'order not found' } };
      o['status'] = 'CANCELLED';
      return { status: 200, body: { id: b.order.id } };
    }
    if (req.method === 'GET' && req.path === '/orders') {
      const custom = this.listReply?.(req);
      if (custom) return custom;
      const id = req.query.get('id');
      const nonce = req.query.get('nonce');
      const status = req.query.get('status');
      return { status: 200, body: this.orders.filter((o) => (!id || o['id'] === id) && (!nonce || String(o['nonce']) === nonce) && (!status || o['status'] === status)) };
    }
    if (req.path === '/account') return { status: 200, body: this.account };
    return { status: 404, body: { code: 1130, msg: 'not found' } };
  }
}

const secrets: SecretSource = {
  read(ref: SecretRef, field: string) {
    const values: Record<string, string> = { VEST_SIGNING: SIGNING_KEY, VEST_API: API_KEY };
    const v = 'env' in ref ? values[ref.env] : undefined;
    if (!v) throw new Error(`secret ${field}: not set`);
    return v;
  },
};

let http: HttpVenue;
let venue: VestVenue;
let now: number;
let log: ReturnType<typeof recordingLogger>;

function gateway(extra: Record<string, unknown> = {}) {
  const options = parseVestOptions({
    restUrl: http.url,
    accountGroup: GROUP,
    requestTimeoutMs: 2_000,
    privateStream: false,
    credentials: { signingKey: { env: 'VEST_SIGNING' }, apiKey: { env: 'VEST_API' } },
    ...extra,
  });
  return new VestOrderGateway(options, { clock: { now: () => now }, logger: log.logger, secrets });
}

const order = (clientId: string, over: Partial<OrderRequest> = {}): OrderRequest => ({
  venue: 'vest',
  symbol: 'BTC-PERP',
  side: 'buy',
  type: 'market',
  size: new Decimal('0.1'),
  price: new Decimal('65010.5'),
  timeInForce: 'IOC',
  clientId,
  ...over,
});

beforeEach(async () => {
  http = await startHttpVenue('/v2');
  venue = new VestVenue(http);
  now = 1_760_000_000_000;
  log = recordingLogger();
});
afterEach(async () => {
  await http.close();
});

describe('vest gateway', () => {
  it('sends the documented body, signed by the signing key, with group and API-key headers', async () => {
    const gw = gateway();
    const state = await gw.send(await gw.sign(order('c-1', { reduceOnly: true })));
    expect(state).toMatchObject({ clientId: 'c-1', venueOrderId: '0x0001', status: 'open' });
    const post = http.requests.find((r) => r.method === 'POST' && r.path === '/orders')!;
    const body = post.json as { order: Record<string, unknown>; recvWindow: number; signature: string };
    expect(body.order).toEqual({ time: now, nonce: now, orderType: 'MARKET', symbol: 'BTC-PERP', isBuy: true, size: '0.1000', limitPrice: '65010.50', reduceOnly: true });
    expect(body.recvWindow).toBe(5_000);
    expect(recoverOrderSigner(body.order, body.signature)).toBe(SIGNER_ADDRESS);
    expect(post.headers['x-api-key']).toBe(API_KEY);
    expect(venue.headerFailures).toEqual([]);
  });

  it('hands out distinct increasing nonces in the same millisecond, above the venue lastNonce', async () => {
    venue.lastNonce = now + 5;
    const gw = gateway();
    const signed = await Promise.all(['a', 'b', 'c'].map(async (c) => gw.sign(order(c))));
    const nonces = signed.map((s) => (s.wire as { order: { nonce: number } }).order.nonce);
    expect(new Set(nonces).size).toBe(3);
    expect(Math.min(...nonces)).toBeGreaterThan(now + 5);
    await Promise.all(signed.map((s) => gw.send(s)));
    expect(venue.orders).toHaveLength(3);
  });

  it('on INVALID_NONCE resyncs from /account/nonce, re-signs once and is placed', async () => {
    const gw = gateway();
    const signed = await gw.sign(order('c-2'));
    venue.lastNonce = now + 100; // someone else used nonces meanwhile
    const state = await gw.send(signed);
    expect(state.status).toBe('open');
    const posts = http.requests.filter((r) => r.path === '/orders' && r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect((posts[1]!.json as { order: { nonce: number } }).order.nonce).toBeGreaterThan(now + 100);
    expect(http.requests.filter((r) => r.path === '/account/nonce')).toHaveLength(2);
  });

  it('status, fills and cancel find the order by its signed nonce; positions are signed', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('c-3')));
    Object.assign(venue.orders[0]!, { status: 'FILLED', avgFilledPrice: '65001.00', fees: '2.600000', lastFilledTime: 5 });
    const { state: st, fills: [fill] } = await gw.report({ symbol: 'BTC-PERP', clientId: 'c-3' });
    expect(st).toMatchObject({ status: 'filled', venueOrderId: '0x0001' });
    expect(st.filledSize.toFixed()).toBe('0.1');
    expect(fill).toMatchObject({ clientId: 'c-3', side: 'buy', liquidity: 'taker', time: 5 });
    expect(fill!.fee.toFixed()).toBe('2.6');
    await expect(gw.report({ symbol: 'BTC-PERP', clientId: 'unknown' })).rejects.toBeInstanceOf(OrderNotFoundError);
    Object.assign(venue.orders[0]!, { status: 'NEW' });
    await gw.cancel({ symbol: 'BTC-PERP', clientId: 'c-3' });
    expect(venue.orders[0]!['status']).toBe('CANCELLED');
    const positions = await gw.positions();
    expect(positions[0]!.size.toFixed()).toBe('-0.1');
    expect(venue.headerFailures).toEqual([]);
  });

  it('maps documented codes to rejects, 5xx and no answer to unknown outcomes; keys stay out', async () => {
    const gw = gateway();
    const signed = await gw.sign(order('c-4'));
    venue.orderReply = () => ({ status: 400, body: { code: 3002, msg: `margin check failed ${API_KEY} ${SIGNING_KEY.slice(2)}` } });
    const rej = (await gw.send(signed).catch((e: unknown) => e)) as VenueRejectError;
    expect(rej).toBeInstanceOf(VenueRejectError);
    expect(rej.code).toBe('3002');
    expect(rej.message).not.toContain(API_KEY);
    expect(rej.message).not.toContain(SIGNING_KEY.slice(2));
    venue.orderReply = () => ({ status: 503, body: 'unavailable' });
    await expect(gw.send(signed)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    venue.orderReply = () => ({ status: 0, destroy: true });
    await expect(gw.send(signed)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(log.lines.join('\n')).not.toContain(API_KEY);
  });

  it('refuses off-grid sizes, and a literal key in the config', async () => {
    const gw = gateway();
    await expect(gw.sign(order('c-5', { size: new Decimal('0.00001') }))).rejects.toThrow(/size increment 0.0001/);
    expect(() => parseVestOptions({ credentials: { signingKey: SIGNING_KEY, apiKey: { env: 'X' } } })).toThrow(ConfigError);
    const bad = () => parseVestOptions({ credentials: { signingKey: { env: 'A' }, apiKey: API_KEY } });
    expect(bad).toThrow(/venues\.vest\.credentials\.apiKey: .*env.*file/);
    expect(bad).not.toThrow(API_KEY);
  });
});

describe('vest gateway: lookups and rate limits as published', () => {
  it('a signed order carries its nonce, time and signed fields as venueRef, and time + recvWindow as executableUntil', async () => {
    const gw = gateway({ recvWindowMs: 7_000 });
    const signed = await gw.sign(order('r-1'));
    const o = (signed.wire as { order: Record<string, unknown> }).order;
    expect(signed.venueRef).toEqual({ nonce: o['nonce'], time: now, orderType: 'MARKET', isBuy: 1, size: '0.1000', limitPrice: '65010.50' });
    expect(signed.executableUntil).toBe(now + 7_000);
  });

  it('a fresh gateway finds the order from the locator alone: by venueOrderId, else by the venueRef nonce', async () => {
    const first = gateway();
    const signed = await first.sign(order('r-2'));
    await first.send(signed);
    Object.assign(venue.orders[0]!, { status: 'FILLED', avgFilledPrice: '65000.00', fees: '0.650000' });
    const byId = await gateway().report({ symbol: 'BTC-PERP', clientId: 'r-2', venueOrderId: '0x0001' });
    expect(byId.state).toMatchObject({ status: 'filled', venueOrderId: '0x0001' });
    const byNonce = await gateway().report({ symbol: 'BTC-PERP', clientId: 'r-2', venueRef: signed.venueRef! });
    expect(byNonce.state.filledSize.toFixed()).toBe('0.1');
    const gets = http.requests.filter((r) => r.method === 'GET' && r.path === '/orders');
    expect(gets.map((r) => r.query.get('id') ?? `nonce=${r.query.get('nonce')}`)).toEqual(['0x0001', `nonce=${String(signed.venueRef!['nonce'])}`]);
    // Without either, the gateway cannot know the order: not found, not a guess.
    await expect(gateway().report({ symbol: 'BTC-PERP', clientId: 'r-2' })).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('an HTTP 200 that carries {code, msg} is an error, never an empty list or "not found"', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('r-3')));
    venue.listReply = () => ({ status: 200, body: { code: 1121, msg: 'BAD_SYMBOL' } });
    const err = await gw.report({ symbol: 'BTC-PERP', clientId: 'r-3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect((err as VenueRejectError).code).toBe('1121');
    await expect(gw.openOrders()).rejects.toBeInstanceOf(VenueRejectError);
  });

  it("Vest's rate-limit answers hold the limiter: the docs' HTTP 429, and a 200 carrying TOO_MANY_REQUESTS (1003)", async () => {
    const gw = gateway();
    const signed = await gw.sign(order('r-4'));
    venue.orderReply = () => ({ status: 429, body: { code: 429, msg: 'Rate limited' } });
    const err = await gw.send(signed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError); // a definite refusal: the venue did not act
    expect(gw.pacing.rateLimitedAnswers).toBe(1);
    expect(gw.pacing.heldForMs()).toBeGreaterThan(500); // no Retry-After documented: the stated 1 s hold
    venue.orderReply = undefined;
    const other = gateway();
    await other.send(await other.sign(order('r-5')));
    venue.listReply = () => ({ status: 200, body: { code: 1003, msg: 'TOO_MANY_REQUESTS' } });
    await expect(other.report({ symbol: 'BTC-PERP', clientId: 'r-5' })).rejects.toBeInstanceOf(RateLimitedError);
    expect(other.pacing.rateLimitedAnswers).toBe(1);
    expect(other.pacing.heldForMs()).toBeGreaterThan(500); // no Retry-After: the stated 1 s default
  });

  it('cancel goes by the venue id the locator carries (openOrders gives it), with no lookup', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('r-6')));
    const fresh = gateway();
    const before = http.requests.length;
    await fresh.cancel({ symbol: 'BTC-PERP', clientId: '', venueOrderId: '0x0001' });
    expect(venue.orders[0]!['status']).toBe('CANCELLED');
    expect(http.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/orders')).toHaveLength(0);
  });
});

describe('vest order codec: fill sizes the docs leave null', () => {
  const base = { id: '0x1', nonce: 1, symbol: 'BTC-PERP', isBuy: true, orderType: 'MARKET', size: '0.5000', limitPrice: '65005.00', lastFilledSize: null, lastFilledPrice: null, avgFilledPrice: null };
  it('FILLED filled its size; CANCELLED with fees charged is fillUnknown (never zero); CANCELLED without fees filled nothing', () => {
    expect(decodeVestOrder({ ...base, status: 'FILLED', fees: '6.500000', avgFilledPrice: '65001.00' }, 'c').state.filledSize.toFixed()).toBe('0.5');
    const partly = decodeVestOrder({ ...base, status: 'CANCELLED', fees: '2.600000' }, 'c');
    expect(partly.fillUnknown).toBe(true);
    const none = decodeVestOrder({ ...base, status: 'CANCELLED', fees: '0.000000' }, 'c');
    expect(none.fillUnknown).toBe(false);
    expect(none.state.filledSize.toFixed()).toBe('0');
    expect(decodeVestOrder({ ...base, status: 'PARTIALLY_FILLED', fees: '1.000000' }, 'c').fillUnknown).toBe(true);
  });

  it('report(): a CANCELLED order charged fees, with no stream to sum it, says fillUnknown (final, its fee); a PARTIALLY_FILLED one may still fill and does not', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('u-1')));
    Object.assign(venue.orders[0]!, { status: 'CANCELLED', fees: '2.600000' });
    const cancelled = await gw.report({ symbol: 'BTC-PERP', clientId: 'u-1' });
    // Never a zero fill, never final by itself: the executor reads the size from the position.
    expect(cancelled.state.status).toBe('unknown');
    expect(cancelled.fills).toEqual([]);
    expect(cancelled.fillUnknown?.finalStatus).toBe('cancelled');
    expect(cancelled.fillUnknown?.fee.toFixed()).toBe('2.6');
    Object.assign(venue.orders[0]!, { status: 'PARTIALLY_FILLED' });
    const open = await gw.report({ symbol: 'BTC-PERP', clientId: 'u-1' });
    expect(open.state.status).toBe('unknown');
    expect(open.fillUnknown).toBeUndefined();
  });
});

describe('vest gateway: account value', () => {
  let sims: VenueSimulators;
  beforeAll(async () => {
    sims = await startVenueSimulators({ seed: 3, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  });
  afterAll(async () => {
    await sims.stop();
  });

  it("reads totalAccountValue: the simulator engine's equity (collateral less fees plus unrealized PnL), exactly", async () => {
    // The documented registration round trip: the primary wallet approves a signing key.
    const primary = Wallet.createRandom();
    const signing = Wallet.createRandom();
    const registration = signVestRegistration(primary.privateKey, signing.address, Date.now() + 86_400_000, VEST_VERIFYING_CONTRACT);
    const res = await fetch(`${sims.vest.restUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', xrestservermm: `restserver${sims.vest.accountGroup}` },
      body: JSON.stringify(registration),
    });
    expect(res.status).toBe(200);
    const { apiKey } = (await res.json()) as { apiKey: string };
    const trading = sims.trading.vest;
    const id = trading.accountId(primary.address);
    trading.engine.fund(id, '10000');
    // Mid 65000: a 0.1 buy filled at 65010 is 1 USD under water, plus the taker fee on 6501.
    setBook(sims.market('vest', 'BTC'), [['64990.00', '1']], [['65010.00', '1']]);
    const keys: Record<string, string> = { SIM_SIGNING: signing.privateKey, SIM_API: apiKey };
    const simSecrets: SecretSource = {
      read(ref: SecretRef, field: string) {
        const v = 'env' in ref ? keys[ref.env] : undefined;
        if (!v) throw new Error(`secret ${field}: not set`);
        return v;
      },
    };
    const options = parseVestOptions({
      restUrl: sims.vest.restUrl,
      accountGroup: sims.vest.accountGroup,
      requestTimeoutMs: 5_000,
      credentials: { signingKey: { env: 'SIM_SIGNING' }, apiKey: { env: 'SIM_API' } },
    });
    const gw = new VestOrderGateway(options, { clock: { now: () => Date.now() }, logger: log.logger, secrets: simSecrets });
    await gw.send(await gw.sign(order('value-1', { price: new Decimal('65010') })));
    await until(() => trading.engine.position(id, 'BTC-PERP').sizeUnits !== 0);
    expect(trading.engine.position(id, 'BTC-PERP').size.toString()).toBe('0.1');

    const equity = new Decimal(trading.engine.equity(id).toString());
    expect(equity.eq('10000')).toBe(false);
    expect(equity.decimalPlaces()).toBeLessThanOrEqual(6); // the venue sends 6 places: no rounding in between
    const value = await gw.accountValue();
    expect(value.eq(equity), `${value.toFixed()} vs ${equity.toFixed()}`).toBe(true);
  });

  it('without totalAccountValue sums collateral and unrealizedPnl; a malformed field is named', async () => {
    const gw = gateway();
    venue.account = { collateral: '1000.000000', totalAccountValue: '987.654321', positions: [] };
    expect((await gw.accountValue()).toFixed()).toBe('987.654321');
    const positions = [
      { symbol: 'BTC-PERP', isLong: true, size: '0.1000', unrealizedPnl: '-12.345678' },
      { symbol: 'ETH-PERP', isLong: false, size: '1.000', unrealizedPnl: '0.000001' },
    ];
    venue.account = { collateral: '1000.000000', positions };
    expect((await gw.accountValue()).toFixed()).toBe('987.654323');
    const cases: Array<[unknown, string]> = [
      [{ collateral: '1000.000000', totalAccountValue: 987.5, positions: [] }, 'totalAccountValue'],
      [{ positions }, 'collateral'],
      [{ collateral: '1000.000000', positions: [{ symbol: 'BTC-PERP', size: '0.1000' }] }, 'positions[0].unrealizedPnl'],
    ];
    for (const [body, field] of cases) {
      venue.account = body;
      const err = await gw.accountValue().catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(WireFormatError);
      expect((err as WireFormatError).field).toBe(field);
      expect((err as Error).message).toContain(`vest: ${field} must be`);
    }
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
