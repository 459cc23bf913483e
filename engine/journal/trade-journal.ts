/**
 * The live side of the journal: trades, their orders and fills. Unlike opportunities these rows
 * are written synchronously, before the command they describe is sent, because a restart must
 * find every order that might exist on a venue. A single-row SQLite write here costs tens of
 * microseconds, well below one venue round trip.
 */
import type Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import type { Fill, OrderRequest, OrderState, VenueOrderRef } from '../exchange/orders.ts';
import type { VenueId } from '../market/types.ts';
import { engineScope } from './open.ts';

export type TradeEndState = 'completed' | 'hedged' | 'unwound' | 'stopped-out' | 'failed-unresolved' | 'no-fill';
export type TradeState = 'open' | TradeEndState;
export type OrderRole = 'leg1' | 'leg2' | 'hedge' | 'unwind' | 'stop-loss';
/** How an order command ended: `sent` means the row was written and the outcome is not yet known. */
export type OrderOutcome = 'sent' | 'confirmed' | 'rejected' | 'unresolved' | 'not-placed';

export interface TradeOpen {
  id: string;
  intentId: string;
  sessionId?: string;
  instrument: string;
  buy: { venue: VenueId; symbol: string };
  sell: { venue: VenueId; symbol: string };
  size: Decimal;
  firstLeg: 'buy' | 'sell';
  expectedNet: Decimal;
  detectedAt: number;
  judgedAt: number;
  startedAt: number;
}

export interface TradeEnd {
  state: TradeEndState;
  residual: Decimal;
  realizedPnl?: Decimal;
  note?: string;
  signedAt?: number;
  fillVerifiedAt?: number;
  endedAt: number;
  totalMs?: number;
  venueWaitMs?: number;
  overheadMs?: number;
}

export interface OrderTimes {
  signedAt?: number;
  sentAt: number;
  signMs?: number;
}

export interface OrderResult {
  outcome: Exclude<OrderOutcome, 'sent'>;
  state?: OrderState;
  ackedAt?: number;
  verifiedAt?: number;
  ackMs?: number;
  rejectReason?: string;
}

export interface TradeRow {
  id: string;
  intent_id: string;
  instrument: string;
  buy_venue: string;
  buy_symbol: string;
  sell_venue: string;
  sell_symbol: string;
  size: string;
  first_leg: 'buy' | 'sell';
  state: TradeState;
  residual: string | null;
  realized_pnl: string | null;
  note: string | null;
  started_at: number;
}

export interface OrderRow {
  client_id: string;
  trade_id: string;
  role: OrderRole;
  venue: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: string;
  price: string | null;
  reduce_only: number;
  outcome: OrderOutcome;
  filled_size: string | null;
  average_price: string | null;
  sent_at: number;
  venue_order_id: string | null;
  /** JSON of SignedOrder.venueRef (migration 7). */
  venue_ref: string | null;
  executable_until: number | null;
}

export interface FillRow {
  venue: string;
  fill_id: string;
  client_id: string;
  trade_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: string;
  size: string;
  fee: string;
}

export class TradeJournal {
  private readonly statements = new Map<string, Database.Statement>();
  /**
   * Set on a journal several engines share (PostgreSQL): restart recovery, expected positions and
   * the daily realized PnL read only this engine's trades, so one engine never settles or unwinds
   * another's. A SQLite journal belongs to one engine and is read whole, as before engine ids.
   */
  private readonly engine: string | undefined;
  private readonly mine: string;

  constructor(readonly db: Database.Database) {
    this.engine = engineScope(db);
    this.mine = this.engine === undefined ? '' : ' AND engine_id = @engine';
  }

  /** Named engine parameter for scoped statements (ignored by unscoped ones). */
  private scoped(params: unknown[]): unknown[] {
    return this.engine === undefined ? params : [...params, { engine: this.engine }];
  }

  /** Prepared once per SQL text: these run on the order path, where a re-parse is wasted time. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      this.statements.set(text, st);
    }
    return st;
  }

  hasIntent(intentId: string): boolean {
    return this.sql('SELECT 1 FROM trades WHERE intent_id = ?').get(intentId) !== undefined;
  }

  openTrade(t: TradeOpen): void {
    this.sql(
        `INSERT INTO trades (id, intent_id, session_id, instrument, buy_venue, buy_symbol, sell_venue, sell_symbol, size,
          first_leg, expected_net, state, detected_at, judged_at, started_at${this.engine === undefined ? '' : ', engine_id'})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?${this.engine === undefined ? '' : ', @engine'})`,
      )
      .run(
        ...this.scoped([
        t.id,
        t.intentId,
        t.sessionId ?? null,
        t.instrument,
        t.buy.venue,
        t.buy.symbol,
        t.sell.venue,
        t.sell.symbol,
        t.size.toString(),
        t.firstLeg,
        t.expectedNet.toString(),
        t.detectedAt,
        t.judgedAt,
        t.startedAt,
        ]),
      );
  }

  endTrade(id: string, e: TradeEnd): void {
    this.sql(
        `UPDATE trades SET state = ?, residual = ?, realized_pnl = ?, note = ?, signed_at = COALESCE(?, signed_at),
          fill_verified_at = COALESCE(?, fill_verified_at), ended_at = ?, total_ms = ?, venue_wait_ms = ?, overhead_ms = ?
         WHERE id = ?`,
      )
      .run(
        e.state,
        e.residual.toString(),
        e.realizedPnl?.toString() ?? null,
        e.note ?? null,
        e.signedAt ?? null,
        e.fillVerifiedAt ?? null,
        e.endedAt,
        e.totalMs ?? null,
        e.venueWaitMs ?? null,
        e.overheadMs ?? null,
        id,
      );
  }

  /** Written before the order goes out, so a crash right after the send still leaves a trace. */
  recordSend(tradeId: string, role: OrderRole, r: OrderRequest, times: OrderTimes, lookup: { venueRef?: VenueOrderRef; executableUntil?: number } = {}): void {
    this.sql(
        `INSERT INTO orders (client_id, trade_id, role, venue, symbol, side, type, time_in_force, size, price, reduce_only,
          outcome, signed_at, sent_at, sign_ms, venue_ref, executable_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?)`,
      )
      .run(
        r.clientId,
        tradeId,
        role,
        r.venue,
        r.symbol,
        r.side,
        r.type,
        r.timeInForce,
        r.size.toString(),
        r.price?.toString() ?? null,
        r.reduceOnly ? 1 : 0,
        times.signedAt ?? null,
        times.sentAt,
        times.signMs ?? null,
        lookup.venueRef ? JSON.stringify(lookup.venueRef) : null,
        lookup.executableUntil ?? null,
      );
  }

