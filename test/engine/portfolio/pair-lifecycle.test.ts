import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import type { ExitPolicy } from '../../../engine/portfolio/exit-policy.ts';
import { pairLifecycleSummary } from '../../../engine/portfolio/lifecycle-summary.ts';
import { parseCrossExchangeOptions } from '../../../plugins/strategies/cross-exchange/options.ts';
import { CrossExchangeStrategy } from '../../../plugins/strategies/cross-exchange/strategy.ts';
import { snapshot } from '../../helpers/books.ts';
import { HOUR, INSTRUMENT, P, T0, V, funding, world } from './setup.ts';

const POLICY: ExitPolicy = {
  exitSpread: new Decimal('0.0005'),
  stopWidening: new Decimal('0.01'),
  maxHoldMs: 24 * HOUR,
  minCarryApr: new Decimal('-0.5'),
};

const dirs: string[] = [];
function journalPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'pairs-'));
  dirs.push(d);
  return join(d, 'journal.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A process running cross-exchange with the dry-run pair lifecycle. */
function crossExchangeWorld(path: string, at: number) {
  const w = world(path, POLICY, new ManualClock(at));
  const options = { size: { [INSTRUMENT]: '0.1' }, thresholdPct: 0.15, cooldownMs: 0 };
  const strategy = new CrossExchangeStrategy(
    { options, optionsPath: 'strategies.cross-exchange', clock: w.clock, logger: silentLogger, books: w.hub, instruments: w.instruments, submit: (i) => w.flow.submit(i) },
    parseCrossExchangeOptions(options, 'strategies.cross-exchange'),
  );
  w.hub.onBookUpdate((venue, symbol) => strategy.onBookUpdate(venue, symbol, INSTRUMENT));
  w.lifecycle.attach(w.flow, w.hub);
  return w;
}

type World = ReturnType<typeof crossExchangeWorld>;

function books(w: World, vest: [string, string], paradex: [string, string], seq: number) {
  const at = w.clock.now();
  w.hub.onBook(snapshot(V, [[vest[0], '1']], [[vest[1], '1']], { seq, receivedAt: at, venueTime: at }));
  w.hub.onBook(snapshot(P, [[paradex[0], '1']], [[paradex[1], '1']], { seq, receivedAt: at, venueTime: at }));
}

/**
 * The scripted path, by hand (size 0.1 BTC; taker fees Paradex 0.05%, Vest 0.04%; no gas):
 *
 * T0 = 1000h + 30 min. Funding: Vest 0.00005 per 1 h (discrete, on the hour), Paradex 0.0008
 * per 8 h (continuous). Books: Vest 49990 / 50000, Paradex 50200 / 50210.
 *   Diverge: buy Vest at 50000, sell Paradex at 50200 -> pair long Vest, short Paradex,
 *   entry spread 200/50000 = 0.004; entry fees 50000x0.1x0.0004 + 50200x0.1x0.0005 = 2 + 2.51 = 4.51.
 *   Simulator net = 20 - 4.51 = 15.49 (the expected PnL).
 * T0+45m (1001h15m), books unchanged: Vest pays the 1001h boundary on the long,
 *   -0.1 x mid 49995 x 0.00005 = -0.249975. Exit spread (50210-49990)/49990 > 0.05%: hold.
 * T0+50m: Vest funding rises to 0.0001 per hour.
 * T0+90m (1002h): Paradex converges to 50000 / 50010.
 *   Vest pays the 1002h boundary: -0.1 x 49995 x 0.0001 = -0.49995.
 *   Paradex short receives continuously for 90 min: 0.1 x mid 50005 x 0.0008 x 90/480 = +0.750075.
 *   Funding = -0.249975 - 0.49995 + 0.750075 = +0.00015.
 *   Exit: sell long at Vest bid 49990, buy short at Paradex ask 50010: spread 20/49990 < 0.05%.
 *   Price PnL: long (49990 - 50000) x 0.1 = -1; short (50200 - 50010) x 0.1 = +19.
 *   Exit fees: 49990x0.1x0.0004 + 50010x0.1x0.0005 = 1.9996 + 2.5005 = 4.5001.
 *   Realized = -1 + 19 - 4.51 - 4.5001 + 0.00015 = 8.99005.
 */
const REALIZED = '8.99005';

function diverge(w: World) {
  w.hub.onFunding(funding('vest', V.symbol, '0.00005', 1, T0));
  w.hub.onFunding(funding('paradex', P.symbol, '0.0008', 8, T0));
  books(w, ['49990.00', '50000.00'], ['50200.0', '50210.0'], 1);
}

function hold(w: World) {
  w.clock.set(T0 + 45 * 60_000);
  books(w, ['49990.00', '50000.00'], ['50200.0', '50210.0'], 2);
  w.clock.set(T0 + 50 * 60_000);
  w.hub.onFunding(funding('vest', V.symbol, '0.0001', 1, w.clock.now()));
}

function converge(w: World) {
  w.clock.set(T0 + 90 * 60_000);
  books(w, ['49990.00', '50000.00'], ['50000.0', '50010.0'], 20);
}

describe('pair lifecycle in dry-run (cross-exchange, real hub and flow)', () => {
  it('opens on divergence, accrues funding at each venue schedule, closes on convergence with the hand-computed PnL', () => {
    const w = crossExchangeWorld(journalPath(), T0);
    diverge(w);
    const open = w.pairs.unclosed();
    expect(open).toHaveLength(1);
    const pair = open[0]!;
    expect(pair.long.venue).toBe('vest');
    expect(pair.short.venue).toBe('paradex');
    expect(pair.entrySpread.toString()).toBe('0.004');
    expect(pair.entryFees.toString()).toBe('4.51');
    expect(pair.expectedPnl.toString()).toBe('15.49');

    hold(w);
    expect(w.pairs.get(pair.id)!.funding.toString()).toBe('-0.249975');
    expect(w.pairs.get(pair.id)!.long.fundingAccruedTo).toBe(1001 * HOUR);
    // The dislocation is still there on the second update: one pair, not two.
    expect(w.pairs.unclosed()).toHaveLength(1);
    expect(w.lifecycle.stats.skippedHeld).toBeGreaterThan(0);

    converge(w);
    expect(w.pairs.unclosed()).toHaveLength(0);
    const closed = w.pairs.journal.pair(pair.id)!;
    expect(closed.state).toBe('closed');
    expect(closed.exit!.reason).toBe('converged');
    expect(closed.funding.toString()).toBe('0.00015');
    expect(closed.exitFees.toString()).toBe('4.5001');
    expect(closed.exit!.realizedPnl.toString()).toBe(REALIZED);

    const events = w.pairs.journal.events(pair.id).map((e) => e.type);
    // Vest 1001h, Vest 1002h, Paradex's continuous accrual at close
    expect(events).toEqual(['open', 'funding', 'funding', 'funding', 'closed']);

    const summary = pairLifecycleSummary(w.journal.db);
    expect(summary.closed).toBe(1);
    expect(summary.open).toBe(0);
    expect(summary.pairs[0]!.holdingMs).toBe(90 * 60_000);
    expect(summary.pairs[0]!.exitSpread).toBe(new Decimal(20).div(49990).toString());
    expect(summary.pairs[0]!.pnlGap).toBe(new Decimal(REALIZED).minus('15.49').toString());
    expect(summary.totals.realizedPnl).toBe(REALIZED);
    expect(summary.byExitReason).toEqual({ converged: 1 });
    w.journal.close(w.clock.now());
  });

  it('a restart while holding resumes the pair from the journal and later closes it to the same figure', () => {
    const path = journalPath();
    const first = crossExchangeWorld(path, T0);
    diverge(first);
    hold(first);
    const id = first.pairs.unclosed()[0]!.id;
    first.journal.close(first.clock.now()); // the process stops

    const second = crossExchangeWorld(path, T0 + 60 * 60_000);
    expect(second.pairs.unclosed().map((p) => p.id)).toEqual([id]);
    const resumed = second.pairs.get(id)!;
    expect(resumed.funding.toString()).toBe('-0.249975');
    expect(resumed.long.fundingAccruedTo).toBe(1001 * HOUR);
    // Rates and books come back from the venues after a restart.
    second.hub.onFunding(funding('vest', V.symbol, '0.0001', 1, second.clock.now()));
    second.hub.onFunding(funding('paradex', P.symbol, '0.0008', 8, second.clock.now()));
    books(second, ['49990.00', '50000.00'], ['50200.0', '50210.0'], 10);
    expect(second.pairs.unclosed()).toHaveLength(1); // still wide, still the same single pair
    converge(second);
    const closed = second.pairs.journal.pair(id)!;
    expect(closed.state).toBe('closed');
    expect(closed.exit!.realizedPnl.toString()).toBe(REALIZED);
    second.journal.close(second.clock.now());
  });

  it('closes on the stop when the spread widens, priced at the walked books', () => {
    const w = crossExchangeWorld(journalPath(), T0);
    diverge(w);
    const id = w.pairs.unclosed()[0]!.id;
    w.clock.set(T0 + 1000);
    // Paradex runs away: exit spread (50800 - 49990) / 49990 = 1.62% >= 0.4% + 1%
    books(w, ['49990.00', '50000.00'], ['50790.0', '50800.0'], 5);
    const stopped = w.pairs.journal.pair(id)!;
    expect(stopped.exit?.reason).toBe('stop');
    // long -1, short (50200-50800) x 0.1 = -60, fees 4.51 + 49990x0.1x0.0004 + 50800x0.1x0.0005; funding 0 (no boundary, continuous only at close: 1 s)
    const paradexFunding = new Decimal('0.1').mul('50795').mul('0.0008').mul(new Decimal(1000).div(8 * HOUR));
    const expected = new Decimal(-1).minus(60).minus('4.51').minus('1.9996').minus('2.54').plus(paradexFunding);
    expect(stopped.exit!.realizedPnl.toString()).toBe(expected.toString());
  });
});
