/**
 * fee-model:table — fee rates per venue from a named preset plus per-venue overrides.
 * Config: `fees.table: { preset: "seed" | "paradex-current" | "current" | "current-lighter-premium",
 * overrides: { <venue>: { maker, taker } } }`. The default is `current`, the venues' published rates
 * (presets.ts, with sources and the date read), which the simulators charge too; `seed` keeps the
 * first design's figures for replaying old journals.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { parseOptions } from '../../../engine/core/config-errors.ts';
import { definePlugin } from '../../../engine/core/plugin.ts';
import type { FeeModel, FeeRates } from '../../../engine/simulation/fees.ts';
import { CURRENT_FEES_READ_ON, FEE_PRESETS, FEE_PRESET_NOTES, FEE_PRESET_UNMODELLED } from './presets.ts';

const rate = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: 'expected a fee fraction like "0.0005" (0.05%)' });

const TableFeeOptions = z
  .object({
    preset: z.enum(Object.keys(FEE_PRESETS) as [string, ...string[]]).default('current'),
    overrides: z.record(z.string(), z.object({ maker: rate, taker: rate }).strict()).default({}),
  })
  .strict();

/** What the chosen preset leaves out, per venue it covers and the config does not override. */
export function feeModelCaveats(options: z.infer<typeof TableFeeOptions>): Record<string, string> {
  const notes = FEE_PRESET_NOTES[options.preset] ?? {};
  return Object.fromEntries(Object.entries(notes).filter(([venue]) => !(venue in options.overrides)));
}

export function createTableFeeModel(options: z.infer<typeof TableFeeOptions>): FeeModel {
  const table = new Map<string, FeeRates>();
  const merged = { ...FEE_PRESETS[options.preset], ...options.overrides };
  const unmodelled = FEE_PRESET_UNMODELLED[options.preset] ?? {};
  for (const [venue, pair] of Object.entries(merged)) {
    // An override is the operator's own all-in figure: nothing is flagged as left out then.
    const note = venue in options.overrides ? undefined : unmodelled[venue];
    table.set(venue, { maker: new Decimal(pair.maker), taker: new Decimal(pair.taker), ...(note ? { unmodelled: note } : {}) });
  }
  return { name: `table:${options.preset}`, rates: (venue) => table.get(venue) };
}

export default definePlugin({
  kind: 'fee-model',
  name: 'table',
  description: 'Maker/taker fee rates per venue from a preset (seed, paradex-current, current, current-lighter-premium) with overrides',
  register(ctx) {
    const options = parseOptions(TableFeeOptions, ctx.options, ctx.optionsPath);
    for (const [venue, caveat] of Object.entries(feeModelCaveats(options))) {
      // info, not warn: every judgment that meets such a cost says so itself (FeeRates.unmodelled).
      ctx.logger.info('fee preset leaves a cost out', { preset: options.preset, venue, caveat, ratesReadOn: CURRENT_FEES_READ_ON });
    }
    ctx.provideFeeModel(createTableFeeModel(options));
  },
});
