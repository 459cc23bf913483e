/**
 * Lighter order gateway against a loopback venue written here from the Lighter API docs: sendTx
 * form-encoded (tx_type, tx_info), nonces per API key that are never reused and never below the
 * key's next nonce (else `{"code":21104,"message":"invalid nonce"}`), private GETs with `auth`.
 * The WASM signer runs for real (offline); its signature is not verified here (see signer.test.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { SecretRef, SecretSource } from '../../../../engine/exchange/connector.ts';
import { OrderNotFoundError, VenueRejectError, type OrderRequest } from '../../../../engine/exchange/orders.ts';
import { parseLighterOptions } from '../../../../plugins/exchanges/lighter/config.ts';
import { clientOrderIndexOf } from '../../../../plugins/exchanges/lighter/order-codec.ts';
import { LighterOrderGateway } from '../../../../plugins/exchanges/lighter/orders.ts';
import { loadLighterSigner } from '../../../../plugins/exchanges/lighter/signer.ts';
import { OrderOutcomeUnknownError } from '../../../../plugins/exchanges/shared/private-rest.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';
import { setBook } from '../../../simulators/private/helpers.ts';
import { recordingLogger, startHttpVenue, type HttpVenue, type RecordedRequest, type Reply } from '../shared/http-venue.ts';

const ACCOUNT = 7;
const KEY_INDEX = 4;
let apiKey: string;

class LighterVenue {
  next = 10;
  used = new Set<number>();
  accepted: Record<string, unknown>[] = [];
  /** Client order indexes the venue shows as filled. */
  filled = new Set<number>();
  txReply: ((req: RecordedRequest) => Reply | undefined) | undefined;
  /** GET /api/v1/account answers this body. */
  account: unknown = { code: 200, accounts: [{ positions: [{ market_id: 1, sign: -1, position: '0.00500', avg_entry_price: '65000.1' }] }] };
  constructor(readonly http: HttpVenue) {
    http.handle((req) => this.route(req));
  }
  route(req: RecordedRequest): Reply {
    if (req.path === '/api/v1/orderBookDetails') {
      return { status: 200, body: { code: 200, order_book_details: [{ market_id: 1, symbol: 'BTC', price_decimals: 1, size_decimals: 5, min_base_amount: '0.00020', min_quote_amount: '10' }] } };
    }
    if (req.path === '/api/v1/nextNonce') return { status: 200, body: { code: 200, nonce: this.next } };
    if (req.path === '/api/v1/sendTx') {
      const custom = this.txReply?.(req);
      if (custom) return custom;
      const form = new URLSearchParams(req.body);
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 400, body: { code: 400, message: 'bad content type' } };
      const info = JSON.parse(form.get('tx_info') ?? '{}') as Record<string, unknown>;
      const nonce = Number(info['Nonce']);
      if (info['AccountIndex'] !== ACCOUNT || info['ApiKeyIndex'] !== KEY_INDEX) return { status: 400, body: { code: 21120, message: 'invalid account' } };
      if (nonce < this.next || this.used.has(nonce)) return { status: 400, body: { code: 21104, message: 'invalid nonce' } };
      this.used.add(nonce);
      this.next = Math.max(this.next, nonce + 1);
      this.accepted.push({ txType: Number(form.get('tx_type')), ...info });
      return { status: 200, body: { code: 200, message: '{"ratelimit": "didn\'t use volume quota"}', tx_hash: 'ab'.repeat(20) } };
    }
    // GET /account is public on Lighter; order and trade lists need the auth token.
    if (req.path === '/api/v1/account') return { status: 200, body: this.account };
    if (req.path === '/api/v1/tx') return { status: 400, body: { code: 21500, message: 'transaction not found' } };
    if (!req.query.get('auth')) return { status: 400, body: { code: 20001, message: 'auth required' } };
    const orderRows = () =>
      this.accepted
        .filter((t) => t['txType'] === 14)
        .map((t, i) => {
          const filled = this.filled.has(Number(t['ClientOrderIndex']));
          return { order_index: 1000 + i, client_order_index: t['ClientOrderIndex'], market_index: t['MarketIndex'], status: filled ? 'filled' : 'open', filled_base_amount: filled ? '0.00500' : '0.00000', filled_quote_amount: filled ? '325.000500' : '0', is_ask: t['IsAsk'] === 1 };
        });
    // Without market_id: every market (lighter-python docs/OrderApi.md).
    if (req.path === '/api/v1/accountActiveOrders') {
      const market = req.query.get('market_id');
      return { status: 200, body: { code: 200, orders: orderRows().filter((o) => o.status === 'open' && (market === null || String(o.market_index) === market)) } };
    }
    if (req.path === '/api/v1/accountOrders') {
      const wanted = (req.query.get('client_order_indexes') ?? '').split(',').map(Number);
      return { status: 200, body: { code: 200, orders: orderRows().filter((o) => wanted.includes(Number(o.client_order_index))) } };
    }
    if (req.path === '/api/v1/accountInactiveOrders') return { status: 200, body: { code: 200, orders: [] } };
    if (req.path === '/api/v1/trades') {
      if (req.query.get('order_index') !== '1000') return { status: 200, body: { code: 200, trades: [] } };
      return {
        status: 200,
        body: {
          code: 200,
          trades: [
            { trade_id: 55, market_id: 1, size: '0.00500', price: '65000.1', ask_id: 9, bid_id: 1000, ask_client_id: 1, bid_client_id: 0, ask_account_id: 99, bid_account_id: ACCOUNT, is_maker_ask: true, timestamp: 1_700_000_000_000, taker_fee: 200, maker_fee: 0 },
          ],
        },
      };
    }
    return { status: 404, body: { code: 404, message: 'not found' } };
  }
}

