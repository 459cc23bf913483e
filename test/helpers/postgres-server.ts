/**
 * A real PostgreSQL server for the journal tests: a temporary data directory, initdb, pg_ctl
 * start on a random loopback port, stopped and removed at teardown. initdb refuses to run as
 * root, so as root the server runs as the `postgres` OS user (Debian's package creates it),
 * in a directory that user owns. When no server can start, `reason` says why and the tests
 * skip with it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  port: number;
  /** Superuser password (the URLs carry it: the tests check it never reaches a log line). */
  password: string;
  /** A URL to a new, empty database on the server. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export type PostgresStart = { server: PostgresServer; reason?: undefined } | { server?: undefined; reason: string };

const PASSWORD = 'journal-test-pw-7f3a';

/** Directory holding initdb/pg_ctl: $ARB_POSTGRES_BIN, on PATH, or Debian's /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string | undefined {
  const given = process.env['ARB_POSTGRES_BIN'];
  if (given !== undefined) return existsSync(join(given, 'initdb')) ? given : undefined;
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (onPath) return onPath.replace(/\/initdb$/, '');
  } catch {
    // not on PATH
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : undefined;
}

export async function startPostgres(): Promise<PostgresStart> {
  const bin = postgresBinDir();
  if (!bin) return { reason: 'PostgreSQL is not installed (no initdb in $ARB_POSTGRES_BIN, on PATH or under /usr/lib/postgresql; .ci/run installs the Debian package)' };
  const asRoot = userInfo().uid === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    try {
      owner = { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
    } catch {
      return { reason: 'running as root and there is no `postgres` OS user to run initdb as (initdb refuses root)' };
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'arb-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, PASSWORD);
  if (owner) {
    for (const p of [dir, pwfile]) chownSync(p, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await freePort();
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // C locale: text sorts bytewise, as in SQLite. Password auth on TCP so the URL carries one.
    run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '--no-locale', '-E', 'UTF8', '--no-sync']);
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    run('pg_ctl', ['-D', data, '-o', opts, '-w', '-t', '30', '-l', join(dir, 'log'), 'start']);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    stop();
    return { reason: `PostgreSQL did not start: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' | ')}` };
  }
  const admin = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    server: {
      port,
      password: PASSWORD,
      async createDatabase(name: string) {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE "${name}"`);
        } finally {
          await c.end();
        }
        return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
      },
      stop,
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * One server per test file, started at import (top-level await) so `describe.skipIf` knows
 * before collection whether it runs. The reason for a skip is printed, not swallowed.
 */
export async function postgresForTests(file: string): Promise<{ server: PostgresServer | undefined; freshUrl: () => Promise<string> }> {
  const started = await startPostgres();
  if (!started.server) {
    console.warn(`[${file}] PostgreSQL tests skipped: ${started.reason}`);
    return { server: undefined, freshUrl: () => Promise.reject(new Error(started.reason)) };
  }
  const server = started.server;
  process.once('exit', () => server.stop());
  let n = 0;
  return { server, freshUrl: () => server.createDatabase(`t${process.pid}_${++n}`) };
}
