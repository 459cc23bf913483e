/**
 * Vest signing schemes (EVM keys, ethers 6).
 *
 * Registration (`POST /register`): EIP-712 `SignerProof(address approvedSigner, uint256 signerExpiry)`,
 * domain `{name:"VestRouterV2", version:"0.0.1", verifyingContract}` with NO chainId, signed by the
 * PRIMARY wallet to approve a separate signing key.
 *
 * Orders and cancels are signed by the SIGNING key. The sources disagree on how:
 * - the project's first design said EIP-712;
 * - Vest's API docs (copy kept at hummingbot/hummingbot VEST_API_DOCS.md, "POST /orders" and
 *   "POST /orders/cancel" example signatures) and the community clients sign
 *   keccak256(abi.encode(...)) as an EIP-191 personal message over the 32 digest bytes.
 * The docs side with the community clients, so that is the default scheme. The scheme is one small
 * swappable unit (`VestOrderSigningScheme`), chosen by name from config, so a different scheme is a
 * registry entry, not a rewrite.
 */
import { AbiCoder, Wallet, TypedDataEncoder, getBytes, keccak256 } from 'ethers';
import { signDigest } from './digest-signer.ts';
import type { Decimal } from 'decimal.js';
import type { OrderRequest, SignedOrder } from '../../../engine/exchange/orders.ts';

export class VestSignerError extends Error {
  constructor(message: string) {
    super(`vest signer: ${message}`);
    this.name = 'VestSignerError';
  }
}

/** Verifying contracts from Vest's docs ("Contract Addresses"). */
export const VEST_VERIFYING_CONTRACT = {
  prod: '0x919386306C47b2Fe1036e3B4F7C40D22D2461a23',
  dev: '0x8E4D87AEf4AC4D5415C35A12319013e34223825B',
} as const;

export type VestOrderType = 'MARKET' | 'LIMIT' | 'STOP_LOSS' | 'TAKE_PROFIT';

/** Exactly the signed order fields; decimals are strings formatted as they go on the wire. */
export interface VestOrderFields {
  /** ms since epoch. */
  time: number;
  nonce: number;
  orderType: VestOrderType;
  symbol: string;
  isBuy: boolean;
  size: string;
  limitPrice: string;
  reduceOnly: boolean;
}

export interface VestCancelFields {
  time: number;
  nonce: number;
  /** The venue's order id as returned by POST /orders (e.g. "0x..."). */
  id: string;
}

/** One way of turning order/cancel fields into a signature with the signing key. */
export interface VestOrderSigningScheme {
  readonly name: string;
  /** The digest the key signs (after any scheme-specific prefixing), for audits and tests. */
  orderDigest(fields: VestOrderFields): string;
  cancelDigest(fields: VestCancelFields): string;
  signOrder(key: Wallet, fields: VestOrderFields): string;
  signCancel(key: Wallet, fields: VestCancelFields): string;
}

const abi = AbiCoder.defaultAbiCoder();
const ORDER_ABI = ['uint256', 'uint256', 'string', 'string', 'bool', 'string', 'string', 'bool'] as const;
const CANCEL_ABI = ['uint256', 'uint256', 'string'] as const;

/**
 * The reference: ethers' AbiCoder. The signer uses the direct encoder below (the coder's generic
 * walk was a third of a signature's time); abi-encode.test.ts proves them equal on random fields.
 */
export function vestOrderArgsHashReference(f: VestOrderFields): string {
  return keccak256(abi.encode(ORDER_ABI, [f.time, f.nonce, f.orderType, f.symbol, f.isBuy, f.size, f.limitPrice, f.reduceOnly]));
}

export function vestCancelArgsHashReference(f: VestCancelFields): string {
  return keccak256(abi.encode(CANCEL_ABI, [f.time, f.nonce, f.id]));
}

const utf8 = new TextEncoder();

/**
 * abi.encode of (uint, uint | string | bool)... written directly: a head word per value (a uint or
 * bool in place, a string's offset), then each string as its length word and its UTF-8 bytes padded
 * to 32. Numbers must be safe non-negative integers; anything else returns undefined and the caller
 * falls back to the reference coder (which says what is wrong).
 */
function abiEncode(values: readonly (number | string | boolean)[]): Uint8Array | undefined {
  const strings: Uint8Array[] = [];
  let tail = 0;
  for (const v of values) {
    if (typeof v === 'string') {
      const b = utf8.encode(v);
      strings.push(b);
      tail += 32 + Math.ceil(b.length / 32) * 32;
    } else if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) {
      return undefined;
    }
  }
  const head = 32 * values.length;
  const out = new Uint8Array(head + tail);
  let at = head;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === 'string') {
      writeWord(out, 32 * i, at);
      const b = strings[k++]!;
      writeWord(out, at, b.length);
      out.set(b, at + 32);
      at += 32 + Math.ceil(b.length / 32) * 32;
    } else {
      writeWord(out, 32 * i, typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
  }
  return out;
}

