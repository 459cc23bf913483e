/** The replay summary counts the same events as its progress bar (issue 16: 411 under the bar, 237 above it). */
import { describe, expect, it } from 'vitest';
import { formatReplaySummary } from '../../../engine/cli/replay-command.ts';
import { emptyTally } from '../../../engine/cli/console-reporter.ts';
import type { ReplayResult } from '../../../engine/replay/replayer.ts';

const result = (over: Partial<ReplayResult['hub']> = {}): ReplayResult => ({
  sessionIds: ['replay-1'],
  recordings: 1,
  segments: 2,
  events: 411,
  judged: 0,
  truncatedSegments: 0,
  recordedMs: 8000,
  hub: { snapshots: 12, deltas: 225, gaps: 1, crossed: 0, droppedWhileStale: 0, listenerErrors: 0, ...over },
});

describe('replay summary', () => {
  it('states the event total the progress bar counted and how many were applied book updates', () => {
    const [head, read] = formatReplaySummary(result(), emptyTally(), 'data/r.sqlite', 1.5);
    expect(head).toContain('replayed 8.0 s of recorded market: 411 events, 237 of them book updates applied, 174 funding, feed-status and checkpoint events, 1 sequence gaps resynced');
    expect(read).toBe('  read from 2 segment(s) of 1 recording(s) in 1.5 s (274 events/s); session replay-1');
  });

  it('names book updates dropped while a book waited for its snapshot', () => {
    const [head] = formatReplaySummary(result({ droppedWhileStale: 5 }), emptyTally(), 'j', 1);
    expect(head).toContain('174 funding, feed-status and checkpoint events or book updates dropped while a book waited for its snapshot (5)');
  });
});
