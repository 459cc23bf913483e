/**
 * Vest private API against the simulator, signed in the test with ethers from the documented
 * scheme (EIP-712 SignerProof for registration; EIP-191 over keccak(abi.encode(...)) for orders
 * and cancels), never from the connector in plugins/.
 */
import { AbiCoder, getBytes, keccak256, Wallet, type HDNodeWallet } from 'ethers';

type Signer = Wallet | HDNodeWallet;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';
import { WireClient } from '../wire-client.ts';
import { http, setBook } from './helpers.ts';

const ROUTER = '0x919386306C47b2Fe1036e3B4F7C40D22D2461a23';
const BTC = 'BTC-PERP';

let sims: VenueSimulators;
const clients: WireClient[] = [];

interface Trader {
  primary: Signer;
  signer: Signer;
  apiKey: string;
  headers: Record<string, string>;
  nonce: number;
}

async function register(primary: Signer, signer: Signer, tamper = false) {
  const expiryTime = Date.now() + 86_400_000;
  const signature = await primary.signTypedData(
    { name: 'VestRouterV2', version: '0.0.1', verifyingContract: ROUTER },
    { SignerProof: [{ name: 'approvedSigner', type: 'address' }, { name: 'signerExpiry', type: 'uint256' }] },
    { approvedSigner: signer.address, signerExpiry: expiryTime },
  );
  return http('POST', `${sims.vest.restUrl}/register`, {
    headers: { xrestservermm: `restserver${sims.vest.accountGroup}` },
    body: { signingAddr: signer.address.toLowerCase(), primaryAddr: primary.address.toLowerCase(), signature, expiryTime: tamper ? expiryTime + 1 : expiryTime, networkType: 0 },
  });
}

async function newTrader(collateral: string): Promise<Trader> {
  const primary = Wallet.createRandom();
  const signer = Wallet.createRandom();
  const res = await register(primary, signer);
  expect(res.status).toBe(200);
  expect(res.body.accGroup).toBe(sims.vest.accountGroup);
  sims.trading.vest.engine.fund(sims.trading.vest.accountId(primary.address), collateral);
  return { primary, signer, apiKey: res.body.apiKey, headers: { 'X-API-KEY': res.body.apiKey, xrestservermm: `restserver${res.body.accGroup}` }, nonce: 0 };
}

interface OrderFields {
  orderType: 'LIMIT' | 'MARKET';
  isBuy: boolean;
  size: string;
  limitPrice: string;
  reduceOnly?: boolean;
  timeInForce?: string;
}

async function signOrder(t: Trader, time: number, nonce: number, o: OrderFields, symbol = BTC) {
  const digest = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['uint256', 'uint256', 'string', 'string', 'bool', 'string', 'string', 'bool'],
      [time, nonce, o.orderType, symbol, o.isBuy, o.size, o.limitPrice, o.reduceOnly ?? false],
    ),
  );
  return t.signer.signMessage(getBytes(digest));
}

async function placeOrder(t: Trader, o: OrderFields, opts: { nonce?: number; time?: number; recvWindow?: number; tamperSize?: string } = {}) {
  const time = opts.time ?? Date.now();
  const nonce = opts.nonce ?? ++t.nonce;
  const signature = await signOrder(t, time, nonce, o);
  const order = { time, nonce, orderType: o.orderType, symbol: BTC, isBuy: o.isBuy, size: opts.tamperSize ?? o.size, limitPrice: o.limitPrice, reduceOnly: o.reduceOnly ?? false, ...(o.timeInForce ? { timeInForce: o.timeInForce } : {}) };
  return http('POST', `${sims.vest.restUrl}/orders`, { headers: t.headers, body: { order, recvWindow: opts.recvWindow ?? 5000, signature } });
}

