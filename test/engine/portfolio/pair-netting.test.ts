/**
 * Pairs sharing a venue market net into one venue position. The live demo showed the cost of
 * ignoring it: a pair long Paradex while two others were short there had its reduce-only close
 * refused (REDUCE_ONLY_WILL_INCREASE), the repair retried the same refused orders, and the close
 * came back every second. These tests rebuild that over paper venues (which enforce reduce-only
 * on the netted position like the venues do).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import type { Position } from '../../../engine/exchange/orders.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { LiveTrading } from '../../../engine/execution/live-trading.ts';
import { isReduceOnlyRefusal } from '../../../engine/execution/reduce-only.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { closePlan, closeRoom, pairFromTrade } from '../../../engine/portfolio/live-pairs.ts';
import { LivePairs } from '../../../engine/portfolio/live-pair-manager.ts';
import { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import { RiskConfigSchema } from '../../../engine/risk/config.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { FAST, judgment, rig, rows, type LegSpec } from '../execution/fixtures.ts';

const vestLeg: LegSpec = { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' };
const paradexBuy: LegSpec = { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100', expected: '100', worst: '100' };
const paradexSell: LegSpec = { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' };
const lighterSell: LegSpec = { venue: 'lighter', symbol: '1', top: '100.5', expected: '100.5', worst: '100.5' };
// Wide enough that every close leg crosses its book: a refusal is the venue's, never the price.
const quote = { longExit: new Decimal('99'), shortExit: new Decimal('101') };
const signal = { reason: 'converged' as const, detail: 'test' };

function venues() {
  const vest = new PaperVenue('vest');
  const paradex = new PaperVenue('paradex');
  const lighter = new PaperVenue('lighter');
  vest.setBook('BTC-PERP', [['99.9', '20']], [['100', '20']]);
  paradex.setBook('BTC-USD-PERP', [['100.5', '20']], [['100', '20']]);
  lighter.setBook('1', [['100.5', '20']], [['100.6', '20']]);
  return { vest, paradex, lighter };
}

/** Refused reduce-only orders in the journal: the futile sends the demo counted. */
function refusedReduceOnly(journal: Journal): number {
  const all = journal.db.prepare("SELECT reject_reason FROM orders WHERE reduce_only = 1 AND outcome = 'rejected'").all() as Array<{ reject_reason: string | null }>;
  return all.filter((r) => isReduceOnlyRefusal(r.reject_reason ?? undefined)).length;
}

/**
 * Two pairs as a journal from before the netting rule could hold them: A long Vest / short
 * Paradex 0.5, B long Paradex / short Lighter 0.3. Paradex nets to -0.2: B's long leg is not there.
 */
