/**
 * Live trades end to end: real gateways (Paradex Stark-signed, Vest EIP-191-signed, Lighter
 * WASM-signed) against the loopback simulators' matching engines, through the real risk gate,
 * executor and SQLite journal. Each test asserts the venues' positions as the simulator holds
 * them AND the journal's trades / orders / fills rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveRig, until, type LiveRig } from './harness.ts';
import { capturedLogLines, generatedSecrets, linesWithSecrets } from './harness.ts';

let rig: LiveRig;

beforeAll(async () => {
  rig = await startLiveRig({ envPrefix: 'E2E_TRADES' });
}, 30_000);

afterAll(async () => {
  await rig?.close();
});

/** Positions before a test, so each test asserts only what it changed (one simulator set per file). */
function snapshot(): Record<string, Decimal> {
  return { paradex: rig.position('paradex'), vest: rig.position('vest'), lighter: rig.position('lighter') };
}
const delta = (before: Record<string, Decimal>, venue: 'paradex' | 'vest' | 'lighter') => rig.position(venue).minus(before[venue]!).toString();

afterAll(() => {
  // Key-leak check over every log line this file's engines wrote (debug level, so the most there is).
  expect(generatedSecrets.length).toBeGreaterThanOrEqual(4);
  expect(capturedLogLines.length).toBeGreaterThan(0);
  expect(linesWithSecrets()).toEqual([]);
});

