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
  {
    version: 2,
    description: 'live trades, their orders and fills (exact decimal strings, ms timestamps)',
    sql: `
      CREATE TABLE trades (
        id TEXT PRIMARY KEY,
        intent_id TEXT NOT NULL UNIQUE,
        session_id TEXT,
        instrument TEXT NOT NULL,
        buy_venue TEXT NOT NULL,
        buy_symbol TEXT NOT NULL,
        sell_venue TEXT NOT NULL,
        sell_symbol TEXT NOT NULL,
        size TEXT NOT NULL,
        first_leg TEXT NOT NULL,
        expected_net TEXT NOT NULL,
        -- open until it ends: completed | hedged | unwound | stopped-out | failed-unresolved | no-fill
        state TEXT NOT NULL,
        residual TEXT,
        realized_pnl TEXT,
        note TEXT,
        detected_at INTEGER NOT NULL,
        judged_at INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        signed_at INTEGER,
        fill_verified_at INTEGER,
        ended_at INTEGER,
        -- durations in ms (fractional): decision to both legs verified, time spent waiting on
        -- venues, and what is left: the engine's own overhead
        total_ms REAL,
        venue_wait_ms REAL,
        overhead_ms REAL
      );
      CREATE INDEX trades_state ON trades(state);
      CREATE TABLE orders (
        client_id TEXT PRIMARY KEY,
        trade_id TEXT NOT NULL REFERENCES trades(id),
        role TEXT NOT NULL,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        time_in_force TEXT NOT NULL,
        size TEXT NOT NULL,
        price TEXT,
        reduce_only INTEGER NOT NULL,
        -- sent (outcome not yet known) | confirmed | rejected | unresolved | not-placed
        outcome TEXT NOT NULL,
        venue_status TEXT,
        venue_order_id TEXT,
        filled_size TEXT,
        average_price TEXT,
        reject_reason TEXT,
        signed_at INTEGER,
        sent_at INTEGER NOT NULL,
        acked_at INTEGER,
        verified_at INTEGER,
        sign_ms REAL,
        ack_ms REAL
      );
      CREATE INDEX orders_trade ON orders(trade_id);
      CREATE INDEX orders_outcome ON orders(outcome);
      CREATE TABLE fills (
        venue TEXT NOT NULL,
        fill_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        price TEXT NOT NULL,
        size TEXT NOT NULL,
        fee TEXT NOT NULL,
        liquidity TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (venue, fill_id)
      );
      CREATE INDEX fills_order ON fills(client_id);
    `,
  },
  {
    version: 4,
    description: 'pair positions (long on one venue, short on another) and their lifecycle events; funding-carry judgments',
    sql: `
      CREATE TABLE pair_positions (
        id TEXT PRIMARY KEY,
        session_id TEXT,
        strategy TEXT NOT NULL,
        intent_id TEXT,
        instrument TEXT NOT NULL,
        -- simulated (dry-run, journal only) | live (positions on venues)
        mode TEXT NOT NULL,
        -- open | closing | closed
        state TEXT NOT NULL,
        size TEXT NOT NULL,
        long_venue TEXT NOT NULL,
        long_symbol TEXT NOT NULL,
        short_venue TEXT NOT NULL,
        short_symbol TEXT NOT NULL,
        long_entry_price TEXT NOT NULL,
        short_entry_price TEXT NOT NULL,
        -- (short - long) / long
        entry_spread TEXT NOT NULL,
        entry_fees TEXT NOT NULL,
        exit_fees TEXT NOT NULL,
        -- signed from our side: + received, - paid
        funding TEXT NOT NULL,
        expected_pnl TEXT NOT NULL,
        exit_policy_json TEXT NOT NULL,
        long_funding_to INTEGER NOT NULL,
        short_funding_to INTEGER NOT NULL,
        long_exit_price TEXT,
        short_exit_price TEXT,
        exit_spread TEXT,
        exit_reason TEXT,
        exit_detail TEXT,
        realized_pnl TEXT,
        opened_at INTEGER NOT NULL,
        closed_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX pair_positions_state ON pair_positions(state);
      CREATE TABLE pair_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        pair_id TEXT NOT NULL REFERENCES pair_positions(id),
        -- open | funding | closing | closed | reconciled
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        -- decimal strings only
        payload_json TEXT NOT NULL
      );
      CREATE INDEX pair_events_pair ON pair_events(pair_id, seq);
      CREATE TABLE funding_carry (
        intent_id TEXT PRIMARY KEY,
        session_id TEXT,
        instrument TEXT NOT NULL,
        long_venue TEXT NOT NULL,
        short_venue TEXT NOT NULL,
        long_rate TEXT NOT NULL,
        long_interval_hours REAL NOT NULL,
        short_rate TEXT NOT NULL,
        short_interval_hours REAL NOT NULL,
        notional TEXT NOT NULL,
        carry_apr TEXT NOT NULL,
        horizon_hours REAL NOT NULL,
        expected_carry TEXT NOT NULL,
        fees TEXT NOT NULL,
        spread_cost TEXT NOT NULL,
        net TEXT NOT NULL,
        net_apr TEXT NOT NULL,
        decision TEXT NOT NULL,
        judged_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    description: 'flash-loan cycle judgments (strategy:flash-loan)',
    sql: `
      CREATE TABLE flash_opportunities (
        id TEXT PRIMARY KEY,
        session_id TEXT,
        detected_at INTEGER NOT NULL,
        token TEXT NOT NULL,
        sell_pool TEXT NOT NULL,
        buy_pool TEXT NOT NULL,
        amount TEXT NOT NULL,
        token_back TEXT NOT NULL,
        lender_fee TEXT NOT NULL,
        gas_cost TEXT NOT NULL,
        on_chain_profit TEXT NOT NULL,
        net_profit TEXT NOT NULL,
        net_usd TEXT NOT NULL,
        reference_price TEXT NOT NULL,
        sell_pool_price TEXT NOT NULL,
        buy_pool_price TEXT NOT NULL,
        pool_spread TEXT NOT NULL,
        decision TEXT NOT NULL
      );
      CREATE INDEX flash_opportunities_time ON flash_opportunities(detected_at);
    `,
  },
  {
    version: 6,
    description: 'pair exits so far (a live pair may close over several IOC rounds)',
    sql: `
      -- net base size closing orders took off both legs, the long's sale proceeds and the
      -- short's buy-back cost over all of them (decimal strings)
      ALTER TABLE pair_positions ADD COLUMN exited_size TEXT NOT NULL DEFAULT '0';
      ALTER TABLE pair_positions ADD COLUMN exit_long_proceeds TEXT NOT NULL DEFAULT '0';
      ALTER TABLE pair_positions ADD COLUMN exit_short_cost TEXT NOT NULL DEFAULT '0';
    `,
  },
  {
    version: 7,
    description: 'order lookup keys beyond the client id, written before the send (Vest nonce, Lighter tx hash) and when the venue stops being able to execute it',
    sql: `
      -- JSON object of the gateway's SignedOrder.venueRef; NULL for venues that need none
      ALTER TABLE orders ADD COLUMN venue_ref TEXT;
      -- ms since epoch; past it the venue cannot execute the order (NULL: not known)
      ALTER TABLE orders ADD COLUMN executable_until INTEGER;
    `,
  },
  {
    // 9, not 8: 8 is left to the maker-taker quote rows being written beside this (versions apply one by one, gaps allowed)
    version: 9,
    description: 'engine id per session and per trade: several engines may share one PostgreSQL journal',
    sql: `
      -- journal.engineId of the engine that ran the session (NULL: before engine ids)
      ALTER TABLE sessions ADD COLUMN engine_id TEXT;
      -- the engine that opened the trade: restart recovery on a shared database takes only its own
      ALTER TABLE trades ADD COLUMN engine_id TEXT;
    `,
  },
  {
    // Appended after 9: versions apply one by one, so a journal already at 9 still gets 8.
    version: 8,
    description: 'maker-taker quote rows: placements, replaces, cancels (with reason), maker fills with markouts and the taker-taker price of the same fill, hedges',
    sql: `
      -- one row per decision, written before the order or cancel it describes goes out:
      -- place | replace (the cancel of a repriced quote) | cancel | refused (the venue refused the
      -- send) | ended-by-venue (rejected, or a post-only cancelled by the venue while resting)
      CREATE TABLE quote_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT,
        trade_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        instrument TEXT NOT NULL,
        maker_venue TEXT NOT NULL,
        maker_symbol TEXT NOT NULL,
        taker_venue TEXT NOT NULL,
        taker_symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        size TEXT NOT NULL,
        price TEXT NOT NULL,
        -- the hedge walk's price the quote was priced on (decimal string)
        hedge_price TEXT NOT NULL,
        edge TEXT NOT NULL,
        reason TEXT,
        at INTEGER NOT NULL
      );
      CREATE INDEX quote_events_time ON quote_events(at);
      -- one row per maker fill, written before its hedge is sent; mids filled in when sampled
      -- (NULL: not sampled, e.g. the session ended first, or the maker book was not tradable)
      CREATE TABLE maker_fills (
        venue TEXT NOT NULL,
        fill_id TEXT NOT NULL,
        session_id TEXT,
        trade_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        instrument TEXT NOT NULL,
        symbol TEXT NOT NULL,
        taker_venue TEXT NOT NULL,
        side TEXT NOT NULL,
        size TEXT NOT NULL,
        price TEXT NOT NULL,
        fee TEXT NOT NULL,
        expected_hedge_price TEXT NOT NULL,
        -- maker venue mid when the fill was learned, 1 s and 10 s later
        mid_at_fill TEXT,
        mid_1s TEXT,
        mid_10s TEXT,
        -- the same fill as taker-taker at that moment: both books walked for its size, taker fees of both venues
        tt_maker_price TEXT,
        tt_taker_price TEXT,
        tt_maker_fee_rate TEXT,
        tt_taker_fee_rate TEXT,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (venue, fill_id)
      );
      CREATE INDEX maker_fills_time ON maker_fills(seen_at);
      -- one row per hedge (or unwind) of a lot of maker fills
      CREATE TABLE maker_hedges (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT,
        trade_id TEXT NOT NULL,
        instrument TEXT NOT NULL,
        -- hedged | unwound | stopped-out | failed-unresolved
        outcome TEXT NOT NULL,
        -- the maker side the lot holds
        side TEXT NOT NULL,
        close_venue TEXT NOT NULL,
        size TEXT NOT NULL,
        closed_size TEXT NOT NULL,
        maker_notional TEXT NOT NULL,
        -- size-weighted hedge price the lot's quotes were priced on
        expected_hedge_price TEXT NOT NULL,
        close_size TEXT NOT NULL,
        close_notional TEXT NOT NULL,
        close_fees TEXT NOT NULL,
        -- cash of the closed part, both sides and their fees (NULL when nothing closed)
        net TEXT,
        -- the newest maker fill learned to the ack of the hedge order that filled (whole ms; NULL: none filled)
        latency_ms INTEGER,
        at INTEGER NOT NULL
      );
      CREATE INDEX maker_hedges_time ON maker_hedges(at);
    `,
  },
];
