/**
 * The risk gate's rules one by one, at each limit exactly and one unit either side, on a manual
 * clock with the real Exposure, KillSwitch and VenueHealth. Every refusal's reason text is
 * asserted: it is what the console and the log show. Hand-computed figures are in comments.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import type { Fill } from '../../../engine/exchange/orders.ts';
import { RiskConfigSchema } from '../../../engine/risk/config.ts';
import { Exposure } from '../../../engine/risk/exposure.ts';
import { KillSwitch } from '../../../engine/risk/kill-switch.ts';
import { RiskGate, type MarginCheckSource, type PendingLeg } from '../../../engine/risk/risk-gate.ts';
import { VenueHealth } from '../../../engine/risk/venue-health.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';

const D = (v: string | number) => new Decimal(v);
// Noon UTC on 2026-12-03: far from a day boundary.
const T = Date.UTC(2026, 11, 3, 12);

type Intent = Judgment['intent'];

/** Buy `size` on vest (worst buyWorst), sell on paradex (worst sellWorst), detected and booked at `at`. */
function intent(o: { size?: string; buyWorst?: string; sellWorst?: string; at?: number; bookAt?: number; instrument?: string } = {}): Intent {
  const at = o.at ?? T;
  const leg = (venue: string, symbol: string, side: 'buy' | 'sell', worst: string) => ({
    venue,
    symbol,
    side,
    topPrice: D(worst),
    expectedPrice: D(worst),
    worstPrice: D(worst),
    bookReceivedAt: o.bookAt ?? at,
    bookVenueTime: o.bookAt ?? at,
  });
  return {
    id: 'i1',
    strategy: 'cross-exchange',
    instrument: o.instrument ?? 'BTC',
    size: D(o.size ?? '1'),
    buy: leg('vest', 'BTC-PERP', 'buy', o.buyWorst ?? '100'),
    sell: leg('paradex', 'BTC-USD-PERP', 'sell', o.sellWorst ?? '100'),
    spread: D(0),
    executableSpread: D(0),
    detectedAt: at,
  } as Intent;
}

function setup(risk: Record<string, unknown> = {}, extra: { busy?: (i: string) => boolean; venueDown?: (v: string) => string | undefined } = {}) {
  const config = RiskConfigSchema.parse({ killSwitch: { signal: false, file: '' }, maxPositionPerInstrument: { '*': '100' }, ...risk });
  const clock = new ManualClock(T);
  const exposure = new Exposure();
  const killSwitch = new KillSwitch();
  const health = new VenueHealth(config.venueHealth, clock, silentLogger);
  const gate = new RiskGate({ config, clock, exposure, killSwitch, health, instrumentBusy: extra.busy ?? (() => false), venueDown: extra.venueDown });
  return { gate, clock, exposure, killSwitch, health, config };
}

const pendingOf = (legs: PendingLeg[]) => ({ pendingLegs: () => legs });

describe('risk gate limits: the intent age', () => {
  it('maxIntentAgeMs 1000: 1000 ms old passes, 1001 ms is stale', () => {
    const { gate, clock } = setup({ maxIntentAgeMs: 1000 });
    clock.set(T + 1000);
    // Book age 1000 ms is under the 2000 ms book limit, so only the intent age matters.
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
    clock.set(T + 1001);
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'stale-intent', reason: 'detected 1001 ms ago (limit 1000 ms)' });
  });
});

describe('risk gate limits: trade notional (worst price x size per leg)', () => {
  it('150 USD limit: 1.5 at 100 = 150 passes, 1.5001 at 100 = 150.01 is refused', () => {
    const { gate } = setup({ maxNotionalPerTradeUsd: '150' });
    expect(gate.checkIntent(intent({ size: '1.5' }))).toEqual({ ok: true });
    expect(gate.checkIntent(intent({ size: '1.5001' }))).toEqual({ ok: false, rule: 'trade-notional', reason: 'vest leg notional 150.01 exceeds 150 USD' });
  });

  it('the sell leg counts too: paradex worst 100.01 x 1.5 = 150.015 over 150', () => {
    const { gate } = setup({ maxNotionalPerTradeUsd: '150' });
    // toFixed(2) of 150.015 rounds half up: 150.02.
    expect(gate.checkIntent(intent({ size: '1.5', sellWorst: '100.01' }))).toEqual({ ok: false, rule: 'trade-notional', reason: 'paradex leg notional 150.02 exceeds 150 USD' });
  });

  it('at the worst price, not the top: top 99, worst 101 x 1 over a 100 USD limit', () => {
    const { gate } = setup({ maxNotionalPerTradeUsd: '100' });
    const i = intent({ buyWorst: '101' });
    i.buy.topPrice = D(99);
    expect(gate.checkIntent(i)).toMatchObject({ ok: false, rule: 'trade-notional' });
  });
});