const secrets: SecretSource = {
  read(ref: SecretRef, field: string) {
    if ('env' in ref && ref.env === 'LIGHTER_KEY') return apiKey;
    throw new Error(`secret ${field}: not set`);
  },
};

let http: HttpVenue;
let venue: LighterVenue;
let log: ReturnType<typeof recordingLogger>;

function gateway() {
  const options = parseLighterOptions({ restUrl: http.url, requestTimeoutMs: 5_000, credentials: { apiPrivateKey: { env: 'LIGHTER_KEY' }, accountIndex: ACCOUNT, apiKeyIndex: KEY_INDEX } });
  return new LighterOrderGateway(options, { clock: { now: () => Date.now() }, logger: log.logger, secrets });
}

const order = (clientId: string, over: Partial<OrderRequest> = {}): OrderRequest => ({
  venue: 'lighter',
  symbol: '1',
  side: 'buy',
  type: 'limit',
  size: new Decimal('0.005'),
  price: new Decimal('65000.1'),
  timeInForce: 'IOC',
  clientId,
  ...over,
});

beforeAll(async () => {
  apiKey = (await loadLighterSigner()).generateApiKey().privateKey;
});
beforeEach(async () => {
  http = await startHttpVenue();
  venue = new LighterVenue(http);
  log = recordingLogger();
});
afterEach(async () => {
  await http.close();
});

