/**
 * `arb replay`: feed a market-data recording through the engine (hub, strategies, simulator,
 * journal) as fast as it goes or at a chosen speed, into a journal of its own. With --config,
 * the same market under other thresholds, sizes or fees: "what if".
 */
import { dirname, resolve } from 'node:path';
import { loadConfigFile } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { replay } from '../replay/replayer.ts';
import { emptyTally, formatSessionSummary, tally } from './console-reporter.ts';
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
  const h = result.hub;
  out(
    formatSessionSummary(t, { booksLive: 0, booksTotal: 0, updates: h.snapshots + h.deltas, gaps: h.gaps }, result.recordedMs / 1000, journalPath).replace(
      /ran ([\d.]+) s/,
      'replayed $1 s of recorded market',
    ),
  );
  out(
    `  ${result.events} events from ${result.segments} segment(s) of ${result.recordings} recording(s) in ${wallSec.toFixed(1)} s ` +
      `(${Math.round(result.events / Math.max(wallSec, 1e-3))} events/s); session ${result.sessionIds.join(', ')}`,
  );
  if (result.truncatedSegments) out(`  note: ${result.truncatedSegments} segment(s) ended mid-line (the recorder was killed); replayed up to their last whole line`);
  out(`  next: arb report --journal ${journalPath}`);
}
