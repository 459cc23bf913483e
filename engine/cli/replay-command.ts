/**
 * `arb replay`: feed a market-data recording through the engine (hub, strategies, simulator,
 * journal) as fast as it goes or at a chosen speed, into a journal of its own. With --config,
 * the same market under other thresholds, sizes or fees: "what if".
 */
import { dirname, resolve } from 'node:path';
import { loadConfigFile } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { replay, type ReplayResult } from '../replay/replayer.ts';
import { emptyTally, formatSessionSummary, tally, type SessionTally } from './console-reporter.ts';
import { Progress } from './progress.ts';

export interface ReplayCommandOptions {
  from: string;
  config?: string;
  speed?: number;
  fast?: boolean;
  journal?: string;
  quiet?: boolean;
  /** Log lines as pino JSON instead of readable lines. */
  logJson?: boolean;
}

export const DEFAULT_REPLAY_JOURNAL = 'data/replay-journal.sqlite';

export async function replayCommand(opts: ReplayCommandOptions, out: (line: string) => void = console.log): Promise<void> {
  if (opts.fast && opts.speed !== undefined) throw new Error('--fast and --speed exclude each other: pick one');
  const config = opts.config ? loadConfigFile(resolve(opts.config)) : undefined;
  const journalPath = opts.journal ?? DEFAULT_REPLAY_JOURNAL;
  const logger = createLogger({ level: config?.logLevel ?? 'warn', format: opts.logJson ? 'json' : 'human' });
  const t = emptyTally();
  const progress = opts.quiet ? undefined : new Progress({ label: 'replay', unit: 'events' });
  out(`Replaying ${opts.from} ${opts.speed ? `at ${opts.speed}x recorded speed` : 'as fast as possible'} with ${opts.config ? `config ${opts.config}` : 'the recorded config'} into ${journalPath}`);
  const started = performance.now();
  const result = await replay({
    from: opts.from,
    config,
    baseDir: opts.config ? dirname(resolve(opts.config)) : process.cwd(),
    journalPath,
    speed: opts.speed,
    logger,
    onJudgment: (j) => tally(t, j),
    onProgress: (p) => progress?.update(p.bytesDone, p.bytesTotal, p.events),
  });
  progress?.finish();
  const wallSec = (performance.now() - started) / 1000;
  for (const line of formatReplaySummary(result, t, journalPath, wallSec)) out(line);
  out(`  next: arb report --journal ${journalPath}`);
}

/**
 * The replay's session summary. One event total throughout: the progress bar counts every
 * recorded event, so the summary says how many of them were book updates the hub applied and
 * what the rest were (it printed "411 events" under the bar and "237 book updates" above it).
 */
export function formatReplaySummary(result: ReplayResult, t: SessionTally, journalPath: string, wallSec: number): string[] {
  const h = result.hub;
  const applied = h.snapshots + h.deltas;
  const rest = result.events - applied;
  const head = formatSessionSummary(t, { booksLive: 0, booksTotal: 0, updates: applied, gaps: h.gaps }, result.recordedMs / 1000, journalPath).replace(
    /ran ([\d.]+) s, (\d+) book updates/,
    `replayed $1 s of recorded market: ${result.events} events, $2 of them book updates applied` +
      (rest > 0 ? `, ${rest} funding, feed-status and checkpoint events${h.droppedWhileStale ? ` or book updates dropped while a book waited for its snapshot (${h.droppedWhileStale})` : ''}` : ''),
  );
  const lines = [
    head,
    `  read from ${result.segments} segment(s) of ${result.recordings} recording(s) in ${wallSec.toFixed(1)} s ` +
      `(${Math.round(result.events / Math.max(wallSec, 1e-3))} events/s); session ${result.sessionIds.join(', ')}`,
  ];
  if (result.truncatedSegments) lines.push(`  note: ${result.truncatedSegments} segment(s) ended mid-line (the recorder was killed); replayed up to their last whole line`);
  return lines;
}
