/**
 * The `risk` config section. Money limits are decimal strings (USD); sizes are in base units.
 * Defaults are deliberately small: a first live run should be able to lose little.
 */
import { z } from 'zod';

const decimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal number like "250"' });

export const VenueHealthConfigSchema = z
  .object({
    /** A leg whose book is older than this benches its venue: its feed is lagging. */
    maxBookAgeMs: z.number().int().positive().default(2000),
    /** This many rejects within windowMs bench the venue. */
    maxRejects: z.number().int().positive().default(3),
    /** This many acks slower than maxAckMs within windowMs bench the venue. */
    maxAckMs: z.number().int().positive().default(1500),
    maxSlowAcks: z.number().int().positive().default(3),
    /** This many sends with no answer within windowMs bench the venue. */
    maxTimeouts: z.number().int().positive().default(2),
    windowMs: z.number().int().positive().default(60_000),
    /** How long a benched venue sits out. */
    benchMs: z.number().int().positive().default(60_000),
  })
  .strict()
  .prefault({});

/** Limits of the flash-loan path's on-chain calls (engine/risk/on-chain-gate.ts). */
export const FlashLoanRiskConfigSchema = z
  .object({
    /** Largest borrow of one cycle, valued at the reference price. */
    maxBorrowUsd: decimalString.default('10000'),
    /** Worst-case loss (the gas of every cycle sent, as if each reverted) since 00:00 UTC at which cycles stop for the day. */
    dailyLossLimitUsd: decimalString.default('25'),
    /** Cycles sent in any rolling hour. */
    maxCyclesPerHour: z.number().int().nonnegative().default(60),
  })
  .strict()
  .prefault({});

export const RiskConfigSchema = z
  .object({
    /** Largest notional of either leg of one trade. */
    maxNotionalPerTradeUsd: decimalString.default('1000'),
    /** Largest open notional on one venue, this trade included. */
    maxNotionalPerVenueUsd: decimalString.default('5000'),
    /** Largest absolute open position per instrument on any one venue, base units; "*" applies to the rest. */
    maxPositionPerInstrument: z.record(z.string(), decimalString).default({ '*': '1' }),
    /** Realized loss since 00:00 UTC at which trading stops for the day. */
    dailyLossLimitUsd: decimalString.default('100'),
    /** A judgment older than this (from detection) is not traded: the books have moved on. */
    maxIntentAgeMs: z.number().int().positive().default(1000),
    killSwitch: z
      .object({
        /** Creating this file trips the kill switch (checked before every trade and every pollMs). */
        file: z.string().default('data/KILL'),
        /** SIGUSR2 trips it too. */
        signal: z.boolean().default(true),
        pollMs: z.number().int().positive().default(500),
      })
      .strict()
      .prefault({}),
    venueHealth: VenueHealthConfigSchema,
    flashLoan: FlashLoanRiskConfigSchema,
  })
  .strict()
  .prefault({});

export type RiskConfig = z.infer<typeof RiskConfigSchema>;
export type VenueHealthConfig = z.infer<typeof VenueHealthConfigSchema>;
export type FlashLoanRiskConfig = z.infer<typeof FlashLoanRiskConfigSchema>;
