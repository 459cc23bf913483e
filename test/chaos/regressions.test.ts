/**
 * Bugs the chaos campaign found, each pinned by a test that fails without its fix.
 *
 * 1. engine/execution/order-command.ts: "not found" from a lookup asked while the send was still
 *    on the wire was believed if the send settled before the answer came back (seed 2153151422 of
 *    campaign seed 7: a Paradex freeze released the POST and the GETs together).
 * 2. engine/execution/live-trading.ts: the quarantine retry the timer started was neither awaited
 *    by stop() nor caught: stopping during one crashed the process ("The database connection is
 *    not open" from recordFills, an unhandled rejection; campaign seed 7, run 13).
 * 3. engine/execution/trade-executor.ts: leg 2, signed with leg 1 before anything is sent, was sent
 *    as signed even when leg 1's verification outlasted its executable window (campaign seed
 *    53055, run seed 283512020: a Lighter leg 1 verified after 6.2 s, the Vest leg 2 refused 1132).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../../engine/execution/config.ts';
import { placeOrder } from '../../engine/execution/order-command.ts';
import { monotonicNow, VenueWait } from '../../engine/execution/venue-wait.ts';
import { VenueRejectError, type OrderGateway, type OrderLocator, type OrderReport, type OrderRequest, type SignedOrder } from '../../engine/exchange/orders.ts';
import { Journal } from '../../engine/journal/journal.ts';
import { TradeJournal } from '../../engine/journal/trade-journal.ts';
import { PaperVenue } from '../helpers/paper-venue.ts';
import { startVenueSimulators } from '../../simulators/index.ts';
import { startLiveRig, until } from '../e2e/harness.ts';
import { judgment, rig } from '../engine/execution/fixtures.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The order lands at the venue 250 ms after the send, the ack 10 ms later; a lookup's answer takes 95 ms to come back (inside the 100 ms ack timeout). */
class SlowAnswers implements OrderGateway {
  readonly paper = new PaperVenue('px');
  constructor() {
    this.paper.setBook('X', [['99', '5']], [['100', '5']]);
  }
  sign(r: OrderRequest) {
    return this.paper.sign(r);
  }
  async send(o: SignedOrder) {
    await sleep(250);
    const state = await this.paper.send(o);
    await sleep(10);
    return state;
  }
  cancel(o: OrderLocator) {
    return this.paper.cancel(o);
  }
  async report(o: OrderLocator): Promise<OrderReport> {
    // The venue looks now; the answer arrives later.
    const answer = this.paper.report(o).then(
      (r) => ({ r }),
      (e: unknown) => ({ e }),
    );
    await sleep(95);
    const a = await answer;
    if ('e' in a) throw a.e;
    return a.r;
  }
  positions() {
    return this.paper.positions();
  }
  openOrders() {
    return this.paper.openOrders();
  }
}

describe('chaos regressions', () => {
  it('a "not found" asked while the send was on the wire is not believed, even if the send settled before the answer came', async () => {
    const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
    const trades = new TradeJournal(journal.db);
    trades.openTrade({ id: 't-1', intentId: 'i-1', instrument: 'X', buy: { venue: 'px', symbol: 'X' }, sell: { venue: 'py', symbol: 'X' }, size: new Decimal(1), firstLeg: 'buy', expectedNet: new Decimal(0), detectedAt: 0, judgedAt: 0, startedAt: 0 });
    // Ack timeout 100 ms: lookups asked at ~100 and ~200 ms (order not there yet); the second is answered at ~295 ms, after the send settled (260).
    const config = ExecutionConfigSchema.parse({ ackTimeoutMs: 100, reconcileTimeoutMs: 3000, pollIntervalMs: 5, notFoundGraceMs: 30 });
    const venue = new SlowAnswers();
    const signed = await venue.sign({ venue: 'px', symbol: 'X', side: 'buy', type: 'limit', size: new Decimal('1'), price: new Decimal('101'), timeInForce: 'IOC', clientId: 'late-1' });
    const placed = await placeOrder({ journal: trades, clock: systemClock, monotonic: monotonicNow, config: { ...config, ackTimeoutMs: 100 }, logger: silentLogger }, venue, 't-1', 'leg1', signed, new VenueWait(monotonicNow));
    // Without the fix: not-placed, while the venue holds the filled order (a lone leg nobody knows of).
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toString()).toBe('1');
    expect(venue.paper.positionOf('X').toString()).toBe('1');
    journal.close(Date.now());
  });
});

