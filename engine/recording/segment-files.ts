/**
 * Where segments live on disk and how the disk bound is kept. Names sort in time order
 * (`md-<recording id>-<segment>.ndjson.gz`, the id starting with a UTC timestamp), so "oldest"
 * is simply "first by name", across every run that recorded into the directory.
 */
import { readdirSync, statSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

const SEGMENT_RE = /^md-(.+)-(\d{6})\.ndjson\.gz$/;

export interface SegmentFile {
  path: string;
  recordingId: string;
  segment: number;
  bytes: number;
}

/** A recording id that sorts by start time and does not collide between two runs in the same second. */
export function newRecordingId(startedAt: number, suffix: string): string {
  const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${suffix}`;
}

export function segmentFileName(recordingId: string, segment: number): string {
  return `md-${recordingId}-${String(segment).padStart(6, '0')}.ndjson.gz`;
}

export function parseSegmentName(path: string): { recordingId: string; segment: number } | undefined {
  const m = SEGMENT_RE.exec(basename(path));
  return m ? { recordingId: m[1]!, segment: Number(m[2]) } : undefined;
}

/** Segments in a directory, oldest first. */
export function listSegments(dir: string): SegmentFile[] {
  const out: SegmentFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = parseSegmentName(name);
    if (!p) continue;
    const path = join(dir, name);
    out.push({ path, ...p, bytes: statSync(path).size });
  }
  return out;
}

/**
 * Delete the oldest segments until the directory holds at most maxBytes. `keep` (the segment
 * being written) is never deleted. Returns the deleted paths.
 */
export async function pruneSegments(dir: string, maxBytes: number, keep: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
  const files: { path: string; bytes: number }[] = [];
  for (const n of names) {
    const path = join(dir, n);
    try {
      files.push({ path, bytes: (await stat(path)).size });
    } catch {
      // deleted meanwhile (a second engine pruning the same directory): nothing to count
    }
  }
  let total = files.reduce((s, f) => s + f.bytes, 0);
  const deleted: string[] = [];
  for (const f of files) {
    if (total <= maxBytes) break;
    if (f.path === keep) continue;
    await unlink(f.path).catch(() => undefined);
    total -= f.bytes;
    deleted.push(f.path);
  }
  return deleted;
}
