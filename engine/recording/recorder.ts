/**
 * Records the normalized market data as it reaches the hub (a MarketDataTap), for replay.
 *
 * The market-data path only pays for JSON.stringify and an array push: lines are buffered and
 * handed to gzip in batches, and compression runs on libuv's thread pool. If the disk cannot
 * keep up, the recorder drops events (counted) rather than let memory grow without bound, and
 * starts a new segment with a checkpoint of every book once it has caught up, so the recording
 * stays replayable after the hole.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';
import type { Clock } from '../core/clock.ts';
import type { MarketDataTap } from '../core/engine.ts';
import type { Logger } from '../core/logger.ts';
import type { OrderBook } from '../market/book.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent, MarketInfo, VenueId } from '../market/types.ts';
import { RECORDING_FORMAT, RECORDING_VERSION, SegmentEncoder, type RecordedEvent, type SegmentHeader } from './codec.ts';
import { newRecordingId, pruneSegments, segmentFileName } from './segment-files.ts';

export interface RecorderOptions {
  dir: string;
  rotateBytes: number;
  maxTotalBytes: number;
  clock: Clock;
  logger: Logger;
  /** The hub's books: each new segment starts with their state, so it replays on its own. */
  books: () => Iterable<OrderBook>;
  /** The run's engine config, stored in each header as the replay's default. */
  config: unknown;
  recordingId?: string;
  /** Hand buffered lines to gzip this often. */
  flushIntervalMs?: number;
  /** Force a gzip sync point this often, so a crash loses seconds of data, not a segment. */
  syncEveryMs?: number;
  /** Bytes waiting for compression and disk beyond which events are dropped. */
  maxBacklogBytes?: number;
}

export interface RecorderStats {
  events: number;
  dropped: number;
  segments: number;
  compressedBytes: number;
  deletedSegments: number;
}

interface OpenSegment {
  path: string;
  gzip: Gzip;
  file: WriteStream;
  /** Compressed bytes gzip has produced. */
  bytesOut: number;
  /** Characters handed to gzip. */
  charsIn: number;
  closed: Promise<void>;
  encoder: SegmentEncoder;
}

const BATCH_CHARS = 256 * 1024;
/** Compressed/plain size of recorded market data at gzip level 6, measured on simulator feeds. */
const TYPICAL_RATIO = 0.25;

export class MarketDataRecorder implements MarketDataTap {
  readonly recordingId: string;
  readonly stats: RecorderStats = { events: 0, dropped: 0, segments: 0, compressedBytes: 0, deletedSegments: 0 };
  private readonly venues: SegmentHeader['venues'] = {};
  private readonly early: RecordedEvent[] = [];
  private ready = false;
  private failed = false;
  private segment: OpenSegment | undefined;
  private segmentNo = 0;
  private chunks: string[] = [];
  private chunkChars = 0;
  private lostSinceSegment = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly maxBacklog: number;

  constructor(private readonly o: RecorderOptions) {
    this.recordingId = o.recordingId ?? newRecordingId(o.clock.now(), Math.random().toString(16).slice(2, 6));
    this.maxBacklog = o.maxBacklogBytes ?? 64 * 1024 * 1024;
    mkdirSync(o.dir, { recursive: true });
  }

  onMarkets(venue: VenueId, chain: string, markets: MarketInfo[], takerDelayMs?: number): void {
    this.venues[venue] = { chain, markets, ...(takerDelayMs ? { takerDelayMs } : {}) };
  }

  onReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.openSegment(0);
    for (const r of this.early.splice(0)) this.record(r);
    this.timers.push(setInterval(() => this.drain(), this.o.flushIntervalMs ?? 200));
    this.timers.push(setInterval(() => this.segment?.gzip.flush(zlibConstants.Z_SYNC_FLUSH), this.o.syncEveryMs ?? 5000));
    for (const t of this.timers) t.unref();
    void this.prune(undefined); // segments left by earlier runs count against the bound too
  }

  onBook(event: BookEvent): void {
    this.record({ kind: 'book', t: this.o.clock.now(), event });
  }

  onStatus(event: FeedStatusEvent): void {
    this.record({ kind: 'status', t: this.o.clock.now(), event });
  }

  onFunding(event: FundingEvent): void {
    this.record({ kind: 'funding', t: this.o.clock.now(), event });
  }

  /** Flush, close the open segment and apply the disk bound. */
  async stop(): Promise<RecorderStats> {
    for (const t of this.timers) clearInterval(t);
    const s = this.segment;
    this.segment = undefined;
    if (s) {
      this.drainInto(s);
      s.gzip.end();
      await s.closed;
      await this.prune(s.path);
    }
    this.failed = true; // nothing more is written after stop()
    return this.stats;
  }

  private record(r: RecordedEvent): void {
    if (this.failed) return;
    if (!this.ready) {
      this.early.push(r);
      return;
    }
    this.stats.events++;
    if (this.lostSinceSegment > 0) {
      if (this.backlog() > this.maxBacklog / 2) return this.drop();
      this.rotate(); // caught up: a fresh segment whose checkpoint bridges the hole
    } else if (this.compressedEstimate(this.segment!) >= this.o.rotateBytes) {
      this.rotate();
    }
    if (this.backlog() > this.maxBacklog) return this.drop();
    this.push(this.segment!.encoder.encode(r));
  }

  private drop(): void {
    if (this.lostSinceSegment === 0) this.o.logger.warn('recorder cannot keep up with the disk: dropping market data until it does', { dir: this.o.dir });
    this.lostSinceSegment++;
    this.stats.dropped++;
  }

  /**
   * Compressed size of the segment once what is queued is compressed. gzip reports output
   * asynchronously, so the queued part is scaled by the ratio seen so far (a typical ratio
   * until enough has been compressed to measure it).
   */
  private compressedEstimate(s: OpenSegment): number {
    const consumed = s.gzip.bytesWritten;
    const ratio = consumed > 64 * 1024 ? s.bytesOut / consumed : TYPICAL_RATIO;
    return s.bytesOut + (s.charsIn + this.chunkChars - consumed) * ratio;
  }

  private backlog(): number {
    const s = this.segment!;
    return this.chunkChars + s.gzip.writableLength + s.file.writableLength;
  }

  private push(line: string): void {
    this.chunks.push(line);
    this.chunkChars += line.length + 1;
    if (this.chunkChars >= BATCH_CHARS) this.drain();
  }

  private drain(): void {
    if (this.segment) this.drainInto(this.segment);
  }

  private drainInto(s: OpenSegment): void {
    if (this.chunks.length === 0) return;
    this.chunks.push('');
    const text = this.chunks.join('\n');
    s.charsIn += text.length;
    s.gzip.write(text);
    this.chunks = [];
    this.chunkChars = 0;
  }

  private rotate(): void {
    const old = this.segment!;
    this.drainInto(old);
    old.gzip.end();
    void old.closed.then(() => this.prune(undefined));
    this.openSegment(this.lostSinceSegment);
    this.lostSinceSegment = 0;
  }

  private openSegment(afterLoss: number): void {
    const now = this.o.clock.now();
    const header: SegmentHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      recordingId: this.recordingId,
      segment: ++this.segmentNo,
      startedAt: now,
      afterLoss,
      venues: this.venues,
      config: this.o.config,
    };
    const path = join(this.o.dir, segmentFileName(this.recordingId, header.segment));
    const gzip = createGzip({ level: 6 });
    const file = createWriteStream(path);
    const s: OpenSegment = {
      path,
      gzip,
      file,
      bytesOut: 0,
      charsIn: 0,
      encoder: new SegmentEncoder(header),
      closed: new Promise((done) => file.once('close', () => done())),
    };
    gzip.on('data', (c: Buffer) => {
      s.bytesOut += c.length;
      this.stats.compressedBytes += c.length;
    });
    gzip.pipe(file);
    const fail = (err: Error) => this.fail(path, err);
    gzip.once('error', fail);
    file.once('error', fail);
    this.segment = s;
    this.stats.segments++;
    this.push(SegmentEncoder.header(header));
    // Segment 1 begins with every book empty; later ones carry the books as they stand.
    if (header.segment > 1) {
      for (const b of this.o.books()) if (!b.stale) this.push(s.encoder.encode({ kind: 'checkpoint', t: now, event: bookState(b) }));
    }
  }

  private fail(path: string, err: Error): void {
    if (this.failed) return;
    this.failed = true;
    for (const t of this.timers) clearInterval(t);
    // Recording is an aid, not the product: the engine keeps running without it.
    this.o.logger.error('market-data recording stopped: cannot write segment', { path, error: err.message });
  }

  private async prune(keep: string | undefined): Promise<void> {
    const current = keep ?? this.segment?.path ?? '';
    const deleted = await pruneSegments(this.o.dir, this.o.maxTotalBytes, current).catch(() => []);
    this.stats.deletedSegments += deleted.length;
  }
}

function bookState(b: OrderBook): BookEvent {
  const side = (s: OrderBook['bids']) => Array.from({ length: s.depth }, (_, i) => ({ price: s.priceAt(i), size: s.sizeAt(i) }));
  const e: BookEvent = {
    type: 'snapshot',
    venue: b.market.venue,
    symbol: b.market.symbol,
    bids: side(b.bids),
    asks: side(b.asks),
    venueTime: b.venueTime,
    receivedAt: b.receivedAt,
  };
  if (b.seq !== undefined) e.seq = b.seq;
  return e;
}
