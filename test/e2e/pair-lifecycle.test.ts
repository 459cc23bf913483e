/**
 * Live spread pairs with funding, end to end on the loopback simulators: a scripted spread
 * path (Vest ETH dislocates cheap, the engine buys Vest and sells Lighter, the pair is held
 * across hourly funding boundaries with scripted rates, Vest converges and the lifecycle closes
 * the pair by itself), realized PnL checked exactly against a figure computed here from the
 * simulators' own records; then restarts while holding: one that reconciles and closes later,
 * one where a venue position changed behind the engine's back: trading stays halted and the
 * pair is not closed, even when its exit policy says converged.
 *
 * Why ETH, 1 unit: Vest reports an order's fee at 6 decimals (USDC) and its average price at the
 * price tick. At 1 ETH (Vest tick 0.01) the fee, price x 1 x 0.0001, has at most 6 decimals, and
 * 1 ETH fills at the touch (3 ETH or more), so what the venue reports is exactly what its matching
 * engine booked. A BTC 0.01 fill would carry a fee of 8 decimals that Vest rounds on the wire.
 */
import { rmSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../engine/core/clock.ts';
import type { Engine } from '../../engine/core/engine.ts';
import type { MarketDataHub } from '../../engine/market/hub.ts';
import { exitQuote, midPrice } from '../../engine/portfolio/book-prices.ts';
import { evaluateExit } from '../../engine/portfolio/exit-policy.ts';
import type { PairBook } from '../../engine/portfolio/pair-book.ts';
import { PORTFOLIO_TOKENS } from '../../engine/portfolio/tokens.ts';
import { reconcilePairs, scoped, venuePositions } from '../../engine/portfolio/reconcile.ts';
import { legExposures, type PairPosition } from '../../engine/portfolio/pair-position.ts';
import type { Judgment } from '../../engine/simulation/execution-simulator.ts';
import type { Fill as SimFill } from '../../simulators/matching/engine.ts';
import { judgment } from '../engine/execution/fixtures.ts';
import { capturedLogLines, ETH, generatedSecrets, linesWithSecrets, startLiveRig, until, type LiveRig, type Venue } from './harness.ts';

// startLiveRig throws when trading is halted after start, without handing back the engine it
// started: keep every engine built here, so the halted one can still be stopped.
const built = vi.hoisted(() => [] as Engine[]);
vi.mock('../../engine/core/engine.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../engine/core/engine.ts')>();
  return {
    ...real,
    createEngine: async (...args: Parameters<typeof real.createEngine>) => {
      const engine = await real.createEngine(...args);
      built.push(engine);
      return engine;
    },
  };
});

const HOUR = 3_600_000;
const BASE = 'ETH';
const SIZE = '1';
const PORTFOLIO = { exit: { default: { exitSpreadPct: '0.05', stopWideningPct: '2', maxHoldMinutes: 100000 } } };

/**
 * Scripted funding. Published rate per 1 h period = trunc((1000 + ppm x 100) x 1 / 8) x 1e-8
 * (simulators/funding.ts); Lighter publishes it in percent, its connector divides by 100.
 */
const FUNDING = {
  first: {
    vest: { ppm: 400, rate: '0.00005125' }, // trunc((1000 + 40000) / 8) = 5125
    lighter: { ppm: 1200, rate: '0.00015125' }, // trunc((1000 + 120000) / 8) = 15125
  },
  second: {
    vest: { ppm: -600, rate: '-0.00007375' }, // trunc((1000 - 60000) / 8) = -7375: longs receive
    lighter: { ppm: 200, rate: '0.00002625' }, // trunc((1000 + 20000) / 8) = 2625
  },
} as const;
type FundingStep = (typeof FUNDING)[keyof typeof FUNDING];

afterAll(() => {
  // Key-leak check over every log line this file's engines wrote (debug level, so the most there is).
  expect(generatedSecrets.length).toBeGreaterThanOrEqual(4);
  expect(capturedLogLines.length).toBeGreaterThan(0);
  expect(linesWithSecrets()).toEqual([]);
});

/**
 * Engine and simulators read this clock; tests move it forward across funding boundaries. It
 * starts ten minutes past an hour mark, so no boundary falls due while a test runs in real time.
 */
