/** Paradex exchange plugin: registers the connector factory under `venues.paradex`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseParadexOptions } from './config.ts';
import { ParadexConnector } from './market-data.ts';
import { ParadexOrderGateway } from './orders.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'paradex',
  description: 'Paradex perps: order_book deltas and funding over JSON-RPC WebSocket',
  register(ctx) {
    // Parse once at registration so a bad config fails at startup, naming the field.
    const options = parseParadexOptions(ctx.options, ctx.optionsPath);
    // Dry-run binds no gateway at all: no code path can sign or send.
    ctx.provideExchange((input) =>
      new ParadexConnector(options, input, {
        ...(input.live
          ? { orders: new ParadexOrderGateway(options, { clock: input.clock, logger: input.logger, secrets: input.secrets, optionsPath: ctx.optionsPath }) }
          : {}),
      }),
    );
  },
});

export { ParadexConnector } from './market-data.ts';
export { parseParadexOptions, type ParadexOptions } from './config.ts';
export { ParadexOrderGateway } from './orders.ts';
