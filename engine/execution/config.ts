/**
 * The `execution` config section: how legs are ordered, priced and repaired. Bands are in
 * basis points beyond a reference price (the book walk's worst price for the legs, the lone
 * leg's own fill price for an unwind or stop-loss), so a moved market cannot fill us anywhere.
 */
import { z } from 'zod';

const bps = z.number().nonnegative().max(5000);
const ms = z.number().int().positive();

export const ExecutionConfigSchema = z
  .object({
    /** Which venue's leg goes first: the buy leg (usually the cheaper book), the sell leg, or the thinner book. */
    legOrder: z.enum(['buy-first', 'sell-first', 'less-liquid-first']).default('buy-first'),
    /** IOC limit = walk's worst price moved this far against us. */
    priceBandBps: bps.default(10),
    /** Retry of a missing size on the second venue: band beyond that leg's worst price. */
    hedgeBandBps: bps.default(30),
    /** Closing a lone leg on its own venue: band beyond its average fill price. */
    unwindBandBps: bps.default(30),
    /** Hedge or unwind attempts before escalating to a stop-loss. */
    repairAttempts: z.number().int().min(0).max(10).default(2),
    /** The last resort: reduce-only close, market or a wide IOC limit. */
    stopLoss: z
      .object({
        orderType: z.enum(['market', 'limit']).default('limit'),
        bandBps: bps.default(300),
        attempts: z.number().int().min(1).max(10).default(3),
      })
      .strict()
      .prefault({}),
    /** A send with no answer within this is unresolved: reconciled by status before anything else trades. */
    ackTimeoutMs: ms.default(3000),
    /** How long to keep asking a venue about an unresolved order before giving up on it. */
    reconcileTimeoutMs: ms.default(15000),
    /**
     * First pause between order reports while verifying or reconciling; each later pause is 1.5x
     * the last, up to maxPollIntervalMs (venues count every GET: Paradex 600/min per account,
     * Lighter 60/min on a Standard account). A gateway with a private stream wakes the poll early.
     */
    pollIntervalMs: ms.default(50),
    maxPollIntervalMs: ms.default(1000),
    /** "No such order" is believed only after this long: the order may still be in flight. */
    notFoundGraceMs: ms.default(1000),
    /** While an instrument is quarantined, ask the venues again this often (when no trade is in flight). */
    requarantineCheckMs: ms.default(10_000),
  })
  .strict()
  .prefault({});

export type ExecutionConfig = z.infer<typeof ExecutionConfigSchema>;
