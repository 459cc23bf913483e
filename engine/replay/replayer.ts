/**
 * Replays a recording through the same engine as a live run: assemble() (engine/app, as
 * `arb run` builds it: engine and portfolio) with stand-in connectors (ReplayVenue) instead of
 * live ones, and a ManualClock set to each event's recorded engine time before it is delivered,
 * so the hub, the strategies, the simulator, the pair lifecycle and the journal see what they
 * saw live, at the times they saw it. Always dry-run: pairs are simulated, nothing can be sent.
 */
import { ManualClock } from '../core/clock.ts';
import { parseConfig, type EngineConfig } from '../core/config.ts';
import { assemble } from '../app/assemble.ts';
import type { Logger } from '../core/logger.ts';
import type { JudgmentListener } from '../core/opportunity-flow.ts';
import type { HubCounters, MarketDataHub } from '../market/hub.ts';
import type { BookEvent } from '../market/types.ts';
import type { RecordedEvent, SegmentHeader } from '../recording/codec.ts';
import { readSegment } from '../recording/reader.ts';
import { Pacer } from './pacer.ts';
import { planReplay, type PlannedRecording, type PlannedSegment } from './recording-plan.ts';
import { prepareReplayJournal, REPLAY_SESSION_MODE, replaySessionId } from './replay-journal.ts';
import { ReplayVenue } from './replay-venue.ts';

export interface ReplayOptions {
  /** A recording directory or one segment file. */
  from: string;
  /** What-if config; default: the config each recording was made with. */
  config?: EngineConfig;
  /** Directory the config's relative plugin paths resolve against. */
  baseDir: string;
  journalPath: string;
  /** Recorded time divided by this; undefined replays as fast as the engine goes. */
  speed?: number;
  logger: Logger;
  onJudgment?: JudgmentListener;
  onProgress?: (p: ReplayProgress) => void;
}

export interface ReplayProgress {
  bytesDone: number;
  bytesTotal: number;
  events: number;
}

export interface ReplayResult {
  sessionIds: string[];
  recordings: number;
  segments: number;
  events: number;
  judged: number;
  /** Segments that ended inside a line (the recorder was killed). */
  truncatedSegments: number;
  /** Recorded time covered, ms. */
  recordedMs: number;
  hub: HubCounters;
}

export async function replay(o: ReplayOptions): Promise<ReplayResult> {
  const plan = planReplay(o.from);
  prepareReplayJournal(o.journalPath);
  const bytesTotal = plan.reduce((s, r) => s + r.segments.reduce((a, f) => a + f.bytes, 0), 0);
  const result: ReplayResult = {
    sessionIds: [],
    recordings: 0,
    segments: 0,
    events: 0,
    judged: 0,
    truncatedSegments: 0,
    recordedMs: 0,
    hub: { snapshots: 0, deltas: 0, gaps: 0, crossed: 0, droppedWhileStale: 0, listenerErrors: 0 },
  };
  let bytesBefore = 0;
  for (const recording of plan) {
    await replayRecording(recording, o, result, (bytesInRecording) => o.onProgress?.({ bytesDone: bytesBefore + bytesInRecording, bytesTotal, events: result.events }));
    bytesBefore += recording.segments.reduce((a, f) => a + f.bytes, 0);
  }
  o.onProgress?.({ bytesDone: bytesTotal, bytesTotal, events: result.events });
  return result;
}

