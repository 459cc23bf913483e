/**
 * Reads what the report needs from a journal, read-only (a running engine may be writing).
 * Money stays decimal strings until the model turns them into Decimals.
 */
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { isPostgresUrl, openJournalReader } from '../journal/open.ts';
import { pairLifecycleSummary, type PairLifecycleSummary } from '../portfolio/lifecycle-summary.ts';
import type { Decision } from '../simulation/execution-simulator.ts';
import { readCarry, type CarryReport } from './carry.ts';
import { readMakerTaker, type MakerTakerRows } from './maker-taker.ts';

export interface JudgedOpportunity {
  id: string;
  sessionId: string;
  instrument: string;
  buyVenue: string;
  sellVenue: string;
  size: Decimal;
  notional: Decimal;
  net: Decimal;
  spread: Decimal;
  executableSpread: Decimal;
  decision: Decision;
  desyncLevel: 'Low' | 'Medium' | 'High';
  detectedAt: number;
}

export interface SessionInfo {
  id: string;
  mode: string;
  startedAt: number;
  endedAt: number | null;
  /** strategies.cross-exchange.thresholdPct of that session, when it ran that strategy. */
  thresholdPct: string | undefined;
  /** journal.engineId of the engine that ran it (a shared PostgreSQL journal holds several); null before engine ids. */
  engineId: string | null;
}

/**
 * One live trade's estimate beside its outcome. Read from the live-orders table (`trades`,
 * migration 2) where present; estimated time is shown only if that table records one.
 */
export interface LiveTradeOutcome {
  id: string;
  instrument: string;
  state: string;
  estimatedNet: Decimal;
  realizedNet: Decimal | undefined;
  estimatedMs: number | undefined;
  actualMs: number | undefined;
  startedAt: number;
}

export interface JournalExtract {
  opportunities: JudgedOpportunity[];
  sessions: SessionInfo[];
  liveTrades: LiveTradeOutcome[];
  /** False when the journal has no live-trades table yet (before live execution shipped). */
  hasLiveTable: boolean;
  /** Pairs opened in range; undefined when the journal has no pair_positions table (before pairs shipped). */
  pairLifecycles: PairLifecycleSummary | undefined;
  /** funding-arb's carry judgments in range (they never reach the opportunities table). */
  carry?: CarryReport;
  /** The maker-taker desk's rows in range; undefined on a journal from before migration 8. */
  makerTaker?: MakerTakerRows;
}

/** `onRow(done, total)` reports reading progress on a large journal. `path` may be a postgres:// URL (every engine's sessions). */
export function readJournal(path: string, sinceMs: number | undefined, onRow?: (done: number, total: number) => void): JournalExtract {
  if (!isPostgresUrl(path) && !existsSync(path)) throw new Error(`--journal ${path}: no such file; run \`arb run\` or \`arb replay\` first, or point --journal at one`);
  const db = openJournalReader(path);
  try {
    const since = sinceMs ?? 0;
    const total = (db.prepare('SELECT COUNT(*) AS n FROM opportunities WHERE detected_at >= ?').get(since) as { n: number }).n;
    const rows = db
      .prepare(
        `SELECT id, session_id, instrument, buy_venue, sell_venue, size, notional, net, spread, executable_spread,
                decision, desync_level, detected_at
         FROM opportunities WHERE detected_at >= ? ORDER BY detected_at, id`,
      )
      .iterate(since) as IterableIterator<Record<string, string | number>>;
    const opportunities: JudgedOpportunity[] = [];
    for (const r of rows) {
      opportunities.push(toOpportunity(r));
      if (onRow && opportunities.length % 5000 === 0) onRow(opportunities.length, total);
    }
    onRow?.(opportunities.length, total);
    const sessionCols = new Set((db.prepare("SELECT name FROM pragma_table_info('sessions')").all() as { name: string }[]).map((c) => c.name));
    const engine = sessionCols.has('engine_id') ? 'engine_id' : 'NULL AS engine_id';
    const sessions = (db.prepare(`SELECT id, mode, started_at, ended_at, config_json, ${engine} FROM sessions ORDER BY started_at`).all() as Record<string, string | number | null>[]).map(
      (s) => ({
        id: String(s.id),
        mode: String(s.mode),
        startedAt: Number(s.started_at),
        endedAt: s.ended_at === null ? null : Number(s.ended_at),
        thresholdPct: thresholdOf(String(s.config_json)),
        engineId: s.engine_id === null ? null : String(s.engine_id),
      }),
    );
    const { trades, present } = readLiveTrades(db, since);
    return { opportunities, sessions, liveTrades: trades, hasLiveTable: present, pairLifecycles: readPairLifecycles(db, since), carry: readCarry(db, since), makerTaker: readMakerTaker(db, since) };
  } finally {
    db.close();
  }
}

