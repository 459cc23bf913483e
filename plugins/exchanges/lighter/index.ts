/** Lighter exchange plugin: registers the connector factory under `venues.lighter`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseLighterOptions } from './config.ts';
import { LighterConnector } from './market-data.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'lighter',
  description: 'Lighter perps: order_book snapshot + nonce-chained updates and market_stats funding over WebSocket',
  register(ctx) {
    const options = parseLighterOptions(ctx.options, ctx.optionsPath);
    ctx.provideExchange((input) => new LighterConnector(options, input));
  },
});

export { LighterConnector } from './market-data.ts';
export { parseLighterOptions, type LighterOptions } from './config.ts';
