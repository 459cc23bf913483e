/**
 * repairLoneLeg called directly, against scripted venues: each order's answer (filled size,
 * refusal with a reason, stall) and each positions read (answer or silence) is set by the test, so
 * the order of moves, every order's size, limit price and reduce-only flag, the attempts spent
 * and the end state can be asserted exactly. Every expected price and size is computed by hand
 * in a comment next to it.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema, type ExecutionConfig } from '../../../engine/execution/config.ts';
import { repairLoneLeg, type RepairJob } from '../../../engine/execution/leg-repair.ts';
import { VenueWait } from '../../../engine/execution/venue-wait.ts';
import {
  VenueRejectError,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type SignedOrder,
} from '../../../engine/exchange/orders.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { TradeJournal } from '../../../engine/journal/trade-journal.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';

const D = (v: string | number) => new Decimal(v);

/** One order's scripted answer: a verified fill (possibly zero), a venue refusal, or no final answer. */
type Answer = { fill: string } | { reject: string } | { stall: string };

class ScriptedVenue implements OrderGateway {
  readonly sent: OrderRequest[] = [];
  positionReads = 0;
  private readonly byClient = new Map<string, Answer>();
  constructor(
    readonly venue: string,
    private readonly answers: Answer[],
    /** undefined: the positions read never answers (times out). */
    private readonly held?: Position[],
    private readonly signFails = false,
  ) {}
  async sign(request: OrderRequest): Promise<SignedOrder> {
    if (this.signFails) throw new Error('key unavailable');
    return { request, wire: null, signedAt: Date.now() };
  }
  async send(order: SignedOrder): Promise<OrderState> {
    const r = order.request;
    this.sent.push(r);
    const a = this.answers.shift() ?? { fill: '0' };
    this.byClient.set(r.clientId, a);
    if ('reject' in a) throw new VenueRejectError(this.venue, a.reject, 'order refused');
    return { clientId: r.clientId, status: 'open', filledSize: D(0) };
  }
  async cancel(): Promise<void> {}
  async report(o: OrderLocator): Promise<OrderReport> {
    const a = this.byClient.get(o.clientId)!;
    const r = this.sent.find((s) => s.clientId === o.clientId)!;
    const size = 'fill' in a ? a.fill : 'stall' in a ? a.stall : '0';
    const fills = D(size).gt(0)
      ? [{ venue: this.venue, symbol: r.symbol, clientId: r.clientId, fillId: `f-${r.clientId}`, side: r.side, price: r.price ?? D(100000), size: D(size), fee: D(0), liquidity: 'taker' as const, time: Date.now() }]
      : [];
    // A stall stays open at the venue: never final, so the order ends unresolved.
    return { state: { clientId: o.clientId, status: 'stall' in a ? 'open' : 'cancelled', filledSize: D(size) }, fills };
  }
  positions(): Promise<Position[]> {
    this.positionReads++;
    return this.held === undefined ? new Promise(() => undefined) : Promise.resolve(this.held);
  }
  async openOrders(): Promise<OrderState[]> {
    return [];
  }
}

const pos = (venue: string, symbol: string, size: string): Position => ({ venue, symbol, size: D(size) });

