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

const client = new pg.Client({ connectionString: url, types, application_name: 'perp-arb-engine journal' });
let connected;
// A dropped connection is reported on the next request, never thrown from here.
let lost;
client.on('error', (err) => {
  lost = err;
});

async function handle(req) {
  if (req.op === 'connect') {
    connected ??= client.connect();
    await connected;
    return null;
  }
  if (lost) throw lost;
  if (req.op === 'exec') {
    await client.query(req.sql);
    return null;
  }
  if (req.op === 'query') {
    const r = await client.query({ text: req.sql, values: req.params });
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  }
  if (req.op === 'end') {
    await client.end();
    return null;
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
