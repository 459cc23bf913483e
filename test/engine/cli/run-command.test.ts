/**
 * The main job end to end, as a user runs it: `arb run` as a child process on the loopback
 * venue simulators, stopped by Ctrl-C (SIGINT), with the journal checked afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const ARB = join(process.cwd(), 'bin', 'arb.js');

function demoConfig(dir: string): string {
  const path = join(dir, 'demo.yaml');
  writeFileSync(
    path,
    `mode: dry-run
plugins: [exchange:paradex, exchange:vest, exchange:lighter, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, vest: BTC-PERP, lighter: 1 }
  ETH-USD-PERP: { paradex: ETH-USD-PERP, vest: ETH-PERP, lighter: 0 }
strategies:
  cross-exchange: { thresholdPct: 0.15, notionalUsd: 1000, cooldownMs: 500 }
journal: { path: ${join(dir, 'journal.sqlite')} }
simulators: { enabled: true, seed: 3, updateIntervalMs: 50, dislocationProbability: 0.2 }
console: { summaryEverySec: 1 }
`,
  );
  return path;
}

describe('arb run (dry-run on the venue simulators)', () => {
  it('prints judged opportunities in the documented format, stops cleanly on SIGINT, and journals them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-run-'));
    const child = spawn(process.execPath, [ARB, 'run', '--config', demoConfig(dir)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline && !/\[SIMULATION\][\s\S]*\[summary/.test(out)) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(err).not.toMatch(/Error|error:/);
    expect(code).toBe(0);
    const line = /\[SIMULATION\] (✅|❌|⏭️) (BTC|ETH)-USD-PERP \| Spread: \d+\.\d\d% \| (paradex|vest|lighter) → (paradex|vest|lighter) \| Net profit: -?\$\d+\.\d\d \| Desync risk: (Low|Medium|High)/;
    expect(out).toMatch(line);
    expect(out).toMatch(/ {2}└─ Details: Gross=\$\d+\.\d\d \| Costs=\$\d+\.\d\d \(trading: \$\d+\.\d\d, gas: \$\d+\.\d\d, slippage: \$\d+\.\d\d(, close: \$\d+\.\d\d)?\)/);
    expect(out).toMatch(/\[summary .*books live \d\/6/);
    expect(out).toContain('── Session summary ──');
    const printed = out.match(/\[SIMULATION\] (✅|❌|⏭️)/g)!.length; // pair-close lines are not judgments
    const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM opportunities').get() as { n: number }).n;
    const session = db.prepare('SELECT mode, ended_at FROM sessions').get() as { mode: string; ended_at: number | null };
    db.close();
    expect(rows).toBe(printed); // nothing judged is lost: every printed line is in the journal
    expect(session.mode).toBe('dry-run');
    expect(session.ended_at).not.toBeNull();
  }, 40_000);

  it('explains every command and option in --help', () => {
    const top = spawnSync(process.execPath, [ARB, '--help'], { encoding: 'utf8' });
    expect(top.stdout).toMatch(/run \[options\]/);
    const run = spawnSync(process.execPath, [ARB, 'run', '--help'], { encoding: 'utf8' });
    for (const opt of ['--config', '--live', '--yes', '--duration', '--quiet']) expect(run.stdout).toContain(opt);
  });

  it('refuses a bad config with the field path and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-run-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'mode: yolo\nplugins: [exchange:paradex]\ninstruments: { X: { paradex: X } }\n');
    const r = spawnSync(process.execPath, [ARB, 'run', '--config', path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml[\s\S]*mode: .*"yolo"/);
  });
});
