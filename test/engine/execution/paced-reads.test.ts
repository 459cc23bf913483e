/**
 * A reconciliation's reads of positions and open orders wait for the venue's rate limit outside
 * their ack timeout. The chaos campaign found a restarted engine whose start-up reconcile had
 * spent Lighter's budget: every later read waited for tokens inside the 600 ms timeout, timed out,
 * still spent the budget when its turn came, and the engine stayed halted through the settle
 * phase (seeds 3188046198, 2392586442; docs/chaos.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { LiveTrading } from '../../../engine/execution/live-trading.ts';
import type { OrderState, Position } from '../../../engine/exchange/orders.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { RiskConfigSchema } from '../../../engine/risk/config.ts';
import { RateLimiter } from '../../../plugins/exchanges/shared/rate-limiter.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { FAST } from './fixtures.ts';

const REST = [{ bucket: 'rest' }] as const;

/** A venue whose reads go through its rate limiter, as the Lighter and Paradex gateways' do. */
class PacedVenue extends PaperVenue {
  // 4 requests per 400 ms: one token every 100 ms, twice the 50 ms ack timeout below.
  readonly pacing = new RateLimiter({ venue: 'px', buckets: { rest: { limit: 4, windowMs: 400, source: 'test' } }, backOffMs: 1000, maxBackOffMs: 1000 });
  readonly reads = { positions: 0, openOrders: 0 };
  constructor() {
    super('px');
    this.pacing.expectPolls('reconcile', REST);
    this.pacing.expectPolls('background', REST);
  }
  override async positions(): Promise<Position[]> {
    await this.pacing.take(REST, 'background');
    this.reads.positions++;
    return super.positions();
  }
  override async openOrders(): Promise<OrderState[]> {
    await this.pacing.take(REST, 'reconcile');
    this.reads.openOrders++;
    return super.openOrders();
  }
}

const trading: LiveTrading[] = [];
afterEach(async () => {
  for (const t of trading.splice(0)) await t.stop();
});

describe('reconciliation reads on a spent rate-limit budget', () => {
  it('wait for the budget outside the ack timeout: the start-up reconcile reads both and trading starts', async () => {
    const venue = new PacedVenue();
    // The budget is spent (as a restarted engine's verification polls spend Lighter's).
    const t0 = performance.now();
    await venue.pacing.take([{ bucket: 'rest', weight: 4 }], 'background');
    const t = new LiveTrading({
      execution: ExecutionConfigSchema.parse({ ...FAST, ackTimeoutMs: 50, requarantineCheckMs: 10_000 }),
      risk: RiskConfigSchema.parse({ killSwitch: { file: join(mkdtempSync(join(tmpdir(), 'arb-paced-')), 'KILL'), signal: false } }),
      gateways: new Map([['px', venue]]),
      journal: new Journal({ path: ':memory:', flushIntervalMs: 10_000 }),
      clock: systemClock,
      logger: silentLogger,
      symbols: new Map([['px', new Set(['X'])]]),
    });
    trading.push(t);
    const report = await t.start();
    // Without the fix: ["px: cannot read positions or open orders (px positions and open orders: no answer within 50 ms)"],
    // each read needing 100 ms of refill inside its 50 ms.
    expect(report.problems).toEqual([]);
    expect(t.gate.halted).toBeUndefined();
    // One read each for the comparison and one positions read to seed exposure: nothing abandoned, nothing sent twice.
    expect(venue.reads).toEqual({ positions: 2, openOrders: 1 });
    // Three tokens from the emptied bucket at one per 100 ms (timers may run a little late, never early).
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
