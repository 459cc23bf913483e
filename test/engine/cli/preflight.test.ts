/**
 * Config and credentials are checked completely before any prompt, simulator or socket starts,
 * and every error path ends the process (issue 16, items 1, 3 and 4).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../engine/core/config.ts';
import { createLogger } from '../../../engine/core/logger.ts';
import { preflight } from '../../../engine/core/preflight.ts';
import { EnvironmentSecrets, expandHome } from '../../../engine/core/secrets.ts';
import { formatLivePlan } from '../../../engine/cli/live-plan.ts';
import { runCommand } from '../../../engine/cli/run-command.ts';

const ARB = join(process.cwd(), 'bin', 'arb.js');
const quiet = createLogger({ level: 'silent' });

function writeConfig(dir: string, body: string): string {
  const path = join(dir, 'cfg.yaml');
  writeFileSync(path, body);
  return path;
}

const DEMO_WITH_BAD_THRESHOLD = `mode: dry-run
plugins: [exchange:paradex, exchange:vest, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, vest: BTC-PERP }
strategies:
  cross-exchange: { thresholdPct: abc }
simulators: { enabled: true }
`;

describe('preflight', () => {
  it('a strategy config error with the simulators on exits 1 at once (it used to hang with the simulators listening)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-preflight-'));
    const started = Date.now();
    const r = spawnSync(process.execPath, [ARB, 'run', '--config', writeConfig(dir, DEMO_WITH_BAD_THRESHOLD), '--duration', '60'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.signal, 'the process had to be killed: it did not exit on its own').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('strategies.cross-exchange.thresholdPct');
    expect(r.stdout).not.toContain('Venue simulators listening');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a live run on real venues reports a missing key env var before asking for "yes"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-preflight-'));
    const path = writeConfig(
      dir,
      `mode: live
plugins: [exchange:paradex, exchange:vest, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, vest: BTC-PERP }
venues:
  paradex:
    credentials: { account: "0x1234", privateKey: { env: ARB_TEST_SURELY_UNSET_KEY } }
`,
    );
    let asked = false;
    await expect(
      runCommand({ config: path, live: true }, () => undefined, async () => {
        asked = true;
        return 'yes';
      }),
    ).rejects.toThrow(/venues\.paradex\.credentials\.privateKey: environment variable ARB_TEST_SURELY_UNSET_KEY is not set/);
    expect(asked).toBe(false);
  });

  it('does not read the config secrets when the simulators provide the credentials', async () => {
    const config = parseConfig({
      mode: 'live',
      plugins: ['exchange:paradex', 'fee-model:table'],
      instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP' } },
      venues: { paradex: { credentials: { account: '0x1', privateKey: { env: 'ARB_TEST_SURELY_UNSET_KEY' } } } },
      simulators: { enabled: true },
    });
    await expect(preflight({ config, baseDir: '.', live: true, logger: quiet, simulatedVenues: new Set(['paradex']) })).resolves.toBeDefined();
    await expect(preflight({ config, baseDir: '.', live: true, logger: quiet })).rejects.toThrow(/ARB_TEST_SURELY_UNSET_KEY/);
    // A venue with no simulator of its own trades against its config URLs: its credentials are checked.
    await expect(preflight({ config, baseDir: '.', live: true, logger: quiet, simulatedVenues: new Set(['vest']) })).rejects.toThrow(/venues\.paradex\.credentials\.privateKey: environment variable ARB_TEST_SURELY_UNSET_KEY/);
  });

  it('passes the built-in live demo, whose partial credentials the simulators complete at start', async () => {
    const { DEMO_LIVE_CONFIG } = await import('../../../engine/cli/run-command.ts');
    const { loadConfigFile } = await import('../../../engine/core/config.ts');
    const config = loadConfigFile(DEMO_LIVE_CONFIG);
    await expect(preflight({ config, baseDir: '.', live: true, logger: quiet, simulatedVenues: new Set(['paradex', 'vest', 'lighter']) })).resolves.toBeDefined();
  });

  it('names an instrument venue no plugin provides', async () => {
    const config = parseConfig({
      plugins: ['exchange:paradex', 'fee-model:table'],
      instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', nowhere: 'BTC' } },
    });
    await expect(preflight({ config, baseDir: '.', live: false, logger: quiet })).rejects.toThrow(/instruments\.BTC-USD-PERP\.nowhere/);
  });
});

describe('key files', () => {
  it('~/ in a { file } reference is the home directory, as the README writes it', () => {
    expect(expandHome('~/.keys/vest-signing', '/home/trader')).toBe('/home/trader/.keys/vest-signing');
    expect(expandHome('/abs/key', '/home/trader')).toBe('/abs/key');
    expect(expandHome('rel/~/key', '/home/trader')).toBe('rel/~/key');
  });

  it('EnvironmentSecrets reads a ~/ key file', () => {
    const home = mkdtempSync(join(tmpdir(), 'arb-home-'));
    writeFileSync(join(home, 'k'), '0xabc123\n');
    const prev = process.env['HOME'];
    process.env['HOME'] = home;
    try {
      expect(new EnvironmentSecrets().read({ file: '~/k' }, 'venues.vest.credentials.signingKey')).toBe('0xabc123');
    } finally {
      process.env['HOME'] = prev;
    }
  });
});

describe('the live confirmation screen', () => {
  it('on the simulators it says no real money, lists loaded strategies without options, and the stamped journal', () => {
    const config = parseConfig({
      mode: 'live',
      plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table', 'strategy:cross-exchange'],
      instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } },
      journal: { path: 'data/j.sqlite' },
      simulators: { enabled: true },
    });
    const text = formatLivePlan(config).join('\n');
    expect(text).toContain('no real money');
    expect(text).not.toContain('real orders with real money');
    expect(text).toMatch(/Strategy: +cross-exchange \(default options\)/);
    expect(text).toContain('data/j-<start time>.sqlite');
  });

  it('on real venues it says real money', () => {
    const config = parseConfig({
      mode: 'live',
      plugins: ['exchange:paradex', 'fee-model:table'],
      instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP' } },
    });
    const text = formatLivePlan(config).join('\n');
    expect(text).toContain('real orders with real money');
    expect(text).toMatch(/Strategy: +none in plugins/);
  });
});

describe('log lines for people', () => {
  it('a warning reads as one line naming who said it, with its fields, and no JSON braces', async () => {
    const { humanLine } = await import('../../../engine/core/logger.ts');
    const line = humanLine(
      JSON.stringify({ level: 40, time: Date.UTC(2026, 11, 2, 17, 34, 40), component: 'live-trading', venue: 'lighter', clientId: 'c-1', error: 'no answer within 3000 ms', msg: 'order outcome unknown: reconciling by client id' }),
    );
    expect(line).toBe('17:34:40 WARN  lighter live-trading: order outcome unknown: reconciling by client id (clientId=c-1, error=no answer within 3000 ms)\n');
    expect(humanLine('not json\n')).toBe('not json\n');
  });

  it('createLogger human format scrubs secrets before formatting', async () => {
    const { createLogger, registerSecret } = await import('../../../engine/core/logger.ts');
    registerSecret('0xdeadbeefcafe1234');
    const lines: string[] = [];
    createLogger({ format: 'human', destination: { write: (l: string) => void lines.push(l) } }).warn('leak?', { key: '0xdeadbeefcafe1234' });
    expect(lines.join('')).toContain('key=[REDACTED]');
    expect(lines.join('')).not.toContain('deadbeef');
  });
});

describe('npm start -- --live (the live demo on the simulators)', () => {
  it('starts, trades, and exits by itself at --duration (a private stream left reconnecting kept it alive)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-live-demo-'));
    const r = spawnSync(process.execPath, [ARB, 'run', '--live', '--yes', '--duration', '6'], { cwd: dir, encoding: 'utf8', timeout: 45_000 });
    expect(r.signal, `killed: it did not exit on its own\n${r.stdout.slice(-2000)}`).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('LIVE TRADING ON THE LOOPBACK SIMULATORS');
    expect(r.stdout).toContain('── Session summary ──');
  }, 60_000);
});
