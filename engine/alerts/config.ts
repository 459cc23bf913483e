/**
 * `alerts:` config section: where the engine tells its operator that something went wrong
 * (Telegram, a Slack/Discord-compatible webhook, or both), which events, and how often at most.
 * Absent means no alert is ever sent and no socket is opened.
 */
import { z } from 'zod';

/** A secret named by where it lives, never written in the config itself (engine/core/secrets.ts reads it). */
const secretRef = z.union([z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()], {
  message: 'expected { env: VARIABLE } or { file: path }: a secret is never written in the config itself',
});

export const ALERT_KINDS = [
  'trade-unwound',
  'trade-stopped-out',
  'hedge-failed',
  'venue-benched',
  'venue-down',
  'reconciliation-halt',
  'kill-switch',
  'daily-loss-limit',
  'daily-summary',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const AlertsConfigSchema = z
  .object({
    /** Telegram Bot API: a bot (from @BotFather) posting into one chat. */
    telegram: z
      .object({
        /** The bot token, as a secret reference ({ env } or { file }); registered with the log scrubber when read. */
        botToken: secretRef,
        /** The chat to post in: a numeric id ("-100…" for groups/channels) or "@channelusername". */
        chatId: z.union([z.string().min(1), z.number().int()]).transform((v) => String(v)),
        /** API root; only tests and self-hosted Bot API servers change it. */
        apiUrl: z.string().url().default('https://api.telegram.org'),
      })
      .strict()
      .optional(),
    /** A generic incoming webhook: Slack reads { text }, Discord reads { content }. */
    webhook: z
      .object({
        /** The webhook URL. Slack and Discord URLs embed their credential, so a secret reference is accepted too. */
        url: z.union([z.string().url(), secretRef]),
        /** Body shape: slack → { text }, discord → { content }. */
        format: z.enum(['slack', 'discord']).default('slack'),
      })
      .strict()
      .optional(),
    /** Which events alert; default every one. */
    events: z.array(z.enum(ALERT_KINDS)).min(1).default([...ALERT_KINDS]),
    /** The same event about the same subject (a venue, a halt reason) within this window is sent once. */
    dedupWindowSec: z.number().nonnegative().default(300),
    /** At most this many messages per transport per minute; more wait in the queue (Telegram allows about 20 a minute into one group). */
    maxPerMinute: z.number().int().positive().default(20),
    /** Messages waiting beyond this are dropped oldest first (and the next message says how many). */
    queueSize: z.number().int().positive().default(100),
    /** A failed send is retried this many times in all, the delay doubling from minMs to maxMs (a 429's retry_after wins). */
    retry: z
      .object({
        attempts: z.number().int().positive().default(5),
        minMs: z.number().int().positive().default(1000),
        maxMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ attempts: 5, minMs: 1000, maxMs: 60_000 }),
    /** One HTTP request gives up after this long (then counts as a failed attempt). */
    timeoutMs: z.number().int().positive().default(10_000),
    /** UTC time of day ("HH:MM") the daily summary is sent; false: none. */
    dailySummaryUtc: z.union([z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected "HH:MM" (UTC), e.g. "00:00"'), z.literal(false)]).default('00:00'),
    /** How often the risk state (halts, benched venues, daily loss) is looked at, ms. */
    watchMs: z.number().int().positive().default(1000),
  })
  .strict()
  .refine((a) => a.telegram || a.webhook, { message: 'name at least one transport: telegram or webhook' });

export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;
