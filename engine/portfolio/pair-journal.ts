/**
 * Pair rows and pair events in the journal's SQLite (tables from migration 4). Unlike the
 * batched opportunity rows, every pair change is written synchronously, in one transaction
 * with its event, before the in-memory PairBook changes: pairs are few and a restart must
 * find exactly what was held.
 */
import { Decimal } from 'decimal.js';
import type Database from 'better-sqlite3';
import { engineScope } from '../journal/open.ts';
import { policyFromJson, policyToJson, type ExitReason } from './exit-policy.ts';
import { ZERO, type PairMode, type PairPosition, type PairState } from './pair-position.ts';

/** close-blocked: the venues' netted positions leave no room for the pair's reduce-only close (no order sent). */
export type PairEventType = 'open' | 'funding' | 'closing' | 'partial-exit' | 'close-failed' | 'close-blocked' | 'closed' | 'reconciled';

export interface PairEvent {
  seq: number;
  pairId: string;
  type: PairEventType;
  at: number;
  payload: Record<string, unknown>;
}

interface PairRow {
  id: string;
  session_id: string | null;
  strategy: string;
  intent_id: string | null;
  instrument: string;
  mode: string;
  state: string;
  size: string;
  long_venue: string;
  long_symbol: string;
  short_venue: string;
  short_symbol: string;
  long_entry_price: string;
  short_entry_price: string;
  entry_spread: string;
  entry_fees: string;
  exit_fees: string;
  funding: string;
  expected_pnl: string;
  exit_policy_json: string;
  long_funding_to: number;
  short_funding_to: number;
  long_exit_price: string | null;
  short_exit_price: string | null;
  exit_spread: string | null;
  exit_reason: string | null;
  exit_detail: string | null;
  realized_pnl: string | null;
  opened_at: number;
  closed_at: number | null;
  updated_at: number;
  exited_size: string;
  exit_long_proceeds: string;
  exit_short_cost: string;
}

export class PairJournal {
  private readonly insertPair: Database.Statement;
  private readonly updatePair: Database.Statement;
  private readonly insertEvent: Database.Statement;

  constructor(
    readonly db: Database.Database,
    private readonly sessionId: () => string | undefined = () => undefined,
  ) {
    this.insertPair = db.prepare(
      `INSERT INTO pair_positions VALUES (@id, @session_id, @strategy, @intent_id, @instrument, @mode, @state, @size,
        @long_venue, @long_symbol, @short_venue, @short_symbol, @long_entry_price, @short_entry_price, @entry_spread,
        @entry_fees, @exit_fees, @funding, @expected_pnl, @exit_policy_json, @long_funding_to, @short_funding_to,
        @long_exit_price, @short_exit_price, @exit_spread, @exit_reason, @exit_detail, @realized_pnl, @opened_at,
        @closed_at, @updated_at, @exited_size, @exit_long_proceeds, @exit_short_cost)`,
    );
    this.updatePair = db.prepare(
      `UPDATE pair_positions SET state = @state, exit_fees = @exit_fees, funding = @funding,
        long_funding_to = @long_funding_to, short_funding_to = @short_funding_to, long_exit_price = @long_exit_price,
        short_exit_price = @short_exit_price, exit_spread = @exit_spread, exit_reason = @exit_reason,
        exit_detail = @exit_detail, realized_pnl = @realized_pnl, closed_at = @closed_at, updated_at = @updated_at,
        exited_size = @exited_size, exit_long_proceeds = @exit_long_proceeds, exit_short_cost = @exit_short_cost
        WHERE id = @id`,
    );
    this.insertEvent = db.prepare('INSERT INTO pair_events (pair_id, type, at, payload_json) VALUES (?, ?, ?, ?)');
  }

  /** Insert a new pair and its open event in one transaction. */
  opened(pair: PairPosition, at: number, payload: Record<string, unknown>): void {
    this.db.transaction(() => {
      this.insertPair.run(toRow(pair, this.sessionId(), at));
      this.insertEvent.run(pair.id, 'open', at, JSON.stringify(payload));
    })();
  }

  /** Persist the pair's new state together with the event that caused it. */
  changed(pair: PairPosition, type: PairEventType, at: number, payload: Record<string, unknown>): void {
    this.db.transaction(() => {
      const r = toRow(pair, this.sessionId(), at);
      const info = this.updatePair.run(r);
      if (info.changes !== 1) throw new Error(`pair journal: no pair ${pair.id} to update (${type})`);
      this.insertEvent.run(pair.id, type, at, JSON.stringify(payload));
    })();
  }

