/**
 * The journal: an embedded SQLite database of everything the engine judged (and, in live
 * mode, did), or the same tables in a PostgreSQL database several engines share (`url`).
 * Opportunity rows are queued and written in batched transactions off the market-data path;
 * a batch of a few hundred rows costs well under a millisecond on SQLite.
 */
import type Database from 'better-sqlite3';
import type { Judgment } from '../simulation/execution-simulator.ts';
import { EnvironmentSecrets } from '../core/secrets.ts';
import type { SecretRef } from '../exchange/connector.ts';
import { MIGRATIONS } from './migrations.ts';
import type { PostgresJournalDb, PostgresStatement } from './postgres/adapter.ts';
import { defaultEngineId, isPostgresUrl, openPostgres, openSqlite, redactUrl } from './open.ts';

export interface JournalOptions {
  /** SQLite file (or a postgres:// URL, read as `url`). */
  path: string;
  flushIntervalMs: number;
  /** PostgreSQL URL (or a secret reference holding it); when set the journal is written there and `path` is not used. */
  url?: string | SecretRef;
  /** Names this engine's sessions and trades in a shared journal; default the host name. */
  engineId?: string;
}

type OpportunityRow = Record<string, string | number>;

export class Journal {
  readonly db: Database.Database;
  /** Judged, not yet written: turned into rows at flush, so the ~20 Decimal-to-text conversions per row happen off the market-data path. */
  private queue: { sessionId: string; judgment: Judgment }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly insertOpportunity: Database.Statement;
  private readonly insertMany: (rows: OpportunityRow[]) => void;
  sessionId: string | undefined;
  written = 0;
  readonly engineId: string;
  /** 'postgres' when the journal is a shared PostgreSQL database. */
  readonly backend: 'sqlite' | 'postgres';

  constructor(private readonly options: JournalOptions) {
    const url = journalUrl(options);
    this.engineId = options.engineId ?? defaultEngineId();
    this.backend = url ? 'postgres' : 'sqlite';
    if (url) {
      this.db = openPostgres(url, this.engineId, migrate);
    } else {
      this.db = openSqlite(options.path);
      migrate(this.db);
    }
    this.insertOpportunity = this.db.prepare(
      `INSERT INTO opportunities VALUES (@id, @session_id, @strategy, @instrument, @buy_venue, @buy_symbol,
        @sell_venue, @sell_symbol, @size, @spread, @executable_spread, @buy_top, @sell_top, @buy_expected,
        @sell_expected, @buy_worst, @sell_worst, @notional, @gross, @cost_trading, @cost_gas, @cost_slippage,
        @cost_total, @net, @profitable, @decision, @desync_level, @max_age_ms, @gap_ms, @detected_at, @judged_at)`,
    );
    this.insertMany =
      this.backend === 'postgres'
        ? (rows) => (this.insertOpportunity as unknown as PostgresStatement).queueMany(rows.map((r) => [r]))
        : this.db.transaction((rows: OpportunityRow[]) => {
            for (const r of rows) this.insertOpportunity.run(r);
          });
  }

