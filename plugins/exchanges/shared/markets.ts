/** Market-metadata helpers shared by the venues' loadMarkets. */
import { UnknownMarketError } from './errors.ts';

/**
 * Keep the markets the engine asked for, in the order asked; refuse the whole call if any is
 * missing, since trading a market with unknown decimals would corrupt its book.
 */
export function pickMarkets<T>(venue: string, all: T[], symbolOf: (m: T) => string, wanted: string[]): T[] {
  const bySymbol = new Map(all.map((m) => [symbolOf(m), m]));
  const missing = wanted.filter((s) => !bySymbol.has(s));
  if (missing.length > 0) throw new UnknownMarketError(venue, missing);
  return wanted.map((s) => bySymbol.get(s) as T);
}

/** The step a number of decimals implies: 2 -> "0.01", 0 -> "1". Exact, no float. */
export function stepOf(decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`decimals must be a whole number >= 0, got ${decimals}`);
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

/**
 * A whole market list for instrument discovery, decoded entry by entry: an entry the codec
 * refuses (a new contract type, a missing field) is named in `skipped` instead of failing the
 * list, since discovery only needs the markets it can trade.
 */
export function decodeEach<T>(entries: unknown, decodeOne: (raw: unknown) => T[]): { markets: T[]; skipped: string[] } {
  const markets: T[] = [];
  const skipped: string[] = [];
  if (!Array.isArray(entries)) return { markets, skipped: ['(list missing)'] };
  for (const raw of entries) {
    try {
      markets.push(...decodeOne(raw));
    } catch (err) {
      const symbol = raw && typeof raw === 'object' && 'symbol' in raw ? String((raw as { symbol: unknown }).symbol) : '?';
      skipped.push(`${symbol}: ${(err as Error).message}`);
    }
  }
  return { markets, skipped };
}