describe('live trades on the simulators', () => {
  it('a clean two-leg arb: both legs filled, opposite positions on the two venues, journal completed with fills', async () => {
    const before = snapshot();
    const r = await rig.trade(rig.judgment('lighter', 'paradex', '0.01'));
    expect(r?.state).toBe('completed');
    expect(delta(before, 'lighter')).toBe('0.01');
    expect(delta(before, 'paradex')).toBe('-0.01');
    expect(delta(before, 'vest')).toBe('0');
    const [trade] = rig.rows('SELECT * FROM trades WHERE id = ?', r!.tradeId);
    expect(trade).toMatchObject({ state: 'completed', residual: '0', first_leg: 'buy' });
    const orders = rig.rows('SELECT role, venue, side, outcome, venue_status, filled_size FROM orders WHERE trade_id = ? ORDER BY sent_at', r!.tradeId);
    expect(orders).toEqual([
      { role: 'leg1', venue: 'lighter', side: 'buy', outcome: 'confirmed', venue_status: 'filled', filled_size: '0.01' },
      { role: 'leg2', venue: 'paradex', side: 'sell', outcome: 'confirmed', venue_status: 'filled', filled_size: '0.01' },
    ]);
    const fills = rig.rows('SELECT venue, side, size, price, fee FROM fills WHERE trade_id = ?', r!.tradeId);
    expect(fills.reduce((s, f) => s.plus(String(f['size'])), new Decimal(0)).toString()).toBe('0.02');
    // PnL is the journal's cash flow of the fills, exact: sells in, buys out, fees out.
    const pnl = fills.reduce((s, f) => {
      const n = new Decimal(String(f['price'])).mul(String(f['size']));
      return (f['side'] === 'sell' ? s.plus(n) : s.minus(n)).minus(String(f['fee']));
    }, new Decimal(0));
    expect(trade!['realized_pnl']).toBe(pnl.toString());
  });

  it('leg 2 rejected: leg 1 is unwound on its own venue, flat on both venues', async () => {
    const before = snapshot();
    rig.sims.trading.paradex.faults.rejectNext(1);
    const r = await rig.trade(rig.judgment('lighter', 'paradex', '0.01'));
    expect(r?.state).toBe('unwound');
    expect(delta(before, 'lighter')).toBe('0');
    expect(delta(before, 'paradex')).toBe('0');
    const orders = rig.rows('SELECT role, venue, side, outcome, filled_size, reduce_only FROM orders WHERE trade_id = ? ORDER BY sent_at', r!.tradeId);
    expect(orders.map((o) => [o['role'], o['venue'], o['side'], o['outcome']])).toEqual([
      ['leg1', 'lighter', 'buy', 'confirmed'],
      ['leg2', 'paradex', 'sell', 'rejected'],
      ['unwind', 'lighter', 'sell', 'confirmed'],
    ]);
    expect(orders[2]!['filled_size']).toBe('0.01');
    expect(rig.rows('SELECT state, residual FROM trades WHERE id = ?', r!.tradeId)[0]).toEqual({ state: 'unwound', residual: '0' });
    expect(rig.rows('SELECT COUNT(*) AS n FROM fills WHERE trade_id = ?', r!.tradeId)[0]!['n']).toBe(2);
  });

  it('leg 2 partially filled: the residual is hedged on the second venue', async () => {
    const before = snapshot();
    rig.sims.trading.vest.faults.capFill('0.004');
    const r = await rig.trade(rig.judgment('paradex', 'vest', '0.01'));
    expect(r?.state).toBe('hedged');
    expect(delta(before, 'paradex')).toBe('0.01');
    expect(delta(before, 'vest')).toBe('-0.01');
    const orders = rig.rows('SELECT role, venue, outcome, venue_status, filled_size FROM orders WHERE trade_id = ? ORDER BY sent_at', r!.tradeId);
    expect(orders).toEqual([
      { role: 'leg1', venue: 'paradex', outcome: 'confirmed', venue_status: 'filled', filled_size: '0.01' },
      { role: 'leg2', venue: 'vest', outcome: 'confirmed', venue_status: 'cancelled', filled_size: '0.004' },
      { role: 'hedge', venue: 'vest', outcome: 'confirmed', venue_status: 'filled', filled_size: '0.006' },
    ]);
    expect(rig.rows('SELECT state, residual FROM trades WHERE id = ?', r!.tradeId)[0]).toEqual({ state: 'hedged', residual: '0' });
  });

  it('a lone leg that netted against an older opposite position is still unwound (not refused as reduce-only)', async () => {
    // The earlier tests left paradex short 0.01 - 0.01 + 0.01 = long; make it short first so leg 1 (a buy) only reduces it.
    const short = await rig.trade(rig.judgment('vest', 'paradex', '0.03'));
    expect(short?.state).toBe('completed');
    expect(rig.position('paradex').lt(0)).toBe(true);
    const before = snapshot();
    rig.sims.trading.lighter.faults.rejectNext(1);
    const r = await rig.trade(rig.judgment('paradex', 'lighter', '0.01'));
    expect(r?.state).toBe('unwound');
    expect(delta(before, 'paradex')).toBe('0');
    expect(delta(before, 'lighter')).toBe('0');
    const unwind = rig.rows("SELECT outcome, reduce_only FROM orders WHERE trade_id = ? AND role = 'unwind'", r!.tradeId);
    expect(unwind).toEqual([{ outcome: 'confirmed', reduce_only: 0 }]);
  });

  it('limits refuse an oversized trade: nothing journaled, nothing sent', async () => {
    const before = snapshot();
    const trades = rig.rows('SELECT COUNT(*) AS n FROM trades')[0]!['n'];
    const sent = rig.sims.trading.lighter.engine.orders(rig.accounts.accounts.find((a) => a.venue === 'lighter')!.engineAccount).length;
    const denied = rig.live.gate.denied.get('trade-notional') ?? 0;
    const r = await rig.trade(rig.judgment('lighter', 'paradex', '1'));
    expect(r).toBeUndefined();
    expect(rig.live.gate.denied.get('trade-notional')).toBe(denied + 1);
    expect(rig.rows('SELECT COUNT(*) AS n FROM trades')[0]!['n']).toBe(trades);
    expect(rig.sims.trading.lighter.engine.orders(rig.accounts.accounts.find((a) => a.venue === 'lighter')!.engineAccount).length).toBe(sent);
    for (const v of ['paradex', 'vest', 'lighter'] as const) expect(delta(before, v)).toBe('0');
  });

  // Last in the file: a tripped kill switch stays tripped for the life of the engine.
  it('kill switch: cancels resting orders on every venue and stops new trades', async () => {
    const gw = rig.engine.connectors.find((c) => c.venue === 'vest')!.orders!;
    const fair = new Decimal(rig.sims.model.fairPrice('BTC'));
    const resting = await gw.sign({ venue: 'vest', symbol: 'BTC-PERP', side: 'buy', type: 'limit', size: new Decimal('0.01'), price: fair.mul('0.9').toDecimalPlaces(0), timeInForce: 'GTC', clientId: 'e2e-resting-1' });
    await gw.send(resting);
    expect((await gw.openOrders()).map((o) => o.clientId)).toContain('e2e-resting-1');
    const before = snapshot();
    const vest = rig.sims.trading.vest;
    const account = rig.accounts.accounts.find((a) => a.venue === 'vest')!.engineAccount;
    expect(vest.engine.openOrders(account)).toHaveLength(1);
    writeFileSync(join(rig.dir, 'KILL'), 'stop');
    // The venue's own book of orders, read from the simulator: asking through the gateway would
    // spend the account's 10/s orders budget that the engine's cancel needs (and on a loaded
    // machine the asks crowded it out into the gateway's 429 back-off).
    await until(() => vest.engine.openOrders(account).length === 0, 20_000, `resting order cancelled (Vest 429s so far: ${JSON.stringify(vest.rateLimits.refused)})`);
    expect((await gw.report({ symbol: 'BTC-PERP', clientId: 'e2e-resting-1' })).state.status).toBe('cancelled');
    expect(rig.live.killSwitch.tripped).toMatch(/kill file/);
    const r = await rig.trade(rig.judgment('lighter', 'paradex', '0.01'));
    expect(r).toBeUndefined();
    expect(rig.live.gate.denied.get('kill-switch')).toBeGreaterThan(0);
    for (const v of ['paradex', 'vest', 'lighter'] as const) expect(delta(before, v)).toBe('0');
  });
});
