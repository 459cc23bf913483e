/**
 * The Vest signer's direct abi.encode (plugins/exchanges/vest/signer.ts) against ethers' AbiCoder,
 * the reference, on random order and cancel fields: any safe non-negative times and nonces,
 * strings of every length across the 32-byte padding edges, non-ASCII text, both booleans. Equal
 * digests; out-of-range numbers take the reference path and fail as it does.
 */
import { Wallet, getBytes, hashMessage, verifyMessage } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abiKeccakPersonalSign, vestCancelArgsHash, vestCancelArgsHashReference, vestOrderArgsHash, vestOrderArgsHashReference, type VestOrderFields,
} from '../../../../plugins/exchanges/vest/signer.ts';

const uint = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 + 5 }), fc.maxSafeNat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 1_760_000_000_000));
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64)));
const order = fc.record({
  time: uint, nonce: uint, orderType: fc.constantFrom('MARKET', 'LIMIT', 'STOP_LOSS', 'TAKE_PROFIT'), symbol: text,
  isBuy: fc.boolean(), size: text, limitPrice: text, reduceOnly: fc.boolean(),
}) as fc.Arbitrary<VestOrderFields>;

describe('Vest abi.encode fast path equals ethers AbiCoder', () => {
  it('order digests on random fields', () => {
    fc.assert(fc.property(order, (f) => {
      expect(vestOrderArgsHash(f)).toBe(vestOrderArgsHashReference(f));
    }), { numRuns: 1500 });
  });
  it('cancel digests on random fields', () => {
    fc.assert(fc.property(uint, uint, text, (time, nonce, id) => {
      expect(vestCancelArgsHash({ time, nonce, id })).toBe(vestCancelArgsHashReference({ time, nonce, id }));
    }), { numRuns: 1500 });
  });
  it('the personal-message digest and signature equal ethers hashMessage / signMessage over the args hash', () => {
    const key = new Wallet('0x' + '4c'.repeat(32));
    fc.assert(fc.property(order, (f) => {
      const args = vestOrderArgsHashReference(f);
      expect(abiKeccakPersonalSign.orderDigest(f)).toBe(hashMessage(getBytes(args)));
      const sig = abiKeccakPersonalSign.signOrder(key, f);
      expect(sig).toBe(key.signMessageSync(getBytes(args)));
      expect(verifyMessage(getBytes(args), sig)).toBe(key.address);
    }), { numRuns: 60 });
  });
  it('a negative or fractional time goes to the reference coder and is refused there', () => {
    const f: VestOrderFields = { time: -1, nonce: 1, orderType: 'LIMIT', symbol: 'BTC-PERP', isBuy: true, size: '1', limitPrice: '1', reduceOnly: false };
    expect(() => vestOrderArgsHash(f)).toThrow();
    expect(() => vestOrderArgsHash({ ...f, time: 1.5 })).toThrow();
  });
});
