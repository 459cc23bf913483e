/**
 * A little-endian byte writer for one SBE frame. Sizes are known before writing (every
 * message's length follows from its block, its group counts and its strings), so the frame
 * is allocated once and filled in order; a frame that does not come out exactly full is a bug
 * in the encoder and throws.
 */
import { GROUP_HEADER_LENGTH, HEADER_LENGTH, SCHEMA_ID } from './schema.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class FrameWriter {
  private readonly bytes: Buffer;
  private offset = 0;

  constructor(readonly length: number) {
    this.bytes = Buffer.alloc(length);
  }

  /** The 8-byte messageHeader: blockLength, templateId, schemaId, version. */
  header(blockLength: number, templateId: number, version: number): this {
    return this.u16(blockLength).u16(templateId).u16(SCHEMA_ID).u16(version);
  }

  /** groupSizeEncoding: entry block length and entry count. */
  groupHeader(entryLength: number, count: number): this {
    if (count > 0xffff) throw new RangeError(`paradex sbe: group of ${count} entries exceeds numInGroup (uint16)`);
    return this.u16(entryLength).u16(count);
  }

  u8(value: number): this {
    this.bytes.writeUInt8(value, this.take(1));
    return this;
  }

  u16(value: number): this {
    this.bytes.writeUInt16LE(value, this.take(2));
    return this;
  }

  i16(value: number): this {
    this.bytes.writeInt16LE(value, this.take(2));
    return this;
  }

  i64(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) throw new RangeError(`paradex sbe: ${value} does not fit an int64`);
    this.bytes.writeBigInt64LE(value, this.take(8));
    return this;
  }

  /** varString8: a 1-byte length, then the UTF-8 bytes. */
  varString8(text: string): this {
    const utf8 = Buffer.from(text, 'utf8');
    if (utf8.length > 0xff) throw new RangeError(`paradex sbe: "${text}" is longer than a varString8 (255 bytes)`);
    this.u8(utf8.length);
    utf8.copy(this.bytes, this.take(utf8.length));
    return this;
  }

  /** The finished frame; throws unless every byte was written. */
  finish(): Uint8Array {
    if (this.offset !== this.length) throw new Error(`paradex sbe: frame of ${this.length} bytes has ${this.offset} written`);
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }

  private take(n: number): number {
    const at = this.offset;
    if (at + n > this.length) throw new RangeError(`paradex sbe: write of ${n} bytes at ${at} overruns a ${this.length}-byte frame`);
    this.offset += n;
    return at;
  }
}

/** Bytes a varString8 takes on the wire. */
export function varString8Length(text: string): number {
  return 1 + Buffer.byteLength(text, 'utf8');
}

export function frameLength(blockLength: number, groups: ReadonlyArray<{ entryLength: number; count: number }>, strings: readonly string[]): number {
  return (
    HEADER_LENGTH +
    blockLength +
    groups.reduce((n, g) => n + GROUP_HEADER_LENGTH + g.entryLength * g.count, 0) +
    strings.reduce((n, s) => n + varString8Length(s), 0)
  );
}
