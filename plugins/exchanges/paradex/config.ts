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
  /**
   * recv_window, ms, sent with every order: "Order will be created if it is received by API within
   * RecvWindow milliseconds from signature timestamp, minimum is 10 milliseconds"
   * (https://docs.paradex.trade/api/prod/orders/new). Without it the venue applies 300 000 ms
   * (https://docs.paradex.trade/trading/receive-window): an order lost on its way in could then
   * still execute five minutes later, so "not placed" could not be believed for that long. 5 s
   * bounds that wait (the same as Vest's default) while leaving room for latency and clock skew.
   */
  recvWindowMs: z.number().int().min(100).max(60_000).default(5_000),
  /** Live mode: the private stream (orders.ALL, fills.ALL) answers order reports without REST. */
  privateStream: z.boolean().default(true),
  /** Private socket URL; default wsUrl without the SBE parameters (private payloads are JSON). */
  privateWsUrl: wsUrl.optional(),
};

/**
 * The default public encoding, in one place so the lead can flip it. SBE is what the real venue
 * requires; JSON is what the JSON simulator serves.
 */
export const PARADEX_DEFAULT_ENCODING: 'sbe' | 'json' = 'sbe';

/** Book channel per encoding when bookChannel is not configured (see bookChannel). */
export const DEFAULT_BOOK_CHANNEL = {
  sbe: 'order_book.{market}.deltas',
  json: 'order_book.{market}.deltas@15@50ms',
} as const;

/** `{market}` in a channel template is replaced by the venue symbol (BTC-USD-PERP). */
const channelTemplate = z
  .string()
  .refine((t) => t.includes('{market}'), 'must contain {market}, where the market symbol goes');

export const paradexOptionsSchema = z
  .looseObject({
    restUrl: httpUrl.default('https://api.prod.paradex.trade/v1'),
    wsUrl: wsUrl.default('wss://ws.api.prod.paradex.trade/v1'),
    /**
     * Default by encoding (DEFAULT_BOOK_CHANNEL). JSON docs grammar:
     * `order_book.{market}.{snapshot|deltas}@15@{50ms|100ms}[@{price_tick}]` (docs.paradex.trade,
     * WebSocket channels); the deltas feed starts with one snapshot, then deltas with consecutive seqs.
     * On the SBE socket a third-party probe saw the suffixed delta channels refused ("no parameters
     * expected for deltas topic") and only bare `order_book.{market}.deltas` accepted
     * (FueledByChai/fueledbychai-rs fixtures/paradex/md/README.md and its captured sessions).
     */
    bookChannel: channelTemplate.optional(),
    fundingChannel: channelTemplate.default('funding_data.{market}'),
    subscribeFunding: z.boolean().default(true),
    /**
     * Public-channel payload encoding. "As of 21 September 2026, Paradex requires SBE for public
     * channel payloads" (docs.paradex.trade/ws/general-information/binary-encoding-sbe): `sbe` adds
     * sbeSchemaId/sbeSchemaVersion to wsUrl and decodes binary frames; `json` is for endpoints or
     * testnets that still send JSON (and the JSON simulator).
     */
    encoding: z.enum(['sbe', 'json']).default(PARADEX_DEFAULT_ENCODING),
    /** Schema id; "Changes only on a breaking change" (docs). The decoder knows schema 1. */
    sbeSchemaId: z.number().int().min(0).max(65_535).default(1),
    /** Docs: "0 or 1. Use 1"; the schema file says every environment caps negotiation at 1 for now. */
    sbeSchemaVersion: z.number().int().min(0).max(65_535).default(1),
    ...paradexTradingShape,
    // Paradex pings at the protocol level every 55 s; we ping every 15 s so a quiet market is
    // still heard from well inside the stall timeout.
    ...connectionShape({ heartbeatIntervalMs: 15_000, stallTimeoutMs: 40_000 }),
  })
  .superRefine(checkConnection)
  .transform((o) => ({ ...o, bookChannel: o.bookChannel ?? DEFAULT_BOOK_CHANNEL[o.encoding] }));

export type ParadexOptions = z.output<typeof paradexOptionsSchema>;

export function parseParadexOptions(input: unknown, path = 'venues.paradex'): ParadexOptions {
  return parseOptions(paradexOptionsSchema, input, path);
}

export function channelFor(template: string, market: string): string {
  return template.split('{market}').join(market);
}