interface Logged {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(lines: Logged[]): Logger {
  const l: Logger = {
    debug: (msg, fields) => lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
    child: () => l,
  };
  return l;
}

// A: the exposed leg's venue (tick 0.5, step 0.0001); B: the missing leg's venue (tick 0.5, step 0.001).
const MARKETS: Record<string, Pick<MarketInfo, 'tickSize' | 'sizeIncrement'>> = {
  A: { tickSize: '0.5', sizeIncrement: '0.0001' },
  B: { tickSize: '0.5', sizeIncrement: '0.001' },
};

function setup(venues: ScriptedVenue[], opts: { config?: Partial<ExecutionConfig>; priorOrders?: number; markets?: boolean } = {}) {
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  const trades = new TradeJournal(journal.db);
  const config = ExecutionConfigSchema.parse({ ackTimeoutMs: 30, reconcileTimeoutMs: 40, pollIntervalMs: 5, maxPollIntervalMs: 5, notFoundGraceMs: 5, ...opts.config });
  trades.openTrade({
    id: 't1',
    intentId: 'i1',
    instrument: 'BTC-USD-PERP',
    buy: { venue: 'A', symbol: 'BTC' },
    sell: { venue: 'B', symbol: 'BTC-B' },
    size: D('0.015'),
    firstLeg: 'buy',
    expectedNet: D(0),
    detectedAt: 1,
    judgedAt: 1,
    startedAt: 1,
  });
  // The trade's own legs, already journaled: repair orders are numbered after them.
  for (let i = 1; i <= (opts.priorOrders ?? 0); i++) {
    trades.recordSend('t1', i === 1 ? 'leg1' : 'leg2', { venue: 'A', symbol: 'BTC', side: 'buy', type: 'limit', size: D(1), timeInForce: 'IOC', clientId: `t1-leg-${i}` }, { sentAt: i });
  }
  const lines: Logged[] = [];
  // Offset far from zero: a sign time computed as a sum instead of a difference shows as millions of ms.
  const monotonic = () => performance.now() + 1e7;
  const deps = {
    journal: trades,
    clock: systemClock,
    monotonic,
    config,
    logger: recordingLogger(lines),
    gateways: new Map<string, OrderGateway>(venues.map((v) => [v.venue, v])),
    markets: opts.markets === false ? undefined : (venue: string) => MARKETS[venue] as MarketInfo | undefined,
    clientId: (tradeId: string, role: string, n: number) => `${tradeId}-${role}-${n}`,
  };
  return { deps, trades, lines, config, wait: new VenueWait(monotonic) };
}

// Exposed: bought 0.015 on A at 100000.3; missing: the sell on B, walk's worst 99990.3.
function job(over: Partial<RepairJob> = {}): RepairJob {
  return {
    tradeId: 't1',
    residual: D('0.015'),
    exposed: { venue: 'A', symbol: 'BTC', side: 'buy', averagePrice: D('100000.3') },
    missing: { venue: 'B', symbol: 'BTC-B', side: 'sell', worstPrice: D('99990.3') },
    prefer: 'hedge',
    ...over,
  };
}

// Hedge sell on B, 30 bps: 99990.3 * 0.997 = 99690.32910 -> a sell rounds up to the 0.5 tick: 99690.5
// (below floor(99990.3 / 0.5) * 0.5 = 99990.0, so the band stands).
const HEDGE_PRICE = '99690.5';
// Unwind sell on A, 30 bps: 100000.3 * 0.997 = 99700.2991 -> up to the tick: 99700.5.
const UNWIND_PRICE = '99700.5';
// Stop-loss sell on A, 300 bps: 100000.3 * 0.97 = 97000.291 -> up to the tick: 97000.5.
const STOP_PRICE = '97000.5';

const brief = (r: OrderRequest) => ({ venue: r.venue, symbol: r.symbol, side: r.side, type: r.type, size: r.size.toString(), price: r.price?.toString(), tif: r.timeInForce, reduceOnly: r.reduceOnly, clientId: r.clientId });

describe('repairLoneLeg: order of moves and prices', () => {
  it('prefer hedge: one hedge that fills closes the leg, numbered after the two legs, sign time a difference', async () => {
    const a = new ScriptedVenue('A', [], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', [{ fill: '0.015' }]);
    const { deps, wait, trades } = setup([a, b], { priorOrders: 2 });
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('hedged');
    expect(r.residual.toString()).toBe('0');
    expect(r.orders).toHaveLength(1);
    expect(a.sent).toHaveLength(0);
    expect(a.positionReads).toBe(0);
    // Not reduce-only (the job is not a close): the key is absent, not false.
    expect(brief(b.sent[0]!)).toEqual({ venue: 'B', symbol: 'BTC-B', side: 'sell', type: 'limit', size: '0.015', price: HEDGE_PRICE, tif: 'IOC', reduceOnly: undefined, clientId: 't1-hedge-3' });
    expect('reduceOnly' in b.sent[0]!).toBe(false);
    const row = trades.ordersOf('t1').find((o) => o.client_id === 't1-hedge-3') as unknown as { sign_ms: number };
    expect(row.sign_ms).toBeGreaterThanOrEqual(0);
    expect(row.sign_ms).toBeLessThan(1000);
  });

  it('prefer unwind: the unwind goes first, reduce-only kept when the position covers the residual exactly', async () => {
    // A holds exactly 0.015 long: onSide 0.015 >= 0.015, so the flag stays.
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'OTHER', '-5'), pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', []);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind' }), wait);
    expect(r.state).toBe('unwound');
    expect(r.residual.toString()).toBe('0');
    expect(b.sent).toHaveLength(0);
    expect(a.positionReads).toBe(1);
    expect(brief(a.sent[0]!)).toEqual({ venue: 'A', symbol: 'BTC', side: 'sell', type: 'limit', size: '0.015', price: UNWIND_PRICE, tif: 'IOC', reduceOnly: true, clientId: 't1-unwind-1' });
  });

  it('prefer hedge, hedges fill nothing: repairAttempts hedges, then the unwinds, then the stop-losses, in that order', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0' }, { fill: '0' }, { fill: '0.005' }, { fill: '0.01' }], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', [{ fill: '0' }, { fill: '0' }, { fill: '0' }]);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 2 } });
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('stopped-out');
    expect(r.residual.toString()).toBe('0');
    expect(b.sent.map((o) => o.clientId)).toEqual(['t1-hedge-1', 't1-hedge-2']);
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-hedge-1', 't1-hedge-2', 't1-unwind-3', 't1-unwind-4', 't1-stop-loss-5', 't1-stop-loss-6']);
    // First stop-loss fills 0.005 of 0.015: the second is for 0.015 - 0.005 = 0.01.
    expect(a.sent.slice(2).map(brief)).toEqual([
      { venue: 'A', symbol: 'BTC', side: 'sell', type: 'limit', size: '0.015', price: STOP_PRICE, tif: 'IOC', reduceOnly: true, clientId: 't1-stop-loss-5' },
      { venue: 'A', symbol: 'BTC', side: 'sell', type: 'limit', size: '0.01', price: STOP_PRICE, tif: 'IOC', reduceOnly: true, clientId: 't1-stop-loss-6' },
    ]);
    expect(a.sent.slice(0, 2).map((o) => [o.price?.toString(), o.size.toString()])).toEqual([
      [UNWIND_PRICE, '0.015'],
      [UNWIND_PRICE, '0.015'],
    ]);
  });

  it('prefer unwind, unwinds fill nothing: the hedge comes second and closes it', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0' }], [pos('A', 'BTC', '0.02')]);
    const b = new ScriptedVenue('B', [{ fill: '0.015' }]);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 1 } });
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind' }), wait);
    expect(r.state).toBe('hedged');
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-unwind-1', 't1-hedge-2']);
  });

  it('nothing fills anywhere: exactly repairAttempts + repairAttempts + stopLoss.attempts orders, failed-unresolved with the whole residual', async () => {
    const a = new ScriptedVenue('A', [], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', []);
    const { deps, wait, lines } = setup([a, b], { config: { repairAttempts: 3, stopLoss: { orderType: 'limit', bandBps: 300, attempts: 2 } } });
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('failed-unresolved');
    expect(r.residual.toString()).toBe('0.015');
    // 3 hedges + 3 unwinds + 2 stop-losses.
    expect(b.sent).toHaveLength(3);
    expect(a.sent.map((o) => o.clientId)).toEqual(['t1-unwind-4', 't1-unwind-5', 't1-unwind-6', 't1-stop-loss-7', 't1-stop-loss-8']);
    expect(lines.filter((l) => l.level === 'error')).toEqual([
      { level: 'error', msg: 'lone leg still open after hedge, unwind and stop-loss', fields: { tradeId: 't1', venue: 'A', residual: '0.015' } },
    ]);
  });

  it('repairAttempts 0: straight to a market stop-loss (no price), reduce-only', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', []);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 0, stopLoss: { orderType: 'market', bandBps: 300, attempts: 1 } } });
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('stopped-out');
    expect(b.sent).toHaveLength(0);
    expect(brief(a.sent[0]!)).toEqual({ venue: 'A', symbol: 'BTC', side: 'sell', type: 'market', size: '0.015', price: undefined, tif: 'IOC', reduceOnly: true, clientId: 't1-stop-loss-1' });
  });

  it('no missing leg: prefer hedge still unwinds first (no hedge order anywhere)', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', []);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job({ missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-unwind-1']);
  });

  it('a short exposed leg: the unwind buys, band above the average price, rounded down to the tick', async () => {
    // Sold 0.015 on A at 100000.3; A holds -0.015 (onSide 0.015 covers it).
    // Buy 30 bps: 100000.3 * 1.003 = 100300.3009 -> a buy rounds down to the tick: 100300.0.
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '-0.015')]);
    const { deps, wait } = setup([a]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', exposed: { venue: 'A', symbol: 'BTC', side: 'sell', averagePrice: D('100000.3') }, missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(brief(a.sent[0]!)).toMatchObject({ side: 'buy', price: '100300', reduceOnly: true });
  });

  it('a buy hedge: band above the worst price, rounded down to the tick; without markets, no rounding at all', async () => {
    // Buy on B, 30 bps: 100001.3 * 1.003 = 100301.3039 -> down to the 0.5 tick: 100301.0.
    const b = new ScriptedVenue('B', [{ fill: '0.015' }]);
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const exposed = { venue: 'A', symbol: 'BTC', side: 'sell' as const, averagePrice: D('100000.3') };
    const s1 = setup([b]);
    expect((await repairLoneLeg(s1.deps, job({ missing, exposed }), s1.wait)).state).toBe('hedged');
    expect(b.sent[0]!.price!.toString()).toBe('100301');
    // Unrounded: 100301.3039; size 0.0157 sent as is (no step known).
    const b2 = new ScriptedVenue('B', [{ fill: '0.0157' }]);
    const s2 = setup([b2], { markets: false });
    expect((await repairLoneLeg(s2.deps, job({ missing, exposed, residual: D('0.0157') }), s2.wait)).state).toBe('hedged');
    expect([b2.sent[0]!.price!.toString(), b2.sent[0]!.size.toString()]).toEqual(['100301.3039', '0.0157']);
  });
});

