/**
 * Paradex's signed messages as the simulator checks them, written from docs.paradex.trade
 * ("StarkNet Message Hash and Signature", the onboarding/auth/order pages): legacy Starknet
 * typed data (revision 0) under `StarkNetDomain{name:"Paradex", chainId, version:"1"}`, all
 * fields felt, hashed with starknet.js and checked with the Stark curve ECDSA.
 *
 * - Onboarding: `Constant(action)` with action "Onboarding".
 * - Auth: `Request(method,path,body,timestamp,expiration)` for POST /v1/auth, body "".
 * - Orders: `Order(timestamp,market,side,orderType,size,price)`; side "1" buy / "2" sell;
 *   size and price x 1e8 truncated; price "0" for MARKET.
 */
import { ec, shortString, typedData } from 'starknet';
import type { TypedData } from 'starknet';
import { Decimal } from 'decimal.js';

const DOMAIN_TYPE = [
  { name: 'name', type: 'felt' },
  { name: 'chainId', type: 'felt' },
  { name: 'version', type: 'felt' },
];

function domain(chainId: string) {
  return { name: 'Paradex', chainId: shortString.encodeShortString(chainId), version: '1' };
}

export function onboardingTypedData(chainId: string): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Constant',
    types: { StarkNetDomain: DOMAIN_TYPE, Constant: [{ name: 'action', type: 'felt' }] },
    message: { action: 'Onboarding' },
  };
}

export function authTypedData(chainId: string, timestamp: number, expiration: number): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Request',
    types: {
      StarkNetDomain: DOMAIN_TYPE,
      Request: [
        { name: 'method', type: 'felt' },
        { name: 'path', type: 'felt' },
        { name: 'body', type: 'felt' },
        { name: 'timestamp', type: 'felt' },
        { name: 'expiration', type: 'felt' },
      ],
    },
    message: { method: 'POST', path: '/v1/auth', body: '', timestamp, expiration },
  };
}

export interface SignedOrderFields {
  readonly signatureTimestamp: number;
  readonly market: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly size: string;
  readonly price: string;
}

/** Value x 1e8 truncated toward zero, as a decimal string (the docs' chain scaling). */
export function chainQuantum(value: string): string {
  return new Decimal(value).mul('1e8').trunc().toFixed(0);
}

export function orderTypedData(chainId: string, o: SignedOrderFields): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Order',
    types: {
      StarkNetDomain: DOMAIN_TYPE,
      Order: [
        { name: 'timestamp', type: 'felt' },
        { name: 'market', type: 'felt' },
        { name: 'side', type: 'felt' },
        { name: 'orderType', type: 'felt' },
        { name: 'size', type: 'felt' },
        { name: 'price', type: 'felt' },
      ],
    },
    message: {
      timestamp: o.signatureTimestamp,
      market: o.market,
      side: o.side === 'BUY' ? '1' : '2',
      orderType: o.type,
      size: chainQuantum(o.size),
      price: o.type === 'MARKET' ? '0' : chainQuantum(o.price),
    },
  };
}

/** `["r","s"]` (decimal or 0x strings) as the headers and bodies carry it, or undefined. */
export function parseSignature(text: unknown): { r: bigint; s: bigint } | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((p) => typeof p === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(p))) return undefined;
    return { r: BigInt(parsed[0] as string), s: BigInt(parsed[1] as string) };
  } catch {
    return undefined;
  }
}

/** Canonical hex for a felt (lowercase, no leading zeros), so addresses compare equal. */
export function feltHex(value: string | bigint): string {
  return '0x' + BigInt(value).toString(16);
}

/**
 * Does (r, s) sign `hash` under the Stark key `publicKeyX`? A Stark key is the x coordinate
 * only, as Paradex registers it; both points with that x are tried.
 */
export function verifyStark(hash: string, sig: { r: bigint; s: bigint }, publicKeyX: bigint): boolean {
  const x = publicKeyX.toString(16).padStart(64, '0');
  const signature = new ec.starkCurve.Signature(sig.r, sig.s);
  for (const prefix of ['02', '03']) {
    try {
      if (ec.starkCurve.verify(signature, hash, prefix + x)) return true;
    } catch {
      // a malformed key or out-of-range signature is simply not a valid signature
    }
  }
  return false;
}

export function messageHash(data: TypedData, account: string): string {
  return typedData.getMessageHash(data, account);
}
