import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { parseOptions } from '../../../engine/core/config-errors.ts';

const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal like "0.15"' });

export const CrossExchangeOptionsSchema = z
  .object({
    /** Minimum executable spread, in percent (0.15 = 0.15%). */
    thresholdPct: decimal.default('0.15'),
    /** Trade size as USD notional at the buy price, unless `size` names a base size for the instrument. */
    notionalUsd: decimal.default('1000'),
    /** Base-asset size per instrument, e.g. { "BTC-USD-PERP": "0.01" }. */
    size: z.record(z.string(), decimal).default({}),
    /** Re-judge the same instrument/direction at most this often, so one dislocation is not counted 50 times. */
    cooldownMs: z.number().int().nonnegative().default(1000),
  })
  .strict();

export interface CrossExchangeOptions {
  threshold: Decimal;
  notionalUsd: Decimal;
  size: Map<string, Decimal>;
  cooldownMs: number;
}

export function parseCrossExchangeOptions(raw: unknown, path: string): CrossExchangeOptions {
  const o = parseOptions(CrossExchangeOptionsSchema, raw, path);
  return {
    threshold: new Decimal(o.thresholdPct).div(100),
    notionalUsd: new Decimal(o.notionalUsd),
    size: new Map(Object.entries(o.size).map(([k, v]) => [k, new Decimal(v)])),
    cooldownMs: o.cooldownMs,
  };
}