class ShiftedClock implements Clock {
  private offset: number;
  constructor() {
    const now = Date.now();
    this.offset = (Math.floor(now / HOUR) + 1) * HOUR + 10 * 60_000 - now;
  }
  now(): number {
    return Date.now() + this.offset;
  }
  /** Jump to `t` (never backwards: book ages, nonces and dislocation expiries assume a forward clock). */
  jumpTo(t: number): void {
    const by = t - this.now();
    if (by < 0) throw new Error(`clock would go back ${-by} ms`);
    this.offset += by;
  }
}

const dec = (v: { toString(): string }) => new Decimal(v.toString());

function accountOf(rig: LiveRig, venue: Venue): string {
  return rig.accounts.accounts.find((a) => a.venue === venue)!.engineAccount;
}

/** The simulator's venue symbol for ETH (Lighter's matching engine keys by base, its wire by market id). */
function simSymbol(rig: LiveRig, venue: Venue): string {
  return rig.sims.market(venue, BASE).instrument.symbol;
}

/** Best bid, best ask and mid of the simulator's own book. */
function simTop(rig: LiveRig, venue: Venue): { bid: Decimal; ask: Decimal; mid: Decimal } {
  const m = rig.sims.market(venue, BASE);
  const scale = new Decimal(10).pow(m.instrument.priceDecimals);
  const bid = new Decimal(m.book.best('bid')!.price).div(scale);
  const ask = new Decimal(m.book.best('ask')!.price).div(scale);
  return { bid, ask, mid: bid.plus(ask).div(2) };
}

/** The engine's books (by default the rig's) show the simulators' tops on both pair venues. */
async function booksSynced(rig: LiveRig, clock: Clock, hub: MarketDataHub = rig.engine.hub): Promise<void> {
  await until(
    () =>
      (['vest', 'lighter'] as const).every((v) => {
        const book = hub.book(v, ETH[v]);
        const mid = midPrice(book);
        return book !== undefined && mid !== undefined && mid.eq(simTop(rig, v).mid) && hub.isTradable(book, clock.now());
      }),
    5000,
    'engine books equal the simulator books',
  );
}

/** The engine's funding tracker holds these rates for both legs. */
async function ratesKnown(rig: LiveRig, step: FundingStep): Promise<void> {
  await until(
    () => (['vest', 'lighter'] as const).every((v) => rig.portfolio!.funding.current(v, ETH[v])?.rate.eq(step[v].rate) === true),
    5000,
    'scripted funding rates published',
  );
}

function scriptFunding(rig: LiveRig, step: FundingStep): void {
  for (const v of ['vest', 'lighter'] as const) rig.sims.model.setFundingPremium(v, BASE, step[v].ppm);
}

/** Buy `buy`, sell `sell`, priced off the simulators' books now, stamped with the engine clock. */
function judgmentOffBooks(rig: LiveRig, clock: Clock, buy: Venue, sell: Venue): Judgment {
  const ask = simTop(rig, buy).ask;
  const bid = simTop(rig, sell).bid;
  const leg = (venue: Venue, price: Decimal, worst: Decimal) => ({ venue, symbol: ETH[venue], top: price.toFixed(2), expected: price.toFixed(2), worst: worst.toFixed(2) });
  const j = judgment({
    instrument: `${BASE}-USD-PERP`,
    size: SIZE,
    buy: leg(buy, ask, ask.mul('1.005')),
    sell: leg(sell, bid, bid.mul('0.995')),
    net: bid.minus(ask).mul(SIZE).toString(),
  });
  const now = clock.now();
  const stamp = <L extends { bookReceivedAt: number; bookVenueTime: number }>(l: L): L => ({ ...l, bookReceivedAt: now, bookVenueTime: now });
  return { ...j, judgedAt: now, intent: { ...j.intent, detectedAt: now, buy: stamp(j.intent.buy), sell: stamp(j.intent.sell) } };
}

/**
 * Diverge and open: Vest ETH quotes 0.3% cheap (for ten hours of clock time, so only the test
 * ends it), the engine buys 1 ETH on Vest and sells 1 on Lighter, and the pair opens.
 */
