/** Paradex exchange plugin: registers the connector factory under `venues.paradex`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseParadexOptions } from './config.ts';
import { ParadexConnector } from './market-data.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'paradex',
  description: 'Paradex perps: order_book deltas and funding over JSON-RPC WebSocket',
  register(ctx) {
    // Parse once at registration so a bad config fails at startup, naming the field.
    const options = parseParadexOptions(ctx.options, ctx.optionsPath);
    ctx.provideExchange((input) => new ParadexConnector(options, input));
  },
});

export { ParadexConnector } from './market-data.ts';
export { parseParadexOptions, type ParadexOptions } from './config.ts';
