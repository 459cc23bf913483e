/**
 * The part of better-sqlite3's API the journal's stores use (prepare().run/get/all/iterate,
 * transaction(fn), exec, pragma, close), over PostgreSQL through the synchronous bridge. It
 * lets every store, reader and plugin that prepares SQL on Journal.db run unchanged on either
 * backend; the SQL is translated by dialect.ts. Statements outside transaction(fn) autocommit:
 * a run() that returned is committed on the server.
 */
import { SyncPostgres, type QueryResult } from './bridge.ts';
import { translateScript, translateStatement, type ParamSlot, type PlaceholderSql, type TableShape } from './dialect.ts';

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

export class PostgresStatement {
  constructor(
    private readonly db: PostgresJournalDb,
    readonly source: string,
    private readonly sql: PlaceholderSql,
  ) {}

  run(...params: unknown[]): RunResult {
    const r = this.execute(params);
    return { changes: r.rowCount, lastInsertRowid: 0 };
  }

  get(...params: unknown[]): unknown {
    return this.execute(params).rows[0];
  }

  all(...params: unknown[]): unknown[] {
    return this.execute(params).rows;
  }

  /** The rows are read in one answer, then iterated (the report's large reads take one round trip). */
  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.execute(params).rows[Symbol.iterator]();
  }

  /**
   * Queue many rows of this INSERT ... VALUES statement without waiting, 500 to a multi-row
   * VALUES. For the opportunity flush only: those rows are batched and never acted on, and
   * waiting would hold the engine thread (500 rows took 77 ms on a loaded 2-core machine;
   * one round trip per row, 325 ms). Rows reach the server in order before any later call's;
   * a failure is thrown by the first flush or close after its answer is in (PostgresJournalDb.throwSendFailure).
   */
  queueMany(rows: unknown[][]): void {
    const tuple = valuesTuple(this.sql.text);
    if (!tuple) throw new Error(`postgres journal: queueMany needs an INSERT ... VALUES (...) statement: ${this.source.trim().slice(0, 120)}`);
    const per = this.sql.slots.length;
    for (let at = 0; at < rows.length; at += 500) {
      const chunk = rows.slice(at, at + 500);
      const tuples = chunk.map((_, r) => tuple.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + r * per}`));
      const text = `${this.sql.text.slice(0, tuple.start)}${tuples.join(', ')}${this.sql.text.slice(tuple.end)}`;
      this.db.bridge.send(text, chunk.flatMap((params) => bind(this.sql.slots, params, this.source)));
    }
  }

  private execute(params: unknown[]): QueryResult {
    const r = this.db.bridge.query(this.sql.text, bind(this.sql.slots, params, this.source));
    // The hidden rowid (dialect.ts) is never part of a row, as in SQLite's SELECT *.
    for (const row of r.rows) delete row['rowid'];
    return r;
  }
}

/** Where the `(...)` after VALUES starts and ends in translated SQL (placeholders only, so no quotes to skip). */
function valuesTuple(text: string): { start: number; end: number; text: string } | undefined {
  const m = /\bVALUES\s*\(/i.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - 1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return { start, end: i + 1, text: text.slice(start, i + 1) };
  }
  return undefined;
}

/** better-sqlite3's binding rules: positional values in order, named ones from a plain object among the arguments. */
function bind(slots: ParamSlot[], params: unknown[], source: string): unknown[] {
  const args = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  const named = args.find((a): a is Record<string, unknown> => a !== null && typeof a === 'object' && !Array.isArray(a) && !(a instanceof Uint8Array));
  const positional = args.filter((a) => a !== named);
  return slots.map((s) => {
    let v: unknown;
    if (s.kind === 'positional') {
      if (s.index >= positional.length) throw new RangeError(`postgres journal: too few parameter values for: ${source.trim().slice(0, 120)}`);
      v = positional[s.index];
    } else {
      if (!named || !(s.name in named)) throw new RangeError(`postgres journal: missing named parameter "${s.name}"`);
      v = named[s.name];
    }
    if (v === undefined) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

export class PostgresJournalDb {
  readonly bridge: SyncPostgres;
  private readonly translated = new Map<string, PlaceholderSql>();
  private readonly shapes = new Map<string, TableShape>();
  private depth = 0;
  open = true;

  /** @param engineId this engine's id, which scopes restart recovery in a database several engines share */
  constructor(
    url: string,
    readonly engineId: string,
    timeoutMs?: number,
  ) {
    this.bridge = new SyncPostgres(url, timeoutMs);
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  prepare(source: string): PostgresStatement {
    let sql = this.translated.get(source);
    if (!sql) {
      sql = translateStatement(source, (t) => this.shape(t));
      this.translated.set(source, sql);
    }
    return new PostgresStatement(this, source, sql);
  }

  exec(source: string): this {
    this.bridge.exec(translateScript(source));
    // A schema change may add columns a cached INSERT ... VALUES expanded without.
    this.translated.clear();
    this.shapes.clear();
    return this;
  }

  /** SQLite tuning (WAL, synchronous) has no PostgreSQL meaning; durability is the server's. */
  pragma(_source: string): undefined {
    return undefined;
  }

  /** As better-sqlite3: BEGIN/COMMIT, rolled back on a throw, nested calls as savepoints. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const savepoint = this.depth > 0 ? `sp${this.depth}` : undefined;
      this.bridge.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
      this.depth++;
      let result: R;
      try {
        result = fn(...args);
      } catch (err) {
        this.depth--;
        this.bridge.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : 'ROLLBACK');
        throw err;
      }
      this.depth--;
      this.bridge.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
      return result;
    };
  }

  /** Throw the first failure of queued rows (queueMany) seen so far. */
  throwSendFailure(): void {
    const f = this.bridge.takeSendFailure();
    if (f) throw f;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.bridge.close();
  }

  private shape(table: string): TableShape {
    let s = this.shapes.get(table);
    if (!s) {
      const columns = this.bridge
        .query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'rowid' ORDER BY ordinal_position`,
          [table],
        )
        .rows.map((r) => String(r['column_name']));
      if (columns.length === 0) throw new Error(`postgres journal: no table ${table} (migrations not applied?)`);
      const primaryKey = this.bridge
        .query(
          `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = (current_schema() || '.' || $1)::regclass AND i.indisprimary ORDER BY a.attnum`,
          [table],
        )
        .rows.map((r) => String(r['attname']));
      this.shapes.set(table, (s = { columns, primaryKey }));
    }
    return s;
  }
}