async function openDivergedPair(rig: LiveRig, clock: ShiftedClock, step: FundingStep): Promise<PairPosition> {
  scriptFunding(rig, step);
  rig.sims.model.dislocate('vest', BASE, '-0.003', 10 * HOUR);
  rig.sims.step();
  await booksSynced(rig, clock);
  await ratesKnown(rig, step);
  // The margin check refuses every opening until its first read of the venues' accounts.
  await until(() => rig.portfolio!.margin.refreshedAt !== undefined, 5000, 'margin read');
  const r = await rig.trade(judgmentOffBooks(rig, clock, 'vest', 'lighter'));
  expect(rig.lastDenial).toBeUndefined();
  expect(r?.state).toBe('completed');
  const id = `pair-${r!.tradeId}`;
  await until(() => rig.portfolio!.pairs.get(id) !== undefined, 2000, 'pair opened');
  return rig.portfolio!.pairs.get(id)!;
}

/** Pair as opened: legs, prices and fees are the simulators' fills; the venues hold exactly its legs. */
async function expectOpenedFromFills(rig: LiveRig, pair: PairPosition): Promise<void> {
  const vest = rig.sims.trading.vest.engine.fills(accountOf(rig, 'vest'), simSymbol(rig, 'vest'));
  const lighter = rig.sims.trading.lighter.engine.fills(accountOf(rig, 'lighter'), simSymbol(rig, 'lighter'));
  expect(vest.map((f) => f.side)).toEqual(['buy']);
  expect(lighter.map((f) => f.side)).toEqual(['sell']);
  const vwap = (fills: SimFill[]) => fills.reduce((s, f) => s.plus(dec(f.price).mul(dec(f.size))), new Decimal(0)).div(fills.reduce((s, f) => s.plus(dec(f.size)), new Decimal(0)));
  expect(pair).toMatchObject({ state: 'open', mode: 'live', instrument: 'ETH-USD-PERP' });
  expect(pair.size.toString()).toBe(SIZE);
  expect([pair.long.venue, pair.long.symbol, pair.short.venue, pair.short.symbol]).toEqual(['vest', 'ETH-PERP', 'lighter', '0']);
  expect(pair.long.entryPrice.eq(vwap(vest))).toBe(true);
  expect(pair.short.entryPrice.eq(vwap(lighter))).toBe(true);
  expect(pair.entryFees.eq([...vest, ...lighter].reduce((s, f) => s.plus(dec(f.fee)), new Decimal(0)))).toBe(true);
  // The venues hold what the pair says, and the engine's own reconciliation agrees.
  expect(rig.position('vest', ETH.vest).toString()).toBe(SIZE);
  expect(rig.position('lighter', ETH.lighter).toString()).toBe(`-${SIZE}`);
  const report = reconcilePairs(rig.portfolio!.pairs.unclosed(), scoped(await venuePositions(rig.live.gateways), rig.live.symbols));
  expect(report.disagreements).toEqual([]);
  expect(report.agreed.map((a) => [a.venue, a.symbol, a.size.toString()]).sort()).toEqual(
    legExposures(pair)
      .map((l) => [l.venue, l.symbol, l.size.toString()])
      .sort(),
  );
}

/**
 * Hold across the next hourly boundary after the legs' accrued-to mark: the clock jumps past it,
 * both venues settle the hour on their side, then a book update (another trader takes 0.0001 ETH
 * at Lighter's best ask: the top prices stay where they were) makes the lifecycle accrue. The
 * engine's mark is the mid of its book, which equals the simulator's top (checked before and
 * after), so the hand figure is reproducible: size x mid x scripted rate, - on the long, + on the short.
 * Returns the hand-computed funding of this boundary.
 */
