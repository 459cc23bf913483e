/**
 * The engine's config file (JSON or YAML), validated at start. Sections owned by plugins
 * (`venues.<name>`, `strategies.<name>`, `fees.<name>`) are validated by those plugins.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, zodProblems } from './config-errors.ts';
import { ExecutionConfigSchema } from '../execution/config.ts';
import { RiskConfigSchema } from '../risk/config.ts';
import { PortfolioConfigSchema } from '../portfolio/config.ts';
import { MetricsConfigSchema } from '../metrics/config.ts';
import { DASHBOARD_DEFAULTS, DashboardConfigSchema } from '../dashboard/config.ts';
import { RECORDING_DEFAULTS, RecordingConfigSchema } from '../recording/config.ts';
import { AlertsConfigSchema } from '../alerts/config.ts';
import { InstrumentDiscoverySchema } from '../instruments/config.ts';
import { JOURNAL_DEFAULTS, JournalConfigSchema } from '../journal/config.ts';

const decimalString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), { message: 'expected a decimal number like "0.15"' });

export const DesyncThresholdsSchema = z
  .object({
    /** Book age below which risk is Low; above mediumAgeMs it is High. */
    lowAgeMs: z.number().int().positive().default(1000),
    highAgeMs: z.number().int().positive().default(5000),
    /** Gap between the two venues' data timestamps. */
    lowGapMs: z.number().int().positive().default(500),
    highGapMs: z.number().int().positive().default(2000),
  })
  .strict()
  .refine((d) => d.lowAgeMs <= d.highAgeMs && d.lowGapMs <= d.highGapMs, {
    message: 'low thresholds must not exceed high thresholds',
  });

const pluginRef = z
  .string()
  .min(1)
  .describe('built-in "kind:name", a file path, or a package name');

const venueListings = z.record(z.string(), z.union([z.string(), z.number().int().nonnegative()]));

export const ConfigSchema = z
  .object({
    mode: z.enum(['dry-run', 'live']).default('dry-run'),
    plugins: z.array(pluginRef).min(1, 'name at least one plugin, e.g. "exchange:paradex"'),
    /**
     * Instrument -> { venue: venue symbol }. `auto` (engine/instruments/config.ts) adds every
     * perpetual the venues share; typed entries beside it win. Parsed, `auto` moves to
     * instrumentDiscovery so every reader of `instruments` sees listings only.
     */
    instruments: z
      .object({ auto: InstrumentDiscoverySchema.optional() })
      .catchall(venueListings)
      .refine((t) => Object.keys(t).length > 0, { message: 'map at least one instrument to venue symbols, or discover them with instruments: { auto: { quote: USD } }' }),
    /** Set from instruments.auto when parsed (a parsed config parses again unchanged). */
    instrumentDiscovery: InstrumentDiscoverySchema.optional(),
    venues: z.record(z.string(), z.unknown()).default({}),
    strategies: z.record(z.string(), z.unknown()).default({}),
    fees: z.record(z.string(), z.unknown()).default({}),
    market: z
      .object({ maxBookAgeMs: z.number().int().positive().default(5000) })
      .strict()
      .default({ maxBookAgeMs: 5000 }),
    simulation: z
      .object({
        /** Gas paid per order, USD, per chain name a connector reports. */
        gasUsd: z.record(z.string(), decimalString).default({}),
        desync: DesyncThresholdsSchema.default({ lowAgeMs: 1000, highAgeMs: 5000, lowGapMs: 500, highGapMs: 2000 }),
        /** Net profit an opportunity must beat to count as profitable. */
        minNetProfitUsd: decimalString.default('0'),
        /**
         * Price the close too: a spread trade opens a pair that is closed later with two more
         * taker orders and their gas, so its net is the round trip's. Off: entry costs only.
         */
        includeCloseCosts: z.boolean().default(true),
      })
      .strict()
      .default({ gasUsd: {}, desync: { lowAgeMs: 1000, highAgeMs: 5000, lowGapMs: 500, highGapMs: 2000 }, minNetProfitUsd: '0', includeCloseCosts: true }),
    journal: JournalConfigSchema.default(JOURNAL_DEFAULTS),
    simulators: z
      .object({
        enabled: z.boolean().default(false),
        seed: z.number().int().default(1),
        updateIntervalMs: z.number().int().positive().default(100),
        /** Chance per market step and instrument that one venue dislocates by 0.1-0.5%. */
        dislocationProbability: z.number().min(0).max(1).default(0.01),
        /** Latency each simulated venue adds before a push, ms; a venue not named uses its spec's simulatorLatencyMs. */
        latencyMs: z.record(z.string(), z.number().int().nonnegative()).default({}),
        /** Live on the simulators: each generated test account is funded with this much USD. */
        collateralUsd: decimalString.default('100000'),
        /** Live on the simulators: a standing fault schedule (engine/cli/simulated-faults.ts). */
        faults: z
          .object({
            rejectLeg2Every: z.number().int().nonnegative().optional(),
            leg2WindowMs: z.number().int().positive().optional(),
            venues: z.array(z.string()).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ enabled: false, seed: 1, updateIntervalMs: 100, dislocationProbability: 0.01, latencyMs: {}, collateralUsd: '100000' }),
    console: z
      .object({
        summaryEverySec: z.number().positive().default(5),
        showUnprofitable: z.boolean().default(true),
      })
      .strict()
      .default({ summaryEverySec: 5, showUnprofitable: true }),
    recording: RecordingConfigSchema.default(RECORDING_DEFAULTS),
    metrics: MetricsConfigSchema.optional(),
    /** Telegram / webhook alerts on trouble and a daily summary (engine/alerts/config.ts documents each field). */
    alerts: AlertsConfigSchema.optional(),
    /** The live dashboard `arb run` serves (engine/dashboard): on by default, loopback, token-gated. */
    dashboard: DashboardConfigSchema.default(DASHBOARD_DEFAULTS),
    portfolio: PortfolioConfigSchema,
    risk: RiskConfigSchema,
    execution: ExecutionConfigSchema,
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
    /** A venue unreachable at start is retried in the background, the delay doubling from minMs to maxMs. */
    venueRetry: z
      .object({
        minMs: z.number().int().positive().default(1000),
        maxMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ minMs: 1000, maxMs: 60_000 }),
  })
  .strict()
  .transform((c) => {
    const { auto, ...typed } = c.instruments;
    const discovery = auto ?? c.instrumentDiscovery;
    const { instrumentDiscovery: _drop, ...rest } = c;
    return { ...rest, instruments: typed as Record<string, Record<string, string | number>>, ...(discovery ? { instrumentDiscovery: discovery } : {}) };
  });

export type EngineConfig = z.infer<typeof ConfigSchema>;

export function parseConfig(raw: unknown, file?: string): EngineConfig {
  const r = ConfigSchema.safeParse(raw, { reportInput: true });
  if (!r.success) throw new ConfigError(zodProblems(r.error), file);
  return r.data;
}

/** `shownAs`: the path as the user typed it, for error headers (default: `path`). */
export function loadConfigFile(path: string, shownAs: string = path): EngineConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read config file: ${(err as Error).message}`], shownAs);
  }
  let raw: unknown;
  try {
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError([`not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`], shownAs);
  }
  return parseConfig(raw, shownAs);
}