async function replayRecording(
  recording: PlannedRecording,
  o: ReplayOptions,
  result: ReplayResult,
  progress: (bytes: number) => void,
): Promise<void> {
  const stats = { segments: 0, truncated: 0 };
  const segments = readAll(recording.segments, stats);
  const first = await segments.next();
  if (first.done) return;
  const header = first.value.header;
  const config = replayConfig(o.config ?? parseConfig(header.config, `${recording.segments[0]!.path} (recorded config)`), o.journalPath);
  const clock = new ManualClock(header.startedAt);
  const venues = new Map(
    Object.entries(header.venues).map(([venue, v]) => [
      venue,
      new ReplayVenue(venue, v.chain, v.markets, (name, missing) =>
        o.logger.warn('the config names markets this recording does not hold: they stay empty', { venue: name, symbols: missing }),
        v.takerDelayMs,
      ),
    ]),
  );
  const sessionId = replaySessionId(recording.recordingId, recording.segments[0]!.segment, config);
  const { engine, portfolio } = await assemble({
    config,
    baseDir: o.baseDir,
    logger: o.logger,
    clock,
    live: false,
    connectors: [...venues.values()],
    session: { id: sessionId, mode: REPLAY_SESSION_MODE },
  });
  if (o.onJudgment) engine.flow.onJudgment(o.onJudgment);
  let judged = 0;
  engine.flow.onJudgment(() => judged++);
  await engine.start();
  const pacer = new Pacer(o.speed);
  let firstT: number | undefined;
  let lastT = header.startedAt;
  try {
    let step: IteratorResult<ReadStep, void> = first;
    while (!step.done) {
      const { records, restoreBooks, bytes } = step.value;
      let i = 0;
      // As fast as it goes: each batch's journal writes in one commit (Journal.replayBatch). Paced,
      // a batch ends at the first wait, so no transaction stays open across the pacer's sleep.
      while (i < records.length) {
        const wait = pacer.delayFor(records[i]!.t);
        if (wait >= 1) await pacer.wait(wait);
        i = engine.journal.replayBatch(() => {
          let at = i;
          do {
            const r = records[at]!;
            clock.set(r.t);
            firstT ??= r.t;
            lastT = r.t;
            if (deliver(r, venues, engine.hub, restoreBooks)) result.events++;
            at++;
          } while (at < records.length && pacer.delayFor(records[at]!.t) < 1);
          return at;
        });
      }
      progress(bytes);
      step = await segments.next();
    }
  } finally {
    // As `arb run` stops: pair closes first, then the engine (the journal closes last).
    await portfolio.stop();
    await engine.stop();
  }
  result.segments += stats.segments;
  result.truncatedSegments += stats.truncated;
  result.recordings++;
  result.judged += judged;
  result.recordedMs += firstT === undefined ? 0 : lastT - firstT;
  result.sessionIds.push(sessionId);
  for (const k of Object.keys(result.hub) as (keyof HubCounters)[]) result.hub[k] += engine.hub.counters[k];
}

/** True for a market-data event (delivered or skipped), false for a checkpoint. */
function deliver(r: RecordedEvent, venues: Map<string, ReplayVenue>, hub: MarketDataHub, restoreBooks: boolean): boolean {
  if (r.kind === 'checkpoint') {
    if (restoreBooks) restoreBook(hub, r.event);
    return false;
  }
  // A venue the what-if config does not trade has no stand-in connector: its events are skipped.
  const sink = venues.get(r.event.venue)?.sink;
  switch (r.kind) {
    case 'book':
      sink?.onBook(r.event);
      break;
    case 'status':
      sink?.onStatus(r.event);
      break;
    case 'funding':
      sink?.onFunding?.(r.event);
      break;
  }
  return true;
}

/**
 * Put a book back as it stood when the segment began. State, not an event: the live engine
 * judged nothing at this instant, so no listener may fire.
 */
function restoreBook(hub: MarketDataHub, e: BookEvent): void {
  const book = hub.book(e.venue, e.symbol);
  if (!book) return;
  book.applySnapshot(e);
  book.stale = false;
  book.staleReason = undefined;
}

/** A replay never records itself, serves metrics or starts simulators, and journals where told. */
function replayConfig(c: EngineConfig, journalPath: string): EngineConfig {
  return {
    ...c,
    journal: { ...c.journal, path: journalPath },
    recording: { ...c.recording, enabled: false },
    metrics: undefined,
    simulators: { ...c.simulators, enabled: false },
  };
}

interface ReadStep {
  header: SegmentHeader;
  records: RecordedEvent[];
  restoreBooks: boolean;
  /** Compressed bytes of this recording read so far. */
  bytes: number;
}

/** The recording's segments as one stream of batches, each tagged with its segment's checkpoint rule. */
async function* readAll(segments: PlannedSegment[], stats: { segments: number; truncated: number }): AsyncGenerator<ReadStep, void> {
  let done = 0;
  for (const s of segments) {
    const it = readSegment(s.path);
    let step = await it.next();
    stats.segments++;
    while (!step.done) {
      const { header, records, bytesRead } = step.value;
      yield { header, records, restoreBooks: s.restoreBooks || header.afterLoss > 0, bytes: done + bytesRead };
      step = await it.next();
    }
    if (step.value.truncated) stats.truncated++;
    done += s.bytes;
  }
}
