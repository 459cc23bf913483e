/**
 * Exact conversion between venue decimal strings and integer units (ticks, lots).
 *
 * Books keep prices and sizes as integers scaled by 10^decimals so that comparison and
 * level bookkeeping are exact and fast. A JS number holds an integer exactly up to 2^53,
 * which covers a BTC price at 1e-8 (1e13) and sizes far past any venue's position limit;
 * anything larger is refused rather than rounded.
 */
export class UnitsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnitsError';
  }
}

const DECIMAL_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * "67629.7" with 2 decimals -> 6762970. Never goes through a float: one pass over the characters
 * accumulating every digit into an integer (one range test per character: the point is the only
 * non-digit allowed, once), exact while it stays under 2^53 (every intermediate is a prefix of the
 * final value, which is checked). Fraction digits past `decimals` must be trailing zeros: the value
 * is then divided by their power of ten and the exact product proves nothing but zeros was dropped.
 * Anything unusual (a malformed string, too many decimals, too large) goes to the regex path,
 * which gives the error.
 */
export function toUnits(text: string, decimals: number): number {
  const n = text.length;
  let i = 0;
  let neg = false;
  if (n > 0 && text.charCodeAt(0) === 45 /* - */) {
    neg = true;
    i = 1;
  }
  const start = i;
  let v = 0;
  let dot = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    const d = c - 48;
    if (d >>> 0 > 9) {
      if (c !== 46 /* . */ || dot >= 0) return toUnitsChecked(text, decimals);
      dot = i;
      continue;
    }
    v = v * 10 + d;
  }
  // No digits, or a point with no digit before or after it: the regex path names the problem.
  if (n === start || dot === start || dot === n - 1) return toUnitsChecked(text, decimals);
  // Rounding is monotonic and 2^53 is a double: a true value past 2^53-1 cannot round under it.
  if (!(v <= Number.MAX_SAFE_INTEGER)) return toUnitsChecked(text, decimals);
  const frac = dot < 0 ? 0 : n - 1 - dot;
  if (frac <= decimals) {
    const shift = decimals - frac;
    if (shift > 0) v *= shift < POW10.length ? POW10[shift]! : 10 ** shift;
    if (!(v <= Number.MAX_SAFE_INTEGER)) return toUnitsChecked(text, decimals);
  } else {
    // "0.102000" at 3 decimals: v = 102000 must be a multiple of 10^3 (q * p is exact below 2^53).
    const p = frac - decimals < POW10.length ? POW10[frac - decimals]! : 10 ** (frac - decimals);
    const q = Math.round(v / p);
    if (q * p !== v) return toUnitsChecked(text, decimals);
    v = q;
  }
  return neg ? -v : v;
}

/** The reference parse (regex and strings); its errors say what is wrong with the text. */
export function toUnitsChecked(text: string, decimals: number): number {
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new UnitsError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > decimals) {
    throw new UnitsError(`${text} has more than ${decimals} decimals`);
  }
  const digits = (whole ?? '0') + frac.padEnd(decimals, '0');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new UnitsError(`${text} is too large at ${decimals} decimals`);
  return sign ? -value : value;
}

/** 6762970 with 2 decimals -> "67629.7" (trailing zeros trimmed). */
export function fromUnits(units: number | bigint, decimals: number): string {
  const neg = units < 0;
  const abs = (neg ? -BigInt(units) : BigInt(units)).toString().padStart(decimals + 1, '0');
  const whole = abs.slice(0, abs.length - decimals);
  const frac = abs.slice(abs.length - decimals).replace(/0+$/, '');
  return (neg ? '-' : '') + whole + (frac ? '.' + frac : '');
}

/** Number of decimals a tick or increment like "0.00001" implies (5); "1" -> 0. */
export function decimalsOf(step: string): number {
  const m = DECIMAL_RE.exec(step);
  if (!m) throw new UnitsError(`not a decimal number: ${JSON.stringify(step)}`);
  return (m[3] ?? '').replace(/0+$/, '').length;
}