  startSession(id: string, mode: string, configJson: string, at: number): void {
    this.sessionId = id;
    this.db
      .prepare('INSERT INTO sessions (id, started_at, mode, config_json, engine_id) VALUES (?, ?, ?, ?, ?)')
      .run(id, at, mode, withoutUrlPassword(configJson), this.engineId);
    this.timer = setInterval(() => this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Queue a judged opportunity; it reaches disk within flushIntervalMs. */
  recordOpportunity(j: Judgment): void {
    if (!this.sessionId) throw new Error('journal: startSession() before recording');
    this.queue.push({ sessionId: this.sessionId, judgment: j });
  }

  /**
   * SQLite: the rows are written when this returns. PostgreSQL: they are queued to the server in
   * order (any later read or write sees them) and a failure throws here on the first flush or close after its answer is in.
   */
  flush(): void {
    if (this.backend === 'postgres') (this.db as unknown as PostgresJournalDb).throwSendFailure();
    if (this.queue.length === 0) return;
    const rows = this.queue.map((q) => toRow(q.sessionId, q.judgment));
    this.queue = [];
    this.insertMany(rows);
    this.written += rows.length;
  }

  /**
   * Run `work` with every journal write inside it in one SQLite transaction (the stores' own
   * transactions nest as savepoints, so each still commits or rolls back whole). For a replay,
   * which can be run again from its recording: one commit per batch of events instead of one per
   * pair change (a commit was ~0.2 ms, a sixth of a replay's CPU). A live engine never batches:
   * its rows must be on disk before it acts. PostgreSQL, or a transaction already open: runs as is.
   */
  replayBatch<T>(work: () => T): T {
    if (this.backend !== 'sqlite' || this.db.inTransaction) return work();
    this.db.exec('BEGIN');
    try {
      return work();
    } finally {
      // Whatever the batch wrote stays, as it would have without the batch, even when `work` threw.
      if (this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  close(at: number): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    if (this.sessionId) this.db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ?').run(at, this.sessionId);
    try {
      if (this.backend === 'postgres') (this.db as unknown as PostgresJournalDb).throwSendFailure();
    } finally {
      this.db.close();
    }
  }
}

/**
 * Apply every migration not yet recorded, in version order. Versions are checked one by one
 * (not "above the highest applied") because independently developed migrations may land out
 * of order: a journal at version 4 must still receive version 3 when it ships.
 */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map((r) => r.version));
  for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
    })();
    applied.add(m.version);
  }
  return Math.max(0, ...applied);
}

function journalUrl(options: JournalOptions): string | undefined {
  if (typeof options.url === 'object') {
    const url = new EnvironmentSecrets().read(options.url, 'journal.url');
    if (!isPostgresUrl(url)) throw new Error('journal.url: the secret it names does not hold a postgres:// URL');
    return url;
  }
  return options.url ?? (isPostgresUrl(options.path) ? options.path : undefined);
}

/** "data/journal.sqlite", or the PostgreSQL URL with its password masked: what the console may say the journal is. */
export function describeJournal(options: Pick<JournalOptions, 'path' | 'url' | 'engineId'>): string {
  if (options.url === undefined && !isPostgresUrl(options.path)) return options.path;
  const where = typeof options.url === 'object' ? ('env' in options.url ? `$${options.url.env}` : options.url.file) : redactUrl(options.url ?? options.path);
  return `PostgreSQL ${where} (engine ${options.engineId ?? defaultEngineId()})`;
}

/** The session row keeps the config; a journal URL's password is not kept with it. */
function withoutUrlPassword(configJson: string): string {
  try {
    const c = JSON.parse(configJson) as { journal?: { url?: unknown } };
    if (typeof c.journal?.url !== 'string') return configJson;
    c.journal.url = redactUrl(c.journal.url);
    return JSON.stringify(c);
  } catch {
    return configJson;
  }
}

function toRow(sessionId: string, j: Judgment): OpportunityRow {
  const { intent: i } = j;
  return {
    id: i.id,
    session_id: sessionId,
    strategy: i.strategy,
    instrument: i.instrument,
    buy_venue: i.buy.venue,
    buy_symbol: i.buy.symbol,
    sell_venue: i.sell.venue,
    sell_symbol: i.sell.symbol,
    size: i.size.toString(),
    spread: i.spread.toString(),
    executable_spread: i.executableSpread.toString(),
    buy_top: i.buy.topPrice.toString(),
    sell_top: i.sell.topPrice.toString(),
    buy_expected: i.buy.expectedPrice.toString(),
    sell_expected: i.sell.expectedPrice.toString(),
    buy_worst: i.buy.worstPrice.toString(),
    sell_worst: i.sell.worstPrice.toString(),
    notional: j.notional.toString(),
    gross: j.gross.toString(),
    cost_trading: j.costs.trading.toString(),
    cost_gas: j.costs.gas.toString(),
    cost_slippage: j.costs.slippage.toString(),
    cost_total: j.costs.total.toString(),
    net: j.net.toString(),
    profitable: j.profitable ? 1 : 0,
    decision: j.decision,
    desync_level: j.desync.level,
    max_age_ms: j.desync.maxAgeMs,
    gap_ms: j.desync.gapMs,
    detected_at: i.detectedAt,
    judged_at: j.judgedAt,
  };
}
