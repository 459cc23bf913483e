/**
 * Vest market-data options (`venues.vest`). Shared with the order gateway and signer, so keys
 * this schema does not know pass through.
 */
import { z } from 'zod';
import { checkConnection, connectionShape, httpUrl, parseOptions, wsUrl } from '../shared/config.ts';
import { secretRefSchema } from '../shared/secret-ref.ts';

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
    restUrl: httpUrl.default('https://server-prod.hz.vestmarkets.com/v2'),
    /** Without query: `version` and `xwebsocketserver` are added from accountGroup. */
    wsUrl: wsUrl.default('wss://ws-prod.hz.vestmarkets.com/ws-api'),
    /**
     * Vest routes every call by account group (`xrestservermm: restserver{group}` header on REST,
     * `xwebsocketserver=restserver{group}` on the socket). Registration returns the account's
     * group; public market data is served by every group, 0 by default.
     */
    accountGroup: z.number().int('must be a whole number').min(0, 'must be >= 0').default(0),
    subscribeFunding: z.boolean().default(true),
    /** Depth levels asked for when a resync fetches the book over REST. */
    depthLimit: z.number().int().min(1).max(1000).default(20),
    credentials: vestCredentialsSchema.optional(),
    /** Order signing scheme by name (vest/signer.ts VEST_SIGNING_SCHEMES). */
    signingScheme: z.string().optional(),
    /** The venue drops an order arriving later than time + recvWindow (docs default 5000 ms). */
    recvWindowMs: z.number().int().min(100).max(600_000).default(5_000),
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