  recordResult(clientId: string, r: OrderResult): void {
    this.sql(
        `UPDATE orders SET outcome = ?, venue_status = ?, venue_order_id = ?, filled_size = ?, average_price = ?,
          reject_reason = ?, acked_at = COALESCE(?, acked_at), verified_at = COALESCE(?, verified_at), ack_ms = COALESCE(?, ack_ms)
         WHERE client_id = ?`,
      )
      .run(
        r.outcome,
        r.state?.status ?? null,
        r.state?.venueOrderId ?? null,
        r.state?.filledSize.toString() ?? null,
        r.state?.averagePrice?.toString() ?? null,
        r.rejectReason ?? r.state?.rejectReason ?? null,
        r.ackedAt ?? null,
        r.verifiedAt ?? null,
        r.ackMs ?? null,
        clientId,
      );
  }

  /** Idempotent: the same venue fill seen twice (ack, then reconcile) is stored once. */
  recordFills(tradeId: string, fills: Fill[]): void {
    const insert = this.sql(
      `INSERT OR IGNORE INTO fills (venue, fill_id, client_id, trade_id, symbol, side, price, size, fee, liquidity, time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const f of fills) {
        insert.run(f.venue, f.fillId, f.clientId, tradeId, f.symbol, f.side, f.price.toString(), f.size.toString(), f.fee.toString(), f.liquidity, f.time);
      }
    })();
  }

  trade(id: string): TradeRow | undefined {
    return this.sql('SELECT * FROM trades WHERE id = ?').get(id) as TradeRow | undefined;
  }

  tradeByIntent(intentId: string): TradeRow | undefined {
    return this.sql('SELECT * FROM trades WHERE intent_id = ?').get(intentId) as TradeRow | undefined;
  }

  openTrades(): TradeRow[] {
    return this.sql(`SELECT * FROM trades WHERE (state = 'open' OR state = 'failed-unresolved')${this.mine} ORDER BY started_at`).all(...this.scoped([])) as TradeRow[];
  }

  ordersOf(tradeId: string): OrderRow[] {
    return this.sql('SELECT * FROM orders WHERE trade_id = ? ORDER BY sent_at, rowid').all(tradeId) as OrderRow[];
  }

  /** Orders whose outcome a previous run never learned. */
  unsettledOrders(): OrderRow[] {
    const mine = this.engine === undefined ? '' : ' AND trade_id IN (SELECT id FROM trades WHERE engine_id = @engine)';
    return this.sql(`SELECT * FROM orders WHERE outcome IN ('sent', 'unresolved')${mine} ORDER BY sent_at`).all(...this.scoped([])) as OrderRow[];
  }

  fillsOf(tradeId: string): FillRow[] {
    return this.sql('SELECT * FROM fills WHERE trade_id = ? ORDER BY time, rowid').all(tradeId) as FillRow[];
  }

  /** Realized PnL of trades that ended at or after `since` (the risk gate's daily loss survives a restart). */
  realizedSince(since: number): Decimal {
    const rows = this.sql(`SELECT realized_pnl FROM trades WHERE ended_at >= ? AND realized_pnl IS NOT NULL${this.mine}`).all(...this.scoped([since])) as {
      realized_pnl: string;
    }[];
    let sum = new Decimal(0);
    for (const r of rows) sum = sum.plus(r.realized_pnl);
    return sum;
  }

  /** Net signed position per (venue, symbol) implied by every fill the engine ever journaled. */
  expectedPositions(): Map<string, { venue: VenueId; symbol: string; size: Decimal }> {
    const out = new Map<string, { venue: VenueId; symbol: string; size: Decimal }>();
    const mine = this.engine === undefined ? '' : ' WHERE trade_id IN (SELECT id FROM trades WHERE engine_id = @engine)';
    const rows = this.sql(`SELECT venue, symbol, side, size FROM fills${mine}`).all(...this.scoped([])) as { venue: string; symbol: string; side: string; size: string }[];
    for (const r of rows) {
      const k = positionKey(r.venue, r.symbol);
      const cur = out.get(k) ?? { venue: r.venue, symbol: r.symbol, size: new Decimal(0) };
      cur.size = r.side === 'buy' ? cur.size.plus(r.size) : cur.size.minus(r.size);
      out.set(k, cur);
    }
    return out;
  }
}

export function positionKey(venue: VenueId, symbol: string): string {
  return `${venue}:${symbol}`;
}