  /** Pairs not yet closed: what a restarted PairBook holds. */
  unclosed(): PairPosition[] {
    // In a journal several engines share (PostgreSQL), only this engine's pairs: another engine's are its own to manage.
    const engine = engineScope(this.db);
    const mine = engine === undefined ? '' : ' AND session_id IN (SELECT id FROM sessions WHERE engine_id = ?)';
    const rows = this.db.prepare(`SELECT * FROM pair_positions WHERE state != 'closed'${mine} ORDER BY opened_at, id`).all(...(engine === undefined ? [] : [engine])) as PairRow[];
    return rows.map(fromRow);
  }

  pair(id: string): PairPosition | undefined {
    const row = this.db.prepare('SELECT * FROM pair_positions WHERE id = ?').get(id) as PairRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  events(pairId: string): PairEvent[] {
    const rows = this.db.prepare('SELECT seq, pair_id, type, at, payload_json FROM pair_events WHERE pair_id = ? ORDER BY seq').all(pairId) as Array<{
      seq: number;
      pair_id: string;
      type: PairEventType;
      at: number;
      payload_json: string;
    }>;
    return rows.map((r) => ({ seq: r.seq, pairId: r.pair_id, type: r.type, at: r.at, payload: JSON.parse(r.payload_json) as Record<string, unknown> }));
  }
}

function toRow(p: PairPosition, sessionId: string | undefined, at: number): PairRow {
  return {
    id: p.id,
    session_id: sessionId ?? null,
    strategy: p.strategy,
    intent_id: p.intentId ?? null,
    instrument: p.instrument,
    mode: p.mode,
    state: p.state,
    size: p.size.toString(),
    long_venue: p.long.venue,
    long_symbol: p.long.symbol,
    short_venue: p.short.venue,
    short_symbol: p.short.symbol,
    long_entry_price: p.long.entryPrice.toString(),
    short_entry_price: p.short.entryPrice.toString(),
    entry_spread: p.entrySpread.toString(),
    entry_fees: p.entryFees.toString(),
    exit_fees: p.exitFees.toString(),
    funding: p.funding.toString(),
    expected_pnl: p.expectedPnl.toString(),
    exit_policy_json: policyToJson(p.policy),
    long_funding_to: p.long.fundingAccruedTo,
    short_funding_to: p.short.fundingAccruedTo,
    long_exit_price: p.long.exitPrice?.toString() ?? null,
    short_exit_price: p.short.exitPrice?.toString() ?? null,
    exit_spread: p.exit?.spread.toString() ?? null,
    exit_reason: p.exit?.reason ?? null,
    exit_detail: p.exit?.detail ?? null,
    realized_pnl: p.exit?.realizedPnl.toString() ?? null,
    opened_at: p.openedAt,
    closed_at: p.exit?.at ?? null,
    updated_at: at,
    exited_size: (p.exits?.size ?? ZERO).toString(),
    exit_long_proceeds: (p.exits?.longProceeds ?? ZERO).toString(),
    exit_short_cost: (p.exits?.shortCost ?? ZERO).toString(),
  };
}

function fromRow(r: PairRow): PairPosition {
  const d = (v: string) => new Decimal(v);
  const pair: PairPosition = {
    id: r.id,
    strategy: r.strategy,
    instrument: r.instrument,
    mode: r.mode as PairMode,
    state: r.state as PairState,
    size: d(r.size),
    long: { venue: r.long_venue, symbol: r.long_symbol, entryPrice: d(r.long_entry_price), fundingAccruedTo: r.long_funding_to },
    short: { venue: r.short_venue, symbol: r.short_symbol, entryPrice: d(r.short_entry_price), fundingAccruedTo: r.short_funding_to },
    entrySpread: d(r.entry_spread),
    entryFees: d(r.entry_fees),
    exitFees: d(r.exit_fees),
    funding: d(r.funding),
    expectedPnl: d(r.expected_pnl),
    policy: policyFromJson(r.exit_policy_json, d),
    openedAt: r.opened_at,
  };
  if (r.intent_id !== null) pair.intentId = r.intent_id;
  if (!d(r.exited_size).isZero() || !pair.exitFees.isZero()) {
    pair.exits = { size: d(r.exited_size), longProceeds: d(r.exit_long_proceeds), shortCost: d(r.exit_short_cost), fees: pair.exitFees };
  }
  if (r.long_exit_price !== null) pair.long.exitPrice = d(r.long_exit_price);
  if (r.short_exit_price !== null) pair.short.exitPrice = d(r.short_exit_price);
  if (r.exit_reason !== null && r.realized_pnl !== null && r.exit_spread !== null && r.closed_at !== null) {
    pair.exit = { reason: r.exit_reason as ExitReason, detail: r.exit_detail ?? '', spread: d(r.exit_spread), at: r.closed_at, realizedPnl: d(r.realized_pnl) };
  }
  return pair;
}
