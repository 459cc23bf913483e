/**
 * Private-side faults, resting orders and funding, driven through Lighter's plain form API
 * (cheapest to call) and Paradex's private socket. Each fault must be observable from outside:
 * what the client got back versus what the venue's state says happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';
import { WireClient } from '../wire-client.ts';
import { http, setBook, sleep } from './helpers.ts';

const BTC_ID = 1;
const SIG = Buffer.alloc(80, 1).toString('base64');

let sims: VenueSimulators;
const clients: WireClient[] = [];
let nextAccount = 500;

function newAccount(collateral = '100000'): { index: number; nonce: number } {
  const index = nextAccount++;
  sims.trading.lighter.createAccount(index, { apiKeys: [0], collateral });
  return { index, nonce: 0 };
}

function buy(a: { index: number; nonce: number }, baseAmount: number, price: number, tif: 0 | 1 = 0) {
  const info = {
    AccountIndex: a.index, ApiKeyIndex: 0, MarketIndex: BTC_ID, ClientOrderIndex: a.nonce + 1, BaseAmount: baseAmount, Price: price,
    IsAsk: 0, Type: 0, TimeInForce: tif, ReduceOnly: 0, TriggerPrice: 0, OrderExpiry: 0, ExpiredAt: Date.now() + 60_000, Nonce: a.nonce++, Sig: SIG,
  };
  return http('POST', `${sims.lighter.restUrl}/api/v1/sendTx`, { form: { tx_type: '14', tx_info: JSON.stringify(info) } });
}

const position = (index: number) => sims.trading.lighter.engine.position(String(index), 'BTC');

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 21, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('private-side faults', () => {
  it('rejectNext refuses exactly the next order', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.rejectNext();
    const refused = await buy(a, 1000, 650_000);
    expect(refused.status).toBe(400);
    expect(position(a.index).sizeUnits).toBe(0);
    a.nonce--; // refused before acceptance: the nonce was not consumed
    expect((await buy(a, 1000, 650_000)).status).toBe(200);
    expect(position(a.index).sizeUnits).toBe(1000);
  });

  it('capFill fills an IOC partially even with depth available', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.capFill('0.003');
    expect((await buy(a, 1000, 650_000)).status).toBe(200);
    expect(position(a.index).size.toFixed()).toBe('0.003');
    const [order] = sims.trading.lighter.engine.orders(String(a.index));
    expect(order).toMatchObject({ status: 'cancelled', filledUnits: 300 });
  });

  it('stallAck "execute": the order is done at once, the answer comes only after the stall', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.stallAck(400, 'execute');
    const started = Date.now();
    const pending = buy(a, 1000, 650_000);
    await sleep(150);
    expect(position(a.index).sizeUnits).toBe(1000); // executed while the client still waits
    const res = await pending;
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('stallAck "defer": nothing happens until the stall ends, then it executes and answers', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.stallAck(400, 'defer');
    const pending = buy(a, 1000, 650_000);
    await sleep(150);
    expect(position(a.index).sizeUnits).toBe(0);
    expect((await pending).status).toBe(200);
    expect(position(a.index).sizeUnits).toBe(1000);
  });

  it('stallAck "drop": the order never executes and the connection is cut unanswered', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.stallAck(200, 'drop');
    await expect(buy(a, 1000, 650_000)).rejects.toThrow();
    expect(position(a.index).sizeUnits).toBe(0);
  });

  it('loseAck answers 5xx although the order executed', async () => {
    const a = newAccount();
    setBook(sims.market('lighter', 'BTC'), [['64990.0', '1']], [['65000.0', '1']]);
    sims.trading.lighter.faults.loseAck(503);
    const res = await buy(a, 1000, 650_000);
    expect(res.status).toBe(503);
    expect(position(a.index).sizeUnits).toBe(1000);
    // The nonce was consumed, so a client that retries the same signed tx hits "invalid nonce".
    a.nonce--;
    expect((await buy(a, 1000, 650_000)).body.code).toBe(21104);
  });

  it('dropPrivateSockets cuts only authenticated sockets', async () => {
    const p = sims.trading.paradex;
    p.registerAccount('0xfeed', '0x1');
    const jwt = p.issueToken('0xfeed');
    const priv = await WireClient.open(sims.paradex.wsUrl);
    const pub = await WireClient.open(sims.paradex.wsUrl);
    clients.push(priv, pub);
    priv.send({ jsonrpc: '2.0', method: 'auth', params: { bearer: jwt }, id: 1 });
    expect((await priv.next()).result).toBeDefined();
    p.dropPrivateSockets();
    await priv.closed;
    expect(await pub.silentFor(100)).toBe(true);
    expect(pub.ws.readyState).toBe(pub.ws.OPEN);
  });
});

describe('resting orders and funding', () => {
  it('a resting GTT bid fills as maker when a later step moves the book through it', async () => {
    const a = newAccount();
    const market = sims.market('lighter', 'BTC');
    setBook(market, [['64990.0', '1']], [['65000.0', '1']]);
    expect((await buy(a, 1000, 649_950, 1)).status).toBe(200);
    expect(sims.trading.lighter.engine.openOrders(String(a.index))).toHaveLength(1);
    setBook(market, [['64900.0', '1']], [['64940.0', '0.004'], ['64960.0', '1']]);
    sims.trading.lighter.afterStep(); // what every market step runs after requoting
    // Crossed by 0.004 at 64940 and 0.006 at 64960; fills at its own limit, 64995.0, as maker.
    const fills = sims.trading.lighter.engine.fills(String(a.index));
    expect(fills.map((f) => [f.price.toFixed(), f.size.toFixed(), f.liquidity])).toEqual([
      ['64995', '0.004', 'maker'],
      ['64995', '0.006', 'maker'],
    ]);
    expect(sims.trading.lighter.engine.openOrders(String(a.index))).toHaveLength(0);
  });

  it('pays scripted funding on open positions: longs pay a positive rate, shorts receive it', async () => {
    const v = sims.trading.vest;
    const market = sims.market('vest', 'BTC');
    setBook(market, [['64999.00', '10']], [['65001.00', '10']]);
    v.engine.fund('long', '10000');
    v.engine.fund('short', '10000');
    v.engine.submit({ account: 'long', symbol: 'BTC-PERP', side: 'buy', kind: 'market', sizeUnits: 1000, timeInForce: 'IOC' });
    v.engine.submit({ account: 'short', symbol: 'BTC-PERP', side: 'sell', kind: 'market', sizeUnits: 1000, timeInForce: 'IOC' });
    setBook(market, [['64999.00', '10']], [['65001.00', '10']]);
    v.funding.script('BTC-PERP', ['0.0001', '-0.0002']);
    const before = { long: v.engine.account('long')!.collateral, short: v.engine.account('short')!.collateral };
    const first = v.funding.settle('BTC-PERP');
    // 0.1 BTC x mark 65000 x 0.0001 = 0.65
    expect(first.map((p) => [p.account, p.amount.toFixed()]).sort()).toEqual([['long', '-0.65'], ['short', '0.65']]);
    v.funding.settle('BTC-PERP');
    expect(v.engine.account('long')!.collateral.sub(before.long).toFixed()).toBe('0.65'); // -0.65 + 1.30
    expect(v.engine.account('short')!.collateral.sub(before.short).toFixed()).toBe('-0.65');
    expect(v.engine.position('long', 'BTC-PERP').funding.toFixed()).toBe('0.65');
    // After the script runs out the rate is the one the public feed publishes.
    expect(v.funding.nextRate('BTC-PERP').isFinite()).toBe(true);
    expect(v.funding.periodMs).toBe(3_600_000);
    expect(sims.trading.paradex.funding.periodMs).toBe(8 * 3_600_000);
  });
});
