/**
 * Lighter signer through the SDK's WASM. What is verified here, and what is not:
 * - verified: the WASM loads offline on this Node (fetch is made to throw during the tests), the
 *   tx_info round-trips every input field exactly, ExpiredAt follows the injected clock, the tx hash is
 *   a deterministic function of the fields (same fields -> same hash, any changed field -> new hash),
 *   auth-token format, exact integer scaling, and that keys stay out of error messages.
 * - NOT verified independently: that Sig is a valid Schnorr/ECgFp5 signature over the Poseidon2 tx
 *   hash, or that the hash matches the sequencer's. The WASM exports no verify/public-key function
 *   and no second implementation is available offline. Signatures are randomized (two signatures
 *   over the same hash differ), so no fixed vector can pin them either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import {
  LIGHTER_TX_TYPE,
  lighterBaseAmount,
  lighterOrderFromRequest,
  lighterPrice,
  loadLighterSigner,
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
