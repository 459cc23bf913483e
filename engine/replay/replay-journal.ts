/**
 * A replay writes into a journal of its own. Replaying again into the same file replaces it
 * (it is derived data, and opportunity ids would collide), but a journal that holds a real
 * run's sessions is never touched.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { EngineConfig } from '../core/config.ts';

export const REPLAY_SESSION_MODE = 'replay';

export function prepareReplayJournal(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  let modes: string[];
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    modes = (db.prepare('SELECT DISTINCT mode FROM sessions').all() as { mode: string }[]).map((r) => r.mode);
  } catch {
    modes = ['(not an engine journal)'];
  } finally {
    db.close();
  }
  const foreign = modes.filter((m) => m !== REPLAY_SESSION_MODE);
  if (foreign.length) {
    throw new Error(
      `--journal ${path} holds sessions of a ${foreign.join(', ')} run; a replay writes into a journal of its own: pass --journal <new file>`,
    );
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/**
 * Same recording, same segments, same config: same id, so two replays give identical rows.
 * The journal path is left out: writing the same replay elsewhere is still the same replay.
 */
export function replaySessionId(recordingId: string, firstSegment: number, config: EngineConfig): string {
  const { journal: _journal, ...judged } = config;
  const h = createHash('sha256').update(JSON.stringify({ recordingId, firstSegment, config: judged })).digest('hex');
  return `replay-${h.slice(0, 16)}`;
}
