/** strategy:cross-exchange — sequential cross-venue spread arbitrage. Options: `strategies.cross-exchange`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseCrossExchangeOptions } from './options.ts';
import { CrossExchangeStrategy } from './strategy.ts';

export default definePlugin({
  kind: 'strategy',
  name: 'cross-exchange',
  description: 'Buy where a perp is cheap, sell where it is rich, when the executable spread clears a threshold',
  register(ctx) {
    const options = parseCrossExchangeOptions(ctx.options, ctx.optionsPath);
    ctx.provideStrategy({ name: 'cross-exchange', create: (deps) => new CrossExchangeStrategy(deps, options) });
  },
});
