import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { ConfigError } from '../../../engine/core/config-errors.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { CarryJournal } from '../../../engine/portfolio/carry-journal.ts';
import { judgeCarry } from '../../../plugins/strategies/funding-arb/carry.ts';
import { parseFundingArbOptions } from '../../../plugins/strategies/funding-arb/options.ts';
import { FundingArbStrategy } from '../../../plugins/strategies/funding-arb/strategy.ts';
import type { StrategyVerdict } from '../../../engine/strategy/verdicts.ts';
import { snapshot } from '../../helpers/books.ts';
import { HOUR, INSTRUMENT, P, T0, V, funding, world } from '../../engine/portfolio/setup.ts';

function fundingWorld(options: Record<string, unknown> = {}) {
  const w = world(':memory:', {}, new ManualClock(T0));
  const carry = new CarryJournal(w.journal.db, () => w.journal.sessionId);
  const verdicts: StrategyVerdict[] = [];
  const opts = { size: { [INSTRUMENT]: '0.1' }, minNetAprPct: '10', exitBelowAprPct: '2', horizonHours: 72, cooldownMs: 0, ...options };
  const strategy = new FundingArbStrategy(
    {
      options: opts,
      optionsPath: 'strategies.funding-arb',
      clock: w.clock,
      logger: silentLogger,
      books: w.hub,
      instruments: w.instruments,
      submit: (i) => w.flow.submit(i),
      funding: w.tracker,
      fees: w.feeSchedule,
      holds: (instrument) => w.pairs.holds(instrument),
      recordCarry: (c) => carry.record(c),
      verdict: (v) => verdicts.push(v),
    },
    parseFundingArbOptions(opts, 'strategies.funding-arb'),
  );
  // Strategy first, lifecycle second: the order createEngine + attachPortfolio give.
  w.hub.onBookUpdate((venue, symbol) => strategy.onBookUpdate(venue, symbol, INSTRUMENT));
  w.tracker.onRate((r) => strategy.onFundingRate(r));
  w.lifecycle.attach(w.flow, w.hub);
  const levelBooks = (seq: number) => {
    const at = w.clock.now();
    w.hub.onBook(snapshot(V, [['49995.00', '1']], [['50005.00', '1']], { seq, receivedAt: at, venueTime: at }));
    w.hub.onBook(snapshot(P, [['49995.0', '1']], [['50005.0', '1']], { seq, receivedAt: at, venueTime: at }));
  };
  return { ...w, strategy, levelBooks, verdicts };
}

describe('funding-arb carry (pure)', () => {
  it('prices carry over the horizon net of fees and the round-trip spread', () => {
    const rate = (venue: string, r: string, h: number) => ({ venue, symbol: 's', rate: new Decimal(r), intervalHours: h, venueTime: 0, receivedAt: 0 });
    const c = judgeCarry({
      intentId: 'i',
      instrument: 'BTC',
      size: new Decimal('0.1'),
      quotes: { longAsk: new Decimal(50005), longBid: new Decimal(49995), shortBid: new Decimal(49995), shortAsk: new Decimal(50005) },
      long: rate('paradex', '-0.0008', 8),
      short: rate('vest', '0.0001', 1),
      longTaker: new Decimal('0.0005'),
      shortTaker: new Decimal('0.0004'),
      horizonHours: 72,
      minNetApr: new Decimal('0.1'),
      now: 0,
    });
    // carry 0.0001 + 0.0001 = 0.0002/h = 1.752/yr; notional 5000.5; 72 h -> 5000.5 x 0.0002 x 72 = 72.0072
    expect(c.carryApr.toString()).toBe('1.752');
    expect(c.expectedCarry.toString()).toBe('72.0072');
    // fees (50005+49995) x 0.1 x (0.0005 + 0.0004) = 9; spread (50005-49995) x 2 x 0.1 = 2
    expect(c.fees.toString()).toBe('9');
    expect(c.spreadCost.toString()).toBe('2');
    expect(c.net.toString()).toBe('61.0072');
    expect(c.decision).toBe('accept');
    expect(c.netApr.toString()).toBe(new Decimal('61.0072').div('5000.5').mul(8760).div(72).toString());
  });

  it('rejects bad options with the field path', () => {
    expect(() => parseFundingArbOptions({ minNetAprPct: 'x' }, 'strategies.funding-arb')).toThrow(ConfigError);
    expect(() => parseFundingArbOptions({ horizon: 1 }, 'strategies.funding-arb')).toThrow(/horizon/);
  });
});

