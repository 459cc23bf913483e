/**
 * Paradex described as data (engine/core/venue-spec.ts): what the core needs to know about the
 * venue without running its code, and the loopback simulator hook for `simulators.enabled`.
 */
import type { VenueEndpointSpec, VenueSpec } from '../../../engine/core/plugin.ts';
import type { VenueSimulators } from '../../../simulators/index.ts';
import { DEFAULT_BOOK_CHANNEL } from './config.ts';
import { PARADEX_COST } from './limits.ts';
import { PARADEX_ERRORS } from './order-codec.ts';

/** Rate classes are PARADEX_COST keys (limits.ts cites the venue's table). */
const ENDPOINTS = {
  markets: { method: 'GET', path: '/markets', rateClass: 'publicGet' },
  systemConfig: { method: 'GET', path: '/system/config', rateClass: 'publicGet' },
  auth: { method: 'POST', path: '/auth', rateClass: 'auth' },
  createOrder: { method: 'POST', path: '/orders', rateClass: 'order' },
  cancelByClientId: { method: 'DELETE', path: '/orders/by_client_id/{clientId}', rateClass: 'order' },
  orderByClientId: { method: 'GET', path: '/orders/by_client_id/{clientId}', rateClass: 'privateGet' },
  ordersHistory: { method: 'GET', path: '/orders-history', rateClass: 'privateGet' },
  fills: { method: 'GET', path: '/fills', rateClass: 'privateGet' },
  openOrders: { method: 'GET', path: '/orders', rateClass: 'privateGet' },
  positions: { method: 'GET', path: '/positions', rateClass: 'privateGet' },
  account: { method: 'GET', path: '/account', rateClass: 'privateGet' },
} satisfies Record<string, VenueEndpointSpec & { rateClass: keyof typeof PARADEX_COST }>;

export const PARADEX_SPEC: VenueSpec = {
  name: 'paradex',
  // The defaults of venues.paradex.restUrl / wsUrl (config.ts).
  urls: { rest: 'https://api.prod.paradex.trade/v1', ws: 'wss://ws.api.prod.paradex.trade/v1' },
  channels: { book: DEFAULT_BOOK_CHANNEL.sbe, bookJson: DEFAULT_BOOK_CHANNEL.json, funding: 'funding_data.{market}', orders: 'orders.ALL', fills: 'fills.ALL' },
  endpoints: ENDPOINTS,
  errors: PARADEX_ERRORS,
  // Paradex matches orders off-chain and charges no per-order gas today; this default is the
  // first design's conservative allowance for settlement and on-chain overhead (was gas.ts).
  gasUsd: '0.05',
  // Paradex accrues funding continuously, pro rata (was portfolio/config.ts: 'continuous').
  fundingStyle: 'continuous',
  // The `seed` preset's Paradex rates (plugins/fees/table/presets.ts cites the venue's fee page);
  // used only when no fee-model plugin covers Paradex.
  fees: { maker: '0.0002', taker: '0.0005' },
  // The demo's realistic push latency (was core/config.ts simulators.latencyMs default).
  simulatorLatencyMs: 25,
  instrumentSymbol: (base) => `${base}-USD-PERP`,
  simulator: {
    builtIn: true,
    secretEnv: { privateKey: 'ARB_SIM_PARADEX_STARK_KEY' },
    async start({ world }) {
      const sims = world as VenueSimulators;
      return {
        options: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl },
        // A random Stark key and account address, registered as onboarded (test control).
        async provision({ collateralUsd }) {
          const { randomBytes } = await import('node:crypto');
          const { ec } = await import('starknet');
          const privateKey = '0x' + BigInt('0x' + randomBytes(31).toString('hex')).toString(16);
          const publicKey = ec.starkCurve.getStarkKey(privateKey);
          const account = '0x' + randomBytes(31).toString('hex');
          const t = sims.trading.paradex;
          t.registerAccount(account, publicKey);
          const id = t.accountId(account);
          t.engine.fund(id, collateralUsd);
          return { engineAccount: id, secrets: { privateKey }, publicCredentials: { account, subkey: false } };
        },
      };
    },
  },
};
