/** `arb run` with an alerts: section: the notifier is attached and tells the webhook the engine stopped, with its summary. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../engine/cli/run-command.ts';
import { startBotApiServer } from './bot-api-server.ts';

describe('arb run with alerts: and instruments: { auto }', () => {
  it('prints the discovered instruments once, attaches the notifier and sends the stop summary to the webhook', async () => {
    const server = await startBotApiServer('unused');
    const dir = mkdtempSync(join(tmpdir(), 'arb-alerts-run-'));
    const config = join(dir, 'c.yaml');
    writeFileSync(
      config,
      `mode: dry-run
plugins: [exchange:paradex, exchange:vest, fee-model:table, strategy:cross-exchange]
instruments:
  auto: { exclude: [SOL] }
strategies:
  cross-exchange: { thresholdPct: 0.15, notionalUsd: 1000, cooldownMs: 500 }
journal: { path: ${join(dir, 'journal.sqlite')} }
simulators: { enabled: true, seed: 3, updateIntervalMs: 50, dislocationProbability: 0.2 }
alerts:
  webhook: { url: ${server.url}/hook, format: slack }
  dailySummaryUtc: false
`,
    );
    const lines: string[] = [];
    try {
      await runCommand({ config, duration: 1.5, quiet: true }, (l) => lines.push(l));
    } finally {
      await server.close();
    }
    expect(lines.filter((l) => l.startsWith('Instruments (auto)'))).toEqual(['Instruments (auto): 2 shared perpetual(s) discovered']);
    expect(lines).toContain('  ETH-USD-PERP: paradex ETH-USD-PERP, vest ETH-PERP');
    expect(lines).toContain('Alerts: webhook (slack), 9 event kinds.');
    expect(server.hooks).toHaveLength(1);
    expect(String(server.hooks[0]!.text)).toMatch(/^\[arb dry-run\] ENGINE STOPPED\. DAILY SUMMARY [\s\S]*judged \d+, accepted \d+/);
  }, 30_000);
});

describe('arb run with an unreadable alert secret', () => {
  it('stops before the live prompt and before any simulator, naming the field and the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-alerts-secret-'));
    const config = join(dir, 'c.yaml');
    writeFileSync(
      config,
      `mode: live
plugins: [exchange:paradex, exchange:vest, fee-model:table, strategy:cross-exchange]
instruments:
  BTC-USD-PERP: { paradex: BTC-USD-PERP, vest: BTC-PERP }
strategies:
  cross-exchange: { thresholdPct: 0.15, notionalUsd: 1000 }
journal: { path: ${join(dir, 'journal.sqlite')} }
simulators: { enabled: true }
alerts:
  telegram: { botToken: { env: ARB_TEST_SURELY_UNSET_BOT_TOKEN }, chatId: 1 }
`,
    );
    const lines: string[] = [];
    let asked = false;
    await expect(
      runCommand({ config, live: true }, (l) => lines.push(l), async () => {
        asked = true;
        return 'no';
      }),
    ).rejects.toThrow(/alerts\.telegram\.botToken: environment variable ARB_TEST_SURELY_UNSET_BOT_TOKEN is not set/);
    expect(asked).toBe(false);
    expect(lines.some((l) => l.startsWith('Venue simulators listening'))).toBe(false);
  });
});
