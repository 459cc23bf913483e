import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pairLifecycleSummary } from '../../../engine/portfolio/lifecycle-summary.ts';
import { T0, writeFixtureJournal } from '../report/fixture.ts';

describe('pairLifecycleSummary scope', () => {
  const db = new Database(writeFixtureJournal(mkdtempSync(join(tmpdir(), 'arb-lifecycle-'))), { readonly: true });

  it('by session id (the run summary), by opening time (the report), or both', () => {
    expect(pairLifecycleSummary(db).pairs).toHaveLength(4);
    expect(pairLifecycleSummary(db, 's-fixture').pairs).toHaveLength(4);
    expect(pairLifecycleSummary(db, 'another-session').pairs).toHaveLength(0);
    const since = pairLifecycleSummary(db, { openedSince: T0 + 3_600_000 });
    expect(since.pairs.map((p) => p.id)).toEqual(['pC-live-funding', 'pD-sim-open']);
    expect(pairLifecycleSummary(db, { sessionId: 'another-session', openedSince: 0 }).pairs).toHaveLength(0);
  });

  it('counts open and closed per mode', () => {
    const s = pairLifecycleSummary(db);
    expect(s.byMode).toEqual({ simulated: { open: 1, closed: 2 }, live: { open: 0, closed: 1 } });
    expect([s.open, s.closed]).toEqual([1, 3]);
  });
});