describe('chaos regressions, live', () => {
  it('stopping the engine while a quarantine retry reads a stalled venue: stop waits for it, nothing escapes', async () => {
    const escaped: unknown[] = [];
    const onEscape = (e: unknown) => void escaped.push(e);
    process.on('unhandledRejection', onEscape);
    const sims = await startVenueSimulators({ seed: 31, updateIntervalMs: 0, dislocationProbability: 0 });
    const rig = await startLiveRig({ sims, envPrefix: 'CHAOS_REG_STOP', execution: { ackTimeoutMs: 300, reconcileTimeoutMs: 400, requarantineCheckMs: 50, notFoundGraceMs: 200 } });
    try {
      // Warm Paradex (markets, JWT) so the stall hits only the order and the lookups.
      expect((await rig.trade(rig.judgment('lighter', 'paradex', '0.01')))?.state).toBe('completed');
      sims.faults.stall('paradex', 3000);
      const r = await rig.trade(rig.judgment('lighter', 'paradex', '0.01'));
      expect(r?.state).toBe('failed-unresolved');
      // The timer's retry is running (it halts the gate while it compares journal and venues).
      await until(() => /re-reconciling/.test(rig.live.gate.halted ?? ''), 3000, 'quarantine retry running');
      await rig.close({ keepSims: true });
      await sleep(1500);
      // Without the fix: "The database connection is not open" from the retry's recordFills/recordResult.
      expect(escaped.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onEscape);
      await sims.stop();
    }
  }, 30_000);
});

describe('chaos regressions, executor', () => {
  it('a pre-signed leg 2 whose executable window would close before it arrives is re-signed, not sent expired', async () => {
    // Leg 2's venue signs with a 300 ms window (as Vest's recvWindow) and refuses an order that arrives after it.
    class WindowVenue extends PaperVenue {
      signs = 0;
      override async sign(r: OrderRequest) {
        this.signs++;
        const s = await super.sign(r);
        return { ...s, executableUntil: Date.now() + 300 };
      }
      override async send(o: SignedOrder) {
        if (o.executableUntil !== undefined && Date.now() > o.executableUntil) throw new VenueRejectError(this.venue, '1132', 'order expired (arrived after time + recvWindow)');
        return super.send(o);
      }
    }
    const first = new PaperVenue('pa');
    const second = new WindowVenue('pb');
    first.setBook('X', [['99', '5']], [['100', '5']]);
    second.setBook('X', [['101', '5']], [['102', '5']]);
    // Leg 1's fill is verified only after 500 ms (a slow status read), past leg 2's window.
    first.holdStatus();
    setTimeout(() => first.releaseStatus(), 500);
    const r = rig([first, second], { config: { ackTimeoutMs: 100, reconcileTimeoutMs: 3000 } });
    const j = judgment({ size: '1', buy: { venue: 'pa', symbol: 'X', top: '100', expected: '100', worst: '100' }, sell: { venue: 'pb', symbol: 'X', top: '101', expected: '101', worst: '101' } });
    const result = await r.executor.run(j);
    // Without the fix: leg 2 sent expired and refused 1132, then repaired by a hedge ('hedged'): the lone leg open longer.
    expect(result?.state).toBe('completed');
    expect(second.signs).toBe(2);
    expect(second.positionOf('X').toString()).toBe('-1');
  });
});