describe('repairLoneLeg: sizes below the step', () => {
  it("a hedge fill leaving less than B's size step: the rest is untradable there and the unwind on A closes it", async () => {
    // Residual 0.0157 -> hedge size rounds down to B's 0.001 step: 0.015; it fills, leaving 0.0007.
    // The second hedge would be 0.0007 -> 0.000 on B: untradable, no order. The unwind on A (step 0.0001) sends 0.0007.
    const a = new ScriptedVenue('A', [{ fill: '0.0007' }], [pos('A', 'BTC', '0.0157')]);
    const b = new ScriptedVenue('B', [{ fill: '0.015' }]);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 3 } });
    const r = await repairLoneLeg(deps, job({ residual: D('0.0157') }), wait);
    expect(r.state).toBe('unwound');
    expect(r.residual.toString()).toBe('0');
    expect(b.sent.map((o) => o.size.toString())).toEqual(['0.015']);
    expect(a.sent.map((o) => o.size.toString())).toEqual(['0.0007']);
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-hedge-1', 't1-unwind-2']);
  });

  it('a residual below every step: no order at all, failed-unresolved with the residual', async () => {
    const a = new ScriptedVenue('A', [], [pos('A', 'BTC', '1')]);
    const b = new ScriptedVenue('B', []);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job({ residual: D('0.00005') }), wait);
    expect(r.state).toBe('failed-unresolved');
    expect(r.residual.toString()).toBe('0.00005');
    expect(r.orders).toHaveLength(0);
    expect(a.sent.length + b.sent.length).toBe(0);
    // Untradable is decided before the position read.
    expect(a.positionReads).toBe(0);
  });

  it('a partial hedge fill: the next hedge is for the remainder', async () => {
    const b = new ScriptedVenue('B', [{ fill: '0.006' }, { fill: '0.009' }]);
    const { deps, wait } = setup([new ScriptedVenue('A', []), b]);
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('hedged');
    // 0.015 - 0.006 = 0.009.
    expect(b.sent.map((o) => o.size.toString())).toEqual(['0.015', '0.009']);
  });
});

