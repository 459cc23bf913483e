/**
 * Hostile input for the venue decoders, from the fixture corpus outwards: a real frame with one
 * value replaced (wrong type, huge, negative, too many decimals, exponent, NaN spelled out), one
 * key removed, its text truncated or spliced, or plain junk. And the checks every decoder's
 * answer must pass: a named error, or a value with no NaN, no negative size, no float money.
 *
 * FUZZ_RUNS sets the runs per property (default 300 in npm test; `npm run fuzz` runs 10 000).
 */
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { UnknownMarketError, WireFormatError } from '../../plugins/exchanges/shared/errors.ts';

export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

type Path = Array<string | number>;

/** Every path to a value inside a JSON document (the root excluded). */
export function pathsOf(v: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...pathsOf(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...pathsOf(x, [...prefix, k]));
  return out;
}

function edit(v: unknown, path: Path, fn: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  fn(at, path[path.length - 1]!);
  return copy;
}

/** Positions are signed (short = negative): only NaN and float money count there. */
export const positionProblems = (v: unknown): string[] => valueProblems(v, '$', true);

/** Values a venue (or a broken proxy) might put where a number, string or object belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, '', ' ', '0', '-0', '-1', '1e309', '-1e309', '1e-30', 'NaN', 'Infinity', '0x10', '1,5', ' 1', '1 ', '٣'),
  fc.constantFrom('99999999999999999999999999', '0.000000000000000000001', '65000.123456789012345678', '-65000.5', '1e21', '9007199254740993'),
  fc.constantFrom(0, -1, -0.5, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, 2 ** 63),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxKeys: 3 }),
);

/** A corpus frame with one value replaced, one key or element removed, or duplicated into a sibling. */
export function mutatedJson(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat(seeds.length - 1), fc.nat(), fc.constantFrom('replace', 'delete', 'replace2'), hostileValue, hostileValue).map(([s, p, op, a, b]) => {
    const seed = seeds[s]!;
    const paths = pathsOf(seed);
    if (paths.length === 0) return a;
    const path = paths[p % paths.length]!;
    if (op === 'delete') return edit(seed, path, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]));
    const once = edit(seed, path, (parent, key) => (parent[key] = a));
    if (op === 'replace') return once;
    const again = pathsOf(once);
    return again.length === 0 ? once : edit(once, again[(p * 7 + 3) % again.length]!, (parent, key) => (parent[key] = b));
  });
}

/** A corpus frame's text truncated, with bytes spliced in, or junk. */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.nat(seeds.length - 1), fc.nat()).map(([s, n]) => seeds[s]!.slice(0, n % (seeds[s]!.length + 1))),
    fc.tuple(fc.nat(seeds.length - 1), fc.nat(), fc.string({ maxLength: 8 })).map(([s, n, junk]) => {
      const t = seeds[s]!;
      const at = n % (t.length + 1);
      return t.slice(0, at) + junk + t.slice(at);
    }),
    fc.string({ maxLength: 64 }),
    fc.constantFrom('', 'null', '[]', '{}', '"x"', '1', '{"channel":null}', '{"params":{}}', '{"data":[]}'),
  );
}

/** The errors a decoder may throw on bad input: each names the venue and the field. */
export function isNamedError(err: unknown): boolean {
  return err instanceof WireFormatError || err instanceof UnknownMarketError;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function attempt<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

const MONEY_KEY = /price|size|fee|notional|amount|rate|qty|quantity|filled|collateral|equity|value|pnl|premium/i;
const SIZE_KEY = /size|filled|qty|quantity/i;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * What is wrong with a decoded value: NaN or infinite numbers anywhere, a money field held as a
 * JS float (numbers there must be integer units), a money string that is no plain decimal, a
 * negative size. Paths name the field.
 */
export function valueProblems(v: unknown, path = '$', signedSizes = false): string[] {
  if (v instanceof Decimal) return v.isFinite() ? [] : [`${path} is ${v.toString()}`];
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path} is ${v}`];
  if (v === null || typeof v !== 'object') return [];
  if (v instanceof Map) return [...v.entries()].flatMap(([k, x]) => valueProblems(x, `${path}.${String(k)}`, signedSizes));
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const at = Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`;
    out.push(...valueProblems(x, at, signedSizes));
    if (Array.isArray(v)) continue;
    if (MONEY_KEY.test(k)) {
      if (typeof x === 'number' && !Number.isSafeInteger(x)) out.push(`${at} is a float (${x}): money must be integer units or a decimal`);
      if (typeof x === 'string' && !DECIMAL_TEXT.test(x)) out.push(`${at} is "${x}": not a plain decimal`);
    }
    if (SIZE_KEY.test(k) && !signedSizes) {
      const neg = x instanceof Decimal ? x.isNegative() && !x.isZero() : typeof x === 'number' ? x < 0 : typeof x === 'string' && DECIMAL_TEXT.test(x) ? new Decimal(x).isNegative() && !new Decimal(x).isZero() : false;
      if (neg) out.push(`${at} is negative (${x.toString()})`);
    }
  }
  return out;
}

/**
 * A decoded book event: integer units, positive prices, non-negative sizes, integer sequence
 * numbers (their sign is not checked: continuity compares them for equality only).
 */
export function bookProblems(e: { bids: Array<{ price: number; size: number }>; asks: Array<{ price: number; size: number }>; seq?: number; prevSeq?: number }): string[] {
  const out: string[] = [];
  for (const [side, levels] of [['bids', e.bids], ['asks', e.asks]] as const)
    levels.forEach((l, i) => {
      if (!Number.isSafeInteger(l.price) || l.price <= 0) out.push(`${side}[${i}].price ${l.price}: not a positive integer of units`);
      if (!Number.isSafeInteger(l.size) || l.size < 0) out.push(`${side}[${i}].size ${l.size}: not a non-negative integer of units`);
    });
  for (const k of ['seq', 'prevSeq'] as const) if (e[k] !== undefined && !Number.isSafeInteger(e[k])) out.push(`${k} ${e[k]}: not a sequence number`);
  return out;
}

/** The property every decoder must keep: a named error, or an answer with no problem. */
export function judge<T>(o: Outcome<T>, problems: (v: T) => string[]): string[] {
  if (!o.ok) return isNamedError(o.error) ? [] : [`threw ${(o.error as Error)?.constructor?.name ?? typeof o.error}: ${(o.error as Error)?.message ?? String(o.error)}`];
  return problems(o.value);
}
