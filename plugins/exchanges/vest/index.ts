/** Vest exchange plugin: registers the connector factory under `venues.vest`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { parseVestOptions } from './config.ts';
import { VestConnector } from './market-data.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'vest',
  description: 'Vest perps: @depth snapshots and tickers funding over WebSocket',
  register(ctx) {
    const options = parseVestOptions(ctx.options, ctx.optionsPath);
    ctx.provideExchange((input) => new VestConnector(options, input));
  },
});

export { VestConnector } from './market-data.ts';
export { parseVestOptions, type VestOptions } from './config.ts';
