/**
 * The quote desk's own journal rows (migration 8), beside the trade / order / fill rows every
 * trade has: what the maker-taker report needs and the trade rows do not say. Each decision
 * row is written before the command it describes goes out (a placement before the send, a
 * replace or cancel before the cancel), a fill row before its hedge is sent, a hedge row when
 * the repair ends, and a fill's markout mids when they are sampled. Money as decimal strings.
 * Plain SQL only: the PostgreSQL backend translates the same statements.
 */
import type Database from 'better-sqlite3';
import type { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { QuoteSide } from './quote-price.ts';
import type { QuoteTarget } from './quote-target.ts';

export type QuoteEventKind = 'place' | 'replace' | 'cancel' | 'refused' | 'ended-by-venue';

export interface QuoteEvent {
  kind: QuoteEventKind;
  tradeId: string;
  clientId: string;
  target: QuoteTarget;
  reason?: string;
  at: number;
}

export interface MakerFillRecord {
  tradeId: string;
  fill: Fill;
  target: QuoteTarget;
  midAtFill: Decimal | undefined;
  /** The same size crossing both books when the fill was learned, and both venues' taker fee rates. */
  takerTaker: { makerPrice: Decimal; takerPrice: Decimal; makerFeeRate: Decimal; takerFeeRate: Decimal } | undefined;
  seenAt: number;
}

export interface MakerHedgeRecord {
  tradeId: string;
  instrument: string;
  outcome: 'hedged' | 'unwound' | 'stopped-out' | 'failed-unresolved';
  side: QuoteSide;
  closeVenue: string;
  size: Decimal;
  closedSize: Decimal;
  makerNotional: Decimal;
  expectedHedgePrice: Decimal;
  closeSize: Decimal;
  closeNotional: Decimal;
  closeFees: Decimal;
  net: Decimal | undefined;
  latencyMs: number | undefined;
  at: number;
}

export class QuoteJournal {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly sessionId: () => string | undefined = () => undefined,
  ) {}

  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  event(e: QuoteEvent): void {
    const t = e.target;
    this.sql(
      `INSERT INTO quote_events (session_id, trade_id, client_id, kind, instrument, maker_venue, maker_symbol, taker_venue, taker_symbol,
         side, size, price, hedge_price, edge, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      this.sessionId() ?? null,
      e.tradeId,
      e.clientId,
      e.kind,
      t.instrument,
      t.maker.venue,
      t.maker.symbol,
      t.taker.venue,
      t.taker.symbol,
      t.side,
      t.size.toString(),
      t.price.toString(),
      t.hedge.vwap.toString(),
      t.edge.toString(),
      e.reason ?? null,
      e.at,
    );
  }

  /** Idempotent like the fills table: a fill seen twice is stored once. */
  fill(r: MakerFillRecord): void {
    const f = r.fill;
    const tt = r.takerTaker;
    this.sql(
      `INSERT OR IGNORE INTO maker_fills (venue, fill_id, session_id, trade_id, client_id, instrument, symbol, taker_venue, side, size, price, fee,
         expected_hedge_price, mid_at_fill, tt_maker_price, tt_taker_price, tt_maker_fee_rate, tt_taker_fee_rate, seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      f.venue,
      f.fillId,
      this.sessionId() ?? null,
      r.tradeId,
      f.clientId,
      r.target.instrument,
      f.symbol,
      r.target.taker.venue,
      f.side,
      f.size.toString(),
      f.price.toString(),
      f.fee.toString(),
      r.target.hedge.vwap.toString(),
      r.midAtFill?.toString() ?? null,
      tt?.makerPrice.toString() ?? null,
      tt?.takerPrice.toString() ?? null,
      tt?.makerFeeRate.toString() ?? null,
      tt?.takerFeeRate.toString() ?? null,
      r.seenAt,
    );
  }

  /** The maker venue's mid `horizon` after the fill, written when sampled. */
  markout(venue: string, fillId: string, horizon: '1s' | '10s', mid: Decimal): void {
    const column = horizon === '1s' ? 'mid_1s' : 'mid_10s';
    this.sql(`UPDATE maker_fills SET ${column} = ? WHERE venue = ? AND fill_id = ?`).run(mid.toString(), venue, fillId);
  }

  hedge(h: MakerHedgeRecord): void {
    this.sql(
      `INSERT INTO maker_hedges (session_id, trade_id, instrument, outcome, side, close_venue, size, closed_size, maker_notional, expected_hedge_price,
         close_size, close_notional, close_fees, net, latency_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      this.sessionId() ?? null,
      h.tradeId,
      h.instrument,
      h.outcome,
      h.side,
      h.closeVenue,
      h.size.toString(),
      h.closedSize.toString(),
      h.makerNotional.toString(),
      h.expectedHedgePrice.toString(),
      h.closeSize.toString(),
      h.closeNotional.toString(),
      h.closeFees.toString(),
      h.net?.toString() ?? null,
      h.latencyMs === undefined ? null : Math.round(h.latencyMs),
      h.at,
    );
  }
}