async function getOrder(t: Trader, id: string) {
  const res = await http('GET', `${sims.vest.restUrl}/orders?id=${id}`, { headers: t.headers });
  return res.body[0];
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 9, updateIntervalMs: 0, dislocationProbability: 0, instruments: ['BTC'] });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('vest private API', () => {
  it('registers with a verified SignerProof and refuses a tampered one', async () => {
    const bad = await register(Wallet.createRandom(), Wallet.createRandom(), true);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(1022);
    const t = await newTrader('0');
    expect(t.apiKey).toMatch(/^[0-9a-f]+$/);
    const nonce = await http('GET', `${sims.vest.restUrl}/account/nonce`, { headers: t.headers });
    expect(nonce.body).toEqual({ lastNonce: 0 });
    expect((await http('GET', `${sims.vest.restUrl}/account`, { headers: { xrestservermm: 'restserver0', 'X-API-KEY': 'nope' } })).status).toBe(401);
  });

  it('fills a signed market order at the book with hand-computed VWAP, position and fee', async () => {
    const t = await newTrader('5000');
    setBook(sims.market('vest', 'BTC'), [['64990.00', '1']], [['65000.00', '0.0500'], ['65004.00', '0.1500'], ['65100.00', '1']]);
    const res = await placeOrder(t, { orderType: 'MARKET', isBuy: true, size: '0.1000', limitPrice: '65050.00' });
    expect(res.status).toBe(200);
    const o = await getOrder(t, res.body.id);
    // 0.05 @ 65000 + 0.05 @ 65004 = 6500.2 over 0.1 -> 65002.
    expect(o).toMatchObject({ status: 'FILLED', avgFilledPrice: '65002.00', size: '0.1000', lastFilledPrice: '65004.00', code: null });
    // Taker fee 0.01% of 6500.2.
    expect(o.fees).toBe('0.650020');
    const account = (await http('GET', `${sims.vest.restUrl}/account`, { headers: t.headers })).body;
    expect(account.positions).toHaveLength(1);
    expect(account.positions[0]).toMatchObject({ symbol: BTC, isLong: true, size: '0.1000', entryPrice: '65002.00' });
    expect(account.collateral).toBe('4999.349980');
    expect((await http('GET', `${sims.vest.restUrl}/account/nonce`, { headers: t.headers })).body.lastNonce).toBe(1);
  });

  it('refuses a tampered order (1022), a reused nonce (1023) and an order past its recvWindow (1132)', async () => {
    const t = await newTrader('5000');
    setBook(sims.market('vest', 'BTC'), [['64990.00', '1']], [['65000.00', '1']]);
    const o: OrderFields = { orderType: 'LIMIT', isBuy: true, size: '0.0100', limitPrice: '64000.00' };
    const tampered = await placeOrder(t, o, { tamperSize: '0.9000' });
    expect(tampered.status).toBe(400);
    expect(tampered.body.code).toBe(1022);
    const first = await placeOrder(t, o, { nonce: 10 });
    expect(first.status).toBe(200);
    const reused = await placeOrder(t, o, { nonce: 10 });
    expect(reused.body.code).toBe(1023);
    const lower = await placeOrder(t, o, { nonce: 9 });
    expect(lower.body.code).toBe(1023);
    const stale = await placeOrder(t, o, { nonce: 11, time: Date.now() - 6000, recvWindow: 5000 });
    expect(stale.body.code).toBe(1132);
    // A refused order consumed nothing: 11 is still free.
    expect((await placeOrder(t, o, { nonce: 11 })).status).toBe(200);
  });

  it('reports reduce-only and margin rejections on the order (REJECTED + code), and cancels with a signed cancel', async () => {
    const t = await newTrader('100');
    setBook(sims.market('vest', 'BTC'), [['64990.00', '1']], [['65000.00', '1']]);
    const ro = await placeOrder(t, { orderType: 'LIMIT', isBuy: false, size: '0.0100', limitPrice: '64990.00', reduceOnly: true });
    expect(await getOrder(t, ro.body.id)).toMatchObject({ status: 'REJECTED', code: 'REDUCE_ONLY_INCREASES' });
    // 0.1 BTC at 65000 needs 650 initial margin at ratio 0.1; the account has 100.
    const big = await placeOrder(t, { orderType: 'LIMIT', isBuy: true, size: '0.1000', limitPrice: '65000.00' });
    expect(await getOrder(t, big.body.id)).toMatchObject({ status: 'REJECTED', code: 'MARGIN_CHECK_FAILED' });

    const resting = await placeOrder(t, { orderType: 'LIMIT', isBuy: true, size: '0.0010', limitPrice: '60000.00' });
    expect((await getOrder(t, resting.body.id)).status).toBe('NEW');
    const time = Date.now();
    const nonce = ++t.nonce;
    const digest = keccak256(AbiCoder.defaultAbiCoder().encode(['uint256', 'uint256', 'string'], [time, nonce, resting.body.id]));
    const signature = await t.signer.signMessage(getBytes(digest));
    const wrong = await http('POST', `${sims.vest.restUrl}/orders/cancel`, { headers: t.headers, body: { order: { id: resting.body.id, nonce: nonce + 1, time }, recvWindow: 5000, signature } });
    expect(wrong.body.code).toBe(1022);
    const cancel = await http('POST', `${sims.vest.restUrl}/orders/cancel`, { headers: t.headers, body: { order: { id: resting.body.id, nonce, time }, recvWindow: 5000, signature } });
    expect(cancel.status).toBe(200);
    expect((await getOrder(t, resting.body.id)).status).toBe('CANCELLED');
  });

  it('streams ORDER events on account_private through a listenKey socket', async () => {
    const t = await newTrader('5000');
    setBook(sims.market('vest', 'BTC'), [['64990.00', '1']], [['65000.00', '1']]);
    const key = (await http('POST', `${sims.vest.restUrl}/account/listenKey`, { headers: t.headers })).body.listenKey;
    expect(typeof key).toBe('string');
    const plain = await WireClient.open(sims.vest.wsUrl);
    clients.push(plain);
    plain.send({ method: 'SUBSCRIBE', params: ['account_private'], id: 1 });
    expect((await plain.next()).error.code).toBe(1130);

    const ws = await WireClient.open(`${sims.vest.wsUrl}&listenKey=${key}`);
    clients.push(ws);
    ws.send({ method: 'SUBSCRIBE', params: ['account_private'], id: 2 });
    expect(await ws.next()).toEqual({ result: null, id: 2 });
    const res = await placeOrder(t, { orderType: 'LIMIT', isBuy: true, size: '0.0200', limitPrice: '65000.00' });
    const filled = await ws.nextWhere((m) => m.channel === 'account_private' && m.data.args.status === 'FILLED');
    expect(filled.data).toMatchObject({ event: 'ORDER', args: { id: res.body.id, symbol: BTC, size: '0.0200', avgFilledPrice: '65000.00' } });

    const bad = await WireClient.open(`${sims.vest.wsUrl}&listenKey=wrong`);
    clients.push(bad);
    expect((await bad.closed).code).toBe(4004);
  });
});
