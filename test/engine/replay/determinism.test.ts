import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../engine/core/logger.ts';
import { replay } from '../../../engine/replay/replayer.ts';
import { opportunityRows, recordLiveRun, sessions, testConfig, testMarket } from './scripted-run.ts';

describe('replay', () => {
  let dir: string;
  let recDir: string;
  let liveJournal: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-replay-'));
    ({ recDir, journal: liveJournal } = await recordLiveRun(dir, 16 * 1024));
  });

  it('is deterministic: two replays write identical journals, ids and session included', async () => {
    const a = join(dir, 'a.sqlite');
    const b = join(dir, 'b.sqlite');
    const ra = await replay({ from: recDir, baseDir: process.cwd(), journalPath: a, logger: silentLogger });
    const rb = await replay({ from: recDir, baseDir: process.cwd(), journalPath: b, logger: silentLogger });
    expect(ra.sessionIds).toEqual(rb.sessionIds);
    expect(ra.sessionIds[0]).toMatch(/^replay-[0-9a-f]{16}$/);
    const rowsA = opportunityRows(a);
    expect(rowsA.length).toBeGreaterThan(50);
    expect(opportunityRows(b)).toEqual(rowsA);
    expect(sessions(b)).toEqual(sessions(a));
    // Replaying into the same file again replaces the earlier replay instead of colliding on ids.
    await replay({ from: recDir, baseDir: process.cwd(), journalPath: a, logger: silentLogger });
    expect(opportunityRows(a)).toEqual(rowsA);
  });

  it('answers "what if": a higher threshold judges a subset, under a different session id', async () => {
    const market = testMarket();
    const base = join(dir, 'base.sqlite');
    const strict = join(dir, 'strict.sqlite');
    const r1 = await replay({ from: recDir, baseDir: process.cwd(), journalPath: base, logger: silentLogger, config: testConfig(market, base) });
    const r2 = await replay({ from: recDir, baseDir: process.cwd(), journalPath: strict, logger: silentLogger, config: testConfig(market, strict, { thresholdPct: 0.3 }) });
    expect(r2.sessionIds[0]).not.toBe(r1.sessionIds[0]);
    const all = opportunityRows(base);
    const few = opportunityRows(strict);
    expect(few.length).toBeGreaterThan(0);
    expect(few.length).toBeLessThan(all.length);
    for (const r of few) expect(Number(r.executable_spread)).toBeGreaterThanOrEqual(0.003);
  });

  it('never overwrites the journal of a real run', async () => {
    await expect(replay({ from: recDir, baseDir: process.cwd(), journalPath: liveJournal, logger: silentLogger })).rejects.toThrow(
      /holds sessions of a dry-run run.*--journal <new file>/,
    );
    expect(opportunityRows(liveJournal).length).toBeGreaterThan(0);
  });

  it('names what is wrong with --from', async () => {
    await expect(replay({ from: join(dir, 'nope'), baseDir: process.cwd(), journalPath: ':memory:', logger: silentLogger })).rejects.toThrow(
      /--from .*nope: no such file or directory/,
    );
  });
});
