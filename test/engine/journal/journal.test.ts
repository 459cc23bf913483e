import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Journal, migrate } from '../../../engine/journal/journal.ts';
import { MIGRATIONS } from '../../../engine/journal/migrations.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';

const D = (v: string) => new Decimal(v);

function judgment(id: string, net: string): Judgment {
  const leg = (venue: string, side: 'buy' | 'sell') => ({
    venue, symbol: venue.toUpperCase(), side, topPrice: D('100'), expectedPrice: D('100.01'), worstPrice: D('100.02'), bookReceivedAt: 1, bookVenueTime: 1,
  });
  return {
    intent: { id, strategy: 'cross-exchange', instrument: 'BTC-USD-PERP', size: D('0.123456789'), buy: leg('vest', 'buy'), sell: leg('paradex', 'sell'), spread: D('0.0025'), executableSpread: D('0.0024'), detectedAt: 5 },
    notional: D('12.3456789'),
    gross: D('0.0308641975'),
    costs: { trading: D('0.01'), gas: D('0.15'), slippage: D('0.001'), close: D('0'), total: D('0.161') },
    net: D(net),
    profitable: D(net).gt(0),
    desync: { level: 'Medium', maxAgeMs: 1200, gapMs: 30 },
    decision: D(net).gt(0) ? 'accept' : 'reject-unprofitable',
    flagged: true,
    judgedAt: 6,
  };
}

describe('journal', () => {
  it('creates the database on first run and keeps exact decimals', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'arb-journal-')), 'nested', 'j.sqlite');
    const j = new Journal({ path, flushIntervalMs: 10_000 });
    j.startSession('s1', 'dry-run', '{}', 1);
    j.recordOpportunity(judgment('o1', '-0.130135802500000000001'));
    j.recordOpportunity(judgment('o2', '1.45'));
    j.close(99);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT id, net, size, decision, desync_level FROM opportunities ORDER BY id').all() as Record<string, unknown>[];
    expect(rows).toEqual([
      { id: 'o1', net: '-0.130135802500000000001', size: '0.123456789', decision: 'reject-unprofitable', desync_level: 'Medium' },
      { id: 'o2', net: '1.45', size: '0.123456789', decision: 'accept', desync_level: 'Medium' },
    ]);
    expect(db.prepare('SELECT ended_at FROM sessions').get()).toEqual({ ended_at: 99 });
    db.close();
  });

  it('queues writes and flushes them in a batch', () => {
    const j = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
    j.startSession('s', 'dry-run', '{}', 1);
    for (let i = 0; i < 500; i++) j.recordOpportunity(judgment('o' + i, '1'));
    const count = () => (j.db.prepare('SELECT COUNT(*) AS n FROM opportunities').get() as { n: number }).n;
    expect(count()).toBe(0); // nothing written on the hot path
    j.flush();
    expect(count()).toBe(500);
    j.close(2);
  });

  it('applies a migration that landed after a higher version was already applied', () => {
    const db = new Database(':memory:');
    migrate(db);
    const skipped = MIGRATIONS[1]!; // pretend this one shipped late
    db.prepare('DELETE FROM schema_version WHERE version = ?').run(skipped.version);
    for (const t of (skipped.sql.match(/CREATE TABLE (\w+)/g) ?? []).map((x) => x.split(' ')[2])) db.exec(`DROP TABLE ${t}`);
    for (const i of (skipped.sql.match(/CREATE (UNIQUE )?INDEX (\w+)/g) ?? []).map((x) => x.split(' ').at(-1))) db.exec(`DROP INDEX IF EXISTS ${i}`);
    migrate(db);
    const versions = (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  });

  it('migrations are idempotent and record the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(migrate(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
  });
});