describe('repairLoneLeg: reduce-only flags', () => {
  it('the position holds less than the residual: the close is sent without the flag, for exactly the residual', async () => {
    // A holds 0.0149 long < 0.015: a reduce-only close would be refused.
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.0149')]);
    const { deps, wait } = setup([a]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(brief(a.sent[0]!)).toMatchObject({ size: '0.015', reduceOnly: false });
  });

  it('the position is on the other side (netted against an older short): flag dropped', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '-0.02')]);
    const { deps, wait } = setup([a]);
    await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(a.sent[0]!.reduceOnly).toBe(false);
  });

  it('a short exposed leg whose venue holds a long: flag dropped (the side is read signed)', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait } = setup([a]);
    await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined, exposed: { venue: 'A', symbol: 'BTC', side: 'sell', averagePrice: D(100000) } }), wait);
    expect(a.sent[0]!.reduceOnly).toBe(false);
  });

  it('no position listed on the market: flag dropped', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'ETH', '1')]);
    const { deps, wait } = setup([a]);
    await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(a.sent[0]!.reduceOnly).toBe(false);
  });

  it('the positions read times out: reduce-only kept (the conservative choice)', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], undefined);
    const { deps, wait } = setup([a]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(a.sent[0]!.reduceOnly).toBe(true);
  });

  it('a reduce-only unwind refused: the next close goes without the flag and without another read', async () => {
    // The read says it fits (0.015 held), the venue refuses anyway (the position moved): the retry is unflagged.
    const a = new ScriptedVenue('A', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait, lines } = setup([a]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(a.sent.map((o) => o.reduceOnly)).toEqual([true, false]);
    expect(a.sent.map((o) => o.size.toString())).toEqual(['0.015', '0.015']);
    expect(a.positionReads).toBe(1);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', msg: 'reduce-only close of the lone leg refused: reversing exactly the residual without the flag', fields: { tradeId: 't1', role: 'unwind', venue: 'A' } },
    ]);
  });

  it('the unflagged close carries on into the stop-loss: no further reads, still unflagged', async () => {
    const a = new ScriptedVenue('A', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0' }, { fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait } = setup([a], { config: { repairAttempts: 2 } });
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(r.state).toBe('stopped-out');
    expect(a.sent.map((o) => o.reduceOnly)).toEqual([true, false, false]);
    expect(a.positionReads).toBe(1);
  });

  it('another refusal of a reduce-only unwind is retried as it was (still flagged, read again)', async () => {
    const a = new ScriptedVenue('A', [{ reject: 'INSUFFICIENT_MARGIN' }, { fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait } = setup([a]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind', missing: undefined }), wait);
    expect(r.state).toBe('unwound');
    expect(a.sent.map((o) => o.reduceOnly)).toEqual([true, true]);
    expect(a.positionReads).toBe(2);
  });

  it("a pair's close: the hedge is reduce-only and sent without a read; a refusal caps the next at the venue's room", async () => {
    // B holds -0.006 (short): a reduce-only buy may take 0.006 off it. Hedge buy on B, residual 0.015:
    // 1st hedge 0.015 refused; re-read: room 0.006; 2nd hedge min(0.015, 0.006) = 0.006, fills; residual 0.009,
    // room 0.006 - 0.006 = 0: the 3rd hedge would be 0: untradable, so the unwind on A takes the 0.009.
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const exposed = { venue: 'A', symbol: 'BTC', side: 'sell' as const, averagePrice: D('100000.3') };
    const a = new ScriptedVenue('A', [{ fill: '0.009' }], [pos('A', 'BTC', '-0.015')]);
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0.006' }], [pos('B', 'OTHER', '3'), pos('B', 'BTC-B', '-0.006')]);
    const { deps, wait, lines } = setup([a, b], { config: { repairAttempts: 3 } });
    const r = await repairLoneLeg(deps, job({ missing, exposed, reduceOnly: true }), wait);
    expect(r.state).toBe('unwound');
    expect(b.sent.map((o) => [o.size.toString(), o.reduceOnly])).toEqual([
      ['0.015', true],
      ['0.006', true],
    ]);
    expect(b.positionReads).toBe(1);
    // The unwind is not capped by the hedge's room (reset per move): 0.009, reduce-only (A holds -0.015, covers 0.009).
    expect(a.sent.map((o) => [o.size.toString(), o.reduceOnly, o.side])).toEqual([['0.009', true, 'buy']]);
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-hedge-1', 't1-hedge-2', 't1-unwind-3']);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', msg: 'reduce-only hedge refused: re-planned from the venue position', fields: { tradeId: 't1', venue: 'B', held: '-0.006', room: '0.006' } },
    ]);
  });

  it('a refused reduce-only hedge whose room exceeds the residual: the next hedge is the whole residual', async () => {
    // B holds -0.05: room 0.05 > 0.015, so min(0.015, 0.05) = 0.015.
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0.015' }], [pos('B', 'BTC-B', '-0.05')]);
    const { deps, wait } = setup([b]);
    const r = await repairLoneLeg(deps, job({ missing, reduceOnly: true }), wait);
    expect(r.state).toBe('hedged');
    expect(b.sent.map((o) => o.size.toString())).toEqual(['0.015', '0.015']);
  });

  it('a refused reduce-only hedge with no room (the position is on the wrong side): no more hedges, the unwind follows', async () => {
    // B holds +0.01 long: a buy cannot reduce it, room 0.
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const exposed = { venue: 'A', symbol: 'BTC', side: 'sell' as const, averagePrice: D('100000.3') };
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '-0.015')]);
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }], [pos('B', 'BTC-B', '0.01')]);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 3 } });
    const r = await repairLoneLeg(deps, job({ missing, exposed, reduceOnly: true }), wait);
    expect(r.state).toBe('unwound');
    expect(b.sent).toHaveLength(1);
    expect(a.sent).toHaveLength(1);
  });

  it('a refused reduce-only hedge whose position read times out: the hedge is given up, not retried blind', async () => {
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const exposed = { venue: 'A', symbol: 'BTC', side: 'sell' as const, averagePrice: D('100000.3') };
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '-0.015')]);
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }], undefined);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 3 } });
    const r = await repairLoneLeg(deps, job({ missing, exposed, reduceOnly: true }), wait);
    expect(r.state).toBe('unwound');
    expect(b.sent).toHaveLength(1);
    expect(b.positionReads).toBe(1);
  });

  it('a non-reduce-only hedge refused with a reduce-only text: plain retry, no read', async () => {
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0.015' }], [pos('B', 'BTC-B', '0')]);
    const { deps, wait } = setup([new ScriptedVenue('A', []), b]);
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('hedged');
    expect(b.sent.map((o) => o.size.toString())).toEqual(['0.015', '0.015']);
    expect(b.positionReads).toBe(0);
  });
});

