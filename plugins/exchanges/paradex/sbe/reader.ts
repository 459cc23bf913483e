/**
 * Bounds-checked little-endian reads straight from the received Buffer (no copies, no DataView per
 * frame). Every read names its field, so a truncated or garbage frame becomes a WireFormatError
 * ("sbe.bids[3].price: needs bytes 120..128, the frame has 97") that the feed counts, never a
 * RangeError deep in the connector.
 */
import { WireFormatError } from '../../shared/errors.ts';
import { PARADEX } from '../codec.ts';

export function sbeFail(field: string, problem: string): never {
  throw new WireFormatError(PARADEX, `sbe.${field}`, problem);
}

export function need(buf: Buffer, offset: number, bytes: number, field: string): void {
  if (offset + bytes > buf.length) sbeFail(field, `needs bytes ${offset}..${offset + bytes}, the frame has ${buf.length}`);
}

export function u8(buf: Buffer, offset: number, field: string): number {
  need(buf, offset, 1, field);
  return buf[offset]!;
}

export function u16(buf: Buffer, offset: number, field: string): number {
  need(buf, offset, 2, field);
  return buf.readUInt16LE(offset);
}

export function i16(buf: Buffer, offset: number, field: string): number {
  need(buf, offset, 2, field);
  return buf.readInt16LE(offset);
}

const INT32_MIN = -0x80000000;
/** |hi| below 2^21 keeps hi * 2^32 + lo inside Number's exact integers (2^53). */
const SAFE_HI = 0x200000;

/**
 * An int64 as an exact JS integer, or null for the schema's null sentinel INT64_MIN. Prices at 1e-8
 * (BTC 62000 = 6.2e12), seqs (~7.7e9) and µs timestamps (~1.8e15) all fit below 2^53; anything
 * larger is refused, never rounded.
 */
export function int64OrNull(buf: Buffer, offset: number, field: string): number | null {
  need(buf, offset, 8, field);
  const lo = buf.readUInt32LE(offset);
  const hi = buf.readInt32LE(offset + 4);
  if (hi === INT32_MIN && lo === 0) return null;
  if (hi >= SAFE_HI || hi < -SAFE_HI) return sbeFail(field, 'exceeds 2^53 and cannot be held exactly');
  return hi * 0x100000000 + lo;
}

export function int64(buf: Buffer, offset: number, field: string): number {
  const value = int64OrNull(buf, offset, field);
  if (value === null) sbeFail(field, 'is null (INT64_MIN) but the schema makes it required');
  return value;
}

/** An int64 as a bigint (for decimals turned into exact strings; no range limit). */
export function int64BigOrNull(buf: Buffer, offset: number, field: string): bigint | null {
  need(buf, offset, 8, field);
  const value = buf.readBigInt64LE(offset);
  return value === -0x8000000000000000n ? null : value;
}

/** varString8: uint8 length, then that many UTF-8 bytes. Returns the text and the offset after it. */
export function varString8(buf: Buffer, offset: number, field: string): { text: string; end: number } {
  const length = u8(buf, offset, `${field}.length`);
  need(buf, offset + 1, length, field);
  return { text: buf.toString('utf8', offset + 1, offset + 1 + length), end: offset + 1 + length };
}

/** µs since the epoch -> ms, exactly (integer arithmetic, no float division of the µs value). */
export function microsToMillis(us: number): number {
  // floor(us / 1000) without a float modulo (a C call at these magnitudes). The quotient rounds to
  // at least the true floor (that integer is a double and rounding is monotonic), and below 2^53 it
  // cannot round up across the next integer (1 - 999/1000 is more than half an ulp there); the exact
  // product q * 1000 re-checks that for free.
  let q = Math.floor(us / 1000);
  if (q * 1000 > us) q--;
  return q;
}
