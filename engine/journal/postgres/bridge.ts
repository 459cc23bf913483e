/**
 * A synchronous call into node-postgres. The journal's contract is "written before acting":
 * TradeJournal.recordSend returns only once the row is stored, and the order goes out after.
 * Every caller (executor, pair book, strategies, report) calls the journal synchronously, so
 * rather than turn all of them async, a worker thread owns the pg client and the engine thread
 * blocks in Atomics.wait until the worker has the server's answer. In autocommit (no open
 * transaction) that answer is the commit, so a returned call is a committed row, as with SQLite.
 *
 * Own code rather than synckit: the same Atomics.wait + receiveMessageOnPort pattern in 80
 * lines, with no TypeScript loader to set up in the worker, a per-call timeout, and answers
 * matched to requests by sequence number so a late answer after a timeout is never taken for
 * the next one. Cost: one loopback round trip per statement (measured in
 * test/engine/journal/postgres-journal.test.ts).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { redactUrl } from './url.ts';

export type BridgeRequest =
  | { op: 'connect' }
  | { op: 'exec'; sql: string }
  | { op: 'query'; sql: string; params: unknown[] }
  | { op: 'session'; sql: string; params: unknown[]; failure: string }
  | { op: 'end' };

export interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

export class PostgresJournalError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PostgresJournalError';
  }
}

type Answer = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; error: { message: string; code?: string; detail?: string } };

export class SyncPostgres {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private closed = false;
  /** send()s whose answers have not been read yet. */
  private readonly unanswered = new Set<number>();
  private sendFailure: PostgresJournalError | undefined;
  private readonly shown: string;

  constructor(
    url: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.shown = redactUrl(url);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { port: port2, flag: this.flag, url },
      transferList: [port2],
    });
    // The worker never keeps the process alive: an engine that exits without close() just drops the connection.
    this.worker.unref();
    this.call({ op: 'connect' });
  }

  /**
   * Send without waiting: the worker runs requests in order, so any later call() sees this one
   * done. For rows that need not be stored before the engine acts (the batched opportunity
   * flush); a failure is kept and thrown by takeSendFailure().
   */
  send(sql: string, params: unknown[]): void {
    if (this.closed) throw new PostgresJournalError(`postgres journal ${this.shown}: closed`);
    this.drain(0);
    const seq = ++this.seq;
    this.unanswered.add(seq);
    this.port.postMessage({ op: 'query', sql, params, seq });
  }

  /** The first failure of a send() since the last call, if any (answers read so far). */
  takeSendFailure(): PostgresJournalError | undefined {
    this.drain(0);
    const f = this.sendFailure;
    this.sendFailure = undefined;
    return f;
  }

  exec(sql: string): void {
    this.call({ op: 'exec', sql });
  }

  /**
   * Session state (an advisory lock): `sql` must answer one row with `ok = true`, now and again
   * on every new connection after a lost one; otherwise `failure` is thrown (now) or every
   * request fails (after a reconnect), so the state is never silently gone.
   */
  session(sql: string, params: unknown[], failure: string): void {
    this.call({ op: 'session', sql, params, failure });
  }

  query(sql: string, params: unknown[]): QueryResult {
    return this.call({ op: 'query', sql, params }) as QueryResult;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'end' });
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
  }

  private call(req: BridgeRequest): unknown {
    if (this.closed) throw new PostgresJournalError(`postgres journal ${this.shown}: closed`);
    const seq = ++this.seq;
    this.port.postMessage({ ...req, seq });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      if (seen === seq) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new PostgresJournalError(`postgres journal ${this.shown}: no answer to ${req.op} within ${this.timeoutMs} ms (server down or worker failed); the write may or may not be stored`);
      Atomics.wait(this.flag, 0, seen, left);
    }
    const answer = this.drain(seq);
    if (!answer) throw new PostgresJournalError(`postgres journal ${this.shown}: answer to ${req.op} lost`);
    if (!answer.ok) throw this.failure(answer.error, req.op === 'query' || req.op === 'exec' ? req.sql : undefined);
    return answer.result;
  }

  /** Read every answer waiting on the port; returns the one for `seq`, keeps send() failures. */
  private drain(seq: number): Answer | undefined {
    let answer: Answer | undefined;
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const a = m.message as Answer;
      if (a.seq === seq) answer = a;
      else if (this.unanswered.delete(a.seq) && !a.ok) this.sendFailure ??= this.failure(a.error, undefined);
    }
    return answer;
  }

  private failure(e: { message: string; code?: string; detail?: string }, sql: string | undefined): PostgresJournalError {
    const where = sql ? ` in: ${sql.trim().slice(0, 200)}` : '';
    return new PostgresJournalError(`postgres journal ${this.shown}: ${e.message}${e.detail ? ` (${e.detail})` : ''}${where}`, e.code);
  }
}
