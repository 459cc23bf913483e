/**
 * Replay throughput: a synthetic recording (3 venues x 20 markets, 1M events by default) is
 * written as real gzip segments, then replayed as fast as the engine goes through the same
 * path as `arb replay` (reader, stand-in connectors, hub, strategy, simulator, journal).
 * Only the replay is timed; peak RSS is the process's high-water mark.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createGzip, type Gzip } from 'node:zlib';
import { parseConfig } from '../engine/core/config.ts';
import { silentLogger } from '../engine/core/logger.ts';
import { RECORDING_FORMAT, RECORDING_VERSION, SegmentEncoder, type RecordedEvent, type SegmentHeader } from '../engine/recording/codec.ts';
import { segmentFileName } from '../engine/recording/segment-files.ts';
import { replay } from '../engine/replay/replayer.ts';
import { syntheticMarket, type SyntheticMarket } from '../engine/replay/synthetic-market.ts';

export interface ReplayBenchResult {
  eventsPerSec: number;
  peakRssMb: number;
  events: number;
}

export interface ReplayBenchOptions {
  events?: number;
  /** Events per segment file. */
  segmentEvents?: number;
}

const START_AT = Date.UTC(2025, 0, 6, 0, 0, 0);

function benchConfig(dir: string, instruments: SyntheticMarket['instruments']): ReturnType<typeof parseConfig> {
  return parseConfig({
    plugins: ['exchange:paradex', 'exchange:vest', 'exchange:lighter', 'fee-model:table', 'strategy:cross-exchange'],
    instruments,
    strategies: { 'cross-exchange': { thresholdPct: 0.1, notionalUsd: 1000, cooldownMs: 1000 } },
    journal: { path: join(dir, 'journal.sqlite'), flushIntervalMs: 250 },
  });
}

function benchMarket(events: number): SyntheticMarket {
  const bases = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
  // About 2 events per ms across 60 books (a busy feed, sped up); dislocations often enough to judge.
  return syntheticMarket({ venues: ['paradex', 'vest', 'lighter'], bases, events, seed: 42, startAt: START_AT, meanGapMs: 1, dislocation: 0.01 });
}

/** Write the bench recording (real gzip segments) into `dir`. */
export async function writeBenchRecording(dir: string, events: number, segmentEvents = 250_000): Promise<void> {
  const market = benchMarket(events);
  await writeRecording(dir, market, benchConfig(dir, market.instruments), segmentEvents);
}

/**
 * Replay the recording in `dir` as `arb replay` does, timed after a warm-up. Peak RSS is the
 * process's high-water mark, so the figure is only the replay's when this process did nothing
 * else first: npm run bench runs each size in a fresh child (runReplayChild).
 */
export async function replayBenchRecording(dir: string): Promise<ReplayBenchResult> {
  await warmUp(dir, benchConfig(dir, benchMarket(1).instruments));
  const started = performance.now();
  const result = await replay({ from: dir, baseDir: process.cwd(), journalPath: join(dir, 'replay.sqlite'), logger: silentLogger });
  const seconds = (performance.now() - started) / 1000;
  return {
    eventsPerSec: Math.round(result.events / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    events: result.events,
  };
}

export async function benchReplay(o: ReplayBenchOptions = {}): Promise<ReplayBenchResult> {
  const events = o.events ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'arb-bench-replay-'));
  try {
    await writeBenchRecording(dir, events, o.segmentEvents);
    return await replayBenchRecording(dir);
  } finally {
    if (process.env.BENCH_KEEP) console.log('kept', dir);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One recording size, measured the way the figure means it: written by one child process, replayed
 * by a fresh one (its peak RSS is the replay's alone, not the writer's or an earlier bench's).
 */
export function runReplayChild(events: number): ReplayBenchResult & { writeSeconds: number; replaySeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'arb-bench-replay-'));
  const self = fileURLToPath(import.meta.url);
  const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', self, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const w0 = performance.now();
    run('--write', dir, String(events));
    const writeSeconds = (performance.now() - w0) / 1000;
    const r0 = performance.now();
    const out = run('--replay', dir);
    const replaySeconds = (performance.now() - r0) / 1000;
    const r = JSON.parse(out.trim().split('\n').pop()!) as ReplayBenchResult;
    return { ...r, writeSeconds, replaySeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function warmUp(dir: string, config: ReturnType<typeof parseConfig>): Promise<void> {
  const warm = join(dir, 'warm-up');
  const market = syntheticMarket({ venues: ['paradex', 'vest', 'lighter'], bases: ['S00'], events: 2000, seed: 1, startAt: START_AT, meanGapMs: 1 });
  await writeRecording(warm, market, config, 2000);
  await replay({ from: warm, baseDir: process.cwd(), journalPath: join(warm, 'replay.sqlite'), logger: silentLogger });
}

/** The recorder's file format, written directly: the bench needs the files, not a live engine. */
async function writeRecording(dir: string, market: SyntheticMarket, config: unknown, perSegment: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const venues: SegmentHeader['venues'] = Object.fromEntries(Object.entries(market.markets).map(([v, markets]) => [v, { chain: v, markets }]));
  let segment: { gzip: Gzip; closed: Promise<void>; encoder: SegmentEncoder } | undefined;
  let lines: string[] = [];
  const flush = async () => {
    if (!segment || lines.length === 0) return;
    lines.push('');
    const gzip = segment.gzip;
    if (!gzip.write(lines.join('\n'))) await new Promise((ok) => gzip.once('drain', ok));
    lines = [];
  };
  const close = async () => {
    await flush();
    segment?.gzip.end();
    await segment?.closed;
  };
  // Status events carry no receive time: the engine saw them at the previous event's time.
  let t = START_AT;
  let n = 0;
  for (const s of market.events()) {
    if (s.kind !== 'status') t = s.event.receivedAt;
    if (n++ % perSegment === 0) {
      await close();
      const header: SegmentHeader = {
        format: RECORDING_FORMAT, version: RECORDING_VERSION, recordingId: '20250106T000000Z-bench',
        segment: Math.ceil(n / perSegment), startedAt: t, afterLoss: 0, venues, config,
      };
      // Level 1: the bench times the replay, not the writing; the reader does not care.
      const gzip = createGzip({ level: 1 });
      const file = createWriteStream(join(dir, segmentFileName(header.recordingId, header.segment)));
      gzip.pipe(file);
      segment = { gzip, closed: new Promise((ok) => file.once('close', () => ok())), encoder: new SegmentEncoder(header) };
      lines.push(SegmentEncoder.header(header));
    }
    lines.push(segment!.encoder.encode({ ...s, t } as RecordedEvent));
    if (lines.length >= 20_000) await flush();
  }
  await close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, dir, n] = process.argv.slice(2);
  if (mode === '--write') {
    await writeBenchRecording(dir!, Number(n));
  } else if (mode === '--replay') {
    console.log(JSON.stringify(await replayBenchRecording(dir!)));
  } else {
    const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
    const r = await benchReplay({ events });
    console.log(`replay: ${r.events} events, ${r.eventsPerSec} events/s, peak RSS ${r.peakRssMb} MB`);
  }
}
