/**
 * Reads a segment back: gunzip, split lines, decode. Yields one batch per decompressed chunk
 * so the caller pays one await per ~64 KB, not per event. A segment cut short by a crash
 * (truncated gzip, half a line) ends at its last whole line instead of failing the replay.
 */
import { createReadStream } from 'node:fs';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { RecordingFormatError, SegmentDecoder, type RecordedEvent, type SegmentHeader } from './codec.ts';

/** Lines decoded per yielded batch. */
const DECODE_SLICE = 512;

export interface SegmentBatch {
  header: SegmentHeader;
  records: RecordedEvent[];
  /** Compressed bytes of this file read so far. */
  bytesRead: number;
}

export interface SegmentEnd {
  /** The file ended inside a line (a crash while recording). */
  truncated: boolean;
}

export async function* readSegment(path: string): AsyncGenerator<SegmentBatch, SegmentEnd> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytesRead = 0;
  file.on('data', (c) => (bytesRead += c.length));
  // Large output chunks: each chunk is a round trip to the thread pool, and small ones left the replay idle.
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 512 * 1024 });
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  gunzip.setEncoding('utf8');
  let decoder: SegmentDecoder | undefined;
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const text = rest + chunk;
      const lines = text.split('\n');
      rest = lines.pop()!;
      if (!decoder && lines.length > 0) decoder = new SegmentDecoder(SegmentDecoder.header(lines.shift()!, path), path);
      if (!decoder) continue;
      // Decoded a slice at a time, as the consumer asks: a whole chunk's records (thousands) outlived
      // young-generation collections, were promoted and piled up as old-space garbage (peak RSS).
      if (lines.length === 0) yield { header: decoder.header, records: [], bytesRead };
      for (let at = 0; at < lines.length; at += DECODE_SLICE) {
        const records: RecordedEvent[] = [];
        decoder.decodeLines(at === 0 && lines.length <= DECODE_SLICE ? lines : lines.slice(at, at + DECODE_SLICE), records);
        yield { header: decoder.header, records, bytesRead };
      }
    }
  } catch (err) {
    if (err instanceof RecordingFormatError) throw err;
    throw new RecordingFormatError(path, `cannot read segment: ${(err as Error).message}`);
  } finally {
    file.destroy();
  }
  if (!decoder) throw new RecordingFormatError(path, 'empty segment: no header line');
  return { truncated: rest.length > 0 };
}

/** Only the header: enough to list what a recording holds without decompressing it all. */
export async function readSegmentHeader(path: string): Promise<SegmentHeader> {
  const it = readSegment(path);
  try {
    const first = await it.next();
    if (first.done) throw new RecordingFormatError(path, 'empty segment: no header line');
    return first.value.header;
  } finally {
    await it.return({ truncated: false });
  }
}
