/**
 * Paradex market-data options (`venues.paradex`). The section is shared with the order
 * gateway and signer, so keys this schema does not know pass through untouched.
 */
import { z } from 'zod';
import { checkConnection, connectionShape, httpUrl, parseOptions, wsUrl } from '../shared/config.ts';
import { secretRefSchema } from '../shared/secret-ref.ts';

/**
 * Trading credentials (live mode only). `account` is the Paradex L2 account address (public); with
 * a subkey it is still the MAIN account's address and `privateKey` is the subkey's Stark key.
 * Secrets are references ({ env } / { file }), resolved through the engine's SecretSource.
 */
export const paradexCredentialsSchema = z.object({
  account: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'must be the 0x-hex Paradex account address'),
  privateKey: secretRefSchema,
  /** Set when the key is a registered subkey: onboarding is then refused (only the main key onboards). */
  subkey: z.boolean().default(false),
  /** L1 address the account was derived from; needed only to onboard. */
  ethereumAccount: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-hex Ethereum address').optional(),
});

export const paradexTradingShape = {
  credentials: paradexCredentialsSchema.optional(),
  /** Starknet chain id short string; read from GET /system/config when absent. */
  chainId: z.string().min(1).max(31).optional(),
  /** POST /onboarding once before the first auth (new accounts only; needs ethereumAccount). */
  onboard: z.boolean().default(false),
  /** Refresh the JWT this long before its `exp` claim (Paradex JWTs live ~5 min). */
  jwtRefreshMarginMs: z.number().int().min(1_000).max(240_000).default(60_000),
  /** Lifetime assumed for a JWT without an `exp` claim. */
  jwtFallbackLifetimeMs: z.number().int().min(10_000).max(3_600_000).default(300_000),
  /** PARADEX-SIGNATURE-EXPIRATION = timestamp + this (seconds). */
  authSignatureTtlSec: z.number().int().min(10).max(7 * 86_400).default(1_800),
  /** Orders the venue should drop if they arrive later than this after signing (recv_window, ms). */
  recvWindowMs: z.number().int().min(100).max(60_000).optional(),
  /** Live mode: the private stream (orders.ALL, fills.ALL) answers order reports without REST. */
  privateStream: z.boolean().default(true),
  /** Private socket URL; default wsUrl without the SBE parameters (private payloads are JSON). */
  privateWsUrl: wsUrl.optional(),
};

/** `{market}` in a channel template is replaced by the venue symbol (BTC-USD-PERP). */
const channelTemplate = z
  .string()
  .refine((t) => t.includes('{market}'), 'must contain {market}, where the market symbol goes');

export const paradexOptionsSchema = z
  .looseObject({
    restUrl: httpUrl.default('https://api.prod.paradex.trade/v1'),
    wsUrl: wsUrl.default('wss://ws.api.prod.paradex.trade/v1'),
    /**
     * Docs grammar: `order_book.{market}.{snapshot|deltas}@15@{50ms|100ms}[@{price_tick}]`
     * (docs.paradex.trade, WebSocket channels). The deltas feed starts with one `update_type:"s"`
     * snapshot, then `"d"` deltas with consecutive seq_no. A third-party client uses bare
     * `order_book.{market}.deltas`; set it here if the venue ever drops the suffix.
     */
    bookChannel: channelTemplate.default('order_book.{market}.deltas@15@50ms'),
    fundingChannel: channelTemplate.default('funding_data.{market}'),
    subscribeFunding: z.boolean().default(true),
    /**
     * Public-channel payload encoding. Paradex announced SBE binary for public channels
     * (opt-in `?sbeSchemaId=..`); only JSON is decoded today, behind a swappable decoder.
     */
    encoding: z.enum(['json']).default('json'),
    ...paradexTradingShape,
    // Paradex pings at the protocol level every 55 s; we ping every 15 s so a quiet market is
    // still heard from well inside the stall timeout.
    ...connectionShape({ heartbeatIntervalMs: 15_000, stallTimeoutMs: 40_000 }),
  })
  .superRefine(checkConnection);

export type ParadexOptions = z.output<typeof paradexOptionsSchema>;

export function parseParadexOptions(input: unknown, path = 'venues.paradex'): ParadexOptions {
  return parseOptions(paradexOptionsSchema, input, path);
}

export function channelFor(template: string, market: string): string {
  return template.split('{market}').join(market);
}
