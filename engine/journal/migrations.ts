/**
 * Journal schema, as ordered migrations applied in code on open. Add a migration to change
 * the schema; never edit one that has shipped (a week-old journal must still open).
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'sessions and judged opportunities',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        mode TEXT NOT NULL,
        config_json TEXT NOT NULL
      );
      CREATE TABLE opportunities (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        strategy TEXT NOT NULL,
        instrument TEXT NOT NULL,
        buy_venue TEXT NOT NULL,
        buy_symbol TEXT NOT NULL,
        sell_venue TEXT NOT NULL,
        sell_symbol TEXT NOT NULL,
        size TEXT NOT NULL,
        spread TEXT NOT NULL,
        executable_spread TEXT NOT NULL,
        buy_top TEXT NOT NULL,
        sell_top TEXT NOT NULL,
        buy_expected TEXT NOT NULL,
        sell_expected TEXT NOT NULL,
        buy_worst TEXT NOT NULL,
        sell_worst TEXT NOT NULL,
        notional TEXT NOT NULL,
        gross TEXT NOT NULL,
        cost_trading TEXT NOT NULL,
        cost_gas TEXT NOT NULL,
        cost_slippage TEXT NOT NULL,
        cost_total TEXT NOT NULL,
        net TEXT NOT NULL,
        profitable INTEGER NOT NULL,
        decision TEXT NOT NULL,
        desync_level TEXT NOT NULL,
        max_age_ms INTEGER NOT NULL,
        gap_ms INTEGER NOT NULL,
        detected_at INTEGER NOT NULL,
        judged_at INTEGER NOT NULL
      );
      CREATE INDEX opportunities_time ON opportunities(detected_at);
      CREATE INDEX opportunities_pair ON opportunities(instrument, buy_venue, sell_venue);
    `,
  },
];
