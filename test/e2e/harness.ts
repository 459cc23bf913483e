/**
 * End-to-end rig: the loopback venue simulators, freshly generated test keys provisioned the way
 * `arb run --live` provisions them (engine/cli/simulated-accounts.ts: env secret refs), and the
 * real engine in live mode (connectors, order gateways, risk gate, executor, SQLite journal).
 * Every logger line is captured so a test can check that no generated key leaked.
 *
 * Trades are driven with crafted judgments priced off the simulator's own books, submitted to
 * LiveTrading (risk gate + executor) exactly as the opportunity flow would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { systemClock, type Clock } from '../../engine/core/clock.ts';
import { attachPortfolio, type Portfolio } from '../../engine/portfolio/attach.ts';
import { parseConfig, type EngineConfig } from '../../engine/core/config.ts';
import { createEngine, type Engine } from '../../engine/core/engine.ts';
import { createLogger } from '../../engine/core/logger.ts';
import { provisionSimulatedAccounts, withSimulatedCredentials, type ProvisionedAccounts } from '../../engine/cli/simulated-accounts.ts';
import type { LiveTrading } from '../../engine/execution/live-trading.ts';
import type { TradeResult } from '../../engine/execution/trade-result.ts';
import type { Judgment } from '../../engine/simulation/execution-simulator.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { judgment } from '../engine/execution/fixtures.ts';

export type Venue = 'paradex' | 'vest' | 'lighter';

/** BTC on each venue: the engine-wide instrument and the venue symbols. */
export const SYMBOL: Record<Venue, string> = { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: '1' };
export const ETH: Record<Venue, string> = { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: '0' };

/** Every logger line of every rig in this process, for the key-leak check. */
export const capturedLogLines: string[] = [];
/** Every key any rig generated in this process. */
export const generatedSecrets: string[] = [];

export interface LiveRig {
  sims: VenueSimulators;
  engine: Engine;
  live: LiveTrading;
  config: EngineConfig;
  accounts: ProvisionedAccounts;
  journalPath: string;
  dir: string;
  logLines: string[];
  /** Signed position on a venue as the simulator's matching engine holds it. */
  position(venue: Venue, symbol?: string): Decimal;
  /** A judgment priced off the simulator's books: buy on `buy`, sell on `sell`, `size` base units. */
  judgment(buy: Venue, sell: Venue, size: string, opts?: { instrument?: string; symbols?: Record<Venue, string>; base?: string }): Judgment;
  /** Submit through the risk gate; resolves with the trade's result (undefined if the gate said no). */
  trade(j: Judgment): Promise<TradeResult | undefined>;
  rows(sql: string, ...params: unknown[]): Record<string, unknown>[];
  /** Why the risk gate refused the last trade(), if it did. */
  lastDenial?: string;
  /** Scratch for tests. */
  lastLeg2ClientId?: string;
  /** The portfolio (pairs, funding, margin), when the rig was started with `portfolio`. */
  portfolio?: Portfolio;
  /** Stop the engine (settling trades) and, unless kept, the simulators. */
  close(opts?: { keepSims?: boolean; keepDir?: boolean }): Promise<void>;
}

export interface RigOptions {
  /** Reuse running simulators and accounts (a restarted engine over the same venues). */
  sims?: VenueSimulators;
  accounts?: ProvisionedAccounts;
  /** Reuse a journal file (a restarted engine). */
  dir?: string;
  execution?: Record<string, unknown>;
  risk?: Record<string, unknown>;
  /** A distinct prefix keeps parallel test files' env secret refs apart. */
  envPrefix: string;
  instruments?: Record<string, Record<string, string | number>>;
  /** Attach the portfolio (live pairs, funding, margin) with this `portfolio` config section. */
  portfolio?: Record<string, unknown>;
  /** Extra plugins (e.g. 'strategy:funding-arb') and their `strategies` config. */
  plugins?: string[];
  strategies?: Record<string, unknown>;
  /** Engine clock; simulators the rig starts share it (so venue times and book ages agree). */
  clock?: Clock;
  /** Extra top-level config (fees, market, simulation, ...). */
  extraConfig?: Record<string, unknown>;
  /** Collateral each provisioned account starts with, USD. Default '1000000'. */
  collateralUsd?: string;
  /** Return the rig even if trading is halted after start (a restarted engine that re-checks unreadable venues). */
  allowHaltedStart?: boolean;
}

function envRefs(prefix: string): Record<Venue, Record<string, unknown>> {
  return {
    paradex: { credentials: { privateKey: { env: `${prefix}_PARADEX_KEY` } } },
    vest: { credentials: { signingKey: { env: `${prefix}_VEST_SIGNING_KEY` }, apiKey: { env: `${prefix}_VEST_API_KEY` } } },
    lighter: { credentials: { apiPrivateKey: { env: `${prefix}_LIGHTER_KEY` }, apiKeyIndex: 3 } },
  };
}

