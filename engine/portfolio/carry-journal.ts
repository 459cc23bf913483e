/** Funding-carry judgments (table funding_carry, migration 4), written before the intent is submitted. */
import type Database from 'better-sqlite3';
import type { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';

export interface CarryJudgment {
  intentId: string;
  instrument: string;
  long: { venue: VenueId; rate: Decimal; intervalHours: number };
  short: { venue: VenueId; rate: Decimal; intervalHours: number };
  notional: Decimal;
  /** Annualized funding differential per unit notional (short receives, long pays). */
  carryApr: Decimal;
  horizonHours: number;
  expectedCarry: Decimal;
  /** Taker fees, entry and exit, both legs. */
  fees: Decimal;
  /** Round-trip crossing cost: entry (buy ask - sell bid) plus expected exit, for the size. */
  spreadCost: Decimal;
  net: Decimal;
  netApr: Decimal;
  decision: 'accept' | 'reject';
  judgedAt: number;
}

export class CarryJournal {
  private readonly insert: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly sessionId: () => string | undefined = () => undefined,
  ) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO funding_carry VALUES (@intent_id, @session_id, @instrument, @long_venue, @short_venue, @long_rate,
        @long_interval_hours, @short_rate, @short_interval_hours, @notional, @carry_apr, @horizon_hours, @expected_carry,
        @fees, @spread_cost, @net, @net_apr, @decision, @judged_at)`,
    );
  }

  record(c: CarryJudgment): void {
    this.insert.run({
      intent_id: c.intentId,
      session_id: this.sessionId() ?? null,
      instrument: c.instrument,
      long_venue: c.long.venue,
      short_venue: c.short.venue,
      long_rate: c.long.rate.toString(),
      long_interval_hours: c.long.intervalHours,
      short_rate: c.short.rate.toString(),
      short_interval_hours: c.short.intervalHours,
      notional: c.notional.toString(),
      carry_apr: c.carryApr.toString(),
      horizon_hours: c.horizonHours,
      expected_carry: c.expectedCarry.toString(),
      fees: c.fees.toString(),
      spread_cost: c.spreadCost.toString(),
      net: c.net.toString(),
      net_apr: c.netApr.toString(),
      decision: c.decision,
      judged_at: c.judgedAt,
    });
  }
}
