/**
 * Strict readers for decoded JSON frames. Codecs read every field through these so that a
 * malformed frame becomes a WireFormatError naming the venue and the JSON path, never a
 * TypeError deep inside the connector. Prices and sizes are read as decimal strings and turned
 * into integer units without passing through a float.
 */
import { toUnits, UnitsError } from '../../../engine/market/units.ts';
import { WireFormatError, excerpt } from './errors.ts';

export type JsonObject = Record<string, unknown>;

export class WireReader {
  constructor(readonly venue: string) {}

  fail(path: string, problem: string): never {
    throw new WireFormatError(this.venue, path, problem);
  }

  parseJson(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return this.fail('(frame)', `is not JSON: ${excerpt(text, 60)}`);
    }
  }

  object(value: unknown, path: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `must be an object, got ${describe(value)}`);
    }
    return value as JsonObject;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `must be an array, got ${describe(value)}`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `must be a string, got ${describe(value)}`);
    return value;
  }

  /** An integer sent as a JSON number or a digit string (ccxt has seen both on Paradex). */
  integer(value: unknown, path: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) {
      const n = Number(value);
      if (Number.isSafeInteger(n)) return n;
    }
    return this.fail(path, `must be an integer, got ${describe(value)}`);
  }

  optionalInteger(value: unknown, path: string): number | undefined {
    return value === undefined || value === null ? undefined : this.integer(value, path);
  }

  /** A decimal sent as a string: kept as the exact text, validated. */
  decimal(value: unknown, path: string): string {
    const text = this.string(value, path);
    if (!/^-?\d+(\.\d+)?$/.test(text)) this.fail(path, `must be a decimal string, got ${JSON.stringify(excerpt(text, 40))}`);
    return text;
  }

  /** A decimal string that must not be negative (a size, a fill, a step): a minus sign means a broken frame. */
  unsignedDecimal(value: unknown, path: string): string {
    return this.unsigned(this.decimal(value, path), path);
  }

  /** looseDecimal, not negative. */
  unsignedLooseDecimal(value: unknown, path: string): string {
    return this.unsigned(this.looseDecimal(value, path), path);
  }

  /** A step (tick size, size increment): a decimal string above zero. */
  positiveDecimal(value: unknown, path: string): string {
    const text = this.decimal(value, path);
    if (!/[1-9]/.test(text) || text.startsWith('-')) this.fail(path, `must be above zero, got ${JSON.stringify(text)}`);
    return text;
  }

  private unsigned(text: string, path: string): string {
    if (text.startsWith('-') && /[1-9]/.test(text)) this.fail(path, `must not be negative, got ${JSON.stringify(text)}`);
    return text;
  }

  /**
   * A decimal the venue may send as a string or a JSON number (stats and funding fields, not
   * prices or sizes). A number is taken at its shortest round-trip text, which is exactly what
   * the venue's serializer wrote for ordinary values.
   */
  looseDecimal(value: unknown, path: string): string {
    if (typeof value === 'number' && Number.isFinite(value)) {
      const text = String(value);
      if (/^-?\d+(\.\d+)?$/.test(text)) return text;
      return this.fail(path, `number ${text} is not a plain decimal`);
    }
    return this.decimal(value, path);
  }

  /** A decimal string as integer units at `decimals`. Refuses floats on the wire. */
  units(value: unknown, decimals: number, path: string): number {
    const text = this.string(value, path);
    try {
      return toUnits(text, decimals);
    } catch (err) {
      if (err instanceof UnitsError) return this.fail(path, err.message);
      throw err;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(excerpt(value, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Frames arrive as text or, from `ws`, as a Buffer; JSON codecs want text. */
export function frameText(data: string | Buffer): string {
  return typeof data === 'string' ? data : data.toString('utf8');
}
