/**
 * BookEvent (templateId 3) -> the engine's BookEvent. Layout: root block (ts, seq, pkgType, 9 nullable
 * best-price fields), group `bids`, group `asks` (entries {price Price8, size Qty8}, size 0 removes
 * the level), then `market` varString8 (paradex_1_0.xml). Continuity: the deltas feed's seq rises by
 * one per frame (captured session in test/fixtures/venues/paradex/sbe/, and the JSON feed's seq_no
 * rule), so a delta's prevSeq is seq - 1, as in the JSON codec.
 *
 * Frames carry no channel name, so the market string routes them; it sits after both groups, so the
 * groups are first walked by their headers only, then decoded once the market's decimals are known.
 */
import type { BookEvent, LevelChange } from '../../../../engine/market/types.ts';
import { PARADEX, type ParadexMarket } from '../codec.ts';
import type { SbeHeader } from './header.ts';
import { int64, microsToMillis, need, sbeFail, u16, u8 } from './reader.ts';
import { BOOK, GROUP_HEADER_BYTES, MESSAGE_HEADER_BYTES } from './schema.ts';
import { mantissaToUnits, unitScale } from './units.ts';

interface GroupSpan {
  /** First entry's offset. */
  at: number;
  entryBlock: number;
  count: number;
}

function groupSpan(buf: Buffer, offset: number, name: string): GroupSpan {
  if (offset + GROUP_HEADER_BYTES > buf.length) {
    u16(buf, offset, `${name}.blockLength`); // throws, naming the first field the frame cuts off
    u16(buf, offset + 2, `${name}.numInGroup`);
  }
  const entryBlock = buf[offset]! | (buf[offset + 1]! << 8);
  const count = buf[offset + 2]! | (buf[offset + 3]! << 8);
  // A longer entry is a newer version's appended fields: skipped by the entry's own blockLength.
  if (entryBlock < BOOK.entryBlock) sbeFail(`${name}.blockLength`, `is ${entryBlock}, a level needs ${BOOK.entryBlock} bytes (price, size)`);
  const at = offset + GROUP_HEADER_BYTES;
  if (at + entryBlock * count > buf.length) need(buf, at, entryBlock * count, `${name}[${count - 1}]`); // names the field only on failure
  return { at, entryBlock, count };
}

export interface BookSpans {
  bids: GroupSpan;
  asks: GroupSpan;
  /** Offset of the `market` varString8's length byte (checked to be inside the frame with its bytes). */
  marketAt: number;
}

/** Where a BookEvent's groups and market string are, read from the group headers only (no text decoded). */
export function bookSpans(buf: Buffer, header: SbeHeader): BookSpans {
  const bids = groupSpan(buf, MESSAGE_HEADER_BYTES + header.blockLength, 'bids');
  const asks = groupSpan(buf, bids.at + bids.entryBlock * bids.count, 'asks');
  const marketAt = asks.at + asks.entryBlock * asks.count;
  if (marketAt >= buf.length) need(buf, marketAt, 1, 'market.length');
  if (marketAt + 1 + buf[marketAt]! > buf.length) need(buf, marketAt + 1, buf[marketAt]!, 'market');
  return { bids, asks, marketAt };
}

export function decodeBook(buf: Buffer, header: SbeHeader, market: ParadexMarket, spans: BookSpans, receivedAt: number): BookEvent {
  if (header.blockLength < BOOK.requiredBlock) sbeFail('header.blockLength', `is ${header.blockLength}; a BookEvent needs ${BOOK.requiredBlock} (ts, seq, pkgType)`);
  const root = MESSAGE_HEADER_BYTES;
  // readHeader checked the root block is inside the frame: plain reads, the named ones only on a bad value.
  let ts = plainMantissa(buf, root + BOOK.ts);
  if (ts !== ts) ts = int64(buf, root + BOOK.ts, 'ts');
  let seq = plainMantissa(buf, root + BOOK.seq);
  if (seq !== seq) seq = int64(buf, root + BOOK.seq, 'seq');
  const pkgType = u8(buf, root + BOOK.pkgType, 'pkgType');
  if (pkgType !== BOOK.snapshot && pkgType !== BOOK.delta) sbeFail('pkgType', `must be 0 (SNAPSHOT) or 1 (DELTA), got ${pkgType}`);
  const info = market.info;
  const bids = levels(buf, spans.bids, 'bids', info.priceDecimals, info.sizeDecimals);
  const asks = levels(buf, spans.asks, 'asks', info.priceDecimals, info.sizeDecimals);
  const venueTime = microsToMillis(ts);
  return pkgType === BOOK.snapshot
    ? { type: 'snapshot', venue: PARADEX, symbol: info.symbol, seq, bids, asks, venueTime, receivedAt }
    : { type: 'delta', prevSeq: seq - 1, venue: PARADEX, symbol: info.symbol, seq, bids, asks, venueTime, receivedAt };
}

function levels(buf: Buffer, span: GroupSpan, name: string, priceDecimals: number, sizeDecimals: number): LevelChange[] {
  const priceDiv = unitScale(priceDecimals).divide;
  const sizeDiv = unitScale(sizeDecimals).divide;
  const out: LevelChange[] = new Array(span.count);
  // groupSpan checked that every entry is inside the frame; the hot loop reads without per-field
  // names and falls back to the named, checked path (levelChecked, the reference) only when a value
  // is off. Exactness without `%` (a float modulo is a C call at these magnitudes): under 2^52,
  // q = round(m / d) is exact when d divides m, and q * d is an exact product that equals m only then.
  const plain = unitScale(priceDecimals).multiply === 1 && unitScale(sizeDecimals).multiply === 1;
  for (let i = 0; i < span.count; i++) {
    const at = span.at + i * span.entryBlock;
    const p = plainMantissa(buf, at + BOOK.entryPrice);
    const s = plainMantissa(buf, at + BOOK.entrySize);
    const price = Math.round(p / priceDiv);
    const size = Math.round(s / sizeDiv);
    if (plain && p > 0 && s >= 0 && p < TWO_52 && s < TWO_52 && price * priceDiv === p && size * sizeDiv === s) {
      out[i] = { price, size };
    } else {
      out[i] = levelChecked(buf, at, `${name}[${i}]`, priceDecimals, sizeDecimals);
    }
  }
  return out;
}

const TWO_52 = 2 ** 52;

/**
 * The int64 at `at` when it is an exact JS integer, else NaN (null sentinel or beyond 2^53). Byte
 * indexing is faster than Buffer.readInt32LE (bounds-checked per call) at these unaligned offsets.
 */
function plainMantissa(buf: Buffer, at: number): number {
  const hi = buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24);
  if (hi >= 0x200000 || hi < -0x200000) return NaN;
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  return hi * 0x100000000 + lo;
}

/** One level through the named, checked reads: the reference the fast path must equal. */
export function levelChecked(buf: Buffer, at: number, name: string, priceDecimals: number, sizeDecimals: number): LevelChange {
  const price = mantissaToUnits(int64(buf, at + BOOK.entryPrice, `${name}.price`), unitScale(priceDecimals), priceDecimals, `${name}.price`);
  const size = mantissaToUnits(int64(buf, at + BOOK.entrySize, `${name}.size`), unitScale(sizeDecimals), sizeDecimals, `${name}.size`);
  if (price <= 0) sbeFail(`${name}.price`, 'must be positive');
  if (size < 0) sbeFail(`${name}.size`, 'must not be negative');
  return { price, size };
}
