/**
 * strategy:maker-taker — a post-only quote on the maker venue, each fill hedged as taker on the
 * other venue. Options: `strategies.maker-taker` (options.ts). Live, the engine's quote desk
 * (engine/quoting) places and hedges; dry-run prints what it would quote.
 */
import { Decimal } from 'decimal.js';
import type { EngineConfig } from '../../../engine/core/config.ts';
import { ConfigError } from '../../../engine/core/config-errors.ts';
import { definePlugin } from '../../../engine/core/plugin.ts';
import { TOKENS } from '../../../engine/core/tokens.ts';
import type { FeeSchedule } from '../../../engine/simulation/fee-schedule.ts';
import { DEFAULT_GAS_USD } from '../../../engine/simulation/gas.ts';
import { parseMakerTakerOptions } from './options.ts';
import { MakerTakerStrategy } from './strategy.ts';

export default definePlugin({
  kind: 'strategy',
  name: 'maker-taker',
  description: 'Rest a post-only quote on one venue priced off the other venue’s depth; hedge each fill there as taker',
  register(ctx) {
    const options = parseMakerTakerOptions(ctx.options, ctx.optionsPath);
    const { container } = ctx;
    ctx.provideStrategy({
      name: 'maker-taker',
      create(deps) {
        const problems: string[] = [];
        for (const [i, instrument] of options.instruments.entries()) {
          const venues = deps.instruments.listings(instrument).map((l) => l.venue);
          if (venues.length === 0) problems.push(`${ctx.optionsPath}.instruments[${i}]: "${instrument}" is not in the instruments table`);
          else if (!venues.includes(options.makerVenue)) problems.push(`${ctx.optionsPath}.instruments[${i}]: ${options.makerVenue} (makerVenue) does not list ${instrument}; add it to instruments.${instrument}`);
          else if (options.takerVenue && !venues.includes(options.takerVenue)) problems.push(`${ctx.optionsPath}.instruments[${i}]: ${options.takerVenue} (takerVenue) does not list ${instrument}`);
          else if (venues.length < 2) problems.push(`${ctx.optionsPath}.instruments[${i}]: ${instrument} needs a second venue to hedge on`);
        }
        if (problems.length) throw new ConfigError(problems);
        const config = container.get<EngineConfig>(TOKENS.Config);
        const gas = (venue: string) => new Decimal(config.simulation.gasUsd[venue] ?? DEFAULT_GAS_USD[venue] ?? '0');
        return new MakerTakerStrategy({ ...deps, fees: container.get<FeeSchedule>(TOKENS.FeeSchedule), gasUsd: gas }, options);
      },
    });
  },
});
