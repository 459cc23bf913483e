/**
 * A restart finds an order the crashed run sent that the venue has no record of. Past its
 * executableUntil it is not placed; before it, it may still execute, so the restart neither calls
 * it not-placed nor halts every instrument for it: its instrument stays quarantined (chaos seed
 * 2392586442: a Lighter sendTx dropped unanswered halted a restarted engine for its 10-minute ExpiredAt).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { clientIdFor } from '../../../engine/execution/client-ids.ts';
import { reconcileWithVenues } from '../../../engine/execution/restart-reconciler.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { rig, rows } from './fixtures.ts';

function restartWith(executableUntil: number) {
  const paradex = new PaperVenue('paradex');
  const vest = new PaperVenue('vest');
  const r = rig([paradex, vest], { config: { reconcileTimeoutMs: 150, notFoundGraceMs: 30 } });
  const now = Date.now();
  r.trades.openTrade({ id: 't-x', intentId: 'i-x', instrument: 'BTC-USD-PERP', buy: { venue: 'paradex', symbol: 'BTC-USD-PERP' }, sell: { venue: 'vest', symbol: 'BTC-PERP' }, size: new Decimal('1'), firstLeg: 'buy', expectedNet: new Decimal(0), detectedAt: now - 2000, judgedAt: now - 2000, startedAt: now - 2000 });
  // Sent 2 s ago (well past the grace) by the crashed run; the venue never got it.
  r.trades.recordSend('t-x', 'leg1', { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('1'), price: new Decimal('100'), timeInForce: 'IOC', clientId: 't-x-a1' }, { sentAt: now - 2000 }, { executableUntil });
  const report = reconcileWithVenues(
    { journal: r.trades, clock: systemClock, monotonic: monotonicNow, config: r.config, logger: silentLogger, gateways: r.gateways, clientId: clientIdFor },
    { symbols: new Map([['paradex', new Set(['BTC-USD-PERP'])], ['vest', new Set(['BTC-PERP'])]]), locks: r.locks },
  );
  return { r, report };
}

describe('restart: an order the venue has no record of', () => {
  it('still executable: unresolved, its instrument quarantined, no halting problem', async () => {
    const { r, report } = restartWith(Date.now() + 60_000);
    // Without the fix: ["order t-x-a1 on paradex: still no answer from the venue (...)"], halting every instrument.
    expect((await report).problems).toEqual([]);
    expect(r.locks.quarantinedInstruments()).toEqual(['BTC-USD-PERP']);
    expect(rows(r, 'SELECT outcome FROM orders')).toEqual([{ outcome: 'unresolved' }]);
    // Ended as the executor ends a trade with an order of unknown fate; the quarantine retry takes it up again.
    expect(rows(r, 'SELECT state FROM trades')).toEqual([{ state: 'failed-unresolved' }]);
  });

  it('past its executableUntil: not placed, the trade closed with no fill, nothing quarantined', async () => {
    const { r, report } = restartWith(Date.now() - 1);
    expect((await report).problems).toEqual([]);
    expect(r.locks.quarantinedInstruments()).toEqual([]);
    expect(rows(r, 'SELECT outcome FROM orders')).toEqual([{ outcome: 'not-placed' }]);
    expect(rows(r, 'SELECT state FROM trades')).toEqual([{ state: 'no-fill' }]);
  });
});
