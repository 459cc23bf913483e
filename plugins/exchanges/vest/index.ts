/** Vest exchange plugin: registers the connector factory under `venues.vest`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseVestOptions } from './config.ts';
import { VestConnector } from './market-data.ts';
import { VestOrderGateway } from './orders.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'vest',
  description: 'Vest perps: @depth snapshots and tickers funding over WebSocket',
  register(ctx) {
    const options = parseVestOptions(ctx.options, ctx.optionsPath);
    // Dry-run binds no gateway at all: no code path can sign or send.
    ctx.provideExchange((input) =>
      new VestConnector(options, input, {
        ...(input.live
          ? { orders: new VestOrderGateway(options, { clock: input.clock, logger: input.logger, secrets: input.secrets, optionsPath: ctx.optionsPath }) }
          : {}),
      }),
    );
  },
});

export { VestConnector } from './market-data.ts';
export { parseVestOptions, type VestOptions } from './config.ts';
export { VestOrderGateway } from './orders.ts';
