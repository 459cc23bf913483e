/**
 * `instruments.auto`: map every perpetual the configured venues share, by base asset, instead of
 * typing one entry per market. Explicit entries beside `auto` still win.
 */
import { z } from 'zod';

const asset = z
  .string()
  .min(1)
  .transform((s) => s.toUpperCase());

export const InstrumentDiscoverySchema = z
  .object({
    /** Quote currency of the instruments: "USD" names them BTC-USD-PERP, ETH-USD-PERP, ... */
    quote: asset.default('USD'),
    /**
     * Venue quotes that count as `quote`: Paradex quotes USD and settles USDC, Vest quotes USDC
     * ("USDC is the only numéraire"), so by default USD also takes USDC. A venue whose market
     * list names no quote (Lighter) matches any.
     */
    alsoQuote: z.array(asset).default(['USDC']),
    /** A base asset must be listed on at least this many venues to be traded. */
    minVenues: z.number().int().min(2).default(2),
    /** Only these base assets (e.g. [BTC, ETH]); absent means every shared one. */
    include: z.array(asset).optional(),
    /** Never these base assets. */
    exclude: z.array(asset).default([]),
  })
  .strict();

export type InstrumentDiscoveryConfig = z.infer<typeof InstrumentDiscoverySchema>;
export const DISCOVERY_DEFAULTS: InstrumentDiscoveryConfig = { quote: 'USD', alsoQuote: ['USDC'], minVenues: 2, exclude: [] };