async function crossFundingBoundary(rig: LiveRig, clock: ShiftedClock, pairId: string, step: FundingStep): Promise<Decimal> {
  scriptFunding(rig, step);
  rig.sims.step();
  await booksSynced(rig, clock);
  await ratesKnown(rig, step);
  const before = rig.portfolio!.pairs.get(pairId)!;
  const fundingEvents = () => rig.portfolio!.pairs.journal.events(pairId).filter((e) => e.type === 'funding').length;
  const eventsBefore = fundingEvents();
  const boundary = (Math.floor(before.long.fundingAccruedTo / HOUR) + 1) * HOUR;
  expect(before.short.fundingAccruedTo).toBe(before.long.fundingAccruedTo);
  clock.jumpTo(boundary + 60_000);

  const mark = { vest: simTop(rig, 'vest').mid, lighter: simTop(rig, 'lighter').mid };
  const size = new Decimal(SIZE);
  const longPays = size.mul(mark.vest).mul(step.vest.rate).neg();
  const shortGets = size.mul(mark.lighter).mul(step.lighter.rate);

  // The venues' own settlement of the hour: the same amounts for our accounts.
  const settled = (venue: Venue) => rig.sims.trading[venue].funding.settle(simSymbol(rig, venue)).filter((p) => p.account === accountOf(rig, venue));
  const [vestPaid] = settled('vest');
  const [lighterPaid] = settled('lighter');
  expect(dec(vestPaid!.rate).eq(step.vest.rate) && dec(vestPaid!.markPrice).eq(mark.vest) && dec(vestPaid!.amount).eq(longPays)).toBe(true);
  expect(dec(lighterPaid!.rate).eq(step.lighter.rate) && dec(lighterPaid!.markPrice).eq(mark.lighter) && dec(lighterPaid!.amount).eq(shortGets)).toBe(true);

  const lighter = rig.sims.trading.lighter.engine;
  const market = rig.sims.market('lighter', BASE);
  lighter.fund('another-trader', '100000');
  const taken = lighter.submit({ account: 'another-trader', symbol: market.instrument.symbol, side: 'buy', kind: 'limit', priceUnits: market.book.best('ask')!.price, sizeUnits: market.instrument.stepUnits, timeInForce: 'IOC' });
  expect(taken.status).toBe('filled');
  await until(() => fundingEvents() === eventsBefore + 1, 5000, 'funding accrued');
  expect(simTop(rig, 'vest').mid.eq(mark.vest) && simTop(rig, 'lighter').mid.eq(mark.lighter)).toBe(true);

  const event = rig.portfolio!.pairs.journal.events(pairId).filter((e) => e.type === 'funding').at(-1)!;
  const payments = event.payload['payments'] as Array<Record<string, unknown>>;
  expect(payments.map((p) => ({ leg: p['leg'], venue: p['venue'], rate: p['rate'], size: p['size'], to: p['to'] }))).toEqual([
    { leg: 'long', venue: 'vest', rate: new Decimal(step.vest.rate).toString(), size: SIZE, to: boundary },
    { leg: 'short', venue: 'lighter', rate: new Decimal(step.lighter.rate).toString(), size: SIZE, to: boundary },
  ]);
  expect(new Decimal(payments[0]!['mark'] as string).eq(mark.vest)).toBe(true);
  expect(new Decimal(payments[1]!['mark'] as string).eq(mark.lighter)).toBe(true);
  expect(new Decimal(payments[0]!['amount'] as string).eq(longPays)).toBe(true);
  expect(new Decimal(payments[1]!['amount'] as string).eq(shortGets)).toBe(true);
  const after = rig.portfolio!.pairs.get(pairId)!;
  expect(after.funding.minus(before.funding).eq(longPays.plus(shortGets))).toBe(true);
  expect([after.long.fundingAccruedTo, after.short.fundingAccruedTo]).toEqual([boundary, boundary]);
  return longPays.plus(shortGets);
}

/** Converge: Vest quotes at fair again; the lifecycle sees the exit spread under 0.05% and closes the pair. */
async function convergeAndClose(rig: LiveRig, pairId: string): Promise<Record<string, unknown>> {
  rig.sims.model.clearDislocation('vest', BASE);
  rig.sims.step();
  await until(() => rig.portfolio!.pairs.get(pairId) === undefined, 10_000, 'pair closed');
  await until(() => rig.position('vest', ETH.vest).isZero() && rig.position('lighter', ETH.lighter).isZero(), 5000, 'flat on both venues');
  return rig.rows('SELECT * FROM pair_positions WHERE id = ?', pairId)[0]!;
}