/** A safe non-negative integer as a big-endian 32-byte word at `at` (the array is zero-filled). */
function writeWord(out: Uint8Array, at: number, v: number): void {
  let lo = v % 0x100000000;
  let hi = (v - lo) / 0x100000000;
  for (let i = 31; i >= 28; i--) {
    out[at + i] = lo & 0xff;
    lo >>>= 8;
  }
  for (let i = 27; i >= 24; i--) {
    out[at + i] = hi & 0xff;
    hi >>>= 8;
  }
}

/** keccak256(abi.encode(time, nonce, orderType, symbol, isBuy, size, limitPrice, reduceOnly)). */
export function vestOrderArgsHash(f: VestOrderFields): string {
  const bytes = abiEncode([f.time, f.nonce, f.orderType, f.symbol, f.isBuy, f.size, f.limitPrice, f.reduceOnly]);
  return bytes ? keccak256(bytes) : vestOrderArgsHashReference(f);
}

/** keccak256(abi.encode(time, nonce, id)). */
export function vestCancelArgsHash(f: VestCancelFields): string {
  const bytes = abiEncode([f.time, f.nonce, f.id]);
  return bytes ? keccak256(bytes) : vestCancelArgsHashReference(f);
}

const PERSONAL_PREFIX_32 = utf8.encode('\x19Ethereum Signed Message:\n32');

/**
 * EIP-191 personal message hash of a 32-byte digest given as hex: keccak256(prefix || digest), the
 * same bytes ethers' hashMessage(getBytes(hex)) hashes (abi-encode.test.ts pins it), built in place.
 */
function personalHash32(hex: string): string {
  const msg = new Uint8Array(PERSONAL_PREFIX_32.length + 32);
  msg.set(PERSONAL_PREFIX_32);
  msg.set(getBytes(hex), PERSONAL_PREFIX_32.length);
  return keccak256(msg);
}

/** Docs + community clients: EIP-191 personal_sign over the 32-byte args hash. */
export const abiKeccakPersonalSign: VestOrderSigningScheme = {
  name: 'abi-keccak-personal-sign',
  orderDigest: (f) => personalHash32(vestOrderArgsHash(f)),
  cancelDigest: (f) => personalHash32(vestCancelArgsHash(f)),
  signOrder: (key, f) => signDigest(key, personalHash32(vestOrderArgsHash(f))),
  signCancel: (key, f) => signDigest(key, personalHash32(vestCancelArgsHash(f))),
};

/** Schemes selectable by config name. Add an entry here if Vest's scheme changes. */
export const VEST_SIGNING_SCHEMES: Readonly<Record<string, VestOrderSigningScheme>> = {
  [abiKeccakPersonalSign.name]: abiKeccakPersonalSign,
};
export const DEFAULT_VEST_SCHEME = abiKeccakPersonalSign.name;

export function vestSigningScheme(name: string = DEFAULT_VEST_SCHEME): VestOrderSigningScheme {
  const scheme = VEST_SIGNING_SCHEMES[name];
  if (!scheme) {
    throw new VestSignerError(`unknown signing scheme "${name}"; known: ${Object.keys(VEST_SIGNING_SCHEMES).join(', ')}`);
  }
  return scheme;
}

// ---------------------------------------------------------------- registration (EIP-712)

export const VEST_SIGNER_PROOF_TYPES = {
  SignerProof: [
    { name: 'approvedSigner', type: 'address' },
    { name: 'signerExpiry', type: 'uint256' },
  ],
};

export function vestDomain(verifyingContract: string): { name: string; version: string; verifyingContract: string } {
  return { name: 'VestRouterV2', version: '0.0.1', verifyingContract };
}

export interface VestRegisterBody {
  signingAddr: string;
  primaryAddr: string;
  signature: string;
  expiryTime: number;
  networkType: number;
}

/**
 * `POST /register` body: the primary wallet approves `signingAddr` until `expiryTime` (ms).
 * Addresses lower-cased as the docs' example asks. `networkType` 0 per the docs' example.
 */
