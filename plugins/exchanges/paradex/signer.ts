/**
 * Paradex signing scheme: legacy Starknet typed data (revision 0, Pedersen) signed with Stark ECDSA.
 *
 * - Orders: `Order(timestamp,market,side,orderType,size,price)`, all felt, domain
 *   `StarkNetDomain{name:"Paradex", chainId, version:"1"}`; side "1" BUY / "2" SELL; size and price are
 *   the decimal value x 1e8 truncated toward zero; price "0" for MARKET. `client_id` and `instruction`
 *   are NOT part of the signed message (paradex-py message/order.py).
 * - Auth: `Request(method,path,body,timestamp,expiration)` for `POST /v1/auth` (paradex-py message/auth.py).
 * - Onboarding: `Constant(action)` with action "Onboarding" (paradex-py message/onboarding.py).
 * - Subkeys: the account address stays the main account's; only the signing key differs
 *   (paradex-py account/subkey_account.py). The message hash always includes the account address.
 *
 * Hot path: starknet.js `typedData.getMessageHash` costs tens of ms per order here, almost all of it
 * in @scure/starknet's bit-by-bit Pedersen. The order path below computes the same hash from
 * precomputed constants (domain hash, type hash, the account-dependent prefix of the message chain)
 * and a windowed Pedersen over the same curve points; the tests prove it equal to
 * `typedData.getMessageHash` on many random orders.
 */
import { ec, hash, shortString, typedData as starknetTypedData } from 'starknet';
import type { TypedData } from 'starknet';
import type { Decimal } from 'decimal.js';
import type { OrderRequest, SignedOrder } from '../../../engine/exchange/orders.ts';

/** `starknet_chain_id` values from `GET /v1/system/config`. */
export const PARADEX_CHAIN_IDS = {
  mainnet: 'PRIVATE_SN_PARACLEAR_MAINNET',
  testnet: 'PRIVATE_SN_POTC_SEPOLIA',
} as const;

/** Paradex's fixed-point scale for signed sizes and prices (`paraclear_decimals`). */
export const PARADEX_CHAIN_DECIMALS = 8;

export class ParadexSignerError extends Error {
  constructor(message: string) {
    super(`paradex signer: ${message}`);
    this.name = 'ParadexSignerError';
  }
}

export type ParadexSide = 'BUY' | 'SELL';
export type ParadexOrderType = 'LIMIT' | 'MARKET';

/** The fields Paradex signs for an order; everything else in the body is unsigned. */
export interface ParadexOrderFields {
  market: string;
  side: ParadexSide;
  type: ParadexOrderType;
  /** Decimal string or decimal.js value; never a JS number. */
  size: string | Decimal;
  /** Required for LIMIT; ignored (signed as 0) for MARKET. */
  price?: string | Decimal;
  /** signature_timestamp, ms since epoch; acts as the order's nonce. */
  signatureTimestamp: number;
}

export interface ParadexSignerConfig {
  /** Chain id as the short string `/system/config` returns, e.g. PRIVATE_SN_PARACLEAR_MAINNET. */
  chainId: string;
  /** The Paradex (L2) account address, hex. For a subkey: the MAIN account's address. */
  account: string;
  /** Stark private key (hex): the account's own key or a registered subkey. Never logged. */
  privateKey: string;
}

const DECIMAL_RE = /^(\d+)(?:\.(\d*))?$/;

/**
 * Decimal value -> integer quantum at 1e8, truncated toward zero, exactly (string arithmetic).
 * Mirrors paradex-py `int(Decimal.scaleb(8))`. Negative values are refused.
 */
export function toParadexQuantum(value: string | Decimal, field = 'value'): bigint {
  const text = typeof value === 'string' ? value.trim() : value.toFixed();
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new ParadexSignerError(`${field} must be a non-negative decimal string, got ${JSON.stringify(text)}`);
  const whole = m[1] ?? '0';
  const frac = (m[2] ?? '').slice(0, PARADEX_CHAIN_DECIMALS).padEnd(PARADEX_CHAIN_DECIMALS, '0');
  return BigInt(whole + frac);
}

/** True when the decimal has more fractional digits than the signed 1e8 quantum keeps. */
export function exceedsParadexPrecision(value: string | Decimal): boolean {
  const text = typeof value === 'string' ? value.trim() : value.toFixed();
  const frac = (DECIMAL_RE.exec(text)?.[2] ?? '').replace(/0+$/, '');
  return frac.length > PARADEX_CHAIN_DECIMALS;
}