describe('risk gate limits: venue notional (held + pending + this leg)', () => {
  it('held 1 at entry 100 on vest + this 100 = 200: passes a 200 limit, refused at 199.99', () => {
    const a = setup({ maxNotionalPerVenueUsd: '200' });
    a.exposure.seedPositions('vest', [{ venue: 'vest', symbol: 'BTC-PERP', size: D(1), entryPrice: D(100) }]);
    expect(a.gate.checkIntent(intent())).toEqual({ ok: true });
    const b = setup({ maxNotionalPerVenueUsd: '199.99' });
    b.exposure.seedPositions('vest', [{ venue: 'vest', symbol: 'BTC-PERP', size: D(1), entryPrice: D(100) }]);
    expect(b.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'venue-notional', reason: 'vest open notional would be 200.00, limit 199.99 USD' });
  });

  it("pending legs count on their own venue only: paradex pending 0.5 x 200 = 100 + this 100 = 200 against 199.99; vest's none", () => {
    const { gate } = setup({ maxNotionalPerVenueUsd: '199.99' });
    gate.usePendingExposure(pendingOf([{ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', size: D('0.5'), price: D(200) }]));
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'venue-notional', reason: 'paradex open notional would be 200.00, limit 199.99 USD' });
  });

  it('pending legs of two sources add up: 0.25 x 200 + 0.25 x 200 = 100 + 100 = 200 passes a 200 limit, 0.2501 twice does not', () => {
    const ok = setup({ maxNotionalPerVenueUsd: '200' });
    ok.gate.usePendingExposure(pendingOf([{ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', size: D('0.25'), price: D(200) }]));
    ok.gate.usePendingExposure(pendingOf([{ venue: 'vest', symbol: 'BTC-PERP', side: 'sell', size: D('0.25'), price: D(200) }]));
    expect(ok.gate.checkIntent(intent())).toEqual({ ok: true });
    const over = setup({ maxNotionalPerVenueUsd: '200' });
    over.gate.usePendingExposure(
      pendingOf([
        { venue: 'vest', symbol: 'BTC-PERP', side: 'buy', size: D('0.2501'), price: D(200) },
        { venue: 'vest', symbol: 'ETH', side: 'sell', size: D('0.25'), price: D(200) },
      ]),
    );
    // 50.02 + 50 + 100 = 200.02.
    expect(over.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'venue-notional', reason: 'vest open notional would be 200.02, limit 200 USD' });
  });
});

describe('risk gate limits: position per instrument', () => {
  it("held 1 long on vest, buy 1 more: 2 passes a limit of 2, refused under 1.99 (the instrument's own limit wins over '*')", () => {
    const a = setup({ maxPositionPerInstrument: { BTC: '2', '*': '0.5' } });
    a.exposure.seedPositions('vest', [{ venue: 'vest', symbol: 'BTC-PERP', size: D(1) }]);
    expect(a.gate.checkIntent(intent())).toEqual({ ok: true });
    const b = setup({ maxPositionPerInstrument: { BTC: '1.99', '*': '100' } });
    b.exposure.seedPositions('vest', [{ venue: 'vest', symbol: 'BTC-PERP', size: D(1) }]);
    expect(b.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'position-limit', reason: 'vest BTC-PERP position would be 2, limit 1.99' });
  });

  it("'*' applies to an instrument without its own limit: 1 short on paradex, sell 1 more = -2 over 1.99", () => {
    const { gate, exposure } = setup({ maxPositionPerInstrument: { ETH: '100', '*': '1.99' } });
    exposure.seedPositions('paradex', [{ venue: 'paradex', symbol: 'BTC-USD-PERP', size: D(-1) }]);
    // The buy leg on vest: 0 + 1 = 1, under 1.99; the sell leg: -1 - 1 = -2, |−2| > 1.99.
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'position-limit', reason: 'paradex BTC-USD-PERP position would be -2, limit 1.99' });
  });

  it('a sell reduces a long: 1.5 long on paradex, sell 1 -> 0.5 under a 1 limit', () => {
    const { gate, exposure } = setup({ maxPositionPerInstrument: { '*': '1' } });
    exposure.seedPositions('paradex', [{ venue: 'paradex', symbol: 'BTC-USD-PERP', size: D('1.5') }]);
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
  });

  it('no limit for the instrument and no "*": no position check at all', () => {
    const { gate, exposure } = setup({ maxPositionPerInstrument: { ETH: '0.1' } });
    exposure.seedPositions('vest', [{ venue: 'vest', symbol: 'BTC-PERP', size: D(50) }]);
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
  });

  it('pending orders on the same side count as filled; on the other side they do not offset', () => {
    // Vest pending buy 0.5: 0 + 0.5 + 1 = 1.5 over a 1.49 limit.
    const a = setup({ maxPositionPerInstrument: { '*': '1.49' } });
    a.gate.usePendingExposure(pendingOf([{ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', size: D('0.5'), price: D(1) }]));
    expect(a.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'position-limit', reason: 'vest BTC-PERP position would be 1.5, limit 1.49' });
    // A pending vest sell of 0.5 is not counted for a buy: 0 + 1 = 1 under 1.49.
    const b = setup({ maxPositionPerInstrument: { '*': '1.49' } });
    b.gate.usePendingExposure(pendingOf([{ venue: 'vest', symbol: 'BTC-PERP', side: 'sell', size: D('0.5'), price: D(1) }]));
    expect(b.gate.checkIntent(intent())).toEqual({ ok: true });
    // A pending paradex sell 0.5 counts signed: 0 - 0.5 - 1 = -1.5.
    const c = setup({ maxPositionPerInstrument: { '*': '1.49' } });
    c.gate.usePendingExposure(pendingOf([{ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: D('0.5'), price: D(1) }]));
    expect(c.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'position-limit', reason: 'paradex BTC-USD-PERP position would be -1.5, limit 1.49' });
    // Two pending paradex sells of 0.25 add: -0.25 - 0.25 - 1 = -1.5.
    const d = setup({ maxPositionPerInstrument: { '*': '1.49' } });
    d.gate.usePendingExposure(
      pendingOf([
        { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: D('0.25'), price: D(1) },
        { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: D('0.25'), price: D(1) },
      ]),
    );
    expect(d.gate.checkIntent(intent())).toMatchObject({ ok: false, rule: 'position-limit' });
  });
});

describe('risk gate limits: daily loss', () => {
  it('limit 100: a loss of 99.99 passes, exactly 100 stops trading', () => {
    const { gate, exposure } = setup({ dailyLossLimitUsd: '100' });
    exposure.seedRealized(D('-99.99'), T);
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
    exposure.addRealized(D('-0.01'), T);
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'daily-loss', reason: 'realized -100.00 USD today, limit -100 USD' });
  });

  it('a profit never trips it', () => {
    const { gate, exposure } = setup({ dailyLossLimitUsd: '0' });
    exposure.seedRealized(D('5'), T);
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
  });
});

describe('risk gate: switches, busy instruments, venues, pairs, margin', () => {
  it('kill switch first, then halt (with resume), then a busy instrument', () => {
    let busy = true;
    const { gate, killSwitch } = setup({}, { busy: (i) => busy && i === 'BTC' });
    gate.halt('journal and venues disagree');
    expect(gate.halted).toBe('journal and venues disagree');
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'halted', reason: 'journal and venues disagree' });
    gate.resume();
    expect(gate.halted).toBeUndefined();
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'instrument-busy', reason: 'BTC has a trade in flight or an unreconciled order' });
    expect(gate.checkIntent(intent({ instrument: 'ETH' }))).toEqual({ ok: true });
    busy = false;
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
    gate.halt('h');
    killSwitch.trip('operator');
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'kill-switch', reason: 'operator' });
    expect(gate.denied.get('kill-switch')).toBe(1);
    expect(gate.denied.get('halted')).toBe(1);
    expect(gate.denied.get('instrument-busy')).toBe(1);
  });

  it('check() judges the judgment\'s intent; denials are counted per rule', () => {
    const { gate, killSwitch } = setup();
    killSwitch.trip('k');
    const j = { intent: intent() } as Judgment;
    expect(gate.check(j)).toEqual({ ok: false, rule: 'kill-switch', reason: 'k' });
    gate.check(j);
    expect(gate.denied.get('kill-switch')).toBe(2);
  });

  it('a venue that is down refuses either leg, before the health checks', () => {
    const { gate, health } = setup({}, { venueDown: (v) => (v === 'paradex' ? 'paradex not reconciled' : undefined) });
    health.bench('vest', 'x');
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'venue-down', reason: 'paradex not reconciled' });
  });

  it('a benched venue refuses; the book age benches at 2001 ms, not at 2000', () => {
    const a = setup({ maxIntentAgeMs: 10_000 });
    a.clock.set(T + 2000);
    expect(a.gate.checkIntent(intent())).toEqual({ ok: true });
    a.clock.set(T + 2001);
    expect(a.gate.checkIntent(intent())).toEqual({ ok: false, rule: 'venue-benched', reason: 'vest is benched: book 2001 ms old (limit 2000 ms)' });
    // The sell leg's book alone lagging benches paradex.
    const b = setup({ maxIntentAgeMs: 10_000 });
    const i = intent();
    i.sell.bookReceivedAt = T - 2001;
    expect(b.gate.checkIntent(i)).toEqual({ ok: false, rule: 'venue-benched', reason: 'paradex is benched: book 2001 ms old (limit 2000 ms)' });
    expect(b.health.benchedFor('vest')).toBeUndefined();
  });

  it('an opposite pair on either leg refuses, naming the pair and the side', () => {
    const { gate } = setup();
    const asked: string[] = [];
    gate.usePairSides({
      opposingPair: (venue, symbol, side) => {
        asked.push(`${venue}:${symbol}:${side}`);
        return venue === 'paradex' && side === 'sell' ? 'p7' : undefined;
      },
    });
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'opposite-pair', reason: 'paradex BTC-USD-PERP: pair p7 holds the other side; a sell here would net against it' });
    expect(asked).toEqual(['vest:BTC-PERP:buy', 'paradex:BTC-USD-PERP:sell']);
  });

  it('margin: refusals joined, checked last; reserve and settle are forwarded', () => {
    const calls: string[] = [];
    let allowed = false;
    const margin: MarginCheckSource = {
      checkIntent: () => ({ allowed, refusals: ['vest margin 95%', 'paradex margin 91%'] }),
      reserve: (i) => calls.push(`reserve ${i.id}`),
      settle: (id, fills: Fill[], at) => calls.push(`settle ${id} ${fills.length} ${at}`),
    };
    const { gate, exposure } = setup({ dailyLossLimitUsd: '1' });
    gate.useMargin(margin);
    expect(gate.checkIntent(intent())).toEqual({ ok: false, rule: 'margin', reason: 'vest margin 95%; paradex margin 91%' });
    exposure.seedRealized(D(-1), T);
    expect(gate.checkIntent(intent())).toMatchObject({ ok: false, rule: 'daily-loss' });
    exposure.seedRealized(D(0), T);
    allowed = true;
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
    gate.approved(intent());
    gate.tradeEnded('i1', [], 42);
    expect(calls).toEqual(['reserve i1', 'settle i1 0 42']);
  });

  it('a margin source without reserve and settle: approving and ending a trade are no-ops; passes count no denial', () => {
    const { gate } = setup();
    gate.useMargin({ checkIntent: () => ({ allowed: true, refusals: [] }) });
    expect(gate.checkIntent(intent())).toEqual({ ok: true });
    expect(() => gate.approved(intent())).not.toThrow();
    expect(() => gate.tradeEnded('i1', [], 1)).not.toThrow();
    expect(gate.denied.size).toBe(0);
  });
});
