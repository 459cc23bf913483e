/** Lighter exchange plugin: registers the connector factory under `venues.lighter`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { LIGHTER_SPEC } from './spec.ts';
import { parseLighterOptions } from './config.ts';
import { LighterConnector } from './market-data.ts';
import { LighterOrderGateway, newLighterPacing } from './orders.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'lighter',
  spec: LIGHTER_SPEC,
  description: 'Lighter perps: order_book snapshot + nonce-chained updates and market_stats funding over WebSocket',
  register(ctx) {
    const options = parseLighterOptions(ctx.options, ctx.optionsPath);
    // Dry-run binds no gateway at all: no code path can sign or send.
    ctx.provideExchange((input) => {
      // One limiter per connector: Lighter counts every request of the IP and the L1 address in one budget.
      const limiter = newLighterPacing(options, input.logger.child({ venue: 'lighter' }));
      return new LighterConnector(options, input, {
        limiter,
        ...(input.live
          ? { orders: new LighterOrderGateway(options, { clock: input.clock, logger: input.logger, secrets: input.secrets, optionsPath: ctx.optionsPath, limiter }) }
          : {}),
      });
    });
  },
});

export { LighterConnector } from './market-data.ts';
export { parseLighterOptions, type LighterOptions } from './config.ts';
export { LighterOrderGateway } from './orders.ts';
export { LIGHTER_SPEC } from './spec.ts';