export async function startLiveRig(opts: RigOptions): Promise<LiveRig> {
  const clock = opts.clock ?? systemClock;
  const sims = opts.sims ?? (await startVenueSimulators({ seed: 11, updateIntervalMs: 0, dislocationProbability: 0, clock }));
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'arb-e2e-'));
  const journalPath = join(dir, 'journal.sqlite');
  const logLines: string[] = [];
  let config = parseConfig({
    ...opts.extraConfig,
    mode: 'live',
    plugins: ['exchange:paradex', 'exchange:vest', 'exchange:lighter', ...(opts.plugins ?? [])],
    ...(opts.strategies ? { strategies: opts.strategies } : {}),
    ...(opts.portfolio ? { portfolio: opts.portfolio } : {}),
    instruments: opts.instruments ?? {
      'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: 1 },
      'ETH-USD-PERP': { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: 0 },
    },
    venues: envRefs(opts.envPrefix),
    journal: { path: journalPath, flushIntervalMs: 50 },
    risk: {
      maxNotionalPerTradeUsd: '5000',
      maxNotionalPerVenueUsd: '100000',
      maxPositionPerInstrument: { '*': '10' },
      maxIntentAgeMs: 5000,
      killSwitch: { file: join(dir, 'KILL'), signal: false, pollMs: 50 },
      ...opts.risk,
    },
    execution: { ackTimeoutMs: 1500, reconcileTimeoutMs: 4000, pollIntervalMs: 20, notFoundGraceMs: 300, requarantineCheckMs: 200, ...opts.execution },
    logLevel: 'debug',
  });
  const venues: Record<string, unknown> = { ...config.venues };
  venues['paradex'] = { ...(venues['paradex'] as object), restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl };
  venues['vest'] = { ...(venues['vest'] as object), restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl, accountGroup: sims.vest.accountGroup };
  // Premium tier on both sides: these scenarios are about faults and concurrency, and assume REST is
  // not the bottleneck. The Standard tier's 60 requests a minute is proven in
  // test/integration/lighter-orders.test.ts (429 storm, pacing outside the deadlines).
  venues['lighter'] = { ...(venues['lighter'] as object), restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl, accountTier: 'premium' };
  sims.trading.lighter.setRateLimits({ tier: 'premium' });
  config = { ...config, venues };
  const accounts = opts.accounts ?? (await provisionSimulatedAccounts(config, sims, { collateralUsd: opts.collateralUsd ?? '1000000' }));
  generatedSecrets.push(...accounts.secrets);
  config = withSimulatedCredentials(config, accounts);
  const logger = createLogger({
    level: 'debug',
    destination: {
      write(line: string) {
        logLines.push(line);
        capturedLogLines.push(line);
      },
    },
  });
  const engine = await createEngine({ config, baseDir: dir, logger, clock, live: true });
  const live = engine.liveTrading;
  if (!live) throw new Error('e2e: engine built without LiveTrading');
  // As `arb run` does: after createEngine, before start (its pair check runs in start()).
  const portfolio = opts.portfolio ? attachPortfolio(engine, { live: true }) : undefined;
  // Log in first (Paradex: chain id, Stark-signed auth, JWT; Lighter: WASM): the start-up reconcile
  // reads positions within ackTimeoutMs, and a first login on a loaded machine can take longer (a
  // failed read there halts trading for good: see the e2e report).
  await Promise.all(engine.connectors.map((c) => c.orders?.positions()));
  await engine.start();
  if (live.gate.halted && !opts.allowHaltedStart) throw new Error(`e2e: live trading halted after start: ${live.gate.halted}`);

  const accountOf = (venue: Venue) => accounts.accounts.find((a) => a.venue === venue)!.engineAccount;
  const simSymbol = (venue: Venue, symbol: string) => (venue === 'lighter' ? sims.market('lighter', symbol === '0' ? 'ETH' : symbol === '2' ? 'SOL' : 'BTC').instrument.symbol : symbol);
  const position = (venue: Venue, symbol = SYMBOL[venue]) => new Decimal(sims.trading[venue].engine.position(accountOf(venue), simSymbol(venue, symbol)).size.toString());

  const rig: LiveRig = {
    sims,
    engine,
    live,
    config,
    accounts,
    journalPath,
    dir,
    logLines,
    position,
    ...(portfolio ? { portfolio } : {}),
    judgment(buy, sell, size, o = {}) {
      const base = o.base ?? 'BTC';
      const symbols = o.symbols ?? (base === 'ETH' ? ETH : SYMBOL);
      const fair = new Decimal(sims.model.fairPrice(base));
      // Worst prices 0.5% through fair: the IOC limits sit well inside the simulated depth.
      const leg = (venue: Venue, side: 'buy' | 'sell') => {
        const worst = side === 'buy' ? fair.mul('1.005') : fair.mul('0.995');
        return { venue, symbol: symbols[venue], top: fair.toFixed(2), expected: fair.toFixed(2), worst: worst.toFixed(2) };
      };
      return judgment({ instrument: o.instrument ?? `${base}-USD-PERP`, size, buy: leg(buy, 'buy'), sell: leg(sell, 'sell') });
    },
    async trade(j) {
      const verdict = live.gate.check(j);
      if (!verdict.ok) {
        rig.lastDenial = `${verdict.rule}: ${verdict.reason}`;
        return undefined;
      }
      return live.executor.run(j);
    },
    rows(sql, ...params) {
      return engine.journal.db.prepare(sql).all(...params) as Record<string, unknown>[];
    },
    async close(c = {}) {
      await engine.stop();
      if (!c.keepSims) await sims.stop();
      if (!c.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Log lines (of this process) that carry any generated key, in either 0x or bare hex form. */
export function linesWithSecrets(lines: readonly string[] = capturedLogLines, secrets: readonly string[] = generatedSecrets): string[] {
  const forms = secrets.flatMap((s) => [s, s.replace(/^0x/i, '')]).filter((s) => s.length >= 8);
  return lines.filter((l) => forms.some((f) => l.includes(f)));
}

/** Poll until `cond` holds (or throw after `ms`). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