/** Every fill of our accounts on the pair's markets, as the simulators booked them: sells in, buys out, fees out. */
function simCashFlow(rig: LiveRig): Decimal {
  const fills = [
    ...rig.sims.trading.vest.engine.fills(accountOf(rig, 'vest'), simSymbol(rig, 'vest')),
    ...rig.sims.trading.lighter.engine.fills(accountOf(rig, 'lighter'), simSymbol(rig, 'lighter')),
  ];
  return fills.reduce((s, f) => {
    const cash = dec(f.price).mul(dec(f.size));
    return (f.side === 'sell' ? s.plus(cash) : s.minus(cash)).minus(dec(f.fee));
  }, new Decimal(0));
}

function eventTypes(rig: LiveRig, pairId: string): string[] {
  return rig.rows('SELECT type FROM pair_events WHERE pair_id = ? ORDER BY seq', pairId).map((r) => r['type'] as string);
}

describe('live pairs with funding on the simulators', () => {
  it('diverge, hold across a funding boundary, converge: the lifecycle closes the pair, realized PnL equals the hand figure', async () => {
    const clock = new ShiftedClock();
    const rig = await startLiveRig({ envPrefix: 'E2EPAIR1', clock, portfolio: PORTFOLIO });
    try {
      const pair = await openDivergedPair(rig, clock, FUNDING.first);
      await expectOpenedFromFills(rig, pair);
      // Still diverged: holding does not close it.
      rig.sims.step();
      await booksSynced(rig, clock);
      expect(rig.portfolio!.pairs.get(pair.id)?.state).toBe('open');

      const funding = await crossFundingBoundary(rig, clock, pair.id, FUNDING.first);
      const row = await convergeAndClose(rig, pair.id);

      // Hand figure: the simulators' fills of both legs, open and close, and the hour's funding.
      const fills = {
        vest: rig.sims.trading.vest.engine.fills(accountOf(rig, 'vest'), simSymbol(rig, 'vest')),
        lighter: rig.sims.trading.lighter.engine.fills(accountOf(rig, 'lighter'), simSymbol(rig, 'lighter')),
      };
      expect(fills.vest.map((f) => f.side)).toEqual(['buy', 'sell']);
      expect(fills.lighter.map((f) => f.side)).toEqual(['sell', 'buy']);
      const expected = simCashFlow(rig).plus(funding);
      expect(row).toMatchObject({ state: 'closed', exit_reason: 'converged', exited_size: SIZE });
      expect(new Decimal(row['funding'] as string).eq(funding)).toBe(true);
      expect(new Decimal(row['realized_pnl'] as string).eq(expected), `realized ${String(row['realized_pnl'])} vs hand ${expected.toString()}`).toBe(true);
      expect(eventTypes(rig, pair.id)).toEqual(['open', 'funding', 'closing', 'closed']);
      // The close went out as a reduce-only trade through the executor and completed.
      const close = rig.rows('SELECT state FROM trades WHERE intent_id = ?', `close:${pair.id}:1`);
      expect(close).toEqual([{ state: 'completed' }]);
      expect(rig.rows('SELECT DISTINCT reduce_only FROM orders WHERE trade_id = (SELECT id FROM trades WHERE intent_id = ?)', `close:${pair.id}:1`)).toEqual([{ reduce_only: 1 }]);
      expect(rig.live.gate.halted).toBeUndefined();
    } finally {
      await rig.close();
    }
  }, 60_000);

  it('restart while holding: the new engine resumes the pair, accrues the next boundary and closes it; PnL is both runs\' fills plus funding', async () => {
    const clock = new ShiftedClock();
    const first = await startLiveRig({ envPrefix: 'E2EPAIR2', clock, portfolio: PORTFOLIO });
    const { sims, accounts, dir } = first;
    let second: LiveRig | undefined;
    try {
      const pair = await openDivergedPair(first, clock, FUNDING.first);
      await expectOpenedFromFills(first, pair);
      const firstFunding = await crossFundingBoundary(first, clock, pair.id, FUNDING.first);
      const held = first.portfolio!.pairs.get(pair.id)!;
      await first.close({ keepSims: true, keepDir: true });

      second = await startLiveRig({ sims, accounts, dir, envPrefix: 'E2EPAIR2', clock, portfolio: PORTFOLIO });
      expect(second.live.gate.halted).toBeUndefined();
      const resumed = second.portfolio!.pairs.unclosed();
      expect(resumed.map((p) => p.id)).toEqual([pair.id]);
      expect(resumed[0]).toEqual(held);

      const secondFunding = await crossFundingBoundary(second, clock, pair.id, FUNDING.second);
      const row = await convergeAndClose(second, pair.id);
      const expected = simCashFlow(second).plus(firstFunding).plus(secondFunding);
      expect(row).toMatchObject({ state: 'closed', exit_reason: 'converged', exited_size: SIZE });
      expect(new Decimal(row['funding'] as string).eq(firstFunding.plus(secondFunding))).toBe(true);
      expect(new Decimal(row['realized_pnl'] as string).eq(expected), `realized ${String(row['realized_pnl'])} vs hand ${expected.toString()}`).toBe(true);
      expect(eventTypes(second, pair.id)).toEqual(['open', 'funding', 'funding', 'closing', 'closed']);
      expect(second.live.gate.halted).toBeUndefined();
    } finally {
      if (second) await second.close();
      else {
        await sims.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it('restart after a venue position changed behind the engine: trading halted naming the venue and market, the pair held, not closed', async () => {
    const clock = new ShiftedClock();
    const first = await startLiveRig({ envPrefix: 'E2EPAIR3', clock, portfolio: PORTFOLIO });
    const { sims, accounts, dir } = first;
    try {
      const pair = await openDivergedPair(first, clock, FUNDING.first);
      // Someone sells 0.5 ETH of our Vest long straight on the venue.
      const vest = sims.trading.vest.engine;
      const market = sims.market('vest', BASE);
      const half = new Decimal('0.5').mul(new Decimal(10).pow(market.instrument.sizeDecimals)).toNumber();
      const sold = vest.submit({ account: accountOf(first, 'vest'), symbol: market.instrument.symbol, side: 'sell', kind: 'market', sizeUnits: half, timeInForce: 'IOC' });
      expect(sold.status).toBe('filled');
      expect(first.position('vest', ETH.vest).toString()).toBe('0.5');
      await first.close({ keepSims: true, keepDir: true });

      const before = built.length;
      const restart = await startLiveRig({ sims, accounts, dir, envPrefix: 'E2EPAIR3', clock, portfolio: PORTFOLIO }).catch((e: unknown) => e);
      // The restarted engine, whether or not startLiveRig handed it back: it is stopped below either way.
      const halted = built[before]!;
      try {
        expect(restart).toBeInstanceOf(Error);
        expect((restart as Error).message).toMatch(/live trading halted after start/);
        const reason = halted.liveTrading!.gate.halted;
        expect(reason).toContain(`vest ETH-PERP: journaled pairs hold 1, venue shows 0.5 (pairs ${pair.id})`);
        // Lighter agrees with the journal: only the changed market is named.
        expect(reason).not.toContain('lighter 0');
        // Nothing trades: the gate refuses openings...
        expect(halted.liveTrading!.gate.check(judgmentOffBooks(first, clock, 'vest', 'lighter')).ok).toBe(false);
        // ...and the held pair is not closed either, even once its exit policy says converged: its
        // size is what the venues dispute (a close here sold 1 ETH against a 0.5 long and left Vest short).
        const orders = () => [sims.trading.vest.engine.orders(accountOf(first, 'vest')).length, sims.trading.lighter.engine.orders(accountOf(first, 'lighter')).length];
        const ordersBefore = orders();
        sims.model.clearDislocation('vest', BASE);
        sims.step();
        // The lifecycle reviews the pair on each book update, synchronously: once the engine's books
        // show the converged tops, its decision is made (a close would have journaled 'closing' first).
        await booksSynced(first, clock, halted.hub);
        const pairs = halted.container.get<PairBook>(PORTFOLIO_TOKENS.PairBook);
        const held = pairs.get(pair.id)!;
        const now = clock.now();
        expect(evaluateExit(held, held.policy, now, exitQuote(halted.hub, held, now), undefined)?.reason).toBe('converged');
        expect(held.state).toBe('open');
        expect(pairs.journal.events(pair.id).map((e) => e.type)).toEqual(['open']);
        expect(orders()).toEqual(ordersBefore);
        expect(first.position('vest', ETH.vest).toString()).toBe('0.5');
        expect(first.position('lighter', ETH.lighter).toString()).toBe(`-${SIZE}`);
      } finally {
        await halted.stop();
      }
    } finally {
      await sims.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
