/**
 * Lighter described as data (engine/core/venue-spec.ts): what the core needs to know about the
 * venue without running its code, and the loopback simulator hook for `simulators.enabled`.
 */
import type { VenueEndpointSpec, VenueSpec } from '../../../engine/core/plugin.ts';
import type { VenueSimulators } from '../../../simulators/index.ts';
import { LIGHTER_WEIGHTS } from './limits.ts';
import { LIGHTER_ERRORS } from './order-codec.ts';

/** Rate classes are LIGHTER_WEIGHTS keys (limits.ts cites https://apidocs.lighter.xyz/docs/rate-limits). */
const ENDPOINTS = {
  orderBookDetails: { method: 'GET', path: '/api/v1/orderBookDetails', rateClass: 'other' },
  sendTx: { method: 'POST', path: '/api/v1/sendTx', rateClass: 'sendTx' },
  nextNonce: { method: 'GET', path: '/api/v1/nextNonce', rateClass: 'nextNonce' },
  accountActiveOrders: { method: 'GET', path: '/api/v1/accountActiveOrders', rateClass: 'other' },
  accountInactiveOrders: { method: 'GET', path: '/api/v1/accountInactiveOrders', rateClass: 'accountInactiveOrders' },
  accountOrders: { method: 'GET', path: '/api/v1/accountOrders', rateClass: 'other' },
  trades: { method: 'GET', path: '/api/v1/trades', rateClass: 'trades' },
  tx: { method: 'GET', path: '/api/v1/tx', rateClass: 'other' },
  account: { method: 'GET', path: '/api/v1/account', rateClass: 'other' },
} satisfies Record<string, VenueEndpointSpec & { rateClass: keyof typeof LIGHTER_WEIGHTS }>;

/** Lighter's mainnet market ids (simulators/instruments.ts follows them). */
const MARKET_IDS: Readonly<Record<string, number>> = { ETH: 0, BTC: 1, SOL: 2 };

export const LIGHTER_SPEC: VenueSpec = {
  name: 'lighter',
  // The defaults of venues.lighter.restUrl / wsUrl (config.ts).
  urls: { rest: 'https://mainnet.zklighter.elliot.ai', ws: 'wss://mainnet.zklighter.elliot.ai/stream' },
  // codec.ts and private-stream.ts cite https://apidocs.lighter.xyz/docs/websocket-reference.
  channels: { book: 'order_book/{market}', orders: 'account_all_orders/{account}', trades: 'account_all_trades/{account}' },
  endpoints: ENDPOINTS,
  errors: LIGHTER_ERRORS,
  // Lighter matches orders off-chain and charges no per-order gas today (was gas.ts).
  gasUsd: '0.00',
  // Lighter pays funding at each (hourly) interval boundary (was portfolio/config.ts: 'discrete').
  fundingStyle: 'discrete',
  // The `seed` preset's Lighter rates (plugins/fees/table/presets.ts cites
  // https://apidocs.lighter.xyz/docs/account-types); used only when no fee-model plugin covers Lighter.
  fees: { maker: '0', taker: '0.0003' },
  // The demo's realistic push latency (was core/config.ts simulators.latencyMs default).
  simulatorLatencyMs: 15,
  // Lighter names markets by integer id; an unknown base has no id here (map it in `instruments`).
  instrumentSymbol: (base) => MARKET_IDS[base] ?? base,
  simulator: {
    builtIn: true,
    secretEnv: { apiPrivateKey: 'ARB_SIM_LIGHTER_API_KEY' },
    async start({ world }) {
      const sims = world as VenueSimulators;
      return {
        options: { restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl },
        // An API key from the SDK's WASM (GenerateAPIKey) on a new account index; Lighter
        // reserves API key indexes 0-2 for its own apps, so the test key takes 3.
        async provision({ collateralUsd }) {
          const { randomInt } = await import('node:crypto');
          const { loadLighterSigner } = await import('./signer.ts');
          const wasm = await loadLighterSigner();
          const { privateKey } = wasm.generateApiKey();
          const apiKeyIndex = 3;
          const accountIndex = 100_000 + randomInt(1_000_000);
          const t = sims.trading.lighter;
          t.createAccount(accountIndex, { apiKeys: [apiKeyIndex], collateral: collateralUsd });
          return { engineAccount: t.accountId(accountIndex), secrets: { apiPrivateKey: privateKey }, publicCredentials: { accountIndex, apiKeyIndex } };
        },
      };
    },
  },
};
