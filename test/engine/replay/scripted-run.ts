/** A "live" run without sockets: stand-in connectors fed by the synthetic market, time set by hand. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../../engine/core/clock.ts';
import { parseConfig, type EngineConfig } from '../../../engine/core/config.ts';
import { createEngine, type Engine } from '../../../engine/core/engine.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { MarketDataRecorder, type RecorderStats } from '../../../engine/recording/recorder.ts';
import { ReplayVenue } from '../../../engine/replay/replay-venue.ts';
import { syntheticMarket, type SyntheticMarket, type SyntheticMarketOptions } from '../../../engine/replay/synthetic-market.ts';

export const START_AT = Date.UTC(2025, 0, 6, 9, 0, 0);

export function testMarket(over: Partial<SyntheticMarketOptions> = {}): SyntheticMarket {
  return syntheticMarket({ venues: ['paradex', 'vest'], bases: ['BTC', 'ETH'], events: 4000, seed: 11, startAt: START_AT, meanGapMs: 40, ...over });
}

export function testConfig(market: SyntheticMarket, journalPath: string, strategy: Record<string, unknown> = {}): EngineConfig {
  return parseConfig({
    plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table', 'strategy:cross-exchange'],
    instruments: market.instruments,
    strategies: { 'cross-exchange': { thresholdPct: 0.1, notionalUsd: 1000, cooldownMs: 500, ...strategy } },
    journal: { path: journalPath, flushIntervalMs: 50 },
  });
}

/** Run the engine on the scripted events as a live run would receive them; returns the engine after stop(). */
export async function scriptedRun(
  market: SyntheticMarket,
  config: EngineConfig,
  /** Runs before start(): tap the engine, attach metrics. */
  before?: (engine: Engine, clock: ManualClock) => void | Promise<void>,
  options: { stop?: boolean } = {},
): Promise<Engine> {
  const clock = new ManualClock(START_AT);
  const venues = new Map(Object.entries(market.markets).map(([v, m]) => [v, new ReplayVenue(v, v, m)]));
  const engine = await createEngine({ config, baseDir: process.cwd(), logger: silentLogger, clock, live: false, connectors: [...venues.values()] });
  await before?.(engine, clock);
  await engine.start();
  for (const s of market.events()) {
    const sink = venues.get(s.event.venue)!.sink!;
    if (s.kind === 'book') {
      clock.set(s.event.receivedAt);
      sink.onBook(s.event);
    } else if (s.kind === 'funding') {
      clock.set(s.event.receivedAt);
      sink.onFunding!(s.event);
    } else sink.onStatus(s.event);
  }
  if (options.stop !== false) await engine.stop();
  return engine;
}

export type Row = Record<string, unknown>;

export function opportunityRows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM opportunities ORDER BY detected_at, id').all() as Row[];
  } finally {
    db.close();
  }
}

export function sessions(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT id, mode, started_at, ended_at FROM sessions ORDER BY started_at').all() as Row[];
  } finally {
    db.close();
  }
}

export function withoutSession(rows: Row[]): Row[] {
  return rows.map(({ session_id: _s, ...rest }) => rest);
}

/** A scripted live run with the recorder tapped in; the recording goes to <dir>/rec. */
export async function recordLiveRun(
  dir: string,
  rotateBytes: number,
  maxTotalBytes = 1e9,
  strategy: Record<string, unknown> = {},
): Promise<{ journal: string; recDir: string; stats: RecorderStats }> {
  const market = testMarket();
  const journal = join(dir, 'live.sqlite');
  const recDir = join(dir, 'rec');
  let recorder: MarketDataRecorder | undefined;
  await scriptedRun(market, testConfig(market, journal, strategy), (engine, clock) => {
    recorder = new MarketDataRecorder({
      dir: recDir, rotateBytes, maxTotalBytes, clock, logger: silentLogger, books: () => engine.hub.allBooks(), config: engine.config, recordingId: '20250106T090000Z-test',
    });
    engine.tapMarketData(recorder);
  });
  const stats = await recorder!.stop();
  return { journal, recDir, stats };
}