describe('funding-arb strategy on a scripted funding path (real hub, flow, lifecycle)', () => {
  /**
   * T0 (1000h30m): Paradex -0.0008 per 8 h (longs receive), Vest +0.0001 per 1 h (shorts receive).
   *   Books level at 49995 / 50005 on both. Opens long Paradex at 50005, short Vest at 49995.
   *   Entry fees 50005 x 0.1 x 0.0005 + 49995 x 0.1 x 0.0004 = 2.50025 + 1.9998 = 4.50005.
   * T0+1h45m (1002h15m): Vest pays the short at 1001h and 1002h: 2 x 0.1 x mid 50000 x 0.0001 = +1.
   * T0+2h: Vest turns to -0.0001 per hour: carry 0 < 2%/yr -> exit 'funding' on the next book.
   *   Paradex long received continuously for 2 h: 0.1 x 50000 x 0.0008 x 2/8 = +1. Funding +2.
   *   Close: sell Paradex at 49995, buy Vest at 50005: price PnL -1 + -1 = -2.
   *   Exit fees 49995 x 0.1 x 0.0005 + 50005 x 0.1 x 0.0004 = 2.49975 + 2.0002 = 4.49995.
   *   Realized = -2 - 4.50005 - 4.49995 + 2 = -9 (a short hold does not pay back the costs).
   */
  it('opens when the differential pays, holds while it pays, exits when it stops, journaled throughout', () => {
    const w = fundingWorld();
    w.hub.onFunding(funding('paradex', P.symbol, '-0.0008', 8, T0));
    w.hub.onFunding(funding('vest', V.symbol, '0.0001', 1, T0));
    expect(w.pairs.unclosed()).toHaveLength(0); // no books yet
    w.levelBooks(1);
    const [pair] = w.pairs.unclosed();
    expect(pair).toBeDefined();
    expect(pair!.strategy).toBe('funding-arb');
    expect([pair!.long.venue, pair!.short.venue]).toEqual(['paradex', 'vest']);
    expect(pair!.entryFees.toString()).toBe('4.50005');
    expect(pair!.expectedPnl.toString()).toBe('61.0072');
    expect(pair!.policy.minCarryApr?.toString()).toBe('0.02');

    w.clock.set(T0 + 105 * 60_000);
    w.levelBooks(2);
    expect(w.pairs.unclosed()).toHaveLength(1); // still paying: hold, and no second pair
    expect(w.pairs.get(pair!.id)!.funding.toString()).toBe('1');

    w.clock.set(T0 + 2 * HOUR);
    w.hub.onFunding(funding('vest', V.symbol, '-0.0001', 1, w.clock.now()));
    w.levelBooks(3);
    expect(w.pairs.unclosed()).toHaveLength(0);
    const closed = w.pairs.journal.pair(pair!.id)!;
    expect(closed.exit!.reason).toBe('funding');
    expect(closed.funding.toString()).toBe('2');
    expect(closed.exit!.realizedPnl.toString()).toBe('-9');

    // Rates no longer pay in either direction: nothing reopens.
    w.clock.set(T0 + 3 * HOUR);
    w.levelBooks(4);
    expect(w.pairs.unclosed()).toHaveLength(0);

    // Journaled like the other strategies: the simulator's opportunity row (entry spread only,
    // so it rejects) and the carry row with the verdict the pair was opened on.
    w.journal.flush();
    const opp = w.journal.db.prepare("SELECT decision, buy_venue, sell_venue FROM opportunities WHERE strategy = 'funding-arb'").all();
    expect(opp).toEqual([{ decision: 'reject-unprofitable', buy_venue: 'paradex', sell_venue: 'vest' }]);
    const carry = w.journal.db.prepare('SELECT intent_id, decision, net, carry_apr FROM funding_carry').all() as Array<Record<string, string>>;
    expect(carry).toHaveLength(1);
    expect(carry[0]).toEqual({ intent_id: closed.intentId, decision: 'accept', net: '61.0072', carry_apr: '1.752' });
    expect(w.verdicts.filter((v) => v.decision === 'accept').map((v) => v.netUsd?.toString())).toEqual(['61.0072']);
    w.journal.close(w.clock.now());
  });

  it('does not open when costs eat the carry over the horizon', () => {
    // 0.0002/h gross (175%/yr) but a 1-hour horizon: 11 of costs against 1 of carry.
    const w = fundingWorld({ horizonHours: 1 });
    w.hub.onFunding(funding('paradex', P.symbol, '-0.0008', 8, T0));
    w.hub.onFunding(funding('vest', V.symbol, '0.0001', 1, T0));
    w.levelBooks(1);
    expect(w.pairs.unclosed()).toHaveLength(0);
    const rows = w.journal.db.prepare('SELECT decision FROM funding_carry').all();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => (r as { decision: string }).decision === 'reject')).toBe(true);
    // Each rejected carry is also a verdict for the console (it showed "judged 0" before).
    expect(w.verdicts.map((v) => [v.strategy, v.kind, v.instrument, v.decision])).toEqual(rows.map(() => ['funding-arb', 'carry', INSTRUMENT, 'reject']));
    expect(w.verdicts[0]!.summary).toMatch(/^long paradex \/ short vest \| funding 175\.20% APR → net -[\d.]+% APR over 1 h \(-\$[\d.]+ on \$[\d.]+\) \| needs 10\.00%$/);
    w.journal.close(w.clock.now());
  });
});
