/**
 * The recording's line format: one JSON value per line, gzip per segment.
 *
 * Line 1 of a segment is a header object (venues, their markets and chain, the config), so a
 * segment left alone after older ones were deleted can still be replayed. Every other line is
 * a short array: times are deltas from the previous line's engine time `t` (small numbers
 * compress well), prices and sizes stay the book's integer units (exact, no floats).
 *
 *   ["s"|"d", dt, venue, symbol, seq, prevSeq, venueTime-t, receivedAt-t, [p,s,...bids], [p,s,...asks]]
 *   ["f", dt, venue, symbol, rate, intervalHours, venueTime-t, receivedAt-t]
 *   ["x", dt, venue, state, symbols, reason]
 *   ["c", dt, venue, symbol, seq, venueTime-t, receivedAt-t, bids, asks]   book state at segment start
 */
import type { BookEvent, FeedState, FeedStatusEvent, FundingEvent, LevelChange, MarketInfo, VenueId } from '../market/types.ts';

export const RECORDING_FORMAT = 'arb-market-data';
export const RECORDING_VERSION = 1;

export interface SegmentHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  recordingId: string;
  segment: number;
  startedAt: number;
  /** Events dropped before this segment (the writer fell behind): replay restores books from the checkpoint. */
  afterLoss: number;
  /** takerDelayMs: the live connector's (Lighter's account-tier delay), absent when it has none. */
  venues: Record<VenueId, { chain: string; markets: MarketInfo[]; takerDelayMs?: number }>;
  /** The engine config of the recorded run: the default for a replay. */
  config: unknown;
}

export type RecordedEvent =
  | { kind: 'book'; t: number; event: BookEvent }
  | { kind: 'funding'; t: number; event: FundingEvent }
  | { kind: 'status'; t: number; event: FeedStatusEvent }
  /** A book as it stood when the segment began; a snapshot event that was never on the wire. */
  | { kind: 'checkpoint'; t: number; event: BookEvent };

export class RecordingFormatError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'RecordingFormatError';
  }
}

/** Encodes one segment's lines; holds the previous time for the deltas. */
export class SegmentEncoder {
  private lastT: number;
  constructor(header: SegmentHeader) {
    this.lastT = header.startedAt;
  }

  static header(h: SegmentHeader): string {
    return JSON.stringify(h);
  }

  encode(r: RecordedEvent): string {
    const t = r.t;
    const dt = t - this.lastT;
    this.lastT = t;
    switch (r.kind) {
      case 'book':
      case 'checkpoint': {
        const e = r.event;
        if (r.kind === 'checkpoint') {
          return JSON.stringify(['c', dt, e.venue, e.symbol, e.seq ?? null, e.venueTime - t, e.receivedAt - t, flat(e.bids), flat(e.asks)]);
        }
        return JSON.stringify([
          e.type === 'snapshot' ? 's' : 'd', dt, e.venue, e.symbol, e.seq ?? null, e.prevSeq ?? null,
          e.venueTime - t, e.receivedAt - t, flat(e.bids), flat(e.asks),
        ]);
      }
      case 'funding': {
        const e = r.event;
        const line: unknown[] = ['f', dt, e.venue, e.symbol, e.rate, e.intervalHours, e.venueTime - t, e.receivedAt - t];
        // Optional trailing fields: older lines lack them and still decode.
        if (e.nextRate !== undefined || e.nextFundingAt !== undefined) line.push(e.nextRate ?? null, e.nextFundingAt === undefined ? null : e.nextFundingAt - t);
        return JSON.stringify(line);
      }
      case 'status': {
        const e = r.event;
        return JSON.stringify(['x', dt, e.venue, e.state, e.symbols, e.reason ?? null]);
      }
    }
  }
}

/** Decodes one segment's lines in order. */
export class SegmentDecoder {
  private lastT: number;
  constructor(
    readonly header: SegmentHeader,
    private readonly where: string,
  ) {
    this.lastT = header.startedAt;
  }

  static header(line: string, where: string): SegmentHeader {
    let h: Partial<SegmentHeader>;
    try {
      h = JSON.parse(line) as Partial<SegmentHeader>;
    } catch {
      throw new RecordingFormatError(where, 'the first line is not a JSON header: is this a market-data recording?');
    }
    if (h.format !== RECORDING_FORMAT) throw new RecordingFormatError(where, `not a market-data recording (format ${String(h.format)})`);
    if (h.version !== RECORDING_VERSION) {
      throw new RecordingFormatError(where, `recording format version ${String(h.version)}; this engine reads version ${RECORDING_VERSION}`);
    }
    return h as SegmentHeader;
  }

  decode(line: string): RecordedEvent {
    return this.decodeValue(JSON.parse(line) as unknown[]);
  }

  /** Many lines at once: one JSON.parse over the batch costs less than one per line. */
  decodeLines(lines: readonly string[], out: RecordedEvent[]): void {
    if (lines.length === 0) return;
    const values = JSON.parse(`[${lines.join(',')}]`) as unknown[][];
    for (let i = 0; i < values.length; i++) out.push(this.decodeValue(values[i]!));
  }

  private decodeValue(a: unknown[]): RecordedEvent {
    const t = this.lastT + (a[1] as number);
    this.lastT = t;
    switch (a[0]) {
      case 's':
      case 'd': {
        const event: BookEvent = {
          type: a[0] === 's' ? 'snapshot' : 'delta',
          venue: a[2] as string,
          symbol: a[3] as string,
          bids: levels(a[8] as number[]),
          asks: levels(a[9] as number[]),
          venueTime: t + (a[6] as number),
          receivedAt: t + (a[7] as number),
        };
        if (a[4] !== null) event.seq = a[4] as number;
        if (a[5] !== null) event.prevSeq = a[5] as number;
        return { kind: 'book', t, event };
      }
      case 'c': {
        const event: BookEvent = {
          type: 'snapshot',
          venue: a[2] as string,
          symbol: a[3] as string,
          bids: levels(a[7] as number[]),
          asks: levels(a[8] as number[]),
          venueTime: t + (a[5] as number),
          receivedAt: t + (a[6] as number),
        };
        if (a[4] !== null) event.seq = a[4] as number;
        return { kind: 'checkpoint', t, event };
      }
      case 'f': {
        const event: FundingEvent = {
          venue: a[2] as string,
          symbol: a[3] as string,
          rate: a[4] as string,
          intervalHours: a[5] as number,
          venueTime: t + (a[6] as number),
          receivedAt: t + (a[7] as number),
        };
        if (typeof a[8] === 'string') event.nextRate = a[8];
        if (typeof a[9] === 'number') event.nextFundingAt = t + a[9];
        return { kind: 'funding', t, event };
      }
      case 'x': {
        const event: FeedStatusEvent = { venue: a[2] as string, state: a[3] as FeedState, symbols: a[4] as string[] };
        if (a[5] !== null) event.reason = a[5] as string;
        return { kind: 'status', t, event };
      }
      default:
        throw new RecordingFormatError(this.where, `unknown record kind ${JSON.stringify(a[0])}`);
    }
  }
}

function flat(levels: LevelChange[]): number[] {
  const out = new Array<number>(levels.length * 2);
  for (let i = 0; i < levels.length; i++) {
    out[2 * i] = levels[i]!.price;
    out[2 * i + 1] = levels[i]!.size;
  }
  return out;
}

function levels(flatLevels: number[]): LevelChange[] {
  const out = new Array<LevelChange>(flatLevels.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = { price: flatLevels[2 * i]!, size: flatLevels[2 * i + 1]! };
  return out;
}
