/** Vest exchange plugin: registers the connector factory under `venues.vest`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { VEST_SPEC } from './spec.ts';
import { RateLimiter } from '../shared/rate-limiter.ts';
import { parseVestOptions } from './config.ts';
import { VEST_RATE_LIMITS } from './limits.ts';
import { VestConnector } from './market-data.ts';
import { VestOrderGateway } from './orders.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'vest',
  spec: VEST_SPEC,
  description: 'Vest perps: @depth snapshots and tickers funding over WebSocket',
  register(ctx) {
    const options = parseVestOptions(ctx.options, ctx.optionsPath);
    // Dry-run binds no gateway at all: no code path can sign or send.
    ctx.provideExchange((input) => {
      // One limiter per connector: its public REST and the gateway share the venue's budgets.
      const limiter = new RateLimiter(VEST_RATE_LIMITS, { logger: input.logger.child({ venue: 'vest' }) });
      return new VestConnector(options, input, {
        limiter,
        ...(input.live
          ? { orders: new VestOrderGateway(options, { clock: input.clock, logger: input.logger, secrets: input.secrets, optionsPath: ctx.optionsPath, limiter }) }
          : {}),
      });
    });
  },
});

export { VestConnector } from './market-data.ts';
export { parseVestOptions, type VestOptions } from './config.ts';
export { VestOrderGateway } from './orders.ts';
export { VEST_SPEC } from './spec.ts';
