/**
 * Issue 13, "Done means": a fourth venue added from a folder of its own, with no file of the
 * engine changed. The test writes the Kappa plugin (./kappa/: manifest with its VenueSpec,
 * connector, order gateway) into a temporary project outside the repository, with the engine
 * installed there the way a plugin author would (`node_modules/perp-arb-engine` linked, as
 * `npm link` does), starts Kappa's loopback venue (./loopback-venue.ts, not our simulators),
 * and runs `arb run --live` with the cross-exchange strategy between Kappa and the built-in
 * Paradex simulator. Kappa quotes 1% under Paradex, so the engine must buy there and sell on
 * Paradex: the journal shows a completed trade with both legs confirmed and filled, and the
 * orders reached Kappa with the key the config's secret ref named.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KappaVenue } from './loopback-venue.ts';

const ROOT = process.cwd();
const ARB = join(ROOT, 'bin', 'arb.js');
const HERE = join(ROOT, 'test', 'fourth-venue');

let project: string;
let kappa: KappaVenue;
const apiKey = randomBytes(16).toString('hex');

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'kappa-project-'));
  cpSync(join(HERE, 'kappa'), join(project, 'kappa'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'kappa-project', private: true, type: 'module' }));
  // The project's own dependencies, installed as npm would: the engine and what the plugin imports.
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules', 'perp-arb-engine'), 'dir');
  for (const dep of ['ws', 'decimal.js']) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
  kappa = await new KappaVenue({ apiKey, markets: { 'BTC-USDC': { tick: '0.5', step: '0.001' } } }).start();
  // The Paradex simulator starts BTC at 65 000 (simulators/instruments.ts) and drifts ~0.04% in
  // the run: Kappa's ask sits ~1% under it, far past the 0.15% threshold after both fees.
  kappa.setQuote('BTC-USDC', { bid: '64250', ask: '64300', size: '1' });
});

afterAll(async () => {
  await kappa?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

function config(): string {
  return `mode: live
plugins: [./kappa/index.ts, exchange:paradex, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, kappa: BTC-USDC }
venues:
  paradex:
    credentials: { privateKey: { env: KAPPA_TEST_PARADEX_KEY } }
  kappa:
    restUrl: ${kappa.restUrl}
    wsUrl: ${kappa.wsUrl}
    credentials: { apiKey: { env: KAPPA_TEST_API_KEY } }
strategies:
  # Re-judged every second: a judgment made before the start-up reconcile ends is refused by the gate.
  cross-exchange: { thresholdPct: 0.15, size: { BTC-USD-PERP: "0.01" }, cooldownMs: 1000 }
risk:
  maxNotionalPerTradeUsd: "1000"
  maxNotionalPerVenueUsd: "20000"
  maxPositionPerInstrument: { "*": "1" }
  killSwitch: { file: ${join(project, 'KILL')} }
journal: { path: ${join(project, 'journal.sqlite')} }
simulators: { enabled: true, seed: 7, dislocationProbability: 0 }
logLevel: warn
`;
}

/** `arb run` in the project, asynchronously: Kappa answers from this process while it runs. */
function arbRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ARB, 'run', ...args], { cwd: project, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, err });
    });
  });
}

describe('a fourth venue from a folder of its own', () => {
  it('trades a spread between Kappa (its own loopback venue) and the Paradex simulator, live, both legs journaled', async () => {
    writeFileSync(join(project, 'config.yaml'), config());
    const r = await arbRun(['--config', 'config.yaml', '--live', '--yes', '--duration', '8'], { KAPPA_TEST_API_KEY: apiKey });
    const tail = `\n--- stdout ---\n${r.out.slice(-3000)}\n--- stderr ---\n${r.err.slice(-3000)}`;
    expect(r.status, tail).toBe(0);
    // Kappa's spec gave the gas and the fees: nothing in the config names them.
    expect(r.out, tail).not.toContain('no gas cost configured');
    expect(r.err, tail).not.toMatch(/MissingFeeModel|no fee model/);

    // Orders reached Kappa, with the key the secret ref named, and Kappa filled a buy.
    const orders = kappa.received.map((o) => o.body);
    expect(orders.length, tail).toBeGreaterThan(0);
    expect(kappa.received.every((o) => o.key === apiKey)).toBe(true);
    expect(orders[0]).toMatchObject({ symbol: 'BTC-USDC', side: 'buy', size: '0.01', tif: 'IOC' });
    const net = orders.reduce((n, o) => n + (o['side'] === 'buy' ? 1 : -1), 0);
    expect(kappa.positions.get('BTC-USDC')?.toString()).toBe(new Decimal('0.01').mul(net).toString());

    // The journal: a completed trade, bought on Kappa and sold on Paradex, both legs confirmed with fills.
    const journal = readdirSync(project).find((f) => /^journal-.*\.sqlite$/.test(f));
    expect(journal, `journal files: ${readdirSync(project).join(', ')}`).toBeDefined();
    const db = new Database(join(project, journal!), { readonly: true });
    try {
      const trades = db.prepare("SELECT * FROM trades WHERE state = 'completed'").all() as Array<Record<string, unknown>>;
      expect(trades.length, tail).toBeGreaterThan(0);
      const t = trades[0]!;
      expect(t).toMatchObject({ instrument: 'BTC-USD-PERP', buy_venue: 'kappa', buy_symbol: 'BTC-USDC', sell_venue: 'paradex', sell_symbol: 'BTC-USD-PERP', size: '0.01' });
      const legs = db.prepare('SELECT venue, side, outcome, client_id FROM orders WHERE trade_id = ? ORDER BY venue').all(t['id']) as Array<Record<string, unknown>>;
      expect(legs.map((l) => [l['venue'], l['side'], l['outcome']])).toEqual([
        ['kappa', 'buy', 'confirmed'],
        ['paradex', 'sell', 'confirmed'],
      ]);
      for (const leg of legs) {
        const fills = db.prepare('SELECT size FROM fills WHERE client_id = ?').all(leg['client_id']) as Array<{ size: string }>;
        expect(fills.map((f) => f.size), String(leg['venue'])).toEqual(['0.01']);
      }
      // The Kappa leg's client id is the one Kappa saw.
      const kappaLeg = legs.find((l) => l['venue'] === 'kappa')!;
      expect(orders.map((o) => o['clientId'])).toContain(kappaLeg['client_id']);
    } finally {
      db.close();
    }
  }, 90_000);
});
