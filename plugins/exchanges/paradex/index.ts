/** Paradex exchange plugin: registers the connector factory under `venues.paradex`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { PARADEX_SPEC } from './spec.ts';
import { RateLimiter } from '../shared/rate-limiter.ts';
import { parseParadexOptions } from './config.ts';
import { PARADEX_RATE_LIMITS } from './limits.ts';
import { ParadexConnector } from './market-data.ts';
import { ParadexOrderGateway } from './orders.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'paradex',
  spec: PARADEX_SPEC,
  description: 'Paradex perps: order_book deltas and funding over WebSocket (SBE binary public feed, JSON-RPC control)',
  register(ctx) {
    // Parse once at registration so a bad config fails at startup, naming the field.
    const options = parseParadexOptions(ctx.options, ctx.optionsPath);
    // Dry-run binds no gateway at all: no code path can sign or send.
    ctx.provideExchange((input) => {
      // One limiter per connector: its public REST and the gateway share the venue's IP budget.
      const limiter = new RateLimiter(PARADEX_RATE_LIMITS, { logger: input.logger.child({ venue: 'paradex' }) });
      return new ParadexConnector(options, input, {
        limiter,
        ...(input.live
          ? { orders: new ParadexOrderGateway(options, { clock: input.clock, logger: input.logger, secrets: input.secrets, optionsPath: ctx.optionsPath, limiter }) }
          : {}),
      });
    });
  },
});

export { ParadexConnector } from './market-data.ts';
export { parseParadexOptions, type ParadexOptions } from './config.ts';
export { ParadexOrderGateway } from './orders.ts';
export { PARADEX_SPEC } from './spec.ts';
