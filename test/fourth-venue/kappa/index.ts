/**
 * The Kappa exchange plugin: everything the engine needs for a fourth venue, in this folder.
 * Options (`venues.kappa`): restUrl, wsUrl, credentials.apiKey (a secret ref, live only).
 */
import { definePlugin } from 'perp-arb-engine/engine/core/plugin.ts';
import { parseKappaOptions } from './config.ts';
import { KappaConnector } from './market-data.ts';
import { KappaOrderGateway } from './orders.ts';
import { KAPPA_SPEC } from './spec.ts';

export default definePlugin({
  kind: 'exchange',
  name: 'kappa',
  spec: KAPPA_SPEC,
  description: 'Kappa (a test venue): book snapshots over WebSocket, IOC orders over REST',
  register(ctx) {
    const options = parseKappaOptions(ctx.options, ctx.optionsPath);
    ctx.provideExchange(({ live, secrets, clock }) => {
      if (!live) return new KappaConnector(options, clock);
      if (!options.apiKey) throw new Error(`${ctx.optionsPath}.credentials.apiKey: required in live mode`);
      const key = secrets.read(options.apiKey, `${ctx.optionsPath}.credentials.apiKey`);
      return new KappaConnector(options, clock, new KappaOrderGateway(options.restUrl, key, clock));
    });
  },
});
