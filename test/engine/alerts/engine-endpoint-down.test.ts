/**
 * The real engine in live mode on the loopback venue simulators, its alert endpoint hanging (a
 * server that accepts and never answers): trades go through as before, the kill switch still
 * stops trading, the alert is queued and given up on, and stopping does not wait on the endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachAlerts } from '../../../engine/alerts/attach.ts';
import { AlertsConfigSchema } from '../../../engine/alerts/config.ts';
import { EnvironmentSecrets } from '../../../engine/core/secrets.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { startLiveRig, type LiveRig } from '../../e2e/harness.ts';

let rig: LiveRig;
let hanging: Server;
let url: string;

beforeAll(async () => {
  hanging = createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  rig = await startLiveRig({ envPrefix: 'ALERTS_DOWN' });
}, 30_000);

afterAll(async () => {
  await rig?.close();
  hanging.closeAllConnections();
  await new Promise((r) => hanging.close(r));
});

describe('alerts with the endpoint down', () => {
  it('trades and the kill switch work as without alerts; notify never waits on the endpoint', async () => {
    process.env.ARB_TEST_ALERTS_DOWN_TOKEN = '77:hanging';
    const config = AlertsConfigSchema.parse({
      telegram: { botToken: { env: 'ARB_TEST_ALERTS_DOWN_TOKEN' }, chatId: 1, apiUrl: url },
      timeoutMs: 300,
      retry: { attempts: 2, minMs: 50, maxMs: 50 },
    });
    const alerts = attachAlerts(rig.engine, config, { logger: silentLogger, secrets: new EnvironmentSecrets() });
    // The venues are up: a venue-down alert now goes into the hanging endpoint's queue first.
    alerts.notifier.notify({ kind: 'venue-down', subject: 'probe', text: 'probe' });
    for (let i = 0; i < 2; i++) {
      const r = await rig.trade(rig.judgment('paradex', 'vest', '0.001'));
      expect(r?.state, rig.lastDenial).toBe('completed');
    }
    const t0 = performance.now();
    rig.live.killSwitch.trip('alerts test');
    expect(performance.now() - t0).toBeLessThan(50);
    expect(await rig.trade(rig.judgment('paradex', 'vest', '0.001'))).toBeUndefined();
    expect(rig.lastDenial).toContain('alerts test');
    expect(alerts.notifier.counts.queued).toBe(2);
    const s0 = Date.now();
    await alerts.stop();
    expect(Date.now() - s0).toBeLessThan(3000);
    expect(alerts.notifier.counts.sent).toBe(0);
  }, 30_000);
});
