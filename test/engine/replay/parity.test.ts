/**
 * Done means (issue 13): running and replaying the same recording with funding-arb and
 * cross-exchange pairs writes identical journals. The run is a dry-run on the loopback
 * simulators (paradex, vest, lighter), built as `arb run` builds it (engine/app/assemble.ts, then the recorder on the
 * clock assemble returns), on the wall clock; funding is scripted so funding-arb opens (and
 * later closes) a pair, and a dislocation makes cross-exchange open one. The replay reads that
 * recording with the config it was made with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../../engine/app/assemble.ts';
import { systemClock } from '../../../engine/core/clock.ts';
import { parseConfig } from '../../../engine/core/config.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { attachRecorder, recordingDir } from '../../../engine/recording/attach.ts';
import { replay } from '../../../engine/replay/replayer.ts';
import { startVenueSimulators } from '../../../simulators/index.ts';

const BTC = 'BTC-USD-PERP';
const ETH = 'ETH-USD-PERP';
type Row = Record<string, unknown>;

/**
 * Every table a dry-run with pairs writes, in a stable order. The one column left out:
 * session_id. The run's is a random UUID, a replay's a hash of recording and config (so two
 * replays share it); it names the run, not what was judged. Every timestamp is compared: the
 * dry-run clock holds still per event (engine/app/event-clock.ts), so the run stamps each row
 * with the instant the recorder stamped the event, which is the instant the replay sets.
 */
const TABLES: Record<string, string> = {
  opportunities: 'SELECT * FROM opportunities ORDER BY detected_at, id',
  pair_positions: 'SELECT * FROM pair_positions ORDER BY opened_at, id',
  pair_events: 'SELECT * FROM pair_events ORDER BY seq',
  funding_carry: 'SELECT * FROM funding_carry ORDER BY judged_at, intent_id',
  trades: 'SELECT * FROM trades ORDER BY rowid',
};

function journalTables(path: string): Record<string, Row[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      Object.entries(TABLES).map(([t, sql]) => [t, (db.prepare(sql).all() as Row[]).map(({ session_id: _s, ...rest }) => rest)]),
    );
  } finally {
    db.close();
  }
}

const until = async (cond: () => boolean, step: () => void, what: string, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    step();
    await new Promise((r) => setTimeout(r, 30));
  }
};

describe('run and replay of one recording (funding-arb and cross-exchange pairs)', () => {
  let dir: string;
  let run: Record<string, Row[]>;
  let recDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-parity-'));
    const sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0 });
    try {
      const config = parseConfig({
        mode: 'dry-run',
        plugins: ['exchange:paradex', 'exchange:vest', 'exchange:lighter', 'fee-model:table', 'strategy:cross-exchange', 'strategy:funding-arb'],
        fees: { table: { preset: 'seed' } },
        // Lighter too: its connector judges takers against books 300 ms older (takerDelayMs), which the recording must carry.
        instruments: { [BTC]: { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: 1 }, [ETH]: { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: 0 } },
        strategies: {
          'cross-exchange': { thresholdPct: 0.3, notionalUsd: 1000, cooldownMs: 200 },
          'funding-arb': { size: { [BTC]: '0.01' }, minNetAprPct: '400', exitBelowAprPct: '2', horizonHours: 72, cooldownMs: 0 },
        },
        portfolio: {},
        venues: {
          paradex: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl },
          vest: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl, accountGroup: sims.vest.accountGroup },
          lighter: { restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl },
        },
        journal: { path: join(dir, 'run.sqlite'), flushIntervalMs: 50 },
        recording: { enabled: true },
      });
      // As runEngine (engine/cli/run-command.ts) does it.
      const { engine, portfolio, clock } = await assemble({ config, baseDir: process.cwd(), logger: silentLogger, clock: systemClock, live: false });
      const recorder = attachRecorder(engine, config, clock, silentLogger);
      recDir = recordingDir(config);
      let judged = 0;
      engine.flow.onJudgment(() => judged++);
      await engine.start();
      const pairsOf = (strategy: string) => portfolio.pairs.unclosed().filter((p) => p.strategy === strategy);
      try {
        // funding-arb: long where funding is cheap (vest), short where it is rich (paradex).
        sims.model.setFundingPremium('vest', 'BTC', -3000);
        sims.model.setFundingPremium('paradex', 'BTC', 3000);
        await until(() => pairsOf('funding-arb').length > 0, () => sims.step(), 'funding-arb opened a pair');
        // cross-exchange: vest's ETH quotes 1% rich for a while, then converges.
        sims.model.dislocate('vest', 'ETH', 0.01, 60_000);
        await until(() => pairsOf('cross-exchange').length > 0, () => sims.step(), 'cross-exchange opened a pair');
        // Judged again while held: the lifecycle must skip these in the replay too.
        await until(() => judged > 4, () => sims.step(), 'cross-exchange judged the held dislocation again');
        sims.model.clearDislocation('vest', 'ETH');
        // The funding stops paying: funding-arb's pair closes on its exit policy.
        sims.model.setFundingPremium('vest', 'BTC', 0);
        sims.model.setFundingPremium('paradex', 'BTC', 0);
        await until(() => pairsOf('funding-arb').length === 0, () => sims.step(), 'funding-arb closed its pair');
        for (let i = 0; i < 10; i++) {
          sims.step();
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        engine.journal.flush();
        await portfolio.stop();
        await engine.stop();
        await recorder.stop();
      }
    } finally {
      await sims.stop();
    }
    run = journalTables(join(dir, 'run.sqlite'));
  }, 40_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the run held pairs of both strategies, funded one and closed one', () => {
    const strategies = new Set(run.pair_positions!.map((p) => p['strategy']));
    expect(strategies).toEqual(new Set(['funding-arb', 'cross-exchange']));
    expect(run.pair_positions!.some((p) => p['state'] === 'closed')).toBe(true);
    expect(run.pair_events!.some((e) => e['type'] === 'funding')).toBe(true);
    expect(run.funding_carry!.some((c) => c['decision'] === 'accept')).toBe(true);
    expect(run.trades).toEqual([]);
  });

  it('a replay writes the journal the run wrote, table by table', async () => {
    const path = join(dir, 'replay.sqlite');
    await replay({ from: recDir, baseDir: process.cwd(), journalPath: path, logger: silentLogger });
    const replayed = journalTables(path);
    for (const table of Object.keys(TABLES)) expect(replayed[table], table).toEqual(run[table]);
  });

  it('two replays are identical, session ids included', async () => {
    const a = join(dir, 'a.sqlite');
    const b = join(dir, 'b.sqlite');
    const ra = await replay({ from: recDir, baseDir: process.cwd(), journalPath: a, logger: silentLogger });
    const rb = await replay({ from: recDir, baseDir: process.cwd(), journalPath: b, logger: silentLogger });
    expect(rb.sessionIds).toEqual(ra.sessionIds);
    const sessionsOf = (p: string) => new Database(p, { readonly: true }).prepare('SELECT DISTINCT session_id FROM pair_positions').all();
    expect(sessionsOf(a)).toEqual([{ session_id: ra.sessionIds[0] }]);
    expect(journalTables(b)).toEqual(journalTables(a));
  });
});
