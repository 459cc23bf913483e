/**
 * `dashboard:` config section. On by default: `arb run` serves the live page on loopback,
 * behind a random token printed with the URL. `enabled: false` opens no socket at all.
 */
import { z } from 'zod';

export const DashboardConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** TCP port; 0 picks a free one (the URL printed at start says which). */
    port: z.number().int().min(0).max(65535).default(0),
    /** Loopback by default: anyone who can reach the port and read the token can trip the kill switch. */
    host: z.string().min(1).default('127.0.0.1'),
    /** How often the page gets a fresh snapshot, ms. */
    publishEveryMs: z.number().int().min(100).max(60_000).default(1000),
  })
  .strict();

export type DashboardConfig = z.infer<typeof DashboardConfigSchema>;

export const DASHBOARD_DEFAULTS: DashboardConfig = { enabled: true, port: 0, host: '127.0.0.1', publishEveryMs: 1000 };
