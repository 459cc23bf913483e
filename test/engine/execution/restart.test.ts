/**
 * A run dies mid-trade; a new executor opens the same journal file. It must learn what the
 * dead run's orders did, close what they left exposed, agree with the venues' positions, and
 * never trade the same intent again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { clientIdFor } from '../../../engine/execution/client-ids.ts';
import { reconcileWithVenues, type ActiveWork } from '../../../engine/execution/restart-reconciler.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { judgment, rig, rows, until, type Rig } from './fixtures.ts';

const arb = judgment({
  id: 'i-crash',
  size: '1',
  buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100.025', worst: '100.05' },
  sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.47', worst: '100.4' },
});

const scope = (r: Rig) => ({
  symbols: new Map([
    ['vest', new Set(['BTC-PERP'])],
    ['paradex', new Set(['BTC-USD-PERP'])],
  ]),
  locks: r.locks,
});

const reconcile = (r: Rig, active?: ActiveWork) =>
  reconcileWithVenues(
    { journal: r.trades, clock: systemClock, monotonic: monotonicNow, config: r.config, logger: silentLogger, gateways: r.gateways, clientId: clientIdFor },
    { ...scope(r), ...(active ? { active } : {}) },
  );

function venues() {
  const vest = new PaperVenue('vest');
  const paradex = new PaperVenue('paradex');
  vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '0.5'], ['100.05', '1']]);
  paradex.setBook('BTC-USD-PERP', [['100.5', '0.7'], ['100.4', '1']], [['100.6', '2']]);
  return { vest, paradex };
}

describe('restart reconciliation', () => {
  it('engine killed after leg 1 reached the venue: the restart settles it, unwinds it, and does not double-trade', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'arb-restart-')), 'journal.sqlite');
    const { vest, paradex } = venues();
    vest.script({ kind: 'stall' }); // leg 1 fills on Vest, its ack never comes back...
    const first = rig([vest, paradex], { path, config: { ackTimeoutMs: 600_000 } });
    void first.executor.run(arb);
    await until(() => vest.sent.length === 1);
    // ...and the process dies here: the first executor is never heard from again.
    expect(rows(first, 'SELECT role, outcome FROM orders')).toEqual([{ role: 'leg1', outcome: 'sent' }]);

    const second = rig([vest, paradex], { path });
    const report = await reconcile(second);

    expect(report.problems).toEqual([]);
    expect(report.settledOrders).toBe(1);
    expect(report.closedTrades.map((t) => t.state)).toEqual(['unwound']);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('0');
    expect(paradex.sent).toHaveLength(0); // leg 2 was never sent by either run
    expect(rows(second, 'SELECT role, side, outcome, filled_size, reduce_only FROM orders ORDER BY sent_at, rowid')).toEqual([
      { role: 'leg1', side: 'buy', outcome: 'confirmed', filled_size: '1', reduce_only: 0 },
      { role: 'unwind', side: 'sell', outcome: 'confirmed', filled_size: '1', reduce_only: 1 },
    ]);
    // -100.025 + 99.98, no fees on these paper venues.
    expect(rows(second, 'SELECT intent_id, state, residual, realized_pnl FROM trades')).toEqual([
      { intent_id: 'i-crash', state: 'unwound', residual: '0', realized_pnl: '-0.045' },
    ]);

    // The same intent handed over again (a replayed queue, a double submit) is not traded twice.
    expect(await second.executor.run(arb)).toBeUndefined();
    expect(vest.sent).toHaveLength(2);
    expect(paradex.sent).toHaveLength(0);
  });

  it('engine killed before leg 1 reached the venue: the order is not-placed, the trade no-fill', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'arb-restart-')), 'journal.sqlite');
    const { vest, paradex } = venues();
    const first = rig([vest, paradex], { path });
    // Simulate the crash between journaling and sending: write the rows the executor writes first.
    first.trades.openTrade({
      id: 't1', intentId: 'i-lost', instrument: 'BTC-USD-PERP', buy: { venue: 'vest', symbol: 'BTC-PERP' }, sell: { venue: 'paradex', symbol: 'BTC-USD-PERP' },
      size: arb.intent.size, firstLeg: 'buy', expectedNet: arb.net, detectedAt: 1, judgedAt: 1, startedAt: 1,
    });
    first.trades.recordSend('t1', 'leg1', { venue: 'vest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', size: arb.intent.size, timeInForce: 'IOC', clientId: 't1-a1' }, { sentAt: 1 });

    const second = rig([vest, paradex], { path });
    const report = await reconcile(second);
    expect(report.problems).toEqual([]);
    expect(report.closedTrades).toEqual([{ tradeId: 't1', state: 'no-fill' }]);
    expect(rows(second, 'SELECT outcome FROM orders')).toEqual([{ outcome: 'not-placed' }]);
    expect(vest.sent).toHaveLength(0);
  });

  it('refuses while venue positions disagree with the journal, and names the difference', async () => {
    const { vest, paradex } = venues();
    paradex.setPosition('BTC-USD-PERP', '-0.25'); // opened by hand, or by a run whose journal was lost
    paradex.setPosition('ETH-USD-PERP', '3'); // not a market this engine trades: ignored
    const r = rig([vest, paradex]);
    const report = await reconcile(r);
    expect(report.problems).toEqual(['paradex BTC-USD-PERP: venue position -0.25, journal implies 0']);
  });

  it('flags a resting order the executor did not leave', async () => {
    const { vest, paradex } = venues();
    const r = rig([vest, paradex]);
    const signed = await vest.sign({ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', size: arb.intent.size, price: arb.intent.buy.topPrice.minus(5), timeInForce: 'GTC', clientId: 'manual-1' });
    await vest.send(signed);
    const report = await reconcile(r);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/vest: open order manual-1/);
  });

  it('a reconciliation mid-run leaves work a running part manages alone: its trade is not settled or closed, its resting quote is no stray', async () => {
    const { vest, paradex } = venues();
    vest.script({ kind: 'stall' }); // the trade's order is out and unanswered, as a quote desk's can be
    const r = rig([vest, paradex], { config: { ackTimeoutMs: 600_000 } });
    void r.executor.run(arb);
    await until(() => vest.sent.length === 1);
    const tradeId = rows(r, 'SELECT id FROM trades')[0]!['id'] as string;
    const quote = await paradex.sign({ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', type: 'limit', size: arb.intent.size, price: arb.intent.sell.topPrice.plus(5), timeInForce: 'POST_ONLY', clientId: 'quote-1' });
    await paradex.send(quote);

    const report = await reconcile(r, { tradeIds: new Set([tradeId]), restingClientIds: new Set(['quote-1']) });
    expect(report.settledOrders).toBe(0);
    expect(report.closedTrades).toEqual([]);
    // The trade's filled leg is the manager's to hedge: not unwound under it.
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(vest.sent).toHaveLength(1);
    // What remains is the position the unfinished trade's fill made, which the journal does not show yet.
    expect(report.problems.filter((p) => p.includes('quote-1'))).toEqual([]);
    expect(rows(r, 'SELECT state FROM trades')).toEqual([{ state: 'open' }]);
  });
});
