/**
 * Vest market-data options (`venues.vest`). Shared with the order gateway and signer, so keys
 * this schema does not know pass through.
 */
import { z } from 'zod';
import { checkConnection, connectionShape, httpUrl, parseOptions, wsUrl } from '../shared/config.ts';
import { secretRefSchema } from '../shared/secret-ref.ts';
import { MISSING_TICK_POLICIES } from './tick-size.ts';

/**
 * Hosts Vest is published at (none could be reached from here; pick with restUrl / wsUrl):
 * - The API docs copy in hummingbot/hummingbot VEST_API_DOCS.md (commit 0d60409b): production
 *   `https://server-prod.hz.vestmarkets.com/v2` and `wss://ws-prod.hz.vestmarkets.com/ws-api`,
 *   development `https://server-dev.hz.vestmarkets.com/v2` and `wss://ws-dev.hz.vestmarkets.com/ws-api`.
 * - docs.vest.exchange "Vest API" (https://docs.vest.exchange/vest-api): production
 *   `https://serverprod.vest.exchange/v2`, development `https://server-mmdev.vestdev.exchange/v2`
 *   (earlier copies of the page: `server-mmdev.vest.exchange`, `devserver-mm.vest.exchange`).
 * - The web app's own gateway, seen by a community client (autopilotaitech/BookDepthIQ-Vest
 *   src/vest/types.ts): `https://api-gateway.hz.vestmarkets.com` (a /v3 API, not this plugin's
 *   /v2 shapes) and `wss://ws.hz.vestmarkets.com/ws?version=1.0`.
 * The account group is not a host: it routes inside whichever host, by header and query.
 */
export const VEST_HOSTS = {
  production: { restUrl: 'https://server-prod.hz.vestmarkets.com/v2', wsUrl: 'wss://ws-prod.hz.vestmarkets.com/ws-api' },
  development: { restUrl: 'https://server-dev.hz.vestmarkets.com/v2', wsUrl: 'wss://ws-dev.hz.vestmarkets.com/ws-api' },
  docsProduction: { restUrl: 'https://serverprod.vest.exchange/v2' },
  docsDevelopment: { restUrl: 'https://server-mmdev.vestdev.exchange/v2' },
} as const;

/** GET /depth: "limit (optional: defaults to 20; maximum 100)" (Vest API docs, GET /depth). */
export const VEST_MAX_DEPTH_LIMIT = 100;

/**
 * Trading credentials (live mode only), all secret references. `signingKey` is the delegate key
 * approved at POST /register; `apiKey` is what /register returned. The primary wallet key is needed
 * only to register a signing key, never to trade.
 */
export const vestCredentialsSchema = z.object({
  signingKey: secretRefSchema,
  apiKey: secretRefSchema,
  primaryKey: secretRefSchema.optional(),
});

export const vestOptionsSchema = z
  .looseObject({
    /** Alternatives in VEST_HOSTS above. */
    restUrl: httpUrl.default(VEST_HOSTS.production.restUrl),
    /** Without query: `version` and `xwebsocketserver` are added from accountGroup. */
    wsUrl: wsUrl.default(VEST_HOSTS.production.wsUrl),
    /**
     * Vest routes every call by account group (`xrestservermm: restserver{group}` header on REST,
     * `xwebsocketserver=restserver{group}` on the socket). Registration returns the account's
     * group; public market data is served by every group, 0 by default.
     */
    accountGroup: z.number().int('must be a whole number').min(0, 'must be >= 0').default(0),
    subscribeFunding: z.boolean().default(true),
    /**
     * Where funding comes from: the all-symbols `tickers` channel (Vest API docs) or one
     * `{SYMBOL}@ticker` channel per market (what Vest's web app subscribes, per a community
     * client's live capture: autopilotaitech/BookDepthIQ-Vest src/vest/ws.ts). Both are decoded.
     */
    tickerChannel: z.enum(['tickers', 'perSymbol']).default('tickers'),
    /** Depth levels asked for when a resync fetches the book over REST (the venue's maximum is 100). */
    depthLimit: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be >= 1')
      .max(VEST_MAX_DEPTH_LIMIT, `must be <= ${VEST_MAX_DEPTH_LIMIT} (GET /depth maximum)`)
      .default(20),
    /**
     * A symbol whose exchangeInfo has no minTickSize / tickSizes / defaultTickSize: `refuse` it,
     * or trade on 10^-priceDecimals (`priceDecimals`). Unset: refuse in live mode, fall back (with
     * a warning) in dry-run, where no order is ever priced on the grid.
     */
    missingTickSize: z.enum(MISSING_TICK_POLICIES).optional(),
    credentials: vestCredentialsSchema.optional(),
    /** Order signing scheme by name (vest/signer.ts VEST_SIGNING_SCHEMES). */
    signingScheme: z.string().optional(),
    /** The venue drops an order arriving later than time + recvWindow (docs default 5000 ms). */
    recvWindowMs: z.number().int().min(100).max(600_000).default(5_000),
    /**
     * The listenKey account stream (`account_private`, ORDER pushes) feeding order state; REST
     * stays the reconciliation path. Live mode only.
     */
    privateStream: z.boolean().default(true),
    /**
     * Renew the listen key this often (PUT /account/listenKey). The docs: a key "is valid for 60
     * minutes" and PUT "extends the expiry ... by 60 minutes".
     */
    listenKeyRenewMs: z.number().int().min(1_000).max(3_540_000).default(1_800_000),
    /** How long after a send a not-found order may still appear, ms (Vest documents none; vest/orders.ts). */
    notFoundGraceMs: z.number().int().min(0).optional(),
    // Vest docs: the client sends PING to check the connection; clients use ~30 s.
    ...connectionShape({ heartbeatIntervalMs: 30_000, stallTimeoutMs: 45_000 }),
  })
  .superRefine(checkConnection);

export type VestOptions = z.output<typeof vestOptionsSchema>;

export function parseVestOptions(input: unknown, path = 'venues.vest'): VestOptions {
  return parseOptions(vestOptionsSchema, input, path);
}

export function vestRestHeaders(options: Pick<VestOptions, 'accountGroup'>): Record<string, string> {
  return { xrestservermm: `restserver${options.accountGroup}` };
}

export function vestSocketUrl(options: Pick<VestOptions, 'wsUrl' | 'accountGroup'>): string {
  const url = new URL(options.wsUrl);
  url.searchParams.set('version', '1.0');
  url.searchParams.set('xwebsocketserver', `restserver${options.accountGroup}`);
  return url.toString();
}
