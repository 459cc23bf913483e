/**
 * Lighter private API against the simulator: form-encoded sendTx, nonces per API key, order
 * fields as integers at the market's decimals, account state and channels. The Schnorr
 * signature is not verified by the simulator (see simulators/README.md), so the test sends an
 * 80-byte placeholder and checks only that a malformed one is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';
import { WireClient } from '../wire-client.ts';
import { http, setBook } from './helpers.ts';

const BTC_ID = 1; // BTC: price decimals 1, size decimals 5
const SIG = Buffer.alloc(80, 7).toString('base64');

let sims: VenueSimulators;
const clients: WireClient[] = [];

interface CreateOrder {
  account: number;
  key?: number;
  nonce: number;
  baseAmount: number;
  price: number;
  isAsk?: boolean;
  type?: 0 | 1;
  tif?: 0 | 1 | 2;
  reduceOnly?: boolean;
  clientIndex?: number;
  sig?: string;
}

function createInfo(o: CreateOrder) {
  return {
    AccountIndex: o.account,
    ApiKeyIndex: o.key ?? 3,
    MarketIndex: BTC_ID,
    ClientOrderIndex: o.clientIndex ?? o.nonce + 1,
    BaseAmount: o.baseAmount,
    Price: o.price,
    IsAsk: o.isAsk ? 1 : 0,
    Type: o.type ?? 0,
    TimeInForce: o.tif ?? 1,
    ReduceOnly: o.reduceOnly ? 1 : 0,
    TriggerPrice: 0,
    OrderExpiry: o.tif === 0 ? 0 : Date.now() + 3_600_000,
    ExpiredAt: Date.now() + 600_000,
    Nonce: o.nonce,
    Sig: o.sig ?? SIG,
  };
}

const sendTx = (txType: number, info: unknown) => http('POST', `${sims.lighter.restUrl}/api/v1/sendTx`, { form: { tx_type: String(txType), tx_info: JSON.stringify(info) } });
const nextNonce = async (account: number, key = 3) => (await http('GET', `${sims.lighter.restUrl}/api/v1/nextNonce?account_index=${account}&api_key_index=${key}`)).body.nonce;
const active = async (account: number) =>
  (await http('GET', `${sims.lighter.restUrl}/api/v1/accountActiveOrders?account_index=${account}&market_id=${BTC_ID}`, { headers: { Authorization: 'token' } })).body.orders;
const inactive = async (account: number) =>
  (await http('GET', `${sims.lighter.restUrl}/api/v1/accountInactiveOrders?account_index=${account}`, { headers: { Authorization: 'token' } })).body.orders;

let nextAccount = 100;
function newAccount(collateral: string): number {
  const index = nextAccount++;
  sims.trading.lighter.createAccount(index, { apiKeys: [3, 4], collateral });
  return index;
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 3, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('lighter private API', () => {
  it('enforces exactly-next nonces per (account, api key) with "invalid nonce" 21104', async () => {
    const a = newAccount('100000');
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    expect(await nextNonce(a)).toBe(0);
    expect(await nextNonce(a, 4)).toBe(0);

    const skip = await sendTx(14, createInfo({ account: a, nonce: 1, baseAmount: 1000, price: 640000 }));
    expect(skip.status).toBe(400);
    expect(skip.body).toEqual({ code: 21104, message: 'invalid nonce' });

    const ok = await sendTx(14, createInfo({ account: a, nonce: 0, baseAmount: 1000, price: 640000 }));
    expect(ok.status).toBe(200);
    expect(ok.body.code).toBe(200);
    expect(ok.body.tx_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await nextNonce(a)).toBe(1);
    expect(await nextNonce(a, 4)).toBe(0); // the other key's sequence is its own

    const replay = await sendTx(14, createInfo({ account: a, nonce: 0, baseAmount: 1000, price: 640000 }));
    expect(replay.body.code).toBe(21104);

    // A malformed Sig is refused without consuming the nonce.
    const badSig = await sendTx(14, createInfo({ account: a, nonce: 1, baseAmount: 1000, price: 640000, sig: 'AAAA' }));
    expect(badSig.status).toBe(400);
    expect(await nextNonce(a)).toBe(1);

    // Post-only that would cross: the API accepts it (nonce consumed), the sequencer cancels it.
    const po = await sendTx(14, createInfo({ account: a, nonce: 1, baseAmount: 1000, price: 650000, tif: 2 }));
    expect(po.status).toBe(200);
    expect(await nextNonce(a)).toBe(2);
    const cancelled = (await inactive(a)).find((o: any) => o.client_order_index === 2);
    expect(cancelled.status).toBe('canceled-post-only');
    expect(sims.market('lighter', 'BTC').book.best('ask')?.size).toBe(100_000);
  });

  it('takes a batch only with consecutive nonces (21105 otherwise)', async () => {
    const a = newAccount('100000');
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    const batch = (nonces: number[]) =>
      http('POST', `${sims.lighter.restUrl}/api/v1/sendTxBatch`, {
        form: { tx_types: JSON.stringify(nonces.map(() => 14)), tx_infos: JSON.stringify(nonces.map((n) => JSON.stringify(createInfo({ account: a, nonce: n, baseAmount: 1000, price: 600000 })))) },
      });
    const gap = await batch([0, 2]);
    expect(gap.body.code).toBe(21105);
    expect(await nextNonce(a)).toBe(0);
    const ok = await batch([0, 1, 2]);
    expect(ok.body.tx_hash).toHaveLength(3);
    expect(await nextNonce(a)).toBe(3);
    expect(await active(a)).toHaveLength(3);
  });

  it('fills a market order with a worst price across levels, reduce-only trims, and the account reports it', async () => {
    const a = newAccount('100000');
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '0.5'], ['64980.0', '1']], [['65000.0', '0.02'], ['65001.0', '0.03'], ['65100.0', '1']]);
    // Buy 0.1 (10000 at 5 decimals), worst price 65050.0 -> fills 0.02 @ 65000 + 0.03 @ 65001 then stops.
    await sendTx(14, createInfo({ account: a, nonce: 0, baseAmount: 10_000, price: 650_500, type: 1, tif: 0 }));
    const acct = (await http('GET', `${sims.lighter.restUrl}/api/v1/account?by=index&value=${a}`)).body.accounts[0];
    // VWAP (1300 + 1950.03) / 0.05 = 65000.6
    expect(acct.positions[0]).toMatchObject({ market_id: BTC_ID, sign: 1, position: '0.05000', avg_entry_price: '65000.6' });

    // Reduce-only sell 0.08 against a 0.05 long: trimmed to 0.05, the position closes.
    await sendTx(14, createInfo({ account: a, nonce: 1, baseAmount: 8000, price: 640_000, isAsk: true, tif: 0, reduceOnly: true }));
    const flat = (await http('GET', `${sims.lighter.restUrl}/api/v1/account?by=index&value=${a}`)).body.accounts[0];
    expect(flat.positions[0]).toMatchObject({ position: '0.00000' });
    // Sold 0.05 at 64990.0 against an entry of 65000.6: -0.53
    expect(flat.positions[0].realized_pnl).toBe('-0.530000');
    // Reduce-only with no position is cancelled by the sequencer.
    await sendTx(14, createInfo({ account: a, nonce: 2, baseAmount: 1000, price: 640_000, isAsk: true, tif: 0, reduceOnly: true, clientIndex: 77 }));
    expect((await inactive(a)).find((o: any) => o.client_order_index === 77).status).toBe('canceled-reduce-only');
  });

  it('cancels a resting order by index and cancels on insufficient margin', async () => {
    const a = newAccount('10');
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    // 0.01 BTC at 60000 needs 30 at 5% initial margin; the account has 10.
    await sendTx(14, createInfo({ account: a, nonce: 0, baseAmount: 1000, price: 600_000, clientIndex: 5 }));
    expect((await inactive(a)).find((o: any) => o.client_order_index === 5).status).toBe('canceled-margin-not-allowed');
    await sendTx(14, createInfo({ account: a, nonce: 1, baseAmount: 100, price: 600_000, clientIndex: 6 }));
    const [resting] = await active(a);
    expect(resting).toMatchObject({ client_order_index: 6, status: 'open', remaining_base_amount: '0.00100', price: '60000.0' });
    const cancel = await sendTx(15, { AccountIndex: a, ApiKeyIndex: 3, MarketIndex: BTC_ID, Index: resting.order_index, ExpiredAt: Date.now() + 60_000, Nonce: 2, Sig: SIG });
    expect(cancel.status).toBe(200);
    expect(await active(a)).toHaveLength(0);
  });

  it('pushes the account orders and positions on account channels', async () => {
    const a = newAccount('100000');
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    const ws = await WireClient.open(sims.lighter.wsUrl);
    clients.push(ws);
    await ws.next(); // connected
    ws.send({ type: 'subscribe', channel: `account_orders/${BTC_ID}/${a}` });
    expect((await ws.next()).error.code).toBe(30009); // needs auth
    ws.send({ type: 'subscribe', channel: `account_orders/${BTC_ID}/${a}`, auth: 'token' });
    expect(await ws.next()).toMatchObject({ type: 'subscribed/account_orders', channel: `account_orders:${BTC_ID}:${a}`, orders: {} });
    ws.send({ type: 'subscribe', channel: `account_all/${a}` });
    expect((await ws.next()).type).toBe('subscribed/account_all');

    await sendTx(14, createInfo({ account: a, nonce: 0, baseAmount: 2000, price: 650_000, tif: 0 }));
    const filled = await ws.nextWhere((m) => m.type === 'update/account_orders' && m.orders[String(BTC_ID)][0].status === 'filled');
    expect(filled.orders[String(BTC_ID)][0]).toMatchObject({ filled_base_amount: '0.02000', avg_execution_price: '65000.0' });
    // The position update came on the same socket (before or after the order's last update).
    const all = ws.frames.map((f) => JSON.parse(f)).find((m) => m.type === 'update/account_all');
    expect(all.positions[String(BTC_ID)]).toMatchObject({ position: '0.02000', sign: 1 });
  });
});
