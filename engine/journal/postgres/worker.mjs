// The PostgreSQL side of the synchronous bridge (bridge.ts): one node-postgres client in a
// worker thread. Each request is answered on the port, then the shared flag is raised so the
// engine thread, blocked in Atomics.wait, wakes and reads the answer. Plain JavaScript so the
// worker needs no TypeScript loader (Node does not hand tsx's hooks to a worker thread).
import { workerData } from 'node:worker_threads';
import pg from 'pg';

const { port, flag, url } = workerData;

// int8 (COUNT(*), BIGSERIAL) and numeric (the journal's INTEGER columns) as JS numbers, as
// better-sqlite3 returns them: every value the journal keeps there is a ms time, a count or a
// flag, far below 2^53. Money is TEXT in the journal and never passes through here as a number.
const asNumber = (v) => (v === null ? null : Number(v));
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return asNumber;
    return pg.types.getTypeParser(oid, format);
  },
};

let client;
// Why the connection went: set by the client's error event or a failed query that was not an
// SQL error. The next request reconnects, unless a transaction was open: its statements so far
// died with the connection, so everything up to its COMMIT/ROLLBACK fails instead of running
// the rest in autocommit.
let lost;
let inTransaction = false;
// Session state a new connection must have again (the engine id's advisory lock).
const restore = [];

async function open() {
  // A connection given up on may still be alive (a non-SQL error): end it, so it lets go of its locks.
  const old = client;
  client = undefined;
  await old?.end().catch(() => undefined);
  const c = new pg.Client({ connectionString: url, types, application_name: 'perp-arb-engine journal' });
  c.on('error', (err) => {
    if (client === c) lost = err;
  });
  await c.connect();
  try {
    for (const r of restore) {
      const res = await c.query({ text: r.sql, values: r.params });
      if (res.rows[0]?.ok !== true) throw new Error(r.failure);
    }
  } catch (err) {
    await c.end().catch(() => undefined);
    throw err;
  }
  client = c;
  lost = undefined;
}

/** Not an SQL error (those carry a 5-character SQLSTATE) or a connection-class one: the connection is gone. */
const connectionGone = (err) => typeof err?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code) || /^(08|57P)/.test(err.code);

async function run(text, values) {
  try {
    return await client.query(values ? { text, values } : text);
  } catch (err) {
    if (connectionGone(err)) lost ??= err;
    throw err;
  }
}

async function handle(req) {
  if (req.op === 'connect') {
    await open();
    return null;
  }
  if (req.op === 'end') {
    await client?.end().catch(() => undefined);
    return null;
  }
  const endsTransaction = req.op === 'exec' && /^\s*(COMMIT|ROLLBACK)\s*$/i.test(req.sql);
  if (lost) {
    if (inTransaction) {
      if (endsTransaction) inTransaction = false;
      throw new Error(`connection lost inside a transaction (${lost.message}): nothing of it was committed`);
    }
    await open();
  }
  if (req.op === 'exec') {
    try {
      await run(req.sql);
    } finally {
      if (/^\s*BEGIN\s*$/i.test(req.sql)) inTransaction = !lost;
      if (endsTransaction) inTransaction = false;
    }
    return null;
  }
  if (req.op === 'query' || req.op === 'session') {
    const r = await run(req.sql, req.params);
    if (req.op === 'session') {
      if (r.rows[0]?.ok !== true) throw new Error(req.failure);
      restore.push({ sql: req.sql, params: req.params, failure: req.failure });
    }
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  }
  throw new Error(`postgres journal worker: unknown request ${req.op}`);
}

port.on('message', (req) => {
  handle(req).then(
    (result) => answer({ seq: req.seq, ok: true, result }),
    (err) => answer({ seq: req.seq, ok: false, error: { message: String(err?.message ?? err), code: err?.code, detail: err?.detail } }),
  );
});

function answer(msg) {
  port.postMessage(msg);
  Atomics.store(flag, 0, msg.seq);
  Atomics.notify(flag, 0);
}