describe('repairLoneLeg: second-round cases', () => {
  it('a venue with no market info: hedge and unwind sent unrounded (no tick, no step), nothing thrown', async () => {
    // C is not in MARKETS. Hedge sell on C: 99990.3 * 0.997 = 99690.3291; unwind sell on C: 100000.3 * 0.997 = 99700.2991.
    const c = new ScriptedVenue('C', [{ fill: '0' }, { fill: '0.01234' }], [pos('C', 'BTC', '0.01234')]);
    const { deps, wait } = setup([c], { config: { repairAttempts: 1 } });
    const r = await repairLoneLeg(deps, job({ residual: D('0.01234'), exposed: { venue: 'C', symbol: 'BTC', side: 'buy', averagePrice: D('100000.3') }, missing: { venue: 'C', symbol: 'BTC-C', side: 'sell', worstPrice: D('99990.3') } }), wait);
    expect(r.state).toBe('unwound');
    expect(c.sent.map((o) => [o.size.toString(), o.price?.toString()])).toEqual([
      ['0.01234', '99690.3291'],
      ['0.01234', '99700.2991'],
    ]);
  });

  it("a pair's reduce-only hedge never reads the exposed venue, and keeps its flag even where a close would not fit", async () => {
    // A holds nothing: an unwind there would drop the flag, a hedge on B must not look.
    const a = new ScriptedVenue('A', [], []);
    const b = new ScriptedVenue('B', [{ fill: '0.015' }], [pos('B', 'BTC-B', '0.015')]);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job({ reduceOnly: true }), wait);
    expect(r.state).toBe('hedged');
    expect(b.sent[0]!.reduceOnly).toBe(true);
    expect(a.positionReads + b.positionReads).toBe(0);
  });

  it('the room left after a partial reduce-only hedge is what the next hedge may take', async () => {
    // B holds -0.01: refusal, room 0.01; 2nd hedge min(0.015, 0.01) = 0.01 fills 0.004: residual 0.011,
    // room max(0, 0.01 - 0.004) = 0.006; 3rd hedge min(0.011, 0.006) = 0.006 fills: residual 0.005, room 0; the unwind takes 0.005.
    const missing = { venue: 'B', symbol: 'BTC-B', side: 'buy' as const, worstPrice: D('100001.3') };
    const exposed = { venue: 'A', symbol: 'BTC', side: 'sell' as const, averagePrice: D('100000.3') };
    const a = new ScriptedVenue('A', [{ fill: '0.005' }], [pos('A', 'BTC', '-0.015')]);
    const b = new ScriptedVenue('B', [{ reject: 'REDUCE_ONLY_WILL_INCREASE' }, { fill: '0.004' }, { fill: '0.006' }], [pos('B', 'BTC-B', '-0.01')]);
    const { deps, wait } = setup([a, b], { config: { repairAttempts: 4 } });
    const r = await repairLoneLeg(deps, job({ missing, exposed, reduceOnly: true }), wait);
    expect(r.state).toBe('unwound');
    expect(b.sent.map((o) => o.size.toString())).toEqual(['0.015', '0.01', '0.006']);
    expect(a.sent.map((o) => o.size.toString())).toEqual(['0.005']);
  });
});

