/**
 * The executor against two paper venues that really match IOC orders. Every expected position,
 * price and PnL below is computed by hand from the books each test sets up.
 */
import { describe, expect, it } from 'vitest';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { D, judgment, rig, rows, until } from './fixtures.ts';

const VEST = { venue: 'vest', symbol: 'BTC-PERP' };
const PARADEX = { venue: 'paradex', symbol: 'BTC-USD-PERP' };

/** Detection-time walk for 1 BTC: buy 0.5@100.00 + 0.5@100.05 on Vest, sell 0.7@100.50 + 0.3@100.40 on Paradex. */
function arb(id?: string) {
  return judgment({
    id,
    size: '1',
    buy: { ...VEST, top: '100', expected: '100.025', worst: '100.05' },
    sell: { ...PARADEX, top: '100.5', expected: '100.47', worst: '100.4' },
  });
}

function venues(events?: string[]) {
  const vest = new PaperVenue('vest', { takerFee: '0.0004', events });
  const paradex = new PaperVenue('paradex', { takerFee: '0.0005', events });
  vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '0.5'], ['100.05', '1']]);
  paradex.setBook('BTC-USD-PERP', [['100.5', '0.7'], ['100.4', '1']], [['100.6', '2']]);
  return { vest, paradex };
}

describe('trade executor', () => {
  it('clean two-leg arb: signs both first, buys on the cheaper venue, sells the fill, journals everything', async () => {
    const events: string[] = [];
    const { vest, paradex } = venues(events);
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb('i-clean'));

    expect(result?.state).toBe('completed');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    // Both signatures exist before the first order leaves; leg 1 (buy, Vest) goes before leg 2.
    const firstSend = events.findIndex((e) => e.includes(':send:'));
    expect(events.slice(0, firstSend).filter((e) => e.includes(':sign:'))).toHaveLength(2);
    expect(events.filter((e) => e.includes(':send:')).map((e) => e.split(':')[0])).toEqual(['vest', 'paradex']);
    // Limits: 10 bps beyond the walk's worst price.
    expect(vest.sent[0]!.price!.toString()).toBe('100.15005');
    expect(paradex.sent[0]!.price!.toString()).toBe('100.2996');
    expect(vest.sent[0]!.timeInForce).toBe('IOC');

    // Proceeds 70.35 + 30.12 = 100.47, cost 100.025, fees 0.04001 + 0.050235.
    expect(result!.realizedPnl!.toString()).toBe('0.354755');
    const [trade] = rows(r, 'SELECT * FROM trades');
    expect(trade).toMatchObject({ intent_id: 'i-clean', state: 'completed', residual: '0', realized_pnl: '0.354755', first_leg: 'buy', size: '1' });
    for (const k of ['signed_at', 'fill_verified_at', 'ended_at', 'total_ms', 'venue_wait_ms', 'overhead_ms']) expect(trade![k]).not.toBeNull();
    expect(rows(r, 'SELECT role, venue, side, size, price, outcome, filled_size, average_price, reduce_only FROM orders ORDER BY role')).toEqual([
      { role: 'leg1', venue: 'vest', side: 'buy', size: '1', price: '100.15005', outcome: 'confirmed', filled_size: '1', average_price: '100.025', reduce_only: 0 },
      { role: 'leg2', venue: 'paradex', side: 'sell', size: '1', price: '100.2996', outcome: 'confirmed', filled_size: '1', average_price: '100.47', reduce_only: 0 },
    ]);
    expect(rows(r, 'SELECT venue, side, price, size, fee FROM fills ORDER BY venue, price')).toEqual([
      { venue: 'paradex', side: 'sell', price: '100.4', size: '0.3', fee: '0.01506' },
      { venue: 'paradex', side: 'sell', price: '100.5', size: '0.7', fee: '0.035175' },
      { venue: 'vest', side: 'buy', price: '100', size: '0.5', fee: '0.02' },
      { venue: 'vest', side: 'buy', price: '100.05', size: '0.5', fee: '0.02001' },
    ]);
    const orderTimes = rows(r, 'SELECT sent_at, acked_at, verified_at FROM orders');
    for (const o of orderTimes) for (const v of Object.values(o)) expect(v).toBeTypeOf('number');
  });

  it('sell-first policy sends the Paradex leg first', async () => {
    const events: string[] = [];
    const { vest, paradex } = venues(events);
    const r = rig([vest, paradex], { config: { legOrder: 'sell-first' } });
    expect((await r.executor.run(arb()))?.state).toBe('completed');
    expect(events.filter((e) => e.includes(':send:')).map((e) => e.split(':')[0])).toEqual(['paradex', 'vest']);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
  });

  it('leg 1 partially filled: leg 2 is re-signed for the real fill', async () => {
    const { vest, paradex } = venues();
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '0.6'], ['101', '5']]); // only 0.6 inside the band
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());
    expect(result?.state).toBe('completed');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0.6');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.6');
    expect(paradex.signed.map((o) => o.size.toString())).toEqual(['1', '0.6']);
    expect(paradex.sent.map((o) => o.size.toString())).toEqual(['0.6']);
  });

  it('leg 1 fill below the other venue\'s size step: no hedge is possible there, so leg 1 is unwound', async () => {
    const { vest, paradex } = venues();
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '0.0004'], ['101', '5']]); // 0.0004 inside the band
    const r = rig([vest, paradex], { markets: (venue) => ({ venue, symbol: 'x', priceDecimals: 2, sizeDecimals: 4, tickSize: '0.01', sizeIncrement: venue === 'paradex' ? '0.001' : '0.0001' }) });
    const result = await r.executor.run(arb());
    // Paradex cannot sell 0.0004 (step 0.001): leg 2 is not sent, the hedge is skipped, the unwind sells it back on Vest.
    expect(paradex.sent).toEqual([]);
    expect(result?.state).toBe('unwound');
    expect(result?.residual.toString()).toBe('0');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
  });

  it('leg 2 rejected: leg 1 is unwound on its own venue, reduce-only, within the band', async () => {
    const { vest, paradex } = venues();
    paradex.script({ kind: 'reject', code: 'INSUFFICIENT_MARGIN' });
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());

    expect(result?.state).toBe('unwound');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('0');
    // Unwind: sell 1 at >= 100.025 * (1 - 0.003) = 99.724925, filled at the 99.98 bid.
    expect(vest.sent[1]).toMatchObject({ side: 'sell', reduceOnly: true, timeInForce: 'IOC' });
    expect(vest.sent[1]!.price!.toString()).toBe('99.724925');
    // -100.025 + 99.98 - (0.04001 + 0.039992)
    expect(result!.realizedPnl!.toString()).toBe('-0.125002');
    expect(rows(r, 'SELECT role, outcome, filled_size FROM orders ORDER BY sent_at, rowid')).toEqual([
      { role: 'leg1', outcome: 'confirmed', filled_size: '1' },
      { role: 'leg2', outcome: 'rejected', filled_size: null },
      { role: 'unwind', outcome: 'confirmed', filled_size: '1' },
    ]);
    expect(rows(r, 'SELECT state, residual FROM trades')).toEqual([{ state: 'unwound', residual: '0' }]);
  });

  it('leg 2 partially filled (book thinned): the residual is hedged on the same venue', async () => {
    const { vest, paradex } = venues();
    paradex.setBook('BTC-USD-PERP', [['100.5', '0.6'], ['100.1', '1']], [['100.6', '2']]);
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());

    expect(result?.state).toBe('hedged');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    // Leg 2 limit 100.2996 took 0.6@100.5; the hedge (limit 100.4 * 0.997 = 100.0988) took 0.4@100.1.
    expect(paradex.sent.map((o) => [o.size.toString(), o.price!.toString()])).toEqual([
      ['1', '100.2996'],
      ['0.4', '100.0988'],
    ]);
    expect(rows(r, "SELECT role, filled_size, venue_status FROM orders WHERE venue = 'paradex' ORDER BY sent_at, rowid")).toEqual([
      { role: 'leg2', filled_size: '0.6', venue_status: 'cancelled' },
      { role: 'hedge', filled_size: '0.4', venue_status: 'filled' },
    ]);
    // Proceeds 60.3 + 40.04 = 100.34, cost 100.025, fees 0.04001 + 0.05017.
    expect(result!.realizedPnl!.toString()).toBe('0.22482');
  });

  it('nothing within the bands: unwind and hedge fail, a stop-loss closes the lone leg', async () => {
    const { vest, paradex } = venues();
    vest.setBook('BTC-PERP', [['99', '2']], [['100', '0.5'], ['100.05', '1']]);
    paradex.script({ kind: 'reject' }, { kind: 'reject' }, { kind: 'reject' });
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());

    expect(result?.state).toBe('stopped-out');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('0');
    expect(rows(r, 'SELECT role, outcome, filled_size FROM orders ORDER BY sent_at, rowid').map((o) => `${o.role}:${o.outcome}:${o.filled_size}`)).toEqual([
      'leg1:confirmed:1',
      'leg2:rejected:null',
      'unwind:confirmed:0',
      'unwind:confirmed:0',
      'hedge:rejected:null',
      'hedge:rejected:null',
      'stop-loss:confirmed:1',
    ]);
    // Stop-loss limit 100.025 * 0.97 = 97.02425, filled at 99.
    expect(vest.sent.at(-1)!.price!.toString()).toBe('97.02425');
  });

  it('leg 1 matched but its ack lost: reconciled by client id, then leg 2 proceeds', async () => {
    const { vest, paradex } = venues();
    vest.script({ kind: 'lose-ack' });
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());
    expect(result?.state).toBe('completed');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    expect(rows(r, "SELECT outcome, filled_size, acked_at FROM orders WHERE role = 'leg1'")).toEqual([{ outcome: 'confirmed', filled_size: '1', acked_at: null }]);
  });

  it('leg 1 never reached the venue: not-placed after the grace period, no leg 2, no position', async () => {
    const { vest, paradex } = venues();
    vest.script({ kind: 'drop' });
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());
    expect(result?.state).toBe('no-fill');
    expect(paradex.sent).toHaveLength(0);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(rows(r, 'SELECT role, outcome FROM orders')).toEqual([{ role: 'leg1', outcome: 'not-placed' }]);
  });

  it('venue stalls mid-trade: leg 2 is unresolved, the instrument is locked, then status answers and it reconciles', async () => {
    const { vest, paradex } = venues();
    paradex.script({ kind: 'stall' });
    paradex.holdStatus();
    const r = rig([vest, paradex]);
    const running = r.executor.run(arb());
    await until(() => paradex.sent.length === 1);
    await new Promise((res) => setTimeout(res, 150)); // past the 100 ms ack timeout
    expect(rows(r, "SELECT outcome FROM orders WHERE role = 'leg2'")).toEqual([{ outcome: 'unresolved' }]);
    // Nothing else trades this instrument while leg 2 is unknown.
    expect(r.locks.isBusy('BTC-USD-PERP')).toBe(true);
    expect(await r.executor.run(arb())).toBeUndefined();
    paradex.releaseStatus();
    const result = await running;
    expect(result?.state).toBe('completed');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-1');
    expect(vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(rows(r, "SELECT outcome, filled_size FROM orders WHERE role = 'leg2'")).toEqual([{ outcome: 'confirmed', filled_size: '1' }]);
    expect(r.locks.isBusy('BTC-USD-PERP')).toBe(false);
    expect(vest.sent).toHaveLength(1); // the refused second intent sent nothing
  });

  it('a venue that never answers: failed-unresolved, and the instrument stays quarantined', async () => {
    const { vest, paradex } = venues();
    paradex.script({ kind: 'stall' });
    paradex.holdStatus();
    const r = rig([vest, paradex], { config: { reconcileTimeoutMs: 300 } });
    const result = await r.executor.run(arb());
    expect(result?.state).toBe('failed-unresolved');
    expect(result!.residual.toString()).toBe('1');
    expect(r.locks.quarantineReason('BTC-USD-PERP')).toMatch(/leg 2 outcome unknown/);
    expect(await r.executor.run(arb())).toBeUndefined();
    expect(vest.sent).toHaveLength(1);
    expect(rows(r, 'SELECT state, realized_pnl FROM trades')).toEqual([{ state: 'failed-unresolved', realized_pnl: null }]);
    paradex.releaseStatus();
  });

  it('records latency per leg and keeps decimal strings exact', async () => {
    const { vest, paradex } = venues();
    const r = rig([vest, paradex]);
    const result = await r.executor.run(arb());
    const l = result!.latency!;
    expect(l.totalMs).toBeGreaterThan(0);
    expect(l.venueWaitMs).toBeGreaterThan(0);
    expect(l.overheadMs).toBeCloseTo(l.totalMs - l.venueWaitMs, 6);
    expect(l.ackOverheadMs).toBeGreaterThanOrEqual(0);
    expect(l.ackOverheadMs!).toBeLessThan(l.totalMs);
    expect(D(rows(r, 'SELECT realized_pnl FROM trades')[0]!.realized_pnl as string).eq('0.354755')).toBe(true);
  });
});