const DOMAIN_TYPE = [
  { name: 'name', type: 'felt' },
  { name: 'chainId', type: 'felt' },
  { name: 'version', type: 'felt' },
];
const ORDER_TYPE = ['timestamp', 'market', 'side', 'orderType', 'size', 'price'].map((name) => ({ name, type: 'felt' }));
const REQUEST_TYPE = ['method', 'path', 'body', 'timestamp', 'expiration'].map((name) => ({ name, type: 'felt' }));

function domain(chainId: string): TypedData['domain'] {
  return { name: 'Paradex', chainId: shortString.encodeShortString(chainId), version: '1' };
}

/** The order's typed data exactly as paradex-py builds it (for audits and the slow reference path). */
export function paradexOrderTypedData(chainId: string, o: ParadexOrderFields): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Order',
    types: { StarkNetDomain: DOMAIN_TYPE, Order: ORDER_TYPE },
    message: {
      timestamp: String(o.signatureTimestamp),
      market: o.market,
      side: o.side === 'BUY' ? '1' : '2',
      orderType: o.type,
      size: toParadexQuantum(o.size, 'size').toString(),
      price: o.type === 'MARKET' ? '0' : toParadexQuantum(requirePrice(o), 'price').toString(),
    },
  };
}

/** Typed data for `POST /v1/auth` (JWT request). timestamp and expiration in seconds. */
export function paradexAuthTypedData(chainId: string, timestamp: number, expiration: number): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Request',
    types: { StarkNetDomain: DOMAIN_TYPE, Request: REQUEST_TYPE },
    message: { method: 'POST', path: '/v1/auth', body: '', timestamp, expiration },
  };
}

/** Typed data for `POST /v1/onboarding`. */
export function paradexOnboardingTypedData(chainId: string): TypedData {
  return {
    domain: domain(chainId),
    primaryType: 'Constant',
    types: { StarkNetDomain: DOMAIN_TYPE, Constant: [{ name: 'action', type: 'felt' }] },
    message: { action: 'Onboarding' },
  };
}

function requirePrice(o: ParadexOrderFields): string | Decimal {
  if (o.price === undefined) throw new ParadexSignerError(`LIMIT order on ${o.market} needs a price`);
  return o.price;
}

// ---------------------------------------------------------------------------------------------
// Lean Pedersen: same points as @scure/starknet (shift P0, P1/P2 for the first argument's low 248
// and high 4 bits, P3/P4 for the second's). Instead of one projective addition plus one equality
// check per input bit, each argument is cut into 8-bit windows looked up in precomputed affine tables
// (31 x 255 points for the low bits, 15 for the top 4) and added with Jacobian mixed additions on raw
// bigints. Tables are built lazily (~16k points) and self-checked against the library before use.
// ---------------------------------------------------------------------------------------------
type Point = InstanceType<typeof ec.starkCurve.ProjectivePoint>;
const Fp = ec.starkCurve.CURVE.Fp;
const FIELD_P = Fp.ORDER;
const WINDOW_BITS = 8;
const ROW = (1 << WINDOW_BITS) - 1; // 255 non-zero digits per full window
const LOW_WINDOWS = 248 / WINDOW_BITS; // 31 windows over bits 0..247, then one 4-bit window over 248..251

interface PedersenTables {
  shiftX: bigint;
  shiftY: bigint;
  /** Flat affine tables: entry (w * 255 + digit - 1) holds digit * 2^(8w) * base as [x, y]. */
  first: Array<readonly [bigint, bigint]>;
  second: Array<readonly [bigint, bigint]>;
}
let tables: PedersenTables | undefined;

function pedersenConstants(): Point[] {
  // The five Pedersen points of the StarkWare spec (pedersen-hash-function docs). The library does
  // not export them, so they are restated here and checked against its pedersen() on first use.
  const P = ec.starkCurve.ProjectivePoint;
  const pts = [
    [2089986280348253421170679821480865132823066470938446095505822317253594081284n, 1713931329540660377023406109199410414810705867260802078187082345529207694986n],
    [996781205833008774514500082376783249102396023663454813447423147977397232763n, 1668503676786377725805489344771023921079126552019160156920634619255970485781n],
    [2251563274489750535117886426533222435294046428347329203627021249169616184184n, 1798716007562728905295480679789526322175868328062420237419143593021674992973n],
    [2138414695194151160943305727036575959195309218611738193261179310511854807447n, 113410276730064486255102093846540133784865286929052426931474106396135072156n],
    [2379962749567351885752724891227938183011949129833673362440656643086021394946n, 776496453633298175483985398648758586525933812536653089401905292063708816422n],
  ] as const;
  return pts.map(([x, y]) => new P(x, y, 1n));
}