describe('repairLoneLeg: unknowns and missing venues', () => {
  it('a hedge with no final answer stops the repair at once: failed-unresolved, residual less what is known filled', async () => {
    const a = new ScriptedVenue('A', [], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', [{ stall: '0.005' }]);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('failed-unresolved');
    // 0.015 - 0.005 = 0.01.
    expect(r.residual.toString()).toBe('0.01');
    expect(r.orders.map((o) => o.outcome)).toEqual(['unresolved']);
    expect(a.sent).toHaveLength(0);
  });

  it('an unresolved stop-loss also stops at once', async () => {
    const a = new ScriptedVenue('A', [{ stall: '0' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait } = setup([a], { config: { repairAttempts: 0, stopLoss: { orderType: 'limit', bandBps: 300, attempts: 3 } } });
    const r = await repairLoneLeg(deps, job({ missing: undefined }), wait);
    expect(r.state).toBe('failed-unresolved');
    expect(a.sent).toHaveLength(1);
  });

  it('an unresolved unwind (prefer unwind) stops before any hedge', async () => {
    const a = new ScriptedVenue('A', [{ stall: '0' }], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', [{ fill: '0.015' }]);
    const { deps, wait } = setup([a, b]);
    const r = await repairLoneLeg(deps, job({ prefer: 'unwind' }), wait);
    expect(r.state).toBe('failed-unresolved');
    expect(b.sent).toHaveLength(0);
  });

  it('no gateway for the hedge venue: no hedge order, the unwind closes it', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const { deps, wait } = setup([a]);
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('unwound');
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-unwind-1']);
  });

  it('a hedge that cannot be signed is logged and retried, then the unwind', async () => {
    const a = new ScriptedVenue('A', [{ fill: '0.015' }], [pos('A', 'BTC', '0.015')]);
    const b = new ScriptedVenue('B', [], [], true);
    const { deps, wait, lines } = setup([a, b], { config: { repairAttempts: 2 } });
    const r = await repairLoneLeg(deps, job(), wait);
    expect(r.state).toBe('unwound');
    // Two client ids were spent on the unsigned hedges.
    expect(r.orders.map((o) => o.request.clientId)).toEqual(['t1-unwind-3']);
    expect(lines.filter((l) => l.level === 'error')).toEqual([
      { level: 'error', msg: 'repair order could not be signed or sent', fields: { tradeId: 't1', role: 'hedge', error: 'key unavailable' } },
      { level: 'error', msg: 'repair order could not be signed or sent', fields: { tradeId: 't1', role: 'hedge', error: 'key unavailable' } },
    ]);
  });
});
