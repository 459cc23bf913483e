import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../engine/core/logger.ts';
import { readSegmentHeader } from '../../../engine/recording/reader.ts';
import { listSegments } from '../../../engine/recording/segment-files.ts';
import { replay } from '../../../engine/replay/replayer.ts';
import { opportunityRows, recordLiveRun, sessions, withoutSession } from '../replay/scripted-run.ts';

describe('market-data recording', () => {
  it('replaying a recording gives the journal of the live run that recorded it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-rec-'));
    const { journal, recDir, stats } = await recordLiveRun(dir, 16 * 1024);
    expect(stats.dropped).toBe(0);
    expect(stats.events).toBe(4000);
    // Several segments, so the replay crosses segment boundaries (whose checkpoints it must skip).
    expect(stats.segments).toBeGreaterThanOrEqual(3);
    expect(listSegments(recDir)).toHaveLength(stats.segments);

    const replayed = join(dir, 'replay.sqlite');
    const result = await replay({ from: recDir, baseDir: process.cwd(), journalPath: replayed, logger: silentLogger });
    expect(result.events).toBe(4000);
    expect(result.truncatedSegments).toBe(0);

    const live = opportunityRows(journal);
    expect(live.length).toBeGreaterThan(50);
    expect(withoutSession(opportunityRows(replayed))).toEqual(withoutSession(live));
    expect(sessions(replayed)).toEqual([expect.objectContaining({ mode: 'replay', id: result.sessionIds[0] })]);
  });

  it('keeps the directory under maxTotalMb by deleting the oldest segments, and what is left still replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-rec-bound-'));
    const rotate = 8 * 1024;
    const bound = 40 * 1024;
    // No cooldown: the strategy then holds no memory a checkpoint could not restore.
    const { journal, recDir, stats } = await recordLiveRun(dir, rotate, bound, { cooldownMs: 0 });
    expect(stats.deletedSegments).toBeGreaterThan(0);
    const left = readdirSync(recDir).map((n) => statSync(join(recDir, n)).size);
    expect(left.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(bound);
    const segs = listSegments(recDir);
    expect(segs[0]!.segment).toBeGreaterThan(1); // the oldest are gone

    // The first segment left starts mid-stream: its checkpoint restores the books (sequenced
    // deltas would otherwise never apply), so the replay judges exactly what the live run
    // judged from the segment's start on.
    const replayed = join(dir, 'tail.sqlite');
    await replay({ from: recDir, baseDir: process.cwd(), journalPath: replayed, logger: silentLogger });
    const startedAt = (await readSegmentHeader(segs[0]!.path)).startedAt;
    const tail = opportunityRows(replayed);
    const liveTail = opportunityRows(journal).filter((r) => (r.detected_at as number) >= startedAt);
    expect(tail.length).toBeGreaterThan(20);
    const judged = (r: Record<string, unknown>) => `${r.detected_at}|${r.buy_venue}|${r.sell_venue}|${r.instrument}|${r.net}|${r.decision}|${r.desync_level}`;
    expect(tail.map(judged)).toEqual(liveTail.map(judged));
  });
});
