/**
 * Lighter signer through the SDK's WASM. What is verified here, and what is not:
 * - verified against an independent build: the tx hash (Poseidon2 over the tx fields) equals the
 *   hashes in nautechsystems/nautilus_trader crates/adapters/lighter/test_data/signing_tx_oracle.json,
 *   which were produced by the official lighter-python 1.1.2 native signer (a different binary from
 *   this WASM) for a published test key; ExpiredAt is pinned through the injected clock.
 * - verified self-consistently: the WASM loads offline on this Node (fetch is made to throw), the
 *   tx_info round-trips every input field, ExpiredAt follows the injected clock, the hash is a
 *   deterministic function of the fields, auth-token format, exact scaling, keys kept out of errors.
 * - NOT verified: that Sig is a valid Schnorr/ECgFp5 signature over that hash. The WASM exports no
 *   verify or public-key function, no second implementation runs here, and signatures are
 *   randomized (random k), so the oracle's Sig cannot be reproduced byte for byte either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import {
  LIGHTER_TX_TYPE,
  lighterBaseAmount,
  lighterOrderFromRequest,
  lighterPrice,
  loadLighterSigner,
  setLighterClock,
  toLighterUnits,
  type LighterCreateOrder,
  type LighterWasm,
} from '../../../../plugins/exchanges/lighter/signer.ts';

let clock = 1_800_000_000_000;
let wasm: LighterWasm;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  globalThis.fetch = (() => {
    throw new Error('network used by the Lighter signer');
  }) as typeof fetch;
  wasm = await loadLighterSigner({ now: () => clock });
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

const base: LighterCreateOrder = {
  marketIndex: 1, clientOrderIndex: 77, baseAmount: 1000, price: 50000, isAsk: true, type: 0, timeInForce: 1,
  reduceOnly: false, triggerPrice: 0, orderExpiry: 1_800_000_000_000 + 86_400_000, nonce: 42,
};

describe('lighter signer (WASM)', () => {
  it('signs a create order whose tx_info round-trips every field', () => {
    const key = wasm.generateApiKey();
    expect(key.privateKey).toMatch(/^0x[0-9a-f]{80}$/);
    const signer = wasm.signerFor({ apiPrivateKey: key.privateKey, accountIndex: 12345, apiKeyIndex: 3, chainId: 304 });
    const tx = signer.createOrder(base);
    expect(tx.txType).toBe(LIGHTER_TX_TYPE.createOrder);
    const info = JSON.parse(tx.txInfo) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual([
      'AccountIndex', 'ApiKeyIndex', 'MarketIndex', 'ClientOrderIndex', 'BaseAmount', 'Price', 'IsAsk', 'Type',
      'TimeInForce', 'ReduceOnly', 'TriggerPrice', 'OrderExpiry', 'ExpiredAt', 'Nonce', 'Sig',
    ]);
    expect(info).toMatchObject({
      AccountIndex: 12345, ApiKeyIndex: 3, MarketIndex: 1, ClientOrderIndex: 77, BaseAmount: 1000, Price: 50000,
      IsAsk: 1, Type: 0, TimeInForce: 1, ReduceOnly: 0, TriggerPrice: 0, OrderExpiry: base.orderExpiry, Nonce: 42,
    });
    // ExpiredAt comes from the injected clock: within (now, now + 10 min].
    expect(info['ExpiredAt'] as number).toBeGreaterThan(clock);
    expect(info['ExpiredAt'] as number).toBeLessThanOrEqual(clock + 600_000);
    expect(Buffer.from(info['Sig'] as string, 'base64')).toHaveLength(80);
    expect(tx.txHash).toMatch(/^[0-9a-f]{80}$/);
  });

  it('tx hash is a deterministic function of the fields; signatures are randomized', () => {
    const signer = wasm.signerFor({ apiPrivateKey: wasm.generateApiKey().privateKey, accountIndex: 5, apiKeyIndex: 2, chainId: 304 });
    const a = signer.createOrder(base);
    const b = signer.createOrder(base);
    expect(a.txHash).toBe(b.txHash);
    expect(a.parsed.Sig).not.toBe(b.parsed.Sig);
    const variants: Partial<LighterCreateOrder>[] = [
      { nonce: 43 }, { price: 50001 }, { baseAmount: 1001 }, { isAsk: false }, { reduceOnly: true },
      { clientOrderIndex: 78 }, { marketIndex: 2 }, { timeInForce: 2 }, { orderExpiry: base.orderExpiry + 1 },
    ];
    const hashes = new Set([a.txHash, ...variants.map((v) => signer.createOrder({ ...base, ...v }).txHash)]);
    expect(hashes.size).toBe(variants.length + 1);
    // The chain id and the account are in the hash too.
    const testnet = wasm.signerFor({ apiPrivateKey: wasm.generateApiKey().privateKey, accountIndex: 5, apiKeyIndex: 4, chainId: 300 });
    expect(testnet.createOrder(base).txHash).not.toBe(a.txHash);
    clock += 1000;
    expect(signer.createOrder(base).txHash).not.toBe(a.txHash); // ExpiredAt moved with the clock
  });

  it('two keys on two api-key slots sign independently', () => {
    const k1 = wasm.generateApiKey();
    const k2 = wasm.generateApiKey();
    expect(k1.privateKey).not.toBe(k2.privateKey);
    expect(k1.publicKey).not.toBe(k2.publicKey);
    const s1 = wasm.signerFor({ apiPrivateKey: k1.privateKey, accountIndex: 9, apiKeyIndex: 10, chainId: 304 });
    const s2 = wasm.signerFor({ apiPrivateKey: k2.privateKey, accountIndex: 9, apiKeyIndex: 11, chainId: 304 });
    expect(s1.createOrder(base).parsed.ApiKeyIndex).toBe(10);
    expect(s2.createOrder(base).parsed.ApiKeyIndex).toBe(11);
    expect(s1.createOrder(base).parsed.Sig).not.toBe(s2.createOrder(base).parsed.Sig);
  });

  it('takes a replacement clock after loading (venue-corrected time)', () => {
    const signer = wasm.signerFor({ apiPrivateKey: wasm.generateApiKey().privateKey, accountIndex: 8, apiKeyIndex: 9, chainId: 304 });
    setLighterClock(() => 1_900_000_000_123);
    try {
      expect(signer.createOrder(base).parsed.ExpiredAt).toBe(1_900_000_000_123 + 599_000);
    } finally {
      setLighterClock(() => clock);
    }
    expect(signer.createOrder(base).parsed.ExpiredAt).toBe(clock + 599_000);
  });

  it('signs cancels and auth tokens', () => {
    const signer = wasm.signerFor({ apiPrivateKey: wasm.generateApiKey().privateKey, accountIndex: 12, apiKeyIndex: 5, chainId: 304 });
    const c = signer.cancelOrder(3, 281474976710655, 7);
    expect(c.txType).toBe(LIGHTER_TX_TYPE.cancelOrder);
    expect(c.parsed).toMatchObject({ AccountIndex: 12, ApiKeyIndex: 5, MarketIndex: 3, Index: 281474976710655, Nonce: 7 });
    const token = signer.authToken(1_800_003_600);
    expect(token).toMatch(/^1800003600:12:5:[0-9a-f]{160}$/);
    const def = signer.authToken();
    expect(Number(def.split(':')[0])).toBe(Math.floor(clock / 1000) + 7 * 3600);
  });

  it('refuses out-of-range inputs before they reach the WASM', () => {
    const signer = wasm.signerFor({ apiPrivateKey: wasm.generateApiKey().privateKey, accountIndex: 1, apiKeyIndex: 1, chainId: 304 });
    expect(() => signer.createOrder({ ...base, price: 2 ** 32 })).toThrow(/uint32/);
    expect(() => signer.createOrder({ ...base, marketIndex: 256 })).toThrow(/0..255/);
    expect(() => signer.createOrder({ ...base, nonce: 1.5 })).toThrow(/safe integer/);
  });

  it('keeps the key out of error messages', () => {
    const bad = '0x' + 'ab'.repeat(39) + 'zz';
    let msg = '';
    try {
      wasm.signerFor({ apiPrivateKey: bad, accountIndex: 1, apiKeyIndex: 1, chainId: 304 });
    } catch (e) {
      msg = String(e);
    }
    expect(msg).toMatch(/CreateClient failed/);
    expect(msg).not.toContain('abababab');
  });
});

// Published test key and vectors (nautilus_trader signing_tx_oracle.json, chain 300, account 12345,
// api key 5). Only vectors without L2TxAttributes: this WASM build predates integrator attributes.
const ORACLE_SK = '0b8e0f63c24d8baacd9d29ad4e9a4b73c4a8d2bb8b16dc4fa9d7c2e1d3a8b1f0e8d3a4c5b6e7f001';
const ORACLE_ORDERS: Array<{ o: LighterCreateOrder; expiredAt: number; hash: string }> = [
  {
    o: { marketIndex: 0, clientOrderIndex: 123, baseAmount: 1000, price: 405000, isAsk: true, type: 0, timeInForce: 1, reduceOnly: false, triggerPrice: 0, orderExpiry: 1735689600000, nonce: 0 },
    expiredAt: 1783955882578,
    hash: '49c80b614c0b7db4082506262f431d63a4bb55a22dd19ad1b7221feef7b6b5f95d7f6427795c8743',
  },
  {
    o: { marketIndex: 0, clientOrderIndex: 200, baseAmount: 1000, price: 405000, isAsk: false, type: 0, timeInForce: 1, reduceOnly: true, triggerPrice: 0, orderExpiry: 1735689600000, nonce: 5 },
    expiredAt: 1783955882581,
    hash: '085490c23e373594707239994b5ea61e50110e888911c6f17019139ac119889fc14960f885aefcd7',
  },
  {
    o: { marketIndex: 0, clientOrderIndex: 202, baseAmount: 1000, price: 390000, isAsk: true, type: 2, timeInForce: 0, reduceOnly: false, triggerPrice: 395000, orderExpiry: 1735689600000, nonce: 9 },
    expiredAt: 1783955882583,
    hash: 'd1dd4e17ab323688179f0c921daa3487fbbf529ae98304f20d51838b197734ebb4edb0d4235e107c',
  },
  {
    o: { marketIndex: 0, clientOrderIndex: 203, baseAmount: 1000, price: 390000, isAsk: true, type: 3, timeInForce: 1, reduceOnly: false, triggerPrice: 395000, orderExpiry: 1735689600000, nonce: 10 },
    expiredAt: 1783955882584,
    hash: 'fd9424ad8acff8ab009a0b818942de8b0a50125afb6c475f8f8f7799d47304179b29ddb951e64039',
  },
  {
    o: { marketIndex: 0, clientOrderIndex: 204, baseAmount: 1000, price: 420000, isAsk: false, type: 4, timeInForce: 0, reduceOnly: false, triggerPrice: 415000, orderExpiry: 1735689600000, nonce: 11 },
    expiredAt: 1783955882584,
    hash: 'cba0d949827f76e5925078b7236eb28c0a5a2b20d65d596e9037e8d08f42f668edac1668174da831',
  },
];
/** The WASM sets ExpiredAt = wall clock + 10 min - 1 s (observed); the oracle's ExpiredAt is pinned through it. */
const EXPIRY_OFFSET_MS = 599_000;

