/**
 * Where a journal lives: a SQLite file (the default, one engine per file) or a PostgreSQL
 * database several engines share (`journal.url`, or a postgres:// URL wherever a journal path
 * is taken). Both hand back the better-sqlite3 API the stores use, so nothing above the
 * journal knows which it is.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PostgresJournalDb } from './postgres/adapter.ts';
import { isPostgresUrl, redactUrl, registerUrlSecret } from './postgres/url.ts';

/**
 * The default engine id: the host name. Not the pid: restart recovery on a shared database
 * reads only the trades of its own engine id, so the id must survive a restart. Two engines on
 * one host sharing a database need `journal.engineId` each; the second one started with the
 * same id is refused while the first runs (engineLock below).
 */
export function defaultEngineId(): string {
  return hostname() || 'engine';
}

/** Ids of the engines owning open PostgreSQL journals; SQLite journals hold one engine and are not scoped. */
const scopes = new WeakMap<object, string>();

/** The engine a journal database is scoped to, when it is shared (PostgreSQL); undefined for SQLite. */
export function engineScope(db: object): string | undefined {
  return scopes.get(db);
}

export function openSqlite(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Open a shared journal for writing. Migrations run under an advisory lock (two engines
 * starting together must not both create the tables), then the engine takes a session-long
 * advisory lock on its id, released by the server when the connection ends (a crashed engine
 * frees its id for its own restart).
 */
export function openPostgres(url: string, engineId: string, migrate: (db: Database.Database) => unknown): Database.Database {
  registerUrlSecret(url);
  const pg = new PostgresJournalDb(url, engineId);
  const db = pg as unknown as Database.Database;
  try {
    pg.bridge.query('SELECT pg_advisory_lock(hashtext($1))', ['perp-arb-engine:migrations']);
    try {
      migrate(db);
    } finally {
      pg.bridge.query('SELECT pg_advisory_unlock(hashtext($1))', ['perp-arb-engine:migrations']);
    }
    // Taken again on a new connection after a lost one (the worker reconnects); if another engine took the id meanwhile, every write fails.
    pg.bridge.session(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
      [`perp-arb-engine:engine:${engineId}`],
      `journal.engineId "${engineId}": another engine with this id is running on ${redactUrl(url)}; give each engine sharing the database its own journal.engineId`,
    );
  } catch (err) {
    pg.close();
    throw err;
  }
  scopes.set(db, engineId);
  return db;
}

/** Open a journal for reading (report, replay checks): a SQLite file read-only, or a PostgreSQL database, not migrated. */
export function openJournalReader(pathOrUrl: string): Database.Database {
  if (isPostgresUrl(pathOrUrl)) {
    registerUrlSecret(pathOrUrl);
    return new PostgresJournalDb(pathOrUrl, 'report') as unknown as Database.Database;
  }
  return new Database(pathOrUrl, { readonly: true, fileMustExist: true });
}

export { isPostgresUrl, redactUrl };
