/**
 * Paradex market-data options (`venues.paradex`). The section is shared with the order
 * gateway and signer, so keys this schema does not know pass through untouched.
 */
import { z } from 'zod';
import { checkConnection, connectionShape, httpUrl, parseOptions, wsUrl } from '../shared/config.ts';

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
