/**
 * As a user runs it: two `arb run` processes (dry-run on their own venue simulators) journal to
 * one PostgreSQL database at the same time, each with its engine id and the URL from an
 * environment variable; then `arb report --journal postgres://...` reports both. The password
 * appears in no output of any of the three commands.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresForTests } from '../../helpers/postgres-server.ts';

const ARB = join(process.cwd(), 'bin', 'arb.js');
const pgTest = await postgresForTests('postgres-run.test.ts');
afterAll(() => pgTest.server?.stop());

function config(dir: string, engineId: string): string {
  const path = join(dir, `${engineId}.yaml`);
  writeFileSync(
    path,
    `mode: dry-run
plugins: [exchange:paradex, exchange:vest, exchange:lighter, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, vest: BTC-PERP, lighter: 1 }
  ETH-USD-PERP: { paradex: ETH-USD-PERP, vest: ETH-PERP, lighter: 0 }
strategies:
  cross-exchange: { thresholdPct: 0.15, notionalUsd: 1000, cooldownMs: 500 }
journal: { url: { env: ARB_JOURNAL_URL }, engineId: ${engineId} }
simulators: { enabled: true, seed: ${engineId === 'eu-1' ? 3 : 4}, updateIntervalMs: 50, dislocationProbability: 0.2 }
console: { summaryEverySec: 1 }
`,
  );
  return path;
}

function arb(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ARB, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, cwd: mkdtempSync(join(tmpdir(), 'arb-pgrun-cwd-')) });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe.skipIf(!pgTest.server)('two `arb run` engines on one PostgreSQL journal, one `arb report`', () => {
  it('both journal their sessions and judgments; the report covers both and names each engine', async () => {
    const url = await pgTest.freshUrl();
    const dir = mkdtempSync(join(tmpdir(), 'arb-pgrun-'));
    const env = { ARB_JOURNAL_URL: url };
    const [eu, us] = await Promise.all([
      arb(['run', '--config', config(dir, 'eu-1'), '--duration', '6', '--quiet'], env),
      arb(['run', '--config', config(dir, 'us-1'), '--duration', '6', '--quiet'], env),
    ]);
    expect(eu.code, eu.out).toBe(0);
    expect(us.code, us.out).toBe(0);
    expect(eu.out).toContain('journal: PostgreSQL $ARB_JOURNAL_URL (engine eu-1)');
    expect(us.out).toContain('journal: PostgreSQL $ARB_JOURNAL_URL (engine us-1)');

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const counted = (
      await c.query<{ engine_id: string; n: string; ended: boolean }>(
        'SELECT s.engine_id, COUNT(o.id) AS n, bool_and(s.ended_at IS NOT NULL) AS ended FROM sessions s LEFT JOIN opportunities o ON o.session_id = s.id GROUP BY s.engine_id ORDER BY s.engine_id',
      )
    ).rows;
    // Intent ids are unique keys in the shared tables: each engine's carry its engine id, so two
    // engines judging at the same millisecond cannot collide (one would skip the other's trade).
    const ids = (await c.query<{ engine_id: string; id: string }>('SELECT s.engine_id, o.id FROM opportunities o JOIN sessions s ON o.session_id = s.id')).rows;
    await c.end();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((r) => !r.id.startsWith(`${r.engine_id}/xex-`))).toEqual([]);
    expect(counted.map((r) => [r.engine_id, r.ended])).toEqual([['eu-1', true], ['us-1', true]]);
    const judged = counted.reduce((sum, r) => sum + Number(r.n), 0);
    expect(judged).toBeGreaterThan(0);
    // Each engine's summary printed its own count; the database holds both.
    const printed = (o: string) => Number(/opportunities judged: (\d+)/.exec(o)![1]);
    expect(counted.map((r) => Number(r.n))).toEqual([printed(eu.out), printed(us.out)]);

    const report = await arb(['report', '--journal', url, '--quiet', '--out', join(dir, 'r.html')], {});
    expect(report.code, report.out).toBe(0);
    expect(report.out).toContain('(2 session(s) in journal)');
    expect(report.out).toContain(`judged ${judged}:`);
    expect(report.out).toMatch(/engines: (eu-1 \(1 session\), us-1 \(1 session\)|us-1 \(1 session\), eu-1 \(1 session\))/);
    for (const o of [eu.out, us.out, report.out]) expect(o).not.toContain(pgTest.server!.password);
  }, 90_000);
});
