/**
 * Lighter market-data options (`venues.lighter`). Shared with the order gateway and signer, so
 * keys this schema does not know pass through.
 */
import { z } from 'zod';
import { checkConnection, connectionShape, httpUrl, parseOptions, wsUrl } from '../shared/config.ts';
import { secretRefSchema } from '../shared/secret-ref.ts';

/**
 * Trading credentials (live mode only). The API private key is a secret reference; the account
 * and API key indexes are public numbers (Lighter reserves key indexes 0-2 for its own apps).
 */
export const lighterCredentialsSchema = z.object({
  apiPrivateKey: secretRefSchema,
  accountIndex: z.number().int().min(0),
  apiKeyIndex: z.number().int().min(0).max(254),
});

export const lighterOptionsSchema = z
  .looseObject({
    restUrl: httpUrl.default('https://mainnet.zklighter.elliot.ai'),
    wsUrl: wsUrl.default('wss://mainnet.zklighter.elliot.ai/stream'),
    subscribeFunding: z.boolean().default(true),
    /**
     * Unit of market_stats' funding rates. Percent: a market_stats frame captured in ccxt's
     * lighter.ts shows current_funding_rate "0.0012" beside funding_clamp_small "0.0500" and
     * (in orderBookDetails) base_interest_rate "0.0100", which are the documented 0.05% clamp and
     * 0.01%/8h interest; 0.0100 / 8 ~ 0.0012 per hour. FundingEvent.rate is always a fraction.
     */
    fundingRateUnit: z.enum(['percent', 'fraction']).default('percent'),
    /**
     * Whether the `subscribed/order_book` snapshot's `nonce` is the one the first update's
     * `begin_nonce` chains to (third-party reconstructions say so). If the venue ever breaks
     * that, set false: the snapshot then carries no seq and the first update is accepted as is.
     */
    trustSnapshotNonce: z.boolean().default(true),
    credentials: lighterCredentialsSchema.optional(),
    /** 304 mainnet, 300 testnet: part of every signed tx. */
    chainId: z.number().int().default(304),
    /**
     * Account tier (tied to the L1 address): sets the rate-limit budget and the taker speed bump
     * (limits.ts; https://apidocs.lighter.xyz/docs/rate-limits, /docs/account-types).
     */
    accountTier: z.enum(['standard', 'premium']).default('standard'),
    /**
     * How long after a send the venue may take to show the order, ms. Lighter publishes no
     * indexing delay; Hummingbot's Lighter connector waits 10 s before calling an order lost.
     */
    notFoundGraceMs: z.number().int().min(0).default(10_000),
    /** Hold after a 429 without Retry-After, ms: Lighter blocks the IP for about a minute. */
    rateLimitBackOffMs: z.number().int().min(0).default(60_000),
    /**
     * Subscribe the account's orders and trades (`account_all_orders`, `account_all_trades` on
     * wsUrl, private-stream.ts): reports are answered from pushes where they can be, REST otherwise.
     */
    privateStream: z.boolean().default(true),
    /** Lifetime of the auth token used on private GETs and stream subscriptions; renewed at 80% of it. */
    authTokenLifetimeSec: z.number().int().min(60).max(8 * 3600).default(600),
    // Lighter closes sockets that send nothing for 2 minutes (docs: ping at least every 2 min).
    ...connectionShape({ heartbeatIntervalMs: 30_000, stallTimeoutMs: 45_000 }),
  })
  .superRefine(checkConnection)
  .superRefine((value, ctx) => {
    if (value.heartbeatIntervalMs >= 120_000) {
      ctx.addIssue({ code: 'custom', path: ['heartbeatIntervalMs'], message: 'must be under 120000: Lighter drops sockets silent for 2 minutes' });
    }
  });

export type LighterOptions = z.output<typeof lighterOptionsSchema>;

export function parseLighterOptions(input: unknown, path = 'venues.lighter'): LighterOptions {
  return parseOptions(lighterOptionsSchema, input, path);
}
