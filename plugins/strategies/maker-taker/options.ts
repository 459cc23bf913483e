/**
 * `strategies.maker-taker` options. Prices and sizes are decimal strings (numbers are accepted
 * and read through their decimal text, never through float arithmetic).
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ConfigError, parseOptions } from '../../../engine/core/config-errors.ts';
import { statusPollMsFor } from '../../../engine/quoting/fill-poller.ts';

const DECIMAL_TEXT = /^\d+(\.\d+)?$/;
/** A non-negative decimal; a JS number is taken by its shortest decimal text (String(0.1) is "0.1"). */
const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => DECIMAL_TEXT.test(v), { message: 'expected a non-negative decimal like "0.05"' });
// Text that is no decimal already has its message; zod runs this refinement on it too.
const positiveDecimal = decimal.refine((v) => !DECIMAL_TEXT.test(v) || new Decimal(v).gt(0), { message: 'must be greater than 0' });
const ms = z.number().int().positive();

export const MakerTakerOptionsSchema = z
  .object({
    /** Where the post-only quotes rest (a venue with a cheap maker fee and post-only orders: paradex, lighter). */
    makerVenue: z.string().min(1),
    /** Where each maker fill is hedged as taker: a venue id, or "best" (the best walked price among the other venues). */
    takerVenue: z.string().min(1).default('best'),
    /** Engine instruments to quote (keys of `instruments`). */
    instruments: z.array(z.string().min(1)).min(1),
    /** Required edge after both fees and gas, basis points of the quote's notional. */
    minEdgeBps: decimal.default('5'),
    /** Quote size in base units: one figure for every instrument, or one per instrument. */
    quoteSize: z.union([positiveDecimal, z.record(z.string(), positiveDecimal)]),
    /** Which sides to quote. */
    sides: z.enum(['both', 'buy', 'sell']).default('both'),
    /** Cancel and replace when the hedge venue's walked price moved this far (bps) from the one the quote was priced on. */
    repriceBps: decimal.default('2'),
    /** A quote rests at least this long before a favourable move replaces it (an adverse move replaces it at once). */
    minQuoteLifeMs: z.number().int().nonnegative().default(500),
    /** At most this many quotes rest at once, across instruments and sides. */
    maxRestingQuotes: z.number().int().positive().default(2),
    /** The hedge IOC's band beyond the hedge book's walked worst price, bps. */
    hedgeBandBps: z.number().nonnegative().max(5000).default(30),
    /** A maker fill left unhedged this long (below the taker venue's minimum, or the hedge failing) is unwound on the maker venue. */
    maxUnhedgedMs: ms.default(2000),
    /**
     * USD of maker fills not yet hedged above which quoting waits (resting quotes are cancelled
     * until the hedges catch up); a new quote is placed only while unhedged fills plus every
     * resting quote filled at once, itself included, stay within it.
     */
    maxUnhedgedUsd: positiveDecimal.default('1000'),
    /**
     * A resting quote's REST status poll interval per venue, ms, used only when the venue's
     * private stream pushed nothing (engine/quoting/fill-poller.ts); "*" for the rest. Defaults:
     * lighter 6000 (a Standard account has 60 requests a minute for everything), others 2000.
     */
    statusPollMs: z.record(z.string(), ms).default({}),
  })
  .strict();

export interface MakerTakerOptions {
  makerVenue: string;
  /** undefined means "best". */
  takerVenue?: string;
  instruments: string[];
  /** Fractions, not bps (0.0005 = 5 bps). */
  minEdge: Decimal;
  reprice: Decimal;
  quoteSize: (instrument: string) => Decimal | undefined;
  sides: ReadonlyArray<'buy' | 'sell'>;
  minQuoteLifeMs: number;
  maxRestingQuotes: number;
  hedgeBandBps: number;
  maxUnhedgedMs: number;
  maxUnhedgedUsd: Decimal;
  statusPollMs: (venue: string) => number;
}

const BPS = new Decimal(10_000);

export function parseMakerTakerOptions(raw: unknown, path: string): MakerTakerOptions {
  const o = parseOptions(MakerTakerOptionsSchema, raw, path);
  const problems: string[] = [];
  if (o.takerVenue === o.makerVenue) problems.push(`${path}.takerVenue: must differ from makerVenue ("${o.makerVenue}"); use another venue or "best"`);
  const sizes = typeof o.quoteSize === 'string' ? undefined : new Map(Object.entries(o.quoteSize).map(([k, v]) => [k, new Decimal(v)]));
  if (sizes) {
    for (const i of o.instruments) if (!sizes.has(i)) problems.push(`${path}.quoteSize.${i}: required (every quoted instrument needs a size)`);
  }
  for (const [venue, v] of Object.entries(o.statusPollMs)) {
    // Below a second a resting quote's polls alone would spend a Lighter Standard account's 60 a minute.
    if (v < 250) problems.push(`${path}.statusPollMs.${venue}: ${v} ms is too fast for a resting quote's fallback poll; use 250 or more (the private stream reports fills at once)`);
  }
  const maxUnhedgedUsd = new Decimal(o.maxUnhedgedUsd);
  if (problems.length) throw new ConfigError(problems);
  const single = typeof o.quoteSize === 'string' ? new Decimal(o.quoteSize) : undefined;
  return {
    makerVenue: o.makerVenue,
    ...(o.takerVenue === 'best' ? {} : { takerVenue: o.takerVenue }),
    instruments: o.instruments,
    minEdge: new Decimal(o.minEdgeBps).div(BPS),
    reprice: new Decimal(o.repriceBps).div(BPS),
    quoteSize: (instrument) => single ?? sizes?.get(instrument),
    sides: o.sides === 'both' ? ['buy', 'sell'] : [o.sides],
    minQuoteLifeMs: o.minQuoteLifeMs,
    maxRestingQuotes: o.maxRestingQuotes,
    hedgeBandBps: o.hedgeBandBps,
    maxUnhedgedMs: o.maxUnhedgedMs,
    maxUnhedgedUsd,
    statusPollMs: (venue) => statusPollMsFor(o.statusPollMs, venue),
  };
}
