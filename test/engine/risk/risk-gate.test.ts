/**
 * The risk gate in front of the executor, through LiveTrading (gate + executor + journal) over
 * paper venues: each limit is hit by a real trade history, not by a configured stub.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock, type Clock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { LiveTrading } from '../../../engine/execution/live-trading.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { RiskConfigSchema, type RiskConfig } from '../../../engine/risk/config.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { FAST, judgment, until } from '../execution/fixtures.ts';

type RiskInput = Omit<Partial<RiskConfig>, 'killSwitch' | 'venueHealth'> & { killSwitch?: Partial<RiskConfig['killSwitch']>; venueHealth?: Partial<RiskConfig['venueHealth']> };

const live: LiveTrading[] = [];
afterEach(async () => {
  for (const l of live.splice(0)) await l.stop();
});

function setup(risk: RiskInput = {}, clock: Clock = systemClock) {
  const vest = new PaperVenue('vest');
  const paradex = new PaperVenue('paradex');
  vest.setBook('BTC-PERP', [['99.98', '20']], [['100', '20']]);
  paradex.setBook('BTC-USD-PERP', [['100.5', '20']], [['100.6', '20']]);
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  const dir = mkdtempSync(join(tmpdir(), 'arb-risk-'));
  const t = new LiveTrading({
    execution: ExecutionConfigSchema.parse(FAST),
    risk: RiskConfigSchema.parse({ killSwitch: { file: join(dir, 'KILL'), signal: false, pollMs: 10 }, maxPositionPerInstrument: { '*': '10' }, ...risk }),
    gateways: new Map([
      ['vest', vest],
      ['paradex', paradex],
    ]),
    journal,
    clock,
    logger: silentLogger,
    symbols: new Map([
      ['vest', new Set(['BTC-PERP'])],
      ['paradex', new Set(['BTC-USD-PERP'])],
    ]),
  });
  live.push(t);
  return { vest, paradex, t, killFile: join(dir, 'KILL') };
}

const arb = (size = '1', at = Date.now()) =>
  judgment({
    size,
    detectedAt: at,
    buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' },
    sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' },
  });

async function trade(t: LiveTrading, j = arb()) {
  t.execute(j);
  await t.executor.settle();
}

describe('risk gate', () => {
  it('lets a trade inside every limit through, and it trades', async () => {
    const { vest, paradex, t } = setup();
    await t.start();
    await trade(t);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    expect(t.exposure.realizedToday(Date.now()).toString()).toBe('0.5');
  });

  it('max notional per trade: a 2 BTC intent at 100.5 (201 USD) is refused under a 150 USD limit', async () => {
    const { vest, t } = setup({ maxNotionalPerTradeUsd: '150' });
    await t.start();
    expect(t.gate.check(arb('2'))).toMatchObject({ ok: false, rule: 'trade-notional' });
    await trade(t, arb('2'));
    expect(vest.sent).toHaveLength(0);
    expect(t.gate.check(arb('1')).ok).toBe(true);
  });

  it('max notional per venue counts the open position: the third 1 BTC trade would reach 300 USD on Vest', async () => {
    const { vest, t } = setup({ maxNotionalPerVenueUsd: '250' });
    await t.start();
    await trade(t);
    await trade(t);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('2');
    // Vest holds 2 @ 100 = 200 USD; one more at 100 makes 300 > 250.
    expect(t.gate.check(arb())).toMatchObject({ ok: false, rule: 'venue-notional' });
  });

  it('max open position per instrument, including a position the account already held', async () => {
    const { paradex, t } = setup({ maxPositionPerInstrument: { 'BTC-USD-PERP': '1.5' } });
    paradex.setPosition('BTC-USD-PERP', '-1'); // known to the gate from the venue, not from a trade
    const report = await t.start();
    expect(report.problems).toHaveLength(1); // the journal never saw that position: halted...
    t.gate.resume(); // ...until an operator accepts it
    const v = t.gate.check(arb());
    expect(v).toMatchObject({ ok: false, rule: 'position-limit' });
    expect(!v.ok && v.reason).toMatch(/paradex BTC-USD-PERP position would be -2, limit 1.5/);
    expect(t.gate.check(arb('0.5')).ok).toBe(true);
  });

  it('daily loss limit: an unwound trade loses 0.02 and stops trading under a 0.01 limit; a new UTC day resets it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 23, 0));
    const { vest, paradex, t } = setup({ dailyLossLimitUsd: '0.01', maxIntentAgeMs: 1_000_000_000 }, clock);
    await t.start();
    paradex.script({ kind: 'reject' });
    await trade(t, arb('1', clock.now()));
    // Bought 1 @ 100, unwound at the 99.98 bid.
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(t.exposure.realizedToday(clock.now()).toString()).toBe('-0.02');
    expect(t.gate.check(arb('1', clock.now()))).toMatchObject({ ok: false, rule: 'daily-loss' });
    clock.set(Date.UTC(2026, 0, 6, 0, 1));
    expect(t.gate.check(arb('1', clock.now())).ok).toBe(true);
  });

  it('refuses a stale judgment', async () => {
    const { t } = setup({ maxIntentAgeMs: 500 });
    await t.start();
    expect(t.gate.check(arb('1', Date.now() - 2000))).toMatchObject({ ok: false, rule: 'stale-intent' });
  });

  it('venue health: three rejects bench a venue for the cool-down, then it trades again', async () => {
    const clock = new ManualClock(1_000_000);
    const { paradex, t } = setup({ maxIntentAgeMs: 1_000_000_000, venueHealth: { maxRejects: 3, benchMs: 60_000, maxBookAgeMs: 1_000_000_000 } }, clock);
    await t.start();
    for (let i = 0; i < 3; i++) {
      paradex.script({ kind: 'reject', code: 'RATE_LIMITED' });
      await trade(t, arb('1', clock.now()));
    }
    const v = t.gate.check(arb('1', clock.now()));
    expect(v).toMatchObject({ ok: false, rule: 'venue-benched' });
    expect(!v.ok && v.reason).toMatch(/paradex is benched: 3 repeated rejects \(last: RATE_LIMITED\)/);
    clock.advance(60_001);
    expect(t.gate.check(arb('1', clock.now())).ok).toBe(true);
  });

  it('venue health: a lagging book benches its venue', async () => {
    const { t } = setup({ venueHealth: { maxBookAgeMs: 100 } });
    await t.start();
    const j = arb();
    j.intent.sell.bookReceivedAt = Date.now() - 5000;
    expect(t.gate.check(j)).toMatchObject({ ok: false, rule: 'venue-benched' });
    expect(t.health.benchedFor('paradex')).toMatch(/book \d+ ms old/);
  });

  it('kill switch by file: the next trade is refused and resting orders are cancelled', async () => {
    const { vest, t, killFile } = setup();
    await t.start();
    const resting = await vest.sign({ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', size: arb().intent.size, price: arb().intent.buy.topPrice.minus(1), timeInForce: 'GTC', clientId: 'resting-1' });
    await vest.send(resting);
    expect(await vest.openOrders()).toHaveLength(1);
    writeFileSync(killFile, '');
    await trade(t);
    expect(vest.sent.map((o) => o.clientId)).toEqual(['resting-1']);
    expect(t.killSwitch.tripped).toMatch(/kill file/);
    await until(() => vest.cancels.length === 1);
    expect(await vest.openOrders()).toHaveLength(0);
  });

  it('kill switch by SIGUSR2 and by method', async () => {
    const a = setup({ killSwitch: { signal: true } });
    await a.t.start();
    process.emit('SIGUSR2');
    expect(a.t.gate.check(arb())).toMatchObject({ ok: false, rule: 'kill-switch', reason: 'SIGUSR2 received' });
    const b = setup();
    await b.t.start();
    b.t.killSwitch.trip('operator');
    await trade(b.t);
    expect(b.vest.sent).toHaveLength(0);
  });

  it('Ctrl-C drain: no new trade starts, the one in flight settles', async () => {
    const { vest, paradex, t } = setup();
    await t.start();
    paradex.script({ kind: 'stall' });
    paradex.holdStatus();
    t.execute(arb());
    await until(() => paradex.sent.length === 1);
    const drained = t.drain();
    // Another instrument, so only the drain (not the instrument lock) can stop it.
    vest.setBook('ETH-PERP', [['9.9', '50']], [['10', '50']]);
    paradex.setBook('ETH-USD-PERP', [['10.1', '50']], [['10.2', '50']]);
    const eth = judgment({
      instrument: 'ETH-USD-PERP',
      size: '1',
      buy: { venue: 'vest', symbol: 'ETH-PERP', top: '10', expected: '10', worst: '10' },
      sell: { venue: 'paradex', symbol: 'ETH-USD-PERP', top: '10.1', expected: '10.1', worst: '10.1' },
    });
    expect(t.gate.check(eth).ok).toBe(true);
    t.execute(eth);
    paradex.releaseStatus();
    await drained;
    expect(vest.sent).toHaveLength(1);
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
  });

  it('an instrument quarantined by an unanswered order is re-reconciled once the venue answers, then trades again', async () => {
    const { vest, paradex, t } = setup();
    (t as unknown as { deps: { execution: { reconcileTimeoutMs: number } } }).deps.execution.reconcileTimeoutMs = 200;
    await t.start();
    paradex.script({ kind: 'stall' });
    paradex.holdStatus();
    await trade(t);
    expect(t.locks.quarantinedInstruments()).toEqual(['BTC-USD-PERP']);
    expect(t.gate.check(arb())).toMatchObject({ ok: false, rule: 'instrument-busy' });
    // Still silent: the retry reports a problem and keeps everything halted.
    const silent = await t.retryQuarantined();
    expect(silent?.problems.join()).toMatch(/still no answer from the venue/);
    expect(t.locks.quarantinedInstruments()).toEqual(['BTC-USD-PERP']);
    expect(t.gate.halted).toMatch(/journal and venues disagree/);
    paradex.releaseStatus();
    const report = await t.retryQuarantined();
    expect(report?.problems ?? ['skipped']).toEqual([]);
    expect(t.locks.quarantinedInstruments()).toEqual([]);
    expect(t.trades.openTrades()).toEqual([]);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    expect(t.exposure.position('paradex', 'BTC-USD-PERP').toString()).toBe('-1');
    expect(t.gate.check(arb()).ok).toBe(true);
  });
});
