/**
 * Unknown outcomes end to end: a venue that stalls mid-trade (the order is unresolved, the
 * instrument quarantined, then reconciled from the venue's own status before it trades again),
 * and an engine abandoned with an order in flight, replaced by a new engine over the same journal
 * file that reconciles with the venues and does not trade the same intent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { startLiveRig, until } from './harness.ts';
import { capturedLogLines, generatedSecrets, linesWithSecrets } from './harness.ts';

let sims: VenueSimulators;

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 23, updateIntervalMs: 0, dislocationProbability: 0 });
});

afterAll(async () => {
  await sims?.stop();
});

afterAll(() => {
  // Key-leak check over every log line this file's engines wrote (debug level, so the most there is).
  expect(generatedSecrets.length).toBeGreaterThanOrEqual(4);
  expect(capturedLogLines.length).toBeGreaterThan(0);
  expect(linesWithSecrets()).toEqual([]);
});

describe('unknown outcomes', () => {
  it('a venue stalls mid-trade: leg 2 unresolved, instrument quarantined, reconciled from venue status before it trades again', async () => {
    const rig = await startLiveRig({ sims, envPrefix: 'E2E_STALL', execution: { ackTimeoutMs: 600, reconcileTimeoutMs: 700, requarantineCheckMs: 100 } });
    try {
      // Timing: the stall (4 s) outlasts ack timeout + reconcile window (0.6 + 0.7 s, each status poll
      // bounded by the ack timeout) by a wide margin, so a loaded CI machine still sees the order unresolved;
      // it ends inside Paradex's 5 s recv_window, so the venue still takes the order when it thaws.
      // Warm the Paradex gateway (markets, chain id, JWT) so the stall hits only the order.
      expect((await rig.trade(rig.judgment('lighter', 'paradex', '0.01')))?.state).toBe('completed');
      const lighter0 = rig.position('lighter');
      const paradex0 = rig.position('paradex');
      const j = rig.judgment('lighter', 'paradex', '0.01');
      // Paradex goes silent (orders, status, everything): leg 1 on Lighter fills, leg 2 meets a venue that says nothing.
      // Paradex needs no call before leg 2: its signer, markets and JWT are warm.
      sims.faults.stall('paradex', 4000);
      const r = await rig.trade(j);
      expect(r?.state).toBe('failed-unresolved');
      const leg2 = () => rig.rows("SELECT outcome, venue_status, filled_size FROM orders WHERE trade_id = ? AND role = 'leg2'", r!.tradeId)[0]!;
      expect(leg2()['outcome']).toBe('unresolved');
      // Quarantined: the gate refuses the instrument while the order is unknown.
      const denied = rig.live.gate.denied.get('instrument-busy') ?? 0;
      expect(await rig.trade(rig.judgment('lighter', 'paradex', '0.01'))).toBeUndefined();
      expect(rig.live.gate.denied.get('instrument-busy')).toBe(denied + 1);
      // The stall ends; the periodic re-reconcile asks Paradex and learns the order's real fate.
      await until(() => !rig.live.locks.isBusy('BTC-USD-PERP') && !rig.live.gate.halted, 20000, 'quarantine lifted');
      expect(leg2()).toEqual({ outcome: 'confirmed', venue_status: 'filled', filled_size: '0.01' });
      expect(rig.position('lighter').minus(lighter0).toString()).toBe('0.01');
      expect(rig.position('paradex').minus(paradex0).toString()).toBe('-0.01');
      expect(rig.rows('SELECT state FROM trades WHERE id = ?', r!.tradeId)[0]!['state']).not.toBe('failed-unresolved');
      // And it trades again.
      expect((await rig.trade(rig.judgment('lighter', 'paradex', '0.01')))?.state).toBe('completed');
    } finally {
      await rig.close({ keepSims: true });
    }
  }, 60_000);

  it('engine killed with leg 2 in flight: a new engine on the same journal reconciles and does not double-trade', async () => {
    const first = await startLiveRig({ sims, envPrefix: 'E2E_KILL', execution: { ackTimeoutMs: 800 } });
    const accounts = first.accounts;
    const dir = first.dir;
    // Warm up (markets, JWT), then the trade that will be abandoned.
    expect((await first.trade(first.judgment('lighter', 'paradex', '0.01')))?.state).toBe('completed');
    const lighter0 = first.position('lighter');
    const paradex0 = first.position('paradex');
    sims.trading.paradex.faults.stallAck(1500, 'defer');
    const j = first.judgment('lighter', 'paradex', '0.01');
    const abandoned = first.live.executor.run(j).catch((e: unknown) => e);
    await until(() => {
      const row = first.rows("SELECT client_id FROM orders WHERE role = 'leg2' AND trade_id = (SELECT id FROM trades WHERE intent_id = ?)", j.intent.id)[0];
      first.lastLeg2ClientId = row?.['client_id'] as string | undefined;
      return row !== undefined;
    }, 3000, 'leg 2 sent');
    // The crash: nothing more reaches the journal; the old engine's trade dies at its next write.
    first.engine.journal.close(Date.now());
    first.live.killSwitch.disarm();
    await Promise.allSettled(first.engine.connectors.map((c) => c.stop()));
    expect(await abandoned).toBeInstanceOf(Error);
    // The venue finishes the deferred order on its own.
    const account = accounts.accounts.find((a) => a.venue === 'paradex')!.engineAccount;
    const leg2Id = first.lastLeg2ClientId!;
    await until(() => sims.trading.paradex.engine.orderByClientId(account, leg2Id)?.status === 'filled', 5000, 'deferred leg 2 executed');

    const second = await startLiveRig({ sims, accounts, dir, envPrefix: 'E2E_KILL' });
    try {
      expect(second.live.gate.halted).toBeUndefined();
      const [trade] = second.rows('SELECT id, state FROM trades WHERE intent_id = ?', j.intent.id);
      expect(trade!['state']).toBe('completed');
      expect(second.rows("SELECT outcome, filled_size FROM orders WHERE trade_id = ? ORDER BY sent_at", trade!['id'])).toEqual([
        { outcome: 'confirmed', filled_size: '0.01' },
        { outcome: 'confirmed', filled_size: '0.01' },
      ]);
      // The same intent handed to the new engine is not traded again.
      const ordersBefore = sims.trading.paradex.engine.orders(account).length;
      expect(await second.trade(j)).toBeUndefined();
      expect(sims.trading.paradex.engine.orders(account).length).toBe(ordersBefore);
      expect(second.position('lighter').minus(lighter0).toString()).toBe('0.01');
      expect(second.position('paradex').minus(paradex0).toString()).toBe('-0.01');
      expect(second.rows('SELECT COUNT(*) AS n FROM trades WHERE intent_id = ?', j.intent.id)[0]!['n']).toBe(1);
    } finally {
      await second.close({ keepSims: true });
    }
  });
});

