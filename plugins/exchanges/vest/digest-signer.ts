/**
 * ECDSA over secp256k1 of a 32-byte digest, for Vest orders and cancels: through libsecp256k1
 * (bitcoin-core's C library, the `secp256k1` package's prebuilt binding) when it loads, else
 * through ethers' SigningKey (noble-curves, pure JS). Both sign RFC 6979 deterministic nonces
 * with low S, so they give the same signature byte for byte on every key and digest
 * (test/plugins/exchanges/vest/digest-signer.test.ts checks that on random ones); the native one
 * took 0.07 ms against 0.75 ms (p50, 2026-12-03, this 2-core machine under load).
 *
 * The private key bytes are read once per wallet and kept only in this module's WeakMap.
 */
import { createRequire } from 'node:module';
import { getBytes, hexlify, type Wallet } from 'ethers';

interface NativeSecp256k1 {
  ecdsaSign(digest: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
}

function loadNative(): NativeSecp256k1 | undefined {
  if (process.env.ARB_VEST_SIGNER === 'js') return undefined;
  try {
    // bindings.js is the native binding alone: the package's index falls back to elliptic, which we never want.
    return createRequire(import.meta.url)('secp256k1/bindings.js') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

const native = loadNative();
const keyBytes = new WeakMap<Wallet, Uint8Array>();

/** Which implementation signs: what the bench and the start-up plan can say. */
export const VEST_SIGNER_BACKEND: 'libsecp256k1' | 'noble-curves' = native ? 'libsecp256k1' : 'noble-curves';

/** The 65-byte r || s || v signature (v = 27 + recovery id) of `digest` (0x hex), as ethers serializes it. */
export function signDigest(key: Wallet, digest: string): string {
  if (!native) return key.signingKey.sign(digest).serialized;
  let priv = keyBytes.get(key);
  if (!priv) keyBytes.set(key, (priv = getBytes(key.privateKey)));
  const { signature, recid } = native.ecdsaSign(getBytes(digest), priv);
  return hexlify(signature) + (recid === 1 ? '1c' : '1b');
}