export function signVestRegistration(
  primaryKey: string,
  signingAddr: string,
  expiryTime: number,
  verifyingContract: string = VEST_VERIFYING_CONTRACT.prod,
  networkType = 0,
): VestRegisterBody {
  const primary = new Wallet(primaryKey);
  const digest = TypedDataEncoder.hash(vestDomain(verifyingContract), VEST_SIGNER_PROOF_TYPES, {
    approvedSigner: signingAddr,
    signerExpiry: expiryTime,
  });
  return {
    signingAddr: signingAddr.toLowerCase(),
    primaryAddr: primary.address.toLowerCase(),
    signature: primary.signingKey.sign(digest).serialized,
    expiryTime,
    networkType,
  };
}

// ---------------------------------------------------------------- decimals

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Exact decimal -> the wire string with exactly `decimals` fraction digits ("3.12", 4 -> "3.1200").
 * Refuses values finer than the market allows instead of rounding them: the string is signed.
 */
export function formatVestDecimal(value: string | Decimal, decimals: number, field = 'value'): string {
  const text = typeof value === 'string' ? value.trim() : value.toFixed();
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new VestSignerError(`${field} must be a non-negative decimal, got ${JSON.stringify(text)}`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) throw new VestSignerError(`${field} ${text} has more than ${decimals} decimals`);
  const whole = (m[1] ?? '0').replace(/^0+(?=\d)/, '');
  return decimals === 0 ? whole : `${whole}.${frac.padEnd(decimals, '0')}`;
}

// ---------------------------------------------------------------- order bodies

export interface VestOrderBody {
  order: VestOrderFields & { timeInForce?: 'GTC' | 'FOK' };
  recvWindow?: number;
  signature: string;
}

export interface VestCancelBody {
  order: VestCancelFields;
  recvWindow?: number;
  signature: string;
}

export interface VestSignerConfig {
  /** The delegated signing key approved at registration. Never logged. */
  signingKey: string;
  /** Config name of the order signing scheme; default abi-keccak-personal-sign. */
  scheme?: string;
}

export interface VestMarketDecimals {
  sizeDecimals: number;
  priceDecimals: number;
}

export class VestSigner {
  readonly address: string;
  readonly scheme: VestOrderSigningScheme;
  private readonly key: Wallet;

  constructor(cfg: VestSignerConfig) {
    try {
      this.key = new Wallet(cfg.signingKey);
    } catch {
      throw new VestSignerError('signingKey is not a valid secp256k1 private key (value not shown)');
    }
    this.address = this.key.address;
    this.scheme = vestSigningScheme(cfg.scheme);
  }

  signOrder(order: VestOrderFields, extra: { timeInForce?: 'GTC' | 'FOK'; recvWindow?: number } = {}): VestOrderBody {
    const signature = this.scheme.signOrder(this.key, order);
    return {
      order: { ...order, ...(extra.timeInForce ? { timeInForce: extra.timeInForce } : {}) },
      ...(extra.recvWindow !== undefined ? { recvWindow: extra.recvWindow } : {}),
      signature,
    };
  }

  signCancel(cancel: VestCancelFields, recvWindow?: number): VestCancelBody {
    return { order: cancel, ...(recvWindow !== undefined ? { recvWindow } : {}), signature: this.scheme.signCancel(this.key, cancel) };
  }

  /**
   * Normalized order -> signed POST /orders body. GTC -> LIMIT/GTC; IOC -> MARKET carrying the band
   * edge as limitPrice (Vest's LIMIT accepts only GTC or FOK; its MARKET orders carry a limitPrice,
   * whose exact semantics the docs do not spell out). POST_ONLY and GTT have no Vest equivalent.
   */
  signOrderRequest(req: OrderRequest, m: VestMarketDecimals, time: number, nonce: number, recvWindow?: number): SignedOrder {
    if (req.price === undefined) throw new VestSignerError(`order ${req.clientId}: Vest orders need a limitPrice (band edge for market)`);
    if (req.timeInForce === 'POST_ONLY' || req.timeInForce === 'GTT') {
      throw new VestSignerError(`order ${req.clientId}: Vest has no ${req.timeInForce} time in force`);
    }
    const isLimit = req.type === 'limit' && req.timeInForce === 'GTC';
    const fields: VestOrderFields = {
      time,
      nonce,
      orderType: isLimit ? 'LIMIT' : 'MARKET',
      symbol: req.symbol,
      isBuy: req.side === 'buy',
      size: formatVestDecimal(req.size, m.sizeDecimals, 'size'),
      limitPrice: formatVestDecimal(req.price, m.priceDecimals, 'limitPrice'),
      reduceOnly: req.reduceOnly ?? false,
    };
    const body = this.signOrder(fields, { ...(isLimit ? { timeInForce: 'GTC' as const } : {}), ...(recvWindow !== undefined ? { recvWindow } : {}) });
    return { request: req, wire: body, signedAt: time };
  }
}
