/**
 * A reconciliation that halted only because a venue could not be read is asked again at the next
 * tick; one with a real disagreement stays halted for the operator. The chaos campaign found an
 * engine restarted after a crash that met a stalled Vest at its start-up reconcile and never
 * traded again (docs/chaos.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { isUnreadable, LiveTrading } from '../../../engine/execution/live-trading.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { RiskConfigSchema } from '../../../engine/risk/config.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { FAST, until } from './fixtures.ts';

const trading: LiveTrading[] = [];
afterEach(async () => {
  for (const t of trading.splice(0)) await t.stop();
});

function liveWith(vest: PaperVenue) {
  const t = new LiveTrading({
    execution: ExecutionConfigSchema.parse({ ...FAST, requarantineCheckMs: 50 }),
    risk: RiskConfigSchema.parse({ killSwitch: { file: join(mkdtempSync(join(tmpdir(), 'arb-unread-')), 'KILL'), signal: false } }),
    gateways: new Map([['vest', vest]]),
    journal: new Journal({ path: ':memory:', flushIntervalMs: 10_000 }),
    clock: systemClock,
    logger: silentLogger,
    symbols: new Map([['vest', new Set(['BTC-PERP'])]]),
  });
  trading.push(t);
  return t;
}

describe('a venue unreadable at the start-up reconciliation', () => {
  it('halts, then trades once the venue answers (it halted for good)', async () => {
    const vest = new PaperVenue('vest');
    let stalled = 2;
    const read = vest.positions.bind(vest);
    vest.positions = async () => {
      if (stalled-- > 0) throw new Error('vest positions: no answer within 100 ms');
      return read();
    };
    const t = liveWith(vest);
    const report = await t.start();
    expect(report.problems).toEqual(['vest: cannot read positions or open orders (vest positions: no answer within 100 ms)']);
    expect(t.gate.halted).toMatch(/journal and venues disagree: vest: cannot read positions/);
    await until(() => t.gate.halted === undefined, 3000);
    expect(stalled).toBeLessThan(0);
  });

  it('a real disagreement stays halted: positions are not re-read into agreement', async () => {
    const vest = new PaperVenue('vest');
    vest.setBook('BTC-PERP', [['99', '5']], [['100', '5']]);
    // A position the journal knows nothing about.
    vest.positions = async () => [{ symbol: 'BTC-PERP', size: new Decimal('0.3') }] as never;
    const t = liveWith(vest);
    const report = await t.start();
    expect(report.problems.some(isUnreadable)).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.gate.halted).toMatch(/journal and venues disagree/);
  });

  it('tells a venue it could not read from a disagreement', () => {
    expect(isUnreadable('vest: cannot read positions or open orders (fetch failed)')).toBe(true);
    expect(isUnreadable('order abc-a1 on vest: still no answer from the venue (timeout)')).toBe(true);
    expect(isUnreadable('startup check failed: lighter positions: no answer within 5000 ms')).toBe(true);
    expect(isUnreadable('vest BTC-PERP: venue position 0.3, journal implies 0')).toBe(false);
    expect(isUnreadable('journaled pairs hold 0.5, venue shows 0.3')).toBe(false);
  });
});
