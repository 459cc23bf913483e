/**
 * Test helpers for the SBE decoder: the stored frames (test/fixtures/venues/paradex/sbe/, provenance in
 * SOURCES.md) and a small hand encoder, written from paradex_1_0.xml, for frames no source publishes
 * (FundingDataEvent, other versions, bad values).
 */
import { readFileSync } from 'node:fs';
import type { ParadexMarket, ParadexRoute } from '../../../../plugins/exchanges/paradex/codec.ts';

const dir = new URL('../../../fixtures/venues/paradex/sbe/', import.meta.url);

/** A `.sbe.txt` frame: hex bytes, `#` to end of line a comment. */
export function sbeTxt(name: string): Buffer {
  const hex = readFileSync(new URL(name, dir), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

export type CapturedFrame = { tNs: bigint; text: string } | { tNs: bigint; binary: Buffer };

/** A captured `.jsonl` session: one frame per line, `text` or base64 `b64`. */
export function capture(name: string): CapturedFrame[] {
  return readFileSync(new URL(name, dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const raw = /"t_ns":\s*(\d+)/.exec(line)![1]!; // ns exceed 2^53: read the digits, not the number
      const o = JSON.parse(line) as { opcode: string; text?: string; b64?: string };
      return o.opcode === 'binary' ? { tNs: BigInt(raw), binary: Buffer.from(o.b64!, 'base64') } : { tNs: BigInt(raw), text: o.text! };
    });
}

/** BTC-USD-PERP as /markets lists it: tick 0.1, size increment 0.00001 (the captured sizes are on it). */
export const BTC: ParadexMarket = {
  info: { venue: 'paradex', symbol: 'BTC-USD-PERP', priceDecimals: 1, sizeDecimals: 5, tickSize: '0.1', sizeIncrement: '0.00001', minSize: '0.00001' },
  fundingPeriodHours: 8,
};
export const ETH: ParadexMarket = {
  info: { venue: 'paradex', symbol: 'ETH-USD-PERP', priceDecimals: 2, sizeDecimals: 4, tickSize: '0.01', sizeIncrement: '0.0001', minSize: '0.0001' },
};

export function routesFor(...markets: ParadexMarket[]): Map<string, ParadexRoute> {
  const routes = new Map<string, ParadexRoute>();
  for (const m of markets) {
    routes.set(`order_book.${m.info.symbol}.deltas`, { kind: 'book', market: m });
    routes.set(`funding_data.${m.info.symbol}`, { kind: 'funding', market: m });
  }
  return routes;
}

export const INT64_MIN = -(2n ** 63n);

/** Little-endian byte writer for hand-built frames. */
export class Frame {
  private readonly bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  i64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    this.bytes.push(...b);
    return this;
  }
  raw(buf: Uint8Array): this {
    this.bytes.push(...buf);
    return this;
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.u8(b.length).raw(b);
  }
  header(blockLength: number, templateId: number, version = 1, schemaId = 1): this {
    return this.u16(blockLength).u16(templateId).u16(schemaId).u16(version);
  }
  build(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/** A BookEvent: 89-byte root (+ `extraRoot` unknown bytes), groups of 16-byte entries, market. */
export function bookFrame(o: {
  seq: number;
  snapshot?: boolean;
  tsUs?: number;
  bids?: [bigint | number, bigint | number][];
  asks?: [bigint | number, bigint | number][];
  market?: string;
  version?: number;
  extraRoot?: number;
}): Buffer {
  const extra = o.extraRoot ?? 0;
  const f = new Frame().header(89 + extra, 3, o.version ?? 1).i64(o.tsUs ?? 1_759_500_000_123_456).i64(o.seq).u8(o.snapshot ? 0 : 1);
  for (let i = 0; i < 9; i++) f.i64(INT64_MIN);
  for (let i = 0; i < extra; i++) f.u8(0xee);
  for (const side of [o.bids ?? [], o.asks ?? []]) {
    f.u16(16).u16(side.length);
    for (const [p, s] of side) f.i64(p).i64(s);
  }
  return f.str(o.market ?? 'BTC-USD-PERP').build();
}

/** A FundingDataEvent at version 0 (58-byte block) or 1 (66: impactPremiumRate appended). */
export function fundingFrame(o: { rate: bigint | number; hours: number; createdAtUs: number; market?: string; version?: 0 | 1 }): Buffer {
  const v = o.version ?? 1;
  const f = new Frame()
    .header(v === 1 ? 66 : 58, 5, v)
    .i64(1_759_500_000_999_000)
    .i64(77)
    .i64(o.rate)
    .i64(123_456_789_000n)
    .i64(o.createdAtUs)
    .i64(-1000)
    .i64(o.rate)
    .u16(o.hours);
  if (v === 1) f.i64(INT64_MIN);
  return f.str(o.market ?? 'BTC-USD-PERP').build();
}