function windowTable(base: Point, lastBase: Point): Array<readonly [bigint, bigint]> {
  const proj: Point[] = [];
  let b = base;
  for (let w = 0; w <= LOW_WINDOWS; w++) {
    if (w === LOW_WINDOWS) b = lastBase;
    const size = w === LOW_WINDOWS ? 15 : ROW;
    let acc = b;
    for (let k = 0; k < size; k++) {
      proj.push(acc);
      acc = acc.add(b);
    }
    for (let d = 0; d < WINDOW_BITS; d++) b = b.double();
  }
  // Homogeneous projective (X, Y, Z) -> affine (X/Z, Y/Z) with one batched inversion.
  const inv = Fp.invertBatch(proj.map((q) => q.pz));
  return proj.map((q, i) => [Fp.mul(q.px, inv[i]!), Fp.mul(q.py, inv[i]!)] as const);
}

function buildTables(): PedersenTables {
  const [p0, p1, p2, p3, p4] = pedersenConstants() as [Point, Point, Point, Point, Point];
  const built: PedersenTables = { shiftX: p0.px, shiftY: p0.py, first: windowTable(p1, p2), second: windowTable(p3, p4) };
  // Self-check against the library on inputs that touch every window of both arguments.
  for (const [a, b] of [
    [FIELD_P - 12345n, FIELD_P - 67890n],
    [(1n << 248n) - 1n, 1n << 248n],
    [1n, 0n],
  ] as const) {
    if (pedersenWith(built, a, b) !== BigInt(ec.starkCurve.pedersen(a, b))) {
      throw new ParadexSignerError('lean Pedersen self-check failed; refusing to sign');
    }
  }
  return built;
}

const mod = (a: bigint): bigint => {
  const r = a % FIELD_P;
  return r < 0n ? r + FIELD_P : r;
};

/** Marker for the (negligibly likely) case where a mixed addition would need a doubling. */
class Degenerate extends Error {}

function pedersenWith(t: PedersenTables, a: bigint, b: bigint): bigint {
  if (a < 0n || a >= FIELD_P || b < 0n || b >= FIELD_P) throw new ParadexSignerError('Pedersen input out of field');
  let X = t.shiftX;
  let Y = t.shiftY;
  let Z = 1n;
  for (const [value, table] of [
    [a, t.first],
    [b, t.second],
  ] as const) {
    let v = value;
    for (let w = 0; v !== 0n; w++) {
      const digit = Number(v & 0xffn);
      v >>= 8n;
      if (digit === 0) continue;
      const [x2, y2] = table[w * ROW + digit - 1]!;
      // Jacobian + affine mixed addition (madd-2007-bl); independent of the curve's a.
      const z1z1 = mod(Z * Z);
      const u2 = mod(x2 * z1z1);
      const s2 = mod(y2 * mod(Z * z1z1));
      const h = mod(u2 - X);
      if (h === 0n) throw new Degenerate();
      const hh = mod(h * h);
      const i = 4n * hh;
      const j = mod(h * i);
      const r = mod(2n * (s2 - Y));
      const vv = mod(X * i);
      const x3 = mod(r * r - j - 2n * vv);
      const y3 = mod(r * (vv - x3) - 2n * Y * j);
      const z3 = mod((Z + h) * (Z + h) - z1z1 - hh);
      X = x3;
      Y = y3;
      Z = z3;
    }
  }
  const zInv = Fp.inv(Z);
  return mod(X * mod(zInv * zInv));
}

/** Pedersen hash of two field elements, equal to starknet's `ec.starkCurve.pedersen` as a bigint. */
export function leanPedersen(a: bigint, b: bigint): bigint {
  tables ??= buildTables();
  try {
    return pedersenWith(tables, a, b);
  } catch (e) {
    if (e instanceof Degenerate) return BigInt(ec.starkCurve.pedersen(a, b)); // exact, just slower
    throw e;
  }
}

function feltOf(text: string): bigint {
  return BigInt(shortString.encodeShortString(text));
}