describe('lighter gateway', () => {
  it('sends a form-encoded create-order tx with exact integer scaling and the synced nonce', async () => {
    const gw = gateway();
    const state = await gw.send(await gw.sign(order('leg-a', { reduceOnly: true })));
    expect(state.status).toBe('open');
    expect(venue.accepted).toHaveLength(1);
    expect(venue.accepted[0]).toMatchObject({
      txType: 14,
      AccountIndex: ACCOUNT,
      ApiKeyIndex: KEY_INDEX,
      MarketIndex: 1,
      ClientOrderIndex: clientOrderIndexOf('leg-a'),
      BaseAmount: 500,
      Price: 650001,
      IsAsk: 0,
      Type: 0,
      TimeInForce: 0,
      ReduceOnly: 1,
      OrderExpiry: 0,
      Nonce: 10,
    });
  });

  it('concurrent orders after a foreign nonce jump: one resync, every order placed, no nonce twice', async () => {
    const gw = gateway();
    const signed = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((c) => gw.sign(order(c))));
    expect(new Set(signed.map((s) => (s.wire as { nonce: number }).nonce)).size).toBe(5);
    venue.next += 7; // another process on this key used nonces meanwhile
    const states = await Promise.all(signed.map((s) => gw.send(s)));
    expect(states.every((s) => s.status === 'open')).toBe(true);
    const nonces = venue.accepted.map((t) => t['Nonce'] as number);
    expect(nonces).toHaveLength(5);
    expect(new Set(nonces).size).toBe(5);
    expect(Math.min(...nonces)).toBeGreaterThanOrEqual(17);
    // Initial sync, ONE resync for the whole failed burst (epochs), and at most one more if the
    // re-signed burst itself arrives out of order at a venue that only moves forward.
    const syncs = http.requests.filter((r) => r.path === '/api/v1/nextNonce').length;
    expect(syncs).toBeGreaterThanOrEqual(2);
    expect(syncs).toBeLessThanOrEqual(3);
    expect(http.requests.filter((r) => r.path === '/api/v1/sendTx').length).toBeLessThan(5 * 3);
  });

  it('report by accountOrders with auth, fills by order_index, cancel by order index, signed positions', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('leg-a')));
    await gw.send(await gw.sign(order('leg-b', { timeInForce: 'GTC' })));
    venue.filled.add(clientOrderIndexOf('leg-a'));
    const { state: st, fills } = await gw.report({ symbol: '1', clientId: 'leg-a' });
    expect(st).toMatchObject({ status: 'filled', venueOrderId: '1000' });
    const q = http.requests.find((r) => r.path === '/api/v1/accountOrders')!.query;
    expect(q.get('auth')).toMatch(new RegExp(`^\\d+:${ACCOUNT}:${KEY_INDEX}:`));
    expect(q.get('client_order_indexes')).toBe(String(clientOrderIndexOf('leg-a')));
    expect(http.requests.find((r) => r.path === '/api/v1/trades')!.query.get('order_index')).toBe('1000');
    await expect(gw.report({ symbol: '1', clientId: 'nope' })).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ side: 'buy', liquidity: 'taker', venueOrderId: '1000', fillId: '55', clientId: 'leg-a' });
    expect(fills[0]!.fee.toFixed()).toBe('0.0650001');
    expect((await gw.positions())[0]!.size.toFixed()).toBe('-0.005');
    await gw.cancel({ symbol: '1', clientId: 'leg-b' });
    expect(venue.accepted.at(-1)).toMatchObject({ txType: 15, Index: 1001, MarketIndex: 1 });
    // A filled order has nothing left to cancel: no tx.
    const sent = venue.accepted.length;
    await gw.cancel({ symbol: '1', clientId: 'leg-a' });
    expect(venue.accepted).toHaveLength(sent);
  });

  // Without the handling openOrders() asked accountActiveOrders once per market (one request per
  // market in the kill switch, past a 60/min budget); now one request covers every market.
  it('openOrders asks once for every market and names each order\'s market', async () => {
    const gw = gateway();
    await gw.send(await gw.sign(order('leg-b', { timeInForce: 'GTC' })));
    const before = http.requests.length;
    const open = await gw.openOrders();
    const asked = http.requests.slice(before).filter((r) => r.path === '/api/v1/accountActiveOrders');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.query.get('market_id')).toBeNull();
    expect(open).toEqual([expect.objectContaining({ symbol: '1', clientId: String(clientOrderIndexOf('leg-b')), status: 'open' })]);
  });

  // Without the check an error code in a 200 body read as "no orders": the order looked not placed.
  it('an HTTP 200 carrying an error code is an error, never an empty list (Nautilus capture)', async () => {
    const gw = gateway();
    venue.http.handle((req) => (req.path === '/api/v1/accountOrders' ? { status: 200, body: { code: 1001, message: 'invalid tx' } } : venue.route(req)));
    const err = await gw.report({ symbol: '1', clientId: 'leg-z' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect(err).not.toBeInstanceOf(OrderNotFoundError);
  });

  it('maps a refusal to VenueRejectError, 5xx and dropped connections to unknown; key stays out', async () => {
    const gw = gateway();
    const signed = await gw.sign(order('leg-x'));
    venue.txReply = () => ({ status: 400, body: { code: 21701, message: `invalid base amount ${apiKey.slice(2)}` } });
    const err = (await gw.send(signed).catch((e: unknown) => e)) as VenueRejectError;
    expect(err).toBeInstanceOf(VenueRejectError);
    expect(err.code).toBe('21701');
    expect(err.message).not.toContain(apiKey.slice(2));
    venue.txReply = () => ({ status: 500, body: 'oops' });
    await expect(gw.send(signed)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    venue.txReply = () => ({ status: 0, destroy: true });
    await expect(gw.send(signed)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    expect(log.lines.join('\n')).not.toContain(apiKey.slice(2));
  });

  it('config refuses a literal API key, naming the field', () => {
    expect(() => parseLighterOptions({ credentials: { apiPrivateKey: '0xdeadbeefdeadbeefdeadbeef', accountIndex: 1, apiKeyIndex: 3 } })).toThrow(
      /venues\.lighter\.credentials\.apiPrivateKey: .*env.*file/,
    );
  });
});

describe('lighter gateway: account value', () => {
  let sims: VenueSimulators;
  beforeAll(async () => {
    sims = await startVenueSimulators({ seed: 3, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
  });
  afterAll(async () => {
    await sims.stop();
  });

  it("reads total_asset_value: the simulator engine's equity (collateral less fees plus unrealized PnL), exactly", async () => {
    const trading = sims.trading.lighter;
    const accountIndex = 424_242;
    trading.createAccount(accountIndex, { apiKeys: [KEY_INDEX], collateral: '10000' });
    const id = trading.accountId(accountIndex);
    const symbol = sims.market('lighter', 'BTC').instrument.symbol;
    // Mid 65000: a 0.1 buy filled at 65010 is 1 USD under water (standard accounts trade fee-free).
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65010.0', '1']]);
    const options = parseLighterOptions({ restUrl: sims.lighter.restUrl, requestTimeoutMs: 5_000, credentials: { apiPrivateKey: { env: 'LIGHTER_KEY' }, accountIndex, apiKeyIndex: KEY_INDEX } });
    const gw = new LighterOrderGateway(options, { clock: { now: () => Date.now() }, logger: log.logger, secrets });
    await gw.send(await gw.sign(order('value-1', { size: new Decimal('0.1'), price: new Decimal('65010') })));
    await until(() => trading.engine.position(id, symbol).sizeUnits !== 0);
    expect(trading.engine.position(id, symbol).size.toString()).toBe('0.1');

    const equity = new Decimal(trading.engine.equity(id).toString());
    expect(equity.eq('10000')).toBe(false);
    expect(equity.decimalPlaces()).toBeLessThanOrEqual(6); // the venue sends 6 places: no rounding in between
    const value = await gw.accountValue();
    expect(value.eq(equity), `${value.toFixed()} vs ${equity.toFixed()}`).toBe(true);
  });

  it('without total_asset_value sums collateral and unrealized_pnl; a malformed field is named', async () => {
    const gw = gateway();
    venue.account = { code: 200, accounts: [{ collateral: '1000.000000', total_asset_value: '987.654321', positions: [] }] };
    expect((await gw.accountValue()).toFixed()).toBe('987.654321');
    const positions = [
      { market_id: 1, sign: 1, position: '0.10000', unrealized_pnl: '-12.345678' },
      { market_id: 0, sign: -1, position: '1.0000', unrealized_pnl: '0.000001' },
    ];
    venue.account = { code: 200, accounts: [{ collateral: '1000.000000', positions }] };
    expect((await gw.accountValue()).toFixed()).toBe('987.654323');
    const cases: Array<[unknown, string]> = [
      [{ code: 200, accounts: [{ collateral: '1000.000000', total_asset_value: 987.5 }] }, 'accounts[0].total_asset_value'],
      [{ code: 200, accounts: [{ positions }] }, 'accounts[0].collateral'],
      [{ code: 200, accounts: [{ collateral: '1000.000000', positions: [{ market_id: 1, sign: 1, position: '0.10000' }] }] }, 'accounts[0].positions[0].unrealized_pnl'],
      [{ code: 200, total: 0, accounts: [] }, 'accounts'],
    ];
    for (const [body, field] of cases) {
      venue.account = body;
      const err = await gw.accountValue().catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(WireFormatError);
      expect((err as WireFormatError).field).toBe(field);
      expect((err as Error).message).toContain(`lighter: ${field} `);
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
