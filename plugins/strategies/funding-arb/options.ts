import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { parseOptions } from '../../../engine/core/config-errors.ts';

const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: 'expected a decimal like "10"' });

export const FundingArbOptionsSchema = z
  .object({
    /** Open when the carry, net of fees and round-trip spread over the horizon, beats this APR (percent per year). */
    minNetAprPct: decimal.default('10'),
    /** Close when the pair's gross funding carry falls below this APR (percent per year): it stopped paying. */
    exitBelowAprPct: decimal.default('2'),
    /** Hours the pair is expected to be held: entry and exit costs are spread over it. */
    horizonHours: z.number().positive().default(72),
    /** Trade size as USD notional at the long leg's price, unless `size` names a base size. */
    notionalUsd: decimal.default('1000'),
    size: z.record(z.string(), decimal).default({}),
    /** Close a pair after this many hours whatever funding does. */
    maxHoldHours: z.number().positive().optional(),
    /** Close when the exit spread widens this far past entry (percent): price risk between the venues. */
    stopWideningPct: decimal.optional(),
    /** Re-judge the same instrument and direction at most this often. */
    cooldownMs: z.number().int().nonnegative().default(60_000),
  })
  .strict();

export interface FundingArbOptions {
  minNetApr: Decimal;
  exitBelowApr: Decimal;
  horizonHours: number;
  notionalUsd: Decimal;
  size: Map<string, Decimal>;
  maxHoldMs?: number;
  stopWidening?: Decimal;
  cooldownMs: number;
}

export function parseFundingArbOptions(raw: unknown, path: string): FundingArbOptions {
  const o = parseOptions(FundingArbOptionsSchema, raw, path);
  const out: FundingArbOptions = {
    minNetApr: new Decimal(o.minNetAprPct).div(100),
    exitBelowApr: new Decimal(o.exitBelowAprPct).div(100),
    horizonHours: o.horizonHours,
    notionalUsd: new Decimal(o.notionalUsd),
    size: new Map(Object.entries(o.size).map(([k, v]) => [k, new Decimal(v)])),
    cooldownMs: o.cooldownMs,
  };
  if (o.maxHoldHours !== undefined) out.maxHoldMs = Math.round(o.maxHoldHours * 3_600_000);
  if (o.stopWideningPct !== undefined) out.stopWidening = new Decimal(o.stopWideningPct).div(100);
  return out;
}
