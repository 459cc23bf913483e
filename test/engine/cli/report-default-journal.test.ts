/**
 * `arb report` without --journal: `npm start` then `npx arb report` is the first thing a new user
 * types, and the demo journals to data/demo-journal.sqlite, not data/journal.sqlite.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultJournal, reportCommand } from '../../../engine/cli/report-command.ts';
import { Journal } from '../../../engine/journal/journal.ts';

function journalAt(path: string, at: Date): void {
  const j = new Journal({ path, flushIntervalMs: 60_000 });
  j.startSession(`s-${at.getTime()}`, 'dry-run', '{}', at.getTime());
  j.db.close();
  utimesSync(path, at, at);
}

describe('arb report without --journal', () => {
  it('reads the most recently written journal under data/, even when data/journal.sqlite exists, and says which', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-report-'));
    const preferred = join(dir, 'journal.sqlite');
    journalAt(preferred, new Date(2026, 0, 1));
    journalAt(join(dir, 'demo-journal.sqlite'), new Date(2026, 0, 3));
    mkdirSync(join(dir, 'replays'));
    journalAt(join(dir, 'replays', 'what-if.sqlite'), new Date(2026, 0, 2));
    const lines: string[] = [];
    expect(defaultJournal((l) => lines.push(l), preferred)).toBe(join(dir, 'demo-journal.sqlite'));
    expect(lines).toEqual([`No --journal given: reading the most recently written journal under ${dir}/, ${join(dir, 'demo-journal.sqlite')}.`]);
  });

  it('counts the -wal a running engine appends to, looks into sub-folders, and passes over .sqlite files that are not journals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-report-'));
    const preferred = join(dir, 'journal.sqlite');
    journalAt(join(dir, 'demo-journal.sqlite'), new Date(2026, 0, 3));
    journalAt(join(dir, 'live.sqlite'), new Date(2026, 0, 1));
    writeFileSync(join(dir, 'live.sqlite-wal'), '');
    utimesSync(join(dir, 'live.sqlite-wal'), new Date(2026, 0, 5), new Date(2026, 0, 5));
    writeFileSync(join(dir, 'not-a-journal.sqlite'), '');
    expect(defaultJournal(() => {}, preferred)).toBe(join(dir, 'live.sqlite'));
    mkdirSync(join(dir, 'replays'));
    journalAt(join(dir, 'replays', 'what-if.sqlite'), new Date(2026, 0, 6));
    expect(defaultJournal(() => {}, preferred)).toBe(join(dir, 'replays', 'what-if.sqlite'));
  });

  it('with no journal at all, falls back to data/journal.sqlite (whose absence the reader then names)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-report-'));
    writeFileSync(join(dir, 'not-a-journal.sqlite'), '');
    expect(defaultJournal(() => {}, join(dir, 'journal.sqlite'))).toBe(join(dir, 'journal.sqlite'));
    expect(defaultJournal(() => {}, join(dir, 'absent', 'journal.sqlite'))).toBe(join(dir, 'absent', 'journal.sqlite'));
  });

  it('the report then reads that journal end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-report-'));
    const lines: string[] = [];
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      mkdirSync('data');
      journalAt(join('data', 'demo-journal.sqlite'), new Date(2026, 0, 3));
      await reportCommand({ quiet: true }, (l) => lines.push(l));
    } finally {
      process.chdir(cwd);
    }
    expect(lines[0]).toContain(join('data', 'demo-journal.sqlite'));
  });
});
