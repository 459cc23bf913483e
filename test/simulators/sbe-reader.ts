/**
 * A tiny test-side reader of Paradex SBE frames, written straight from paradex_1_0.xml
 * (tradeparadex/paradex-py; copy in /work/shared/sources/paradex-sbe/) and deliberately apart
 * from both the simulator's encoder and the connector's decoder: offsets are spelled out here so
 * a layout mistake in the encoder cannot hide behind a shared constant.
 */
import { readFileSync } from 'node:fs';

export interface Header {
  blockLength: number;
  templateId: number;
  schemaId: number;
  version: number;
}

const NULL64 = -(2n ** 63n);
const opt = (v: bigint): bigint | null => (v === NULL64 ? null : v);

export class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.at++);
  }
  u16(): number {
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  i16(): number {
    const v = this.view.getInt16(this.at, true);
    this.at += 2;
    return v;
  }
  i64(): bigint {
    const v = this.view.getBigInt64(this.at, true);
    this.at += 8;
    return v;
  }
  str8(): string {
    const n = this.u8();
    const s = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
}

export function readHeader(bytes: Uint8Array): Header {
  const c = new Cursor(bytes);
  return { blockLength: c.u16(), templateId: c.u16(), schemaId: c.u16(), version: c.u16() };
}

export function readBookEvent(bytes: Uint8Array) {
  const h = readHeader(bytes);
  if (h.templateId !== 3) throw new Error(`not a BookEvent: template ${h.templateId}`);
  const c = new Cursor(bytes, 8);
  const ts = c.i64();
  const seq = c.i64();
  const pkgType = c.u8();
  const touch = Array.from({ length: 9 }, () => opt(c.i64()));
  c.at = 8 + h.blockLength; // skip fields past the ones known
  const group = () => {
    const entryLength = c.u16();
    const count = c.u16();
    const out: Array<{ price: bigint; size: bigint }> = [];
    for (let k = 0; k < count; k++) {
      const start = c.at;
      out.push({ price: c.i64(), size: c.i64() });
      c.at = start + entryLength;
    }
    return out;
  };
  const bids = group();
  const asks = group();
  const market = c.str8();
  return { header: h, ts, seq, pkgType, touch, bids, asks, market, end: c.at };
}

export function readBboEvent(bytes: Uint8Array) {
  const h = readHeader(bytes);
  if (h.templateId !== 2) throw new Error(`not a BboEvent: template ${h.templateId}`);
  const c = new Cursor(bytes, 8);
  const v = { ts: c.i64(), seq: c.i64(), bidPrice: opt(c.i64()), bidSize: opt(c.i64()), askPrice: opt(c.i64()), askSize: opt(c.i64()) };
  c.at = 8 + h.blockLength;
  return { header: h, ...v, market: c.str8(), end: c.at };
}

export function readFundingDataEvent(bytes: Uint8Array) {
  const h = readHeader(bytes);
  if (h.templateId !== 5) throw new Error(`not a FundingDataEvent: template ${h.templateId}`);
  const c = new Cursor(bytes, 8);
  const v = {
    ts: c.i64(),
    seq: c.i64(),
    fundingRate: c.i64(),
    fundingIndex: c.i64(),
    createdAt: c.i64(),
    fundingPremium: c.i64(),
    fundingRate8h: c.i64(),
    fundingPeriodHours: c.i16(),
    // sinceVersion 1: absent from a version-0 block.
    impactPremiumRate: h.version >= 1 ? opt(c.i64()) : undefined,
  };
  c.at = 8 + h.blockLength;
  return { header: h, ...v, market: c.str8(), end: c.at };
}

export function readHeartbeatEvent(bytes: Uint8Array) {
  const h = readHeader(bytes);
  if (h.templateId !== 40) throw new Error(`not a HeartbeatEvent: template ${h.templateId}`);
  const c = new Cursor(bytes, 8);
  return { header: h, ts: c.i64(), seq: c.i64() };
}

/** A `.sbe.txt` file: whitespace-separated hex bytes, `#` to the end of a line a comment. */
export function readHexFrame(path: string): Uint8Array {
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return Uint8Array.from(hex.map((b) => Number.parseInt(b, 16)));
}

export interface CapturedFrame {
  readonly tNs: bigint;
  readonly text?: string;
  readonly binary?: Uint8Array;
}

/** A captured session: one JSON object per line, `text` or base64 `b64` per opcode. */
export function readCapture(path: string): CapturedFrame[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const o = JSON.parse(line) as { t_ns: number; opcode: string; text?: string; b64?: string };
      const tNs = BigInt(/"t_ns":\s*(\d+)/.exec(line)?.[1] ?? o.t_ns);
      return o.opcode === 'binary' ? { tNs, binary: new Uint8Array(Buffer.from(o.b64 ?? '', 'base64')) } : { tNs, text: o.text };
    });
}
