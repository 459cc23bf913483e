/**
 * Ties each venue's own market symbol to one engine-wide instrument name, so a strategy
 * compares BTC-USD-PERP on Paradex with BTC-PERP on Vest and market 1 on Lighter.
 */
import type { VenueId } from './types.ts';

export interface InstrumentListing {
  venue: VenueId;
  symbol: string;
}

export class InstrumentMap {
  private readonly byInstrument = new Map<string, InstrumentListing[]>();
  private readonly byVenueSymbol = new Map<string, string>();

  /** `table` is the config's `instruments` section: instrument -> { venue: symbol }. */
  constructor(table: Record<string, Record<string, string | number>>) {
    for (const [instrument, venues] of Object.entries(table)) {
      const listings: InstrumentListing[] = [];
      for (const [venue, symbol] of Object.entries(venues)) {
        const s = String(symbol);
        listings.push({ venue, symbol: s });
        this.byVenueSymbol.set(key(venue, s), instrument);
      }
      this.byInstrument.set(instrument, listings);
    }
  }

  instruments(): string[] {
    return [...this.byInstrument.keys()];
  }

  listings(instrument: string): InstrumentListing[] {
    return this.byInstrument.get(instrument) ?? [];
  }

  instrumentOf(venue: VenueId, symbol: string): string | undefined {
    return this.byVenueSymbol.get(key(venue, symbol));
  }

  symbolsFor(venue: VenueId): string[] {
    const out: string[] = [];
    for (const listings of this.byInstrument.values()) {
      for (const l of listings) if (l.venue === venue) out.push(l.symbol);
    }
    return out;
  }
}

function key(venue: string, symbol: string): string {
  return venue + '\u0000' + symbol;
}
