/**
 * Maker-taker end to end: the strategy prices post-only quotes off the hedge venue's books, the
 * engine's quote desk rests them on the maker venue with the real gateway (Lighter WASM-signed
 * here), the simulator's matching engine fills them as maker when its market crosses them, and
 * each fill is hedged as taker on Paradex (Stark-signed) through the executor's lone-leg repair.
 * Positions are read from the simulators' matching engines, rows from the SQLite journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { attachQuoting, createQuoteDesk, type Quoting } from '../../engine/quoting/attach.ts';
import type { QuoteTarget } from '../../engine/quoting/quote-target.ts';
import { ETH, SYMBOL, startLiveRig, until, type LiveRig } from './harness.ts';

let rig: LiveRig;
let stepper: NodeJS.Timeout;
const lines: string[] = [];
const placedOnStale: string[] = [];

beforeAll(async () => {
  rig = await startLiveRig({
    envPrefix: 'E2E_MAKER_TAKER',
    plugins: ['fee-model:table', 'strategy:maker-taker'],
    strategies: {
      'maker-taker': {
        makerVenue: 'lighter',
        takerVenue: 'paradex',
        instruments: ['ETH-USD-PERP'],
        sides: 'buy',
        quoteSize: '0.05',
        minEdgeBps: 5,
        repriceBps: 5,
        minQuoteLifeMs: 300,
        maxRestingQuotes: 1,
        hedgeBandBps: 30,
        maxUnhedgedMs: 1500,
      },
    },
    extraConfig: { fees: { table: { preset: 'current' } }, market: { maxBookAgeMs: 800 } },
    // Three hedge attempts before the unwind: "the hedge venue rejects twice, then fills" ends hedged.
    execution: { repairAttempts: 3 },
    // The refusing-hedge tests bench Paradex (3 rejects); the gate refuses quotes hedged on a
    // benched venue, so a short bench lets the kill-switch test quote again.
    risk: { venueHealth: { benchMs: 1500 } },
  });
  rig.engine.announcements.on((l) => {
    lines.push(l);
    // Issue 11's "no quote was ever live while its hedge book was stale", checked at each placement.
    const m = /^\[LIVE\] quote (\S+) \S+ \S+ .* \| hedge (\S+) walk/.exec(l);
    if (m) {
      const venue = m[2] as 'paradex' | 'vest';
      const book = rig.engine.hub.book(venue, m[1] === 'ETH-USD-PERP' ? ETH[venue] : SYMBOL[venue]);
      if (!book || !rig.engine.hub.isTradable(book, Date.now())) placedOnStale.push(l);
    }
  });
  // The market moves every 50 ms (the harness's simulators step only when told).
  stepper = setInterval(() => rig.sims.step(), 50);
}, 30_000);

afterAll(async () => {
  expect(placedOnStale).toEqual([]);
  clearInterval(stepper);
  await rig?.close();
});

const eth = (venue: 'lighter' | 'paradex' | 'vest') => rig.position(venue, ETH[venue]);
const openOn = async (venue: 'lighter' | 'paradex') => (await rig.engine.connectors.find((c) => c.venue === venue)!.orders!.openOrders()).filter((o) => o.status === 'open' || o.status === 'partially_filled');

describe('maker-taker on the simulators', () => {
  it('a full maker fill on Lighter is hedged on Paradex: long one venue, short the other by the same size; journal rows', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    const before = { lighter: eth('lighter'), paradex: eth('paradex') };
    await until(() => desk.restingCount === 1 && desk.stats.placed >= 1, 5000, 'a resting quote');
    expect((await openOn('lighter')).length).toBe(1);
    // Lighter's whole book drops 0.4%: its asks cross the resting bid, which fills as maker at its price.
    rig.sims.model.dislocate('lighter', 'ETH', '-0.004', 1000);
    await until(() => desk.stats.hedges >= 1, 5000, 'a hedged maker fill');
    rig.sims.model.clearDislocation('lighter', 'ETH');
    await quoting.stop('test done');
    const bought = eth('lighter').minus(before.lighter);
    expect(bought.gte('0.05')).toBe(true);
    expect(eth('paradex').minus(before.paradex).toString()).toBe(bought.neg().toString());
    expect(await openOn('lighter')).toEqual([]);
    const line = lines.find((l) => l.includes('🎯 maker fill'));
    expect(line).toMatch(/^\[LIVE\] 🎯 maker fill ETH-USD-PERP lighter buy 0\.05 @ [\d.]+ → hedged sell paradex 0\.05 @ [\d.]+ in \d+ ms \| edge -?\d+\.\d{2}% \| PnL est -?\$\d+\.\d{2}$/);
    const trades = rig.rows("SELECT id, state, realized_pnl FROM trades WHERE intent_id LIKE 'mt-%' AND state = 'hedged'");
    expect(trades.length).toBeGreaterThanOrEqual(1);
    const id = trades[0]!['id'] as string;
    const orders = rig.rows('SELECT role, venue, side, time_in_force, outcome FROM orders WHERE trade_id = ? ORDER BY sent_at, rowid', id);
    expect(orders[0]).toMatchObject({ role: 'leg1', venue: 'lighter', side: 'buy', time_in_force: 'POST_ONLY', outcome: 'confirmed' });
    expect(orders[1]).toMatchObject({ role: 'hedge', venue: 'paradex', side: 'sell', time_in_force: 'IOC', outcome: 'confirmed' });
    const fills = rig.rows('SELECT venue, side, size, liquidity FROM fills WHERE trade_id = ? ORDER BY time, rowid', id);
    const sum = (venue: string) => fills.filter((f) => f['venue'] === venue).reduce((s, f) => s.plus(String(f['size'])), new Decimal(0));
    expect(fills.filter((f) => f['venue'] === 'lighter').every((f) => f['liquidity'] === 'maker')).toBe(true);
    expect(sum('lighter').toString()).toBe(sum('paradex').toString());
    // Every quote of the session ended: none left 'open' in the journal.
    expect(rig.rows("SELECT COUNT(*) AS n FROM trades WHERE intent_id LIKE 'mt-%' AND state = 'open'")[0]!['n']).toBe(0);
  }, 15_000);

  it('a stale hedge book cancels the quote (and no quote of the file is ever placed on a stale hedge book)', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1, 5000, 'a resting quote');
    const cancelledBefore = desk.stats.cancelled;
    // Paradex freezes: no book update reaches the engine, its ETH book ages past maxBookAgeMs (800 ms).
    rig.sims.faults.stall('paradex', 2500);
    await until(() => desk.restingCount === 0, 2500, 'the quote cancelled');
    expect(desk.stats.cancelled).toBe(cancelledBefore + 1);
    expect(lines.some((l) => /quote cancelled ETH-USD-PERP lighter buy .*paradex ETH-USD-PERP book stale/.test(l))).toBe(true);
    expect(await openOn('lighter')).toEqual([]);
    // Any quote placed later (a reconnected feed's fresh snapshot) must have a tradable hedge book: placedOnStale.
    await quoting.stop('test done');
    await new Promise((r) => setTimeout(r, 1500)); // let the stall end before the next test
  }, 15_000);

  it('partial fills below the hedge minimum add up and are hedged with nothing left (Lighter BTC 0.00015 fills, Vest step 0.0001)', async () => {
    // The desk directly, with hand-built targets: Vest BTC takes 0.0001 steps, Lighter BTC quotes 0.00001 steps.
    const desk = createQuoteDesk(rig.engine, { maxRestingQuotes: 1, minQuoteLifeMs: 0, reprice: new Decimal('0.01'), maxUnhedgedMs: 8000, hedgeBandBps: 50 }, 'test');
    const before = { lighter: rig.position('lighter'), vest: rig.position('vest') };
    const fair = () => new Decimal(rig.sims.model.fairPrice('BTC'));
    // priceFactor under fair; hedgeFactor only moves the walk the quote was priced on (a move past 1% replaces it).
    const target = (priceFactor: string, hedgeFactor = '1'): QuoteTarget => ({
      instrument: 'BTC-USD-PERP',
      side: 'buy',
      size: new Decimal('0.00015'),
      price: fair().mul(priceFactor).toDecimalPlaces(1, Decimal.ROUND_DOWN),
      maker: { venue: 'lighter', symbol: SYMBOL.lighter },
      taker: { venue: 'vest', symbol: SYMBOL.vest },
      hedge: { vwap: fair().mul(hedgeFactor), worst: fair().mul('0.999').toDecimalPlaces(2) },
      edge: new Decimal('0.004'),
    });
    const fillOnce = async (hedgeFactor: string) => {
      const fills = desk.stats.makerFills;
      const near = target('0.995', hedgeFactor); // 0.5% under fair: rests
      desk.want('BTC-USD-PERP', 'buy', near);
      await until(() => desk.restingCount === 1 && lines.some((l) => l.includes(`quote BTC-USD-PERP lighter buy 0.00015 @ ${near.price.toFixed()} post-only`)), 5000, 'quote 0.5% under fair');
      // Lighter acknowledges before its sequencer books the order: cross it only once the book holds it.
      await until(async () => (await openOn('lighter')).length === 1, 5000, 'quote in the Lighter book');
      // What replaces it after the fill rests 3% under fair, out of reach of the 1% drop.
      desk.want('BTC-USD-PERP', 'buy', target('0.97', hedgeFactor));
      rig.sims.model.dislocate('lighter', 'BTC', '-0.01', 300);
      await until(() => desk.stats.makerFills > fills, 5000, 'a maker fill');
      await new Promise((r) => setTimeout(r, 350));
      rig.sims.model.clearDislocation('lighter', 'BTC');
    };
    await fillOnce('1');
    // 0.00015 filled: Vest takes 0.0001 at once (its step), 0.00005 waits for more.
    await until(() => rig.position('vest').minus(before.vest).eq('-0.0001'), 5000, 'vest short 0.0001');
    expect(rig.position('lighter').minus(before.lighter).toString()).toBe('0.00015');
    // A hedge walk 2% away replaces the far quote with one 0.5% under fair again; it fills: 0.00005 + 0.00015 = 0.0002.
    await fillOnce('1.02');
    await until(() => rig.position('vest').minus(before.vest).eq('-0.0003'), 5000, 'vest short 0.0003');
    await desk.stop('test done');
    expect(rig.position('lighter').minus(before.lighter).toString()).toBe('0.0003');
    expect(rig.position('vest').minus(before.vest).toString()).toBe('-0.0003');
    const hedges = rig.rows("SELECT o.size FROM orders o JOIN trades t ON t.id = o.trade_id WHERE o.role = 'hedge' AND o.venue = 'vest' AND t.instrument = 'BTC-USD-PERP' ORDER BY o.sent_at");
    expect(hedges.map((h) => h['size'])).toEqual(['0.0001', '0.0002']);
    expect(await openOn('lighter')).toEqual([]);
  }, 20_000);

  /** A desk with a hand-built ETH buy target on Lighter, hedged on Paradex, 0.5% under fair (rests until pushed through). */
  function ethDesk() {
    const desk = createQuoteDesk(rig.engine, { maxRestingQuotes: 1, minQuoteLifeMs: 0, reprice: new Decimal('0.01'), maxUnhedgedMs: 8000, hedgeBandBps: 50 }, 'test');
    const fair = new Decimal(rig.sims.model.fairPrice('ETH'));
    const target: QuoteTarget = {
      instrument: 'ETH-USD-PERP',
      side: 'buy',
      size: new Decimal('0.02'),
      price: fair.mul('0.995').toDecimalPlaces(2, Decimal.ROUND_DOWN),
      maker: { venue: 'lighter', symbol: ETH.lighter },
      taker: { venue: 'paradex', symbol: ETH.paradex },
      hedge: { vwap: fair, worst: fair.mul('0.999').toDecimalPlaces(2) },
      edge: new Decimal('0.004'),
    };
    return { desk, target };
  }
  /** Lighter acknowledges a transaction before its sequencer puts the order in the book: wait until the book holds it. */
  async function restingOnLighter(desk: { restingCount: number }, what: string): Promise<void> {
    await until(async () => desk.restingCount === 1 && (await openOn('lighter')).length === 1, 5000, what);
  }
  /** Lighter ETH drops 1% for a few synchronous steps (its quotes follow the mid over steps): a bid 0.5% under fair fills as maker now. */
  function crossLighterNow(): void {
    rig.sims.model.dislocate('lighter', 'ETH', '-0.01', 60_000);
    for (let i = 0; i < 5; i++) rig.sims.step();
    rig.sims.model.clearDislocation('lighter', 'ETH');
  }

  it('a fill the engine learns after it sent the cancel is hedged like any other', async () => {
    const { desk, target } = ethDesk();
    const before = { lighter: eth('lighter'), paradex: eth('paradex') };
    desk.want('ETH-USD-PERP', 'buy', target);
    await restingOnLighter(desk, 'a resting quote');
    // The venue fills it (synchronously, inside the step) before the cancel the next line sends arrives.
    crossLighterNow();
    desk.want('ETH-USD-PERP', 'buy', undefined);
    await until(() => desk.stats.hedges >= 1, 5000, 'the late fill hedged');
    await desk.stop('test done');
    expect(desk.stats.fillsAfterCancel).toBe(1);
    expect(eth('lighter').minus(before.lighter).toString()).toBe('0.02');
    expect(eth('paradex').minus(before.paradex).toString()).toBe('-0.02');
  }, 15_000);

  it('the risk gate counts a quote at its full size before it is placed: one over the trade notional limit is never sent', async () => {
    const { desk, target } = ethDesk();
    const placed = desk.stats.placed;
    // 12 ETH at ~3500 is ~42,000 USD a leg: over the rig's maxNotionalPerTradeUsd (5000).
    desk.want('ETH-USD-PERP', 'buy', { ...target, size: new Decimal('12') });
    await until(() => desk.stats.riskRefused === 1, 3000, 'the risk gate refusing the quote');
    await new Promise((r) => setTimeout(r, 500)); // book updates re-ask the desk: still nothing sent, said once
    expect(desk.stats.placed).toBe(placed);
    expect(desk.stats.riskRefused).toBe(1);
    expect(await openOn('lighter')).toEqual([]);
    expect(lines.filter((l) => l.includes('quote not placed ETH-USD-PERP lighter buy 12 @')).length).toBe(1);
    expect(lines.find((l) => l.includes('quote not placed ETH-USD-PERP lighter buy 12 @'))).toMatch(/risk gate: trade-notional: lighter leg notional [\d.]+ exceeds 5000 USD/);
    // The same quote at a size inside the limits rests: the refusal was the gate's, not the market's.
    desk.want('ETH-USD-PERP', 'buy', target);
    await restingOnLighter(desk, 'the small quote resting');
    expect(desk.stats.placed).toBe(placed + 1);
    desk.want('ETH-USD-PERP', 'buy', undefined);
    await desk.stop('test done');
    expect(await openOn('lighter')).toEqual([]);
  }, 15_000);

  it('a maker venue that cannot sign post-only orders (Vest) pauses the desk with the reason, and nothing is sent', async () => {
    const { desk, target } = ethDesk();
    const vestOpen = async () => (await rig.engine.connectors.find((c) => c.venue === 'vest')!.orders!.openOrders()).filter((o) => o.status === 'open');
    const before = (await vestOpen()).length;
    desk.want('ETH-USD-PERP', 'buy', { ...target, maker: { venue: 'vest', symbol: ETH.vest }, taker: { venue: 'paradex', symbol: ETH.paradex } });
    await until(() => desk.pausedReason !== undefined, 3000, 'the desk paused');
    expect(desk.pausedReason).toMatch(/^vest could not sign a post-only quote \(.*POST_ONLY.*\); strategies\.maker-taker\.makerVenue must be/);
    expect(lines.some((l) => l.includes('ALERT maker-taker paused: vest could not sign'))).toBe(true);
    expect(desk.stats.placed).toBe(0);
    expect((await vestOpen()).length).toBe(before);
    await desk.stop('test done');
  }, 15_000);

  it('the hedge venue refusing twice, then filling: the third hedge attempt closes it', async () => {
    const { desk, target } = ethDesk();
    const before = { lighter: eth('lighter'), paradex: eth('paradex') };
    desk.want('ETH-USD-PERP', 'buy', target);
    await restingOnLighter(desk, 'a resting quote');
    rig.sims.trading.paradex.faults.rejectNext(2);
    crossLighterNow();
    await until(() => desk.stats.hedges >= 1, 8000, 'hedged on the third attempt');
    await desk.stop('test done');
    expect(desk.pausedReason).toBeUndefined();
    expect(eth('lighter').minus(before.lighter).toString()).toBe('0.02');
    expect(eth('paradex').minus(before.paradex).toString()).toBe('-0.02');
    const hedges = rig.rows("SELECT outcome, filled_size FROM orders WHERE role = 'hedge' AND venue = 'paradex' AND symbol = 'ETH-USD-PERP' ORDER BY sent_at DESC, rowid DESC LIMIT 3");
    expect(hedges.reverse().map((h) => h['outcome'])).toEqual(['rejected', 'rejected', 'confirmed']);
  }, 15_000);

  it('the hedge venue refusing every hedge: the fill is unwound on Lighter, the desk pauses with an alert and quotes no more', async () => {
    const { desk, target } = ethDesk();
    const before = { lighter: eth('lighter'), paradex: eth('paradex') };
    desk.want('ETH-USD-PERP', 'buy', target);
    await restingOnLighter(desk, 'a resting quote');
    rig.sims.trading.paradex.faults.rejectNext(50);
    crossLighterNow();
    try {
      await until(() => desk.pausedReason !== undefined, 12_000, 'paused');
    } finally {
      rig.sims.trading.paradex.faults.clear();
    }
    await desk.stop('test done');
    expect(desk.pausedReason).toMatch(/^3 hedge attempts failed on paradex; the fill was unwound on lighter$/);
    expect(lines.some((l) => l.startsWith('[LIVE] ⚠ ALERT maker-taker paused: 3 hedge attempts failed on paradex'))).toBe(true);
    expect(eth('lighter').minus(before.lighter).toString()).toBe('0');
    expect(eth('paradex').minus(before.paradex).toString()).toBe('0');
    // Paused: a new target is not quoted.
    desk.want('ETH-USD-PERP', 'buy', target);
    expect(desk.restingCount).toBe(0);
    expect(await openOn('lighter')).toEqual([]);
  }, 20_000);

  it('the kill switch cancels every resting quote: none left open on the maker venue', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1, 5000, 'a resting quote');
    expect((await openOn('lighter')).length).toBe(1);
    rig.live.killSwitch.trip('e2e: operator pressed the kill switch');
    await desk.stop('(already stopping)');
    expect(desk.restingCount).toBe(0);
    expect(await openOn('lighter')).toEqual([]);
    // Nothing is quoted after the trip, whatever the books do.
    await new Promise((r) => setTimeout(r, 300));
    expect(await openOn('lighter')).toEqual([]);
  }, 15_000);
});
