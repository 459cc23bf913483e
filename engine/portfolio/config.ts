/**
 * The `portfolio` config section: how pairs are closed, how each venue pays funding, and the
 * margin limits. Percent fields are percents ("0.05" = 0.05%), as in the strategies' options.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { venueSpec } from '../core/venue-spec.ts';
import type { VenueId } from '../market/types.ts';
import type { ExitPolicy } from './exit-policy.ts';
import type { FundingStyle } from './funding-accrual.ts';
import type { MarginLimits } from './margin.ts';

const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: 'expected a decimal number like "0.05"' });

const ExitPolicySchema = z
  .object({
    /** Close when the exit spread is at or below this, percent. */
    exitSpreadPct: decimal.optional(),
    /** Close when the exit spread has widened this far past entry, percent. */
    stopWideningPct: decimal.optional(),
    maxHoldMinutes: z.number().positive().optional(),
    /** Close when annualized funding carry falls below this, percent per year (negative: "against us by"). */
    minCarryAprPct: decimal.optional(),
  })
  .strict();

export const PortfolioConfigSchema = z
  .object({
    /** Dry-run: accepted judgments open simulated pairs that the exit policy closes. */
    simulatePairs: z.boolean().default(true),
    exit: z
      .object({
        default: ExitPolicySchema.prefault({ exitSpreadPct: '0.02', stopWideningPct: '0.5', maxHoldMinutes: 1440, minCarryAprPct: '-50' }),
        /** Per strategy name, replacing the default entirely. */
        strategies: z.record(z.string(), ExitPolicySchema).default({}),
      })
      .strict()
      .prefault({}),
    /**
     * How each venue settles funding: 'discrete' pays at each interval boundary, 'continuous'
     * accrues pro rata. Overrides; a venue not named here pays as its spec says
     * (VenueSpec.fundingStyle). The interval itself comes from the feed.
     */
    fundingStyle: z.record(z.string(), z.enum(['discrete', 'continuous'])).default({}),
    margin: z
      .object({
        /** Dry-run collateral per venue, USD. */
        balances: z.record(z.string(), decimal).default({}),
        maxMarginUsePct: decimal.default('50'),
        warnMarginUsePct: decimal.default('35'),
        /** Initial margin ratio per venue as a fraction (0.1 = 10x). */
        initialMarginRatio: z.record(z.string(), decimal).default({}),
        defaultInitialMarginRatio: decimal.default('0.1'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type PortfolioConfig = z.infer<typeof PortfolioConfigSchema>;

export interface PortfolioSettings {
  simulatePairs: boolean;
  policyFor(strategy: string): ExitPolicy;
  fundingStyle(venue: VenueId): FundingStyle;
  margin: MarginLimits;
  balances: Map<VenueId, Decimal>;
}

export function toExitPolicy(o: z.infer<typeof ExitPolicySchema>): ExitPolicy {
  const p: ExitPolicy = {};
  if (o.exitSpreadPct !== undefined) p.exitSpread = new Decimal(o.exitSpreadPct).div(100);
  if (o.stopWideningPct !== undefined) p.stopWidening = new Decimal(o.stopWideningPct).div(100);
  if (o.maxHoldMinutes !== undefined) p.maxHoldMs = Math.round(o.maxHoldMinutes * 60_000);
  if (o.minCarryAprPct !== undefined) p.minCarryApr = new Decimal(o.minCarryAprPct).div(100);
  return p;
}

export function portfolioSettings(c: PortfolioConfig = PortfolioConfigSchema.parse(undefined)): PortfolioSettings {
  const byStrategy = new Map(Object.entries(c.exit.strategies).map(([k, v]) => [k, toExitPolicy(v)]));
  const fallback = toExitPolicy(c.exit.default);
  return {
    simulatePairs: c.simulatePairs,
    policyFor: (strategy) => byStrategy.get(strategy) ?? fallback,
    // Then the venue's spec; a venue with neither is treated as discrete: the common schedule on perp DEXs.
    fundingStyle: (venue) => c.fundingStyle[venue] ?? venueSpec(venue)?.fundingStyle ?? 'discrete',
    margin: {
      maxMarginUse: new Decimal(c.margin.maxMarginUsePct).div(100),
      warnMarginUse: new Decimal(c.margin.warnMarginUsePct).div(100),
      initialMarginRatio: new Map(Object.entries(c.margin.initialMarginRatio).map(([k, v]) => [k, new Decimal(v)])),
      defaultInitialMarginRatio: new Decimal(c.margin.defaultInitialMarginRatio),
    },
    balances: new Map(Object.entries(c.margin.balances).map(([k, v]) => [k, new Decimal(v)])),
  };
}