describe('lighter signer vs the official signer (tx-hash oracle)', () => {
  it('produces the oracle tx hash for every create-order vector', () => {
    const signer = wasm.signerFor({ apiPrivateKey: ORACLE_SK, accountIndex: 12345, apiKeyIndex: 5, chainId: 300 });
    const saved = clock;
    try {
      for (const v of ORACLE_ORDERS) {
        clock = v.expiredAt - EXPIRY_OFFSET_MS;
        const tx = signer.createOrder(v.o);
        expect(tx.parsed.ExpiredAt).toBe(v.expiredAt);
        expect(tx.txHash).toBe(v.hash);
      }
      clock = 1783955882579 - EXPIRY_OFFSET_MS;
      const cancel = signer.cancelOrder(0, 123, 2);
      expect(cancel.txHash).toBe('af5392ddbeec7dfd443ef5e360a6ec641fd44bbcb69ff4a7f7368041af2898619e97169fc0539a21');
      // Same fields on mainnet: a different hash (the chain id is hashed).
      const mainnet = wasm.signerFor({ apiPrivateKey: ORACLE_SK, accountIndex: 12345, apiKeyIndex: 5, chainId: 304 });
      clock = ORACLE_ORDERS[0]!.expiredAt - EXPIRY_OFFSET_MS;
      expect(mainnet.createOrder(ORACLE_ORDERS[0]!.o).txHash).not.toBe(ORACLE_ORDERS[0]!.hash);
    } finally {
      clock = saved;
    }
  });
});

