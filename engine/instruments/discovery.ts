/**
 * Instrument discovery: from each venue's market list (MarketInfo with base, quote and kind, as
 * the venue codecs read them), the perpetuals at least minVenues venues share by base asset,
 * as an instruments table ({ "BTC-USD-PERP": { paradex: "BTC-USD-PERP", vest: "BTC-PERP",
 * lighter: "1" } }). Tick and size steps stay with each venue's MarketInfo, loaded as for typed
 * entries. Pure: no sockets, so it tests on captured market lists.
 */
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { InstrumentDiscoveryConfig } from './config.ts';

export type InstrumentTable = Record<string, Record<string, string | number>>;

/** One venue lists two or more perpetuals on the same base and quote: which to trade is not ours to guess. */
export class AmbiguousInstrumentError extends Error {
  constructor(
    readonly venue: VenueId,
    readonly base: string,
    readonly symbols: string[],
  ) {
    super(
      `instruments.auto: ${venue} lists ${symbols.length} perpetuals on ${base} (${symbols.join(', ')}); ` +
        `map ${base} explicitly under instruments (e.g. ${base}-USD-PERP: { ${venue}: ${symbols[0]} }) or add ${base} to instruments.auto.exclude`,
    );
    this.name = 'AmbiguousInstrumentError';
  }
}

export interface DiscoveredInstrument {
  instrument: string;
  base: string;
  listings: Record<VenueId, string>;
}

export interface DiscoveryReport {
  /** The table the engine runs on: explicit entries plus the discovered ones. */
  table: InstrumentTable;
  discovered: DiscoveredInstrument[];
  /** Explicit entries kept as typed. */
  explicit: string[];
  /** Base assets seen on fewer than minVenues venues, with where they are. */
  singleVenue: Array<{ base: string; venues: VenueId[] }>;
  /** Markets passed over and why (not a perpetual, another quote, no base in the list). */
  passedOver: Array<{ venue: VenueId; symbol: string; reason: string }>;
}

export function discoverInstruments(
  marketsByVenue: ReadonlyMap<VenueId, readonly MarketInfo[]>,
  config: InstrumentDiscoveryConfig,
  explicit: InstrumentTable = {},
): DiscoveryReport {
  const quotes = new Set([config.quote, ...config.alsoQuote]);
  const include = config.include ? new Set(config.include) : undefined;
  const exclude = new Set(config.exclude);
  const passedOver: DiscoveryReport['passedOver'] = [];
  // Venue symbols an explicit entry already uses: a symbol belongs to one instrument only.
  const taken = new Set(Object.values(explicit).flatMap((l) => Object.entries(l).map(([v, s]) => `${v}\u0000${String(s)}`)));
  const explicitNames = new Set(Object.keys(explicit));
  // base -> venue -> candidate symbols
  const byBase = new Map<string, Map<VenueId, string[]>>();
  for (const [venue, markets] of marketsByVenue) {
    for (const m of markets) {
      const why = passOver(m, quotes);
      if (why) {
        passedOver.push({ venue, symbol: m.symbol, reason: why });
        continue;
      }
      const base = m.base!.toUpperCase();
      if (include && !include.has(base)) continue;
      if (exclude.has(base)) continue;
      const venues = byBase.get(base) ?? new Map<VenueId, string[]>();
      byBase.set(base, venues);
      venues.set(venue, [...(venues.get(venue) ?? []), m.symbol]);
    }
  }
  const discovered: DiscoveredInstrument[] = [];
  const singleVenue: DiscoveryReport['singleVenue'] = [];
  for (const base of [...byBase.keys()].sort()) {
    const instrument = `${base}-${config.quote}-PERP`;
    if (explicitNames.has(instrument)) continue; // typed by hand: that entry wins whole
    const listings: Record<VenueId, string> = {};
    for (const [venue, symbols] of byBase.get(base)!) {
      const free = symbols.filter((s) => !taken.has(`${venue}\u0000${s}`));
      // An explicit entry already trades one of this venue's candidates: it settled the choice.
      if (free.length < symbols.length) continue;
      if (free.length > 1) throw new AmbiguousInstrumentError(venue, base, free);
      listings[venue] = free[0]!;
    }
    const venues = Object.keys(listings);
    if (venues.length < config.minVenues) {
      singleVenue.push({ base, venues });
      continue;
    }
    discovered.push({ instrument, base, listings });
  }
  const table: InstrumentTable = { ...explicit };
  for (const d of discovered) table[d.instrument] = d.listings;
  return { table, discovered, explicit: [...explicitNames], singleVenue, passedOver };
}

function passOver(m: MarketInfo, quotes: ReadonlySet<string>): string | undefined {
  if (m.kind !== 'perp') return m.kind ? `not a perpetual (${m.kind})` : 'contract kind not in the market list';
  if (!m.base) return 'no base asset in the market list';
  if (m.quote !== undefined && !quotes.has(m.quote.toUpperCase())) return `quoted in ${m.quote}`;
  return undefined;
}

/** The start-up lines: what was mapped, on which venues, and what was left out. */
export function formatDiscovery(r: DiscoveryReport): string[] {
  const lines = [`Instruments (auto): ${r.discovered.length} shared perpetual(s) discovered${r.explicit.length ? `, ${r.explicit.length} typed in the config kept as written` : ''}`];
  for (const d of r.discovered) lines.push(`  ${d.instrument}: ${Object.entries(d.listings).map(([v, s]) => `${v} ${s}`).join(', ')}`);
  if (r.singleVenue.length > 0) {
    // A real venue lists hundreds of markets: name a few, count the rest.
    const shown = r.singleVenue.slice(0, 12).map((s) => `${s.base} (${s.venues.join(', ') || 'taken by a typed entry'})`);
    const more = r.singleVenue.length - shown.length;
    lines.push(`  not shared by enough venues: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return lines;
}