const STARKNET_MESSAGE = feltOf('StarkNet Message');
const shortStringCache = new Map<string, bigint>();
function cachedShortString(text: string): bigint {
  let v = shortStringCache.get(text);
  if (v === undefined) {
    if (text.length > 31) throw new ParadexSignerError(`${text} does not fit in a Starknet short string`);
    v = feltOf(text);
    shortStringCache.set(text, v);
  }
  return v;
}

/**
 * Precomputed per (chain, account): the message chain
 * h = pedersen(pedersen(pedersen(pedersen(0, "StarkNet Message"), domainHash), account), structHash), then length 4.
 */
export class ParadexOrderHasher {
  private readonly messagePrefix: bigint;
  private readonly structPrefix: bigint;

  constructor(chainId: string, account: string) {
    const types = { StarkNetDomain: DOMAIN_TYPE, Order: ORDER_TYPE };
    const domainHash = BigInt(starknetTypedData.getStructHash(types, 'StarkNetDomain', domain(chainId)));
    const orderTypeHash = BigInt(starknetTypedData.getTypeHash(types, 'Order'));
    this.messagePrefix = leanPedersen(leanPedersen(leanPedersen(0n, STARKNET_MESSAGE), domainHash), BigInt(account));
    this.structPrefix = leanPedersen(0n, orderTypeHash);
  }

  /** Message hash of an order, equal to `typedData.getMessageHash(paradexOrderTypedData(...), account)`. */
  hash(o: ParadexOrderFields): bigint {
    const size = toParadexQuantum(o.size, 'size');
    const price = o.type === 'MARKET' ? 0n : toParadexQuantum(requirePrice(o), 'price');
    let h = this.structPrefix;
    h = leanPedersen(h, BigInt(o.signatureTimestamp));
    h = leanPedersen(h, cachedShortString(o.market));
    h = leanPedersen(h, o.side === 'BUY' ? 1n : 2n);
    h = leanPedersen(h, cachedShortString(o.type));
    h = leanPedersen(h, size);
    h = leanPedersen(h, price);
    const structHash = leanPedersen(h, 7n); // 7 elements: type hash + 6 fields
    return leanPedersen(leanPedersen(this.messagePrefix, structHash), 4n);
  }
}

/** `["r","s"]` as decimal strings: the wire form of PARADEX-STARKNET-SIGNATURE and `signature`. */
export function formatParadexSignature(r: bigint, s: bigint): string {
  return JSON.stringify([r.toString(10), s.toString(10)]);
}

/** Headers for `POST /v1/auth`, pure: the caller supplies the signature made over the same times. */
export function paradexAuthHeaders(account: string, signature: string, timestamp: number, expiration: number): Record<string, string> {
  return {
    'PARADEX-STARKNET-ACCOUNT': account,
    'PARADEX-STARKNET-SIGNATURE': signature,
    'PARADEX-TIMESTAMP': String(timestamp),
    'PARADEX-SIGNATURE-EXPIRATION': String(expiration),
  };
}

export interface ParadexSignedOrder {
  fields: ParadexOrderFields;
  /** Message hash, 0x-hex (for audit and journal; not sent). */
  hash: string;
  /** `["r","s"]` decimal strings. */
  signature: string;
}

/** The `POST /v1/orders` body for a signed order. */
export interface ParadexOrderBody {
  market: string;
  side: ParadexSide;
  type: ParadexOrderType;
  size: string;
  price?: string;
  instruction: 'GTC' | 'IOC' | 'POST_ONLY';
  signature: string;
  signature_timestamp: number;
  client_id?: string;
  flags?: string[];
}

/** Holds one Stark key; signs orders, auth and onboarding for one account (main or via subkey). */
export class ParadexSigner {
  readonly chainId: string;
  readonly account: string;
  /** Stark public key (x coordinate), 0x-hex. */
  readonly publicKey: string;
  private readonly privateKey: string;
  private readonly hasher: ParadexOrderHasher;

  constructor(cfg: ParadexSignerConfig) {
    if (!/^0x[0-9a-fA-F]{1,64}$/.test(cfg.account)) throw new ParadexSignerError('account must be a 0x-hex address');
    if (!/^(0x)?[0-9a-fA-F]{1,64}$/.test(cfg.privateKey)) {
      throw new ParadexSignerError('privateKey must be hex (value not shown)');
    }
    this.chainId = cfg.chainId;
    this.account = '0x' + BigInt(cfg.account).toString(16);
    this.privateKey = cfg.privateKey.startsWith('0x') ? cfg.privateKey : '0x' + cfg.privateKey;
    this.publicKey = ec.starkCurve.getStarkKey(this.privateKey);
    this.hasher = new ParadexOrderHasher(cfg.chainId, this.account);
  }

