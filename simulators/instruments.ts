/**
 * Which instruments the simulators list, and each venue's identity and grid for them.
 *
 * Symbols and market ids follow the live venues (Paradex `BTC-USD-PERP`, Vest `BTC-PERP`,
 * Lighter integer market ids with ETH=0, BTC=1, SOL=2 as on mainnet). Tick and step sizes are
 * plausible values taken from public examples where one was found, and guesses otherwise:
 * see simulators/README.md. Every grid is integer-exact: a price on the wire is always
 * `tickUnits * k` at `priceDecimals`.
 */
import { decimalsOf, toUnits } from '../engine/market/units.ts';

export type VenueName = 'paradex' | 'vest' | 'lighter';
export const VENUE_NAMES: readonly VenueName[] = ['paradex', 'vest', 'lighter'];

/** The venue-independent description of one instrument the synthetic market trades. */
export interface InstrumentSeed {
  /** Base asset, also the model's key: "BTC". */
  readonly base: string;
  /** Starting fair price, decimal string in USD. */
  readonly startPrice: string;
  /** Size at the touch in base units; deeper levels thin out from here. */
  readonly touchSize: string;
  /** Spread of one step of the fair-price random walk, in parts per million. */
  readonly volatilityPpm: number;
  /** Lighter market id; defaults to the mainnet id for BTC/ETH/SOL. */
  readonly lighterMarketId?: number;
}

export const DEFAULT_INSTRUMENTS: readonly InstrumentSeed[] = [
  { base: 'BTC', startPrice: '65000', touchSize: '0.5', volatilityPpm: 40, lighterMarketId: 1 },
  { base: 'ETH', startPrice: '3500', touchSize: '6', volatilityPpm: 50, lighterMarketId: 0 },
  { base: 'SOL', startPrice: '150', touchSize: '120', volatilityPpm: 60, lighterMarketId: 2 },
];

/** One instrument as one venue lists it: its symbol, its grid, how deep its book is. */
export interface VenueInstrument {
  readonly venue: VenueName;
  readonly base: string;
  /** Venue symbol: "BTC-USD-PERP" (Paradex), "BTC-PERP" (Vest), "BTC" (Lighter). */
  readonly symbol: string;
  /** Lighter's integer market id; the other venues key by symbol. */
  readonly marketId: number;
  readonly priceTick: string;
  readonly sizeStep: string;
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  /** The tick in integer price units (at priceDecimals). */
  readonly tickUnits: number;
  /** The size step in integer size units (at sizeDecimals). */
  readonly stepUnits: number;
  /** Levels per side the simulated book keeps. */
  readonly levels: number;
  /** Touch size in integer size units. */
  readonly touchSizeUnits: number;
}

interface Grid {
  priceTick: string;
  sizeStep: string;
}

/** Grids for the default instruments, per venue (see README for which are sourced). */
const KNOWN_GRIDS: Record<VenueName, Record<string, Grid>> = {
  // Paradex: BTC from the venue's /markets example; ETH/SOL guessed.
  paradex: {
    BTC: { priceTick: '0.1', sizeStep: '0.00001' },
    ETH: { priceTick: '0.01', sizeStep: '0.0001' },
    SOL: { priceTick: '0.001', sizeStep: '0.01' },
  },
  // Vest: BTC priceDecimals 2 / sizeDecimals 4 from the API docs' exchangeInfo; others guessed.
  vest: {
    BTC: { priceTick: '0.01', sizeStep: '0.0001' },
    ETH: { priceTick: '0.01', sizeStep: '0.001' },
    SOL: { priceTick: '0.001', sizeStep: '0.01' },
  },
  // Lighter: price/size decimals as public clients record them for mainnet.
  lighter: {
    BTC: { priceTick: '0.1', sizeStep: '0.00001' },
    ETH: { priceTick: '0.01', sizeStep: '0.0001' },
    SOL: { priceTick: '0.001', sizeStep: '0.001' },
  },
};

const BOOK_LEVELS: Record<VenueName, number> = {
  // Paradex's book channels are depth 15 (`order_book.{m}.{feed}@15@...`).
  paradex: 15,
  vest: 20,
  lighter: 20,
};

/** A grid for an instrument no table knows: about 6 significant price digits. */
function derivedGrid(seed: InstrumentSeed): Grid {
  const whole = seed.startPrice.split('.')[0] ?? '0';
  const digits = whole.replace(/^0+/, '').length;
  const priceDecimals = Math.min(8, Math.max(0, 6 - digits));
  const sizeDecimals = Math.min(8, Math.max(0, digits - 1));
  const unit = (d: number) => (d === 0 ? '1' : '0.' + '0'.repeat(d - 1) + '1');
  return { priceTick: unit(priceDecimals), sizeStep: unit(sizeDecimals) };
}

export function venueSymbol(venue: VenueName, base: string): string {
  switch (venue) {
    case 'paradex':
      return `${base}-USD-PERP`;
    case 'vest':
      return `${base}-PERP`;
    case 'lighter':
      return base;
  }
}

export function venueInstrument(venue: VenueName, seed: InstrumentSeed, index: number): VenueInstrument {
  const grid = KNOWN_GRIDS[venue][seed.base] ?? derivedGrid(seed);
  const priceDecimals = decimalsOf(grid.priceTick);
  const sizeDecimals = decimalsOf(grid.sizeStep);
  if (priceDecimals > 8) throw new RangeError(`${venue} ${seed.base}: price tick finer than 1e-8`);
  const stepUnits = toUnits(grid.sizeStep, sizeDecimals);
  const touchRaw = toUnits(seed.touchSize, sizeDecimals);
  return {
    venue,
    base: seed.base,
    symbol: venueSymbol(venue, seed.base),
    // Unknown instruments get ids past the mainnet range so they never collide.
    marketId: seed.lighterMarketId ?? 1000 + index,
    priceTick: grid.priceTick,
    sizeStep: grid.sizeStep,
    priceDecimals,
    sizeDecimals,
    tickUnits: toUnits(grid.priceTick, priceDecimals),
    stepUnits,
    levels: BOOK_LEVELS[venue],
    touchSizeUnits: Math.max(stepUnits, touchRaw - (touchRaw % stepUnits)),
  };
}

/** Resolve option input ("BTC" or a full seed) to seeds. */
export function resolveInstruments(input: ReadonlyArray<string | InstrumentSeed> | undefined): InstrumentSeed[] {
  if (!input) return [...DEFAULT_INSTRUMENTS];
  return input.map((item) => {
    if (typeof item !== 'string') return item;
    const known = DEFAULT_INSTRUMENTS.find((s) => s.base === item.toUpperCase());
    if (!known) {
      throw new Error(`simulators: no default for instrument "${item}"; pass an InstrumentSeed with startPrice and touchSize`);
    }
    return known;
  });
}