function toOpportunity(r: Record<string, string | number>): JudgedOpportunity {
  return {
    id: String(r.id),
    sessionId: String(r.session_id),
    instrument: String(r.instrument),
    buyVenue: String(r.buy_venue),
    sellVenue: String(r.sell_venue),
    size: new Decimal(r.size!),
    notional: new Decimal(r.notional!),
    net: new Decimal(r.net!),
    spread: new Decimal(r.spread!),
    executableSpread: new Decimal(r.executable_spread!),
    decision: r.decision as Decision,
    desyncLevel: r.desync_level as JudgedOpportunity['desyncLevel'],
    detectedAt: Number(r.detected_at),
  };
}

function thresholdOf(configJson: string): string | undefined {
  try {
    const c = JSON.parse(configJson) as { strategies?: Record<string, { thresholdPct?: string | number } | undefined> };
    const t = c.strategies?.['cross-exchange']?.thresholdPct;
    // The strategy's own default applies when the config leaves it out.
    return c.strategies?.['cross-exchange'] ? String(t ?? '0.15') : undefined;
  } catch {
    return undefined;
  }
}

function readLiveTrades(db: Database.Database, since: number): { trades: LiveTradeOutcome[]; present: boolean } {
  const cols = new Set((db.prepare("SELECT name FROM pragma_table_info('trades')").all() as { name: string }[]).map((c) => c.name));
  if (!cols.has('expected_net') || !cols.has('started_at')) return { trades: [], present: false };
  const pick = (name: string) => (cols.has(name) ? name : 'NULL');
  const rows = db
    .prepare(
      `SELECT id, ${pick('instrument')} AS instrument, ${pick('state')} AS state, expected_net, ${pick('realized_pnl')} AS realized,
              ${pick('estimated_ms')} AS estimated_ms, ${pick('total_ms')} AS actual_ms, started_at
       FROM trades WHERE started_at >= ? ORDER BY started_at`,
    )
    .all(since) as Record<string, string | number | null>[];
  return {
    present: true,
    trades: rows.map((r) => ({
      id: String(r.id),
      instrument: String(r.instrument ?? ''),
      state: String(r.state ?? ''),
      estimatedNet: new Decimal(r.expected_net!),
      realizedNet: r.realized === null ? undefined : new Decimal(r.realized!),
      estimatedMs: r.estimated_ms === null ? undefined : Number(r.estimated_ms),
      actualMs: r.actual_ms === null ? undefined : Number(r.actual_ms),
      startedAt: Number(r.started_at),
    })),
  };
}

/**
 * The summary reads only migration-4 columns, so a journal from before migration 6 (partial
 * exits) reads the same; a journal from before migration 4 has no pairs to show.
 */
function readPairLifecycles(db: Database.Database, since: number): PairLifecycleSummary | undefined {
  const cols = new Set((db.prepare("SELECT name FROM pragma_table_info('pair_positions')").all() as { name: string }[]).map((c) => c.name));
  if (!cols.has('realized_pnl') || !cols.has('opened_at')) return undefined;
  return pairLifecycleSummary(db, { openedSince: since });
}
