/**
 * Vest described as data (engine/core/venue-spec.ts): what the core needs to know about the
 * venue without running its code, and the loopback simulator hook for `simulators.enabled`.
 */
import type { VenueEndpointSpec, VenueSpec } from '../../../engine/core/plugin.ts';
import type { VenueSimulators } from '../../../simulators/index.ts';
import { VEST_HOSTS } from './config.ts';
import { VEST_COST } from './limits.ts';
import { VEST_ERRORS } from './order-codec.ts';

/** Rate classes are VEST_COST keys (limits.ts says where the budgets come from). */
const ENDPOINTS = {
  exchangeInfo: { method: 'GET', path: '/exchangeInfo', rateClass: 'publicGet' },
  depth: { method: 'GET', path: '/depth', rateClass: 'publicGet' },
  ticker: { method: 'GET', path: '/ticker/latest', rateClass: 'publicGet' },
  createOrder: { method: 'POST', path: '/orders', rateClass: 'orders' },
  cancelOrder: { method: 'POST', path: '/orders/cancel', rateClass: 'orders' },
  orders: { method: 'GET', path: '/orders', rateClass: 'orders' },
  account: { method: 'GET', path: '/account', rateClass: 'account' },
  nonce: { method: 'GET', path: '/account/nonce', rateClass: 'account' },
  listenKey: { method: 'POST', path: '/account/listenKey', rateClass: 'account' },
  extendListenKey: { method: 'PUT', path: '/account/listenKey', rateClass: 'account' },
} satisfies Record<string, VenueEndpointSpec & { rateClass: keyof typeof VEST_COST }>;

export const VEST_SPEC: VenueSpec = {
  name: 'vest',
  // config.ts VEST_HOSTS cites where each host is published.
  urls: { rest: VEST_HOSTS.production.restUrl, ws: VEST_HOSTS.production.wsUrl },
  // codec.ts and private-stream.ts cite the channel shapes (VEST_API_DOCS.md).
  channels: { book: '{market}@depth', ticker: '{market}@ticker', tickers: 'tickers', account: 'account_private' },
  endpoints: ENDPOINTS,
  errors: VEST_ERRORS,
  // Vest matches orders off-chain and charges no per-order gas today; this default is the first
  // design's conservative allowance for settlement and on-chain overhead (was gas.ts).
  gasUsd: '0.10',
  // Vest pays funding at each (hourly) interval boundary (was portfolio/config.ts: 'discrete').
  fundingStyle: 'discrete',
  // The `seed` preset's Vest rates (plugins/fees/table/presets.ts cites the venue's fee page);
  // used only when no fee-model plugin covers Vest.
  fees: { maker: '0.0001', taker: '0.0004' },
  // The demo's realistic push latency (was core/config.ts simulators.latencyMs default).
  simulatorLatencyMs: 60,
  instrumentSymbol: (base) => `${base}-PERP`,
  simulator: {
    builtIn: true,
    secretEnv: { signingKey: 'ARB_SIM_VEST_SIGNING_KEY', apiKey: 'ARB_SIM_VEST_API_KEY' },
    async start({ world }) {
      const sims = world as VenueSimulators;
      return {
        options: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl, accountGroup: sims.vest.accountGroup },
        // A primary wallet and a signing wallet; the primary signs the EIP-712 SignerProof and
        // POST /v2/register (the real round trip) answers the apiKey.
        async provision({ collateralUsd }) {
          const { Wallet } = await import('ethers');
          const { signVestRegistration } = await import('./signer.ts');
          const { VEST_VERIFYING_CONTRACT } = await import('../../../simulators/vest/private.ts');
          const primary = Wallet.createRandom();
          const signing = Wallet.createRandom();
          const body = signVestRegistration(primary.privateKey, signing.address, Date.now() + 30 * 86_400_000, VEST_VERIFYING_CONTRACT);
          const res = await fetch(`${sims.vest.restUrl}/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', xrestservermm: `restserver${sims.vest.accountGroup}` },
            body: JSON.stringify(body),
          });
          const answer = (await res.json()) as { apiKey?: unknown; accGroup?: unknown; msg?: unknown };
          if (res.status !== 200 || typeof answer.apiKey !== 'string') {
            throw new Error(`vest simulator refused the test registration (HTTP ${res.status}): ${String(answer.msg ?? '')}`);
          }
          const t = sims.trading.vest;
          const id = t.accountId(primary.address);
          t.engine.fund(id, collateralUsd);
          return {
            engineAccount: id,
            secrets: { signingKey: signing.privateKey, apiKey: answer.apiKey },
            publicCredentials: {},
            ...(typeof answer.accGroup === 'number' ? { options: { accountGroup: answer.accGroup } } : {}),
            otherSecrets: [primary.privateKey],
          };
        },
      };
    },
  },
};