async function opposedPairs() {
  const v = venues();
  const r = rig([v.vest, v.paradex, v.lighter]);
  const pairs = new PairBook(new PairJournal(r.journal.db));
  const open = async (size: string, buy: LegSpec, sell: LegSpec) => {
    const j = judgment({ size, buy, sell });
    const res = await r.executor.run(j);
    expect(res?.state).toBe('completed');
    return pairs.open(pairFromTrade(res!, j, {}, Date.now()));
  };
  const a = await open('0.5', vestLeg, paradexSell);
  const b = await open('0.3', paradexBuy, lighterSell);
  expect(v.paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.2');
  return { ...v, r, pairs, a, b };
}

const trading: LiveTrading[] = [];
afterEach(async () => {
  for (const t of trading.splice(0)) await t.stop();
});

describe('pairs on one venue market: one net position', () => {
  it('the risk gate refuses a pair whose leg is opposite to a held pair on the same venue market, and lets the same side through', async () => {
    const v = venues();
    const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
    const t = new LiveTrading({
      execution: ExecutionConfigSchema.parse(FAST),
      risk: RiskConfigSchema.parse({ killSwitch: { file: join(mkdtempSync(join(tmpdir(), 'arb-net-')), 'KILL'), signal: false }, maxPositionPerInstrument: { '*': '10' } }),
      gateways: new Map([
        ['vest', v.vest],
        ['paradex', v.paradex],
        ['lighter', v.lighter],
      ]),
      journal,
      clock: systemClock,
      logger: silentLogger,
      symbols: new Map([
        ['vest', new Set(['BTC-PERP'])],
        ['paradex', new Set(['BTC-USD-PERP'])],
        ['lighter', new Set(['1'])],
      ]),
    });
    trading.push(t);
    const pairs = new PairBook(new PairJournal(journal.db));
    new LivePairs({ pairs, executor: t.executor, policyFor: () => ({}), clock: systemClock, logger: silentLogger });
    t.gate.usePairSides(pairs);
    await t.start();
    const send = async (buy: LegSpec, sell: LegSpec) => {
      t.execute(judgment({ size: '0.5', buy, sell }));
      await t.executor.settle();
    };
    await send(vestLeg, paradexSell); // pair A: short Paradex
    expect(pairs.unclosed()).toHaveLength(1);
    await send(paradexBuy, lighterSell); // would go long Paradex: nets against A
    expect(pairs.unclosed()).toHaveLength(1);
    expect(t.gate.denied.get('opposite-pair')).toBe(1);
    expect(v.paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.5');
    expect(v.lighter.positionOf('1').isZero()).toBe(true);
    await send(vestLeg, paradexSell); // the same side as A: allowed
    expect(pairs.unclosed()).toHaveLength(2);
  });

  it('closeRoom caps a close at what both venues net positions let reduce-only orders take', async () => {
    const { pairs, a, b } = await opposedPairs();
    expect(closeRoom(pairs.get(b.id)!, new Decimal('-0.2'), new Decimal('-0.3')).toString()).toBe('0');
    expect(closeRoom(pairs.get(a.id)!, new Decimal('0.5'), new Decimal('-0.2')).toString()).toBe('0.2');
    expect(closeRoom(pairs.get(a.id)!, new Decimal('0.5'), new Decimal('-0.9')).toString()).toBe('0.5');
    expect(closePlan(pairs.get(a.id)!, quote, 1, Date.now(), new Decimal('0.2')).intent.size.toString()).toBe('0.2');
  });

  it('a close with no room on the netted venue sends nothing, alerts once in the journal, and backs off instead of retrying every second', async () => {
    const { r, pairs, b, paradex, lighter } = await opposedPairs();
    const clock = new ManualClock(1_000_000);
    let reads = 0;
    const positions = async (venue: string): Promise<Position[]> => {
      reads++;
      return r.gateways.get(venue)!.positions();
    };
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({}), clock, logger: silentLogger, positions, closeRetryMs: 1000, closeBackoffMaxMs: 8000 });
    // The exit policy signals on every book update: 20 s of one signal a second.
    for (let s = 0; s < 20; s++) {
      live.close(pairs.get(b.id)!, signal, quote, clock.now());
      await live.settle();
      clock.advance(1000);
    }
    expect(refusedReduceOnly(r.journal)).toBe(0);
    expect(rows(r, 'SELECT count(*) AS n FROM trades')[0]!.n).toBe(2); // the two openings, no close sent
    const events = pairs.journal.events(b.id).map((e) => e.type);
    expect(events.filter((e) => e === 'close-blocked')).toHaveLength(1);
    expect(events).not.toContain('closing');
    // Backing off 1, 2, 4, 8, 8 s...: 5 plans in 20 s, each from a fresh positions read of both legs.
    expect(live.stats.closeBlocked).toBe(5);
    expect(reads).toBe(10);
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.2');
    expect(lighter.positionOf('1').toString()).toBe('-0.3');
  });

  it('a close signal after the executor stopped (engine stopping, journal closing) marks and sends nothing', async () => {
    const { r, pairs, a } = await opposedPairs();
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({}), clock: systemClock, logger: silentLogger, positions: (v) => r.gateways.get(v)!.positions(), closeRetryMs: 0 });
    r.executor.stopAccepting();
    live.close(pairs.get(a.id)!, signal, quote, Date.now());
    await live.settle();
    expect(pairs.journal.events(a.id).map((e) => e.type)).toEqual(['open']);
  });

  it('stop() while a close is still reading positions: the close sends nothing even though the executor still accepts', async () => {
    const { r, pairs, a } = await opposedPairs();
    let answer!: () => void;
    const held = new Promise<void>((res) => (answer = res));
    // The positions read hangs (a rate-limited venue) until after stop() was called.
    const positions = async (v: string) => {
      await held;
      return r.gateways.get(v)!.positions();
    };
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({}), clock: systemClock, logger: silentLogger, positions, closeRetryMs: 0 });
    live.close(pairs.get(a.id)!, signal, quote, Date.now());
    const stopped = live.stop();
    answer();
    await stopped;
    expect(r.executor.isAccepting).not.toBe(false);
    expect(pairs.journal.events(a.id).map((e) => e.type)).toEqual(['open']);
    expect(rows(r, 'SELECT count(*) AS n FROM trades')[0]!.n).toBe(2); // the two openings only
    // And no new close starts after stop().
    live.close(pairs.get(a.id)!, signal, quote, Date.now());
    await live.settle();
    expect(pairs.journal.events(a.id).map((e) => e.type)).toEqual(['open']);
  });

  it('without the positions read the same pair sends refused reduce-only closes (what the demo did)', async () => {
    const { r, pairs, b } = await opposedPairs();
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({}), clock: systemClock, logger: silentLogger, closeRetryMs: 0 });
    live.close(pairs.get(b.id)!, signal, quote, Date.now());
    await live.settle();
    expect(refusedReduceOnly(r.journal)).toBeGreaterThan(0);
    expect(live.stats.closeRefusedReduceOnly).toBe(1);
  });

  it('a refused reduce-only hedge re-reads the position and is not sent again blind; the lone leg is unwound', async () => {
    const { r, pairs, b, lighter, paradex } = await opposedPairs();
    // B's close: buy Lighter back (fits), sell Paradex reduce-only (refused: Paradex is net short).
    const plan = closePlan(pairs.markClosing(b.id, 'converged', 'test', Date.now()), quote, 1, Date.now());
    const res = await r.executor.run(plan);
    const roles = rows(r, "SELECT role, venue, outcome FROM orders WHERE client_id IN (SELECT client_id FROM orders) AND trade_id = ? ORDER BY rowid", res!.tradeId);
    // leg 2 refused, one hedge refused, then the position re-read says there is no room: no second hedge.
    expect(roles.filter((o) => o.role === 'hedge')).toEqual([{ role: 'hedge', venue: 'paradex', outcome: 'rejected' }]);
    expect(res!.state).toBe('unwound');
    expect(lighter.positionOf('1').toString()).toBe('-0.3');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.2');
  });

  it('a refused reduce-only unwind with the position unreadable reverses exactly the residual instead of repeating the refusal', async () => {
    const { r, pairs, b, lighter } = await opposedPairs();
    // Lighter's positions read fails (rate-limited or slow): the fit check cannot tell.
    lighter.positions = () => Promise.reject(new Error('lighter positions: no answer within 100 ms'));
    const plan = closePlan(pairs.markClosing(b.id, 'converged', 'test', Date.now()), quote, 1, Date.now());
    const res = await r.executor.run(plan);
    const refusedOnLighter = res!.orders.filter((o) => o.request.venue === 'lighter' && o.outcome === 'rejected');
    expect(refusedOnLighter).toHaveLength(1);
    expect(res!.state).toBe('unwound');
    expect(lighter.positionOf('1').toString()).toBe('-0.3');
  });
});