describe('lighter exact scaling', () => {
  it('scales decimal strings exactly and refuses extra precision', () => {
    expect(lighterPrice('3550.69', 2)).toBe(355069);
    expect(lighterBaseAmount('0.0050', 4)).toBe(50);
    expect(lighterBaseAmount(new Decimal('0.1').plus('0.2'), 4)).toBe(3000);
    expect(toLighterUnits('123456789.123456', 6)).toBe(123456789123456);
    expect(() => lighterPrice('1.234', 2)).toThrow(/more than 2 decimals/);
    expect(() => lighterPrice('50000000', 2)).toThrow(/uint32/);
    expect(() => toLighterUnits('9007199254740993', 0)).toThrow(/too large/);
    expect(() => toLighterUnits('-1', 2)).toThrow();
  });

  it('maps a normalized order to signer inputs', () => {
    const m = { marketIndex: 0, priceDecimals: 2, sizeDecimals: 4 };
    const ioc = lighterOrderFromRequest(
      { venue: 'lighter', symbol: '0', side: 'sell', type: 'limit', size: new Decimal('0.5'), price: new Decimal('2979.36'), timeInForce: 'IOC', clientId: 'x' },
      m, 11, 99,
    );
    expect(ioc).toMatchObject({ marketIndex: 0, clientOrderIndex: 11, baseAmount: 5000, price: 297936, isAsk: true, type: 0, timeInForce: 0, orderExpiry: 0, nonce: 99 });
    const post = lighterOrderFromRequest(
      { venue: 'lighter', symbol: '0', side: 'buy', type: 'limit', size: new Decimal('1'), price: new Decimal('2900'), timeInForce: 'POST_ONLY', clientId: 'y' },
      m, 12, 100,
    );
    expect(post).toMatchObject({ isAsk: false, timeInForce: 2, orderExpiry: -1 });
    const mkt = lighterOrderFromRequest(
      { venue: 'lighter', symbol: '0', side: 'buy', type: 'market', size: new Decimal('1'), price: new Decimal('3100'), timeInForce: 'IOC', clientId: 'z' },
      m, 13, 101,
    );
    expect(mkt).toMatchObject({ type: 1, timeInForce: 0, orderExpiry: 0, price: 310000 });
  });
});
