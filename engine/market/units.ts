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

/** "67629.7" with 2 decimals -> 6762970. Never goes through a float. */
export function toUnits(text: string, decimals: number): number {
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