  private signHash(h: bigint | string): string {
    const sig = ec.starkCurve.sign(typeof h === 'bigint' ? '0x' + h.toString(16) : h, this.privateKey);
    return formatParadexSignature(sig.r, sig.s);
  }

  /** Sign an order's fields (lean hash path). */
  signOrder(fields: ParadexOrderFields): ParadexSignedOrder {
    const h = this.hasher.hash(fields);
    return { fields, hash: '0x' + h.toString(16), signature: this.signHash(h) };
  }

  /** Signature for POST /v1/auth at (timestamp, expiration) in seconds, and the headers to send. */
  authHeaders(timestamp: number, expiration: number): Record<string, string> {
    const h = starknetTypedData.getMessageHash(paradexAuthTypedData(this.chainId, timestamp, expiration), this.account);
    return paradexAuthHeaders(this.account, this.signHash(h), timestamp, expiration);
  }

  /**
   * Path for the JWT request. Current paradex-py posts to `/auth/{hex public key}` so the server
   * knows which key (main or subkey) signed; older clients post to `/auth`. The signed typed data
   * says `/v1/auth` either way (paradex-py message/auth.py).
   */
  authPath(): string {
    return `/auth/${this.publicKey}`;
  }

  /** Onboarding signature (`POST /v1/onboarding`, signed by the account's own key, not a subkey). */
  onboardingSignature(): string {
    return this.signHash(starknetTypedData.getMessageHash(paradexOnboardingTypedData(this.chainId), this.account));
  }

  /** Headers for `POST /v1/onboarding` (body carries `public_key`; see docs/venues/private-api.md). */
  onboardingHeaders(ethereumAccount: string): Record<string, string> {
    return {
      'PARADEX-ETHEREUM-ACCOUNT': ethereumAccount,
      'PARADEX-STARKNET-ACCOUNT': this.account,
      'PARADEX-STARKNET-SIGNATURE': this.onboardingSignature(),
    };
  }

  /**
   * Normalized order -> signed `POST /v1/orders` body. GTT has no Paradex equivalent and is refused;
   * sizes or prices finer than 1e-8 are refused because the signed quantum would drop digits.
   */
  signOrderRequest(req: OrderRequest, signatureTimestamp: number): SignedOrder {
    const fields: ParadexOrderFields = {
      market: req.symbol,
      side: req.side === 'buy' ? 'BUY' : 'SELL',
      type: req.type === 'limit' ? 'LIMIT' : 'MARKET',
      size: req.size,
      signatureTimestamp,
      ...(req.type === 'limit' ? { price: req.price } : {}),
    };
    if (exceedsParadexPrecision(req.size) || (req.price && exceedsParadexPrecision(req.price))) {
      throw new ParadexSignerError(`order ${req.clientId}: size/price finer than 1e-8`);
    }
    if (req.timeInForce === 'GTT') throw new ParadexSignerError(`order ${req.clientId}: Paradex has no GTT instruction`);
    const signed = this.signOrder(fields);
    const body: ParadexOrderBody = {
      market: fields.market,
      side: fields.side,
      type: fields.type,
      size: req.size.toFixed(),
      instruction: req.timeInForce,
      signature: signed.signature,
      signature_timestamp: signatureTimestamp,
      client_id: req.clientId,
      ...(fields.type === 'LIMIT' && req.price ? { price: req.price.toFixed() } : {}),
      ...(req.reduceOnly ? { flags: ['REDUCE_ONLY'] } : {}),
    };
    return { request: req, wire: body, signedAt: signatureTimestamp };
  }
}

/**
 * Paradex account address for a Stark public key: the proxy contract address deployed with
 * salt = public key (paradex-py account/account.py `_account_address`). Hashes come from /system/config
 * (`paraclear_account_proxy_hash`, `paraclear_account_hash`).
 */
export function deriveParadexAccountAddress(publicKey: string, proxyHash: string, accountHash: string): string {
  return hash.calculateContractAddressFromHash(
    publicKey,
    proxyHash,
    [accountHash, hash.getSelectorFromName('initialize'), 2, publicKey, 0],
    0,
  );
}
