/**
 * Encoders for the Paradex SBE messages the simulator publishes, in the schema's own terms:
 * int64 mantissas at the type's fixed exponent (bigint), microsecond timestamps, `null` for a
 * nullable field (written as INT64_MIN). Field order and types follow paradex_1_0.xml
 * (tradeparadex/paradex-py); see schema.ts for the layout rules.
 */
import { FrameWriter, frameLength } from './frame-writer.ts';
import { BOOK_ENTRY_LENGTH, blockLength, INT64_NULL, PKG_TYPE, TEMPLATE } from './schema.ts';

/** One BookEvent bids/asks entry: Price8 and Qty8 mantissas; size 0n removes the level. */
export interface SbeBookEntry {
  readonly price: bigint;
  readonly size: bigint;
}

export interface SbeBookEvent {
  /** Feed publish time, µs. */
  readonly ts: bigint;
  readonly seq: bigint;
  readonly pkgType: 'snapshot' | 'delta';
  readonly bids: readonly SbeBookEntry[];
  readonly asks: readonly SbeBookEntry[];
  readonly market: string;
  /**
   * The interactive / API-feed touch fields (bestBidPrice ... bestAskApiSize, relativeSpread):
   * the schema says they are "null for non-interactive feeds", and the captured
   * `order_book.{market}.deltas` frames (FueledByChai/fueledbychai-rs
   * fixtures/paradex/md/btc-order-book-deltas-2026-10-08.jsonl) carry them all null.
   */
}

export interface SbeBboEvent {
  readonly ts: bigint;
  readonly seq: bigint;
  /** Null when the side is empty (schema: "null if no bids" / "null when bidPrice is null"). */
  readonly bidPrice: bigint | null;
  readonly bidSize: bigint | null;
  readonly askPrice: bigint | null;
  readonly askSize: bigint | null;
  readonly market: string;
}

export interface SbeFundingDataEvent {
  readonly ts: bigint;
  readonly seq: bigint;
  /** Rate8: funding rate for the market's actual period (funding_rate). */
  readonly fundingRate: bigint;
  /** Price8: cumulative funding index (funding_index). */
  readonly fundingIndex: bigint;
  readonly createdAt: bigint;
  readonly fundingPremium: bigint;
  readonly fundingRate8h: bigint;
  /** int16, whole hours. */
  readonly fundingPeriodHours: number;
  /** Rate8NULL, since version 1; JSON omits it when empty, so SBE carries null. */
  readonly impactPremiumRate: bigint | null;
  readonly market: string;
}

export interface SbeHeartbeatEvent {
  readonly ts: bigint;
  readonly seq: bigint;
}

const nullable = (v: bigint | null): bigint => (v === null ? INT64_NULL : v);

/** BookEvent (template 3): 89-byte root block, bids group, asks group, market. */
export function encodeBookEvent(event: SbeBookEvent, version: number): Uint8Array {
  const block = blockLength(TEMPLATE.BookEvent, version);
  const groups = [
    { entryLength: BOOK_ENTRY_LENGTH, count: event.bids.length },
    { entryLength: BOOK_ENTRY_LENGTH, count: event.asks.length },
  ];
  const w = new FrameWriter(frameLength(block, groups, [event.market]));
  w.header(block, TEMPLATE.BookEvent, version)
    .i64(event.ts)
    .i64(event.seq)
    .u8(event.pkgType === 'snapshot' ? PKG_TYPE.SNAPSHOT : PKG_TYPE.DELTA);
  // bestBidPrice, bestBidSize, bestAskPrice, bestAskSize, relativeSpread,
  // bestBidApiPrice, bestBidApiSize, bestAskApiPrice, bestAskApiSize: null on this feed.
  for (let i = 0; i < 9; i++) w.i64(INT64_NULL);
  for (const side of [event.bids, event.asks]) {
    w.groupHeader(BOOK_ENTRY_LENGTH, side.length);
    for (const e of side) w.i64(e.price).i64(e.size);
  }
  return w.varString8(event.market).finish();
}

/** BboEvent (template 2): 48-byte root block, market. */
export function encodeBboEvent(event: SbeBboEvent, version: number): Uint8Array {
  const block = blockLength(TEMPLATE.BboEvent, version);
  const w = new FrameWriter(frameLength(block, [], [event.market]));
  w.header(block, TEMPLATE.BboEvent, version)
    .i64(event.ts)
    .i64(event.seq)
    .i64(nullable(event.bidPrice))
    .i64(nullable(event.bidSize))
    .i64(nullable(event.askPrice))
    .i64(nullable(event.askSize));
  return w.varString8(event.market).finish();
}

/** FundingDataEvent (template 5): 58-byte block at version 0, 66 from version 1, market. */
export function encodeFundingDataEvent(event: SbeFundingDataEvent, version: number): Uint8Array {
  const block = blockLength(TEMPLATE.FundingDataEvent, version);
  const w = new FrameWriter(frameLength(block, [], [event.market]));
  w.header(block, TEMPLATE.FundingDataEvent, version)
    .i64(event.ts)
    .i64(event.seq)
    .i64(event.fundingRate)
    .i64(event.fundingIndex)
    .i64(event.createdAt)
    .i64(event.fundingPremium)
    .i64(event.fundingRate8h)
    .i16(event.fundingPeriodHours);
  if (version >= 1) w.i64(nullable(event.impactPremiumRate));
  return w.varString8(event.market).finish();
}

/** HeartbeatEvent (template 40): ts and seq only ("Server sends every 20s on idle connections"). */
export function encodeHeartbeatEvent(event: SbeHeartbeatEvent, version: number): Uint8Array {
  const block = blockLength(TEMPLATE.HeartbeatEvent, version);
  const w = new FrameWriter(frameLength(block, [], []));
  return w.header(block, TEMPLATE.HeartbeatEvent, version).i64(event.ts).i64(event.seq).finish();
}
