/**
 * Which segments a replay reads and in what groups. Each recording (one engine run) replays in
 * its own engine session, since a restarted engine started with empty books. Within a
 * recording, a segment's checkpoint restores the books only where the replay could not have
 * built them itself: the first segment read, a segment after a hole (older ones deleted by the
 * disk bound, or events the recorder dropped).
 */
import { statSync } from 'node:fs';
import { listSegments, parseSegmentName, type SegmentFile } from '../recording/segment-files.ts';

export interface PlannedSegment extends SegmentFile {
  /** Restore books from this segment's checkpoint lines (unless its header reports a loss, decided when read). */
  restoreBooks: boolean;
}

export interface PlannedRecording {
  recordingId: string;
  segments: PlannedSegment[];
}

export class RecordingNotFoundError extends Error {
  constructor(from: string, why: string) {
    super(`--from ${from}: ${why}`);
    this.name = 'RecordingNotFoundError';
  }
}

export function planReplay(from: string): PlannedRecording[] {
  let files: SegmentFile[];
  let isDir: boolean;
  try {
    isDir = statSync(from).isDirectory();
  } catch {
    throw new RecordingNotFoundError(from, 'no such file or directory');
  }
  if (isDir) {
    files = listSegments(from);
    if (files.length === 0) throw new RecordingNotFoundError(from, 'no recording segments (md-*.ndjson.gz) in this directory');
  } else {
    const p = parseSegmentName(from) ?? { recordingId: from, segment: 1 };
    files = [{ path: from, ...p, bytes: statSync(from).size }];
  }
  const byRecording = new Map<string, PlannedSegment[]>();
  for (const f of files) {
    const list = byRecording.get(f.recordingId) ?? [];
    const prev = list.at(-1);
    list.push({ ...f, restoreBooks: prev === undefined || f.segment !== prev.segment + 1 });
    byRecording.set(f.recordingId, list);
  }
  return [...byRecording].map(([recordingId, segments]) => ({ recordingId, segments }));
}
