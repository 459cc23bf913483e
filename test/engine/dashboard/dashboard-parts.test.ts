/**
 * The dashboard's parts without a browser (these run where Chromium is absent too): the token
 * gate and action rules of the server, per-venue gaps counted by the hub's own rule, and the
 * executable spread per direction walked through the depth.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { pressKillSwitch } from '../../../engine/dashboard/attach.ts';
import { DashboardConfigSchema } from '../../../engine/dashboard/config.ts';
import { KillSwitch } from '../../../engine/risk/kill-switch.ts';
import { startDashboardServer, type DashboardServer } from '../../../engine/dashboard/server.ts';
import { directionSpreads } from '../../../engine/dashboard/spreads.ts';
import { loadStaticFiles } from '../../../engine/dashboard/static-files.ts';
import { VenueGaps } from '../../../engine/dashboard/venue-gaps.ts';
import { MarketDataHub } from '../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../engine/market/instruments.ts';
import type { BookEvent, MarketInfo } from '../../../engine/market/types.ts';

const market = (venue: string, symbol: string): MarketInfo => ({ venue, symbol, priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' });
const ev = (e: Partial<BookEvent> & Pick<BookEvent, 'type' | 'venue' | 'symbol'>): BookEvent => ({ bids: [], asks: [], venueTime: 1, receivedAt: 1, ...e });

describe('dashboard server', () => {
  let server: DashboardServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (kills: { n: number }) =>
    (server = await startDashboardServer('127.0.0.1', 0, {
      files: loadStaticFiles(),
      snapshot: () => '{"seq":7}',
      actions: { kill: () => (kills.n++, { status: 200, body: { tripped: 'yes' } }) },
    }));

  it('answers 401 and nothing else without the token, on every path and method', async () => {
    const kills = { n: 0 };
    const s = await start(kills);
    const base = s.url.replace(/\/\?token=.*$/, '');
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    for (const path of ['/', '/index.html', '/app.js', '/uplot.js', '/state', '/events', '/action/kill', '/nope']) {
      for (const method of ['GET', 'POST']) {
        const r = await fetch(`${base}${path}`, { method });
        expect(r.status, `${method} ${path}`).toBe(401);
        expect(await r.text()).not.toContain('seq');
      }
      expect((await fetch(`${base}${path}?token=`, { method: 'POST' })).status).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    }
    expect(kills.n).toBe(0);
  });

  it('serves the page with the token in its own links, the state by bearer token, and actions only as a same-origin POST', async () => {
    const kills = { n: 0 };
    const s = await start(kills);
    const base = s.url.replace(/\/\?token=.*$/, '');
    const page = await (await fetch(s.url)).text();
    expect(page).toContain(`app.js?token=${s.token}`);
    expect(page).not.toContain('__TOKEN__');
    expect(page).not.toMatch(/https?:\/\//); // nothing from a CDN
    const uplot = await fetch(`${base}/uplot.js?token=${s.token}`);
    expect([uplot.status, (await uplot.text()).length > 10_000]).toEqual([200, true]);
    const state = await fetch(`${base}/state`, { headers: { authorization: `Bearer ${s.token}` } });
    expect([state.status, await state.text(), state.headers.get('referrer-policy')]).toEqual([200, '{"seq":7}', 'no-referrer']);
    expect((await fetch(`${base}/action/kill?token=${s.token}`)).status).toBe(405);
    expect((await fetch(`${base}/action/kill?token=${s.token}`, { method: 'POST', headers: { origin: 'http://attacker.example' } })).status).toBe(403);
    expect(kills.n).toBe(0);
    const r = await fetch(`${base}/action/kill?token=${s.token}`, { method: 'POST', headers: { origin: base } });
    expect([r.status, await r.json(), kills.n]).toEqual([200, { tripped: 'yes' }, 1]);
  });

  it('streams a snapshot as soon as the page subscribes, then every broadcast', async () => {
    const s = await start({ n: 0 });
    const res = await fetch(`${s.url.replace('/?', '/events?')}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: snapshot\ndata: {"seq":7}\n\n');
    expect(s.clients).toBe(1);
    s.broadcast('{"seq":8}');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('event: snapshot\ndata: {"seq":8}\n\n');
    await reader.cancel();
  });
});

describe('per-venue gaps', () => {
  it('counts each venue\'s sequence gaps as the hub does, ignoring deltas until the next snapshot', () => {
    const hub = new MarketDataHub(new ManualClock(1), silentLogger, { maxBookAgeMs: 1000 });
    for (const v of ['paradex', 'vest']) hub.addVenue(v, [market(v, 'BTC')], () => {});
    const gaps = new VenueGaps();
    const feed = (e: BookEvent) => {
      gaps.onBook(e);
      hub.onBook(e);
    };
    const book = { bids: [{ price: 100, size: 1 }], asks: [{ price: 101, size: 1 }] };
    feed(ev({ type: 'snapshot', venue: 'paradex', symbol: 'BTC', seq: 1, ...book }));
    feed(ev({ type: 'snapshot', venue: 'vest', symbol: 'BTC', seq: 1, ...book }));
    feed(ev({ type: 'delta', venue: 'paradex', symbol: 'BTC', seq: 2, prevSeq: 1 }));
    feed(ev({ type: 'delta', venue: 'paradex', symbol: 'BTC', seq: 5, prevSeq: 4 })); // gap
    feed(ev({ type: 'delta', venue: 'paradex', symbol: 'BTC', seq: 9, prevSeq: 7 })); // dropped while waiting: not a second gap
    feed(ev({ type: 'snapshot', venue: 'paradex', symbol: 'BTC', seq: 20, ...book }));
    feed(ev({ type: 'delta', venue: 'paradex', symbol: 'BTC', seq: 21, prevSeq: 20 }));
    feed(ev({ type: 'delta', venue: 'vest', symbol: 'BTC', seq: 3, prevSeq: 2 })); // gap on vest
    gaps.onStatus({ venue: 'vest', state: 'disconnected', symbols: [] });
    hub.onStatus({ venue: 'vest', state: 'disconnected', symbols: [] });
    feed(ev({ type: 'delta', venue: 'vest', symbol: 'BTC', seq: 9, prevSeq: 8 })); // waiting for a snapshot: no gap
    expect([gaps.of('paradex'), gaps.of('vest'), gaps.of('lighter')]).toEqual([1, 1, 0]);
    expect(gaps.of('paradex') + gaps.of('vest')).toBe(hub.counters.gaps);
  });
});

describe('spreads by direction', () => {
  it('walks both books for the strategy notional and leaves the executable spread out where a book is too thin', () => {
    const hub = new MarketDataHub(new ManualClock(1), silentLogger, { maxBookAgeMs: 1000 });
    hub.addVenue('a', [market('a', 'X')], () => {});
    hub.addVenue('b', [market('b', 'X-P')], () => {});
    // a: ask 100.00 x 0.5, then 101.00 x 10; b: bid 102.00 x 10 (size units 1e-3, price 1e-2)
    hub.onBook(ev({ type: 'snapshot', venue: 'a', symbol: 'X', bids: [{ price: 9900, size: 10_000 }], asks: [{ price: 10_000, size: 500 }, { price: 10_100, size: 10_000 }] }));
    hub.onBook(ev({ type: 'snapshot', venue: 'b', symbol: 'X-P', bids: [{ price: 10_200, size: 10_000 }], asks: [{ price: 10_300, size: 10_000 }] }));
    const rows = directionSpreads(hub, new InstrumentMap({ X: { a: 'X', b: 'X-P' } }), new Decimal(100), 1);
    const ab = rows.find((r) => r.buyVenue === 'a')!;
    expect(ab.size).toBe('1');
    expect(ab.topPct).toBe('2'); // (102 - 100) / 100
    // 1 unit bought at (0.5 x 100 + 0.5 x 101) = 100.5, sold at 102
    expect(ab.executablePct).toBe(new Decimal(102).minus(100.5).div(100.5).mul(100).toSignificantDigits(8).toFixed());
    const ba = rows.find((r) => r.buyVenue === 'b')!;
    expect([ba.topPct, ba.tradable]).toEqual([new Decimal(99).minus(103).div(103).mul(100).toSignificantDigits(8).toFixed(), true]);
    // Too thin: 10 000 USD at 100 is 100 units, more than a's asks hold.
    expect(directionSpreads(hub, new InstrumentMap({ X: { a: 'X', b: 'X-P' } }), new Decimal(10_000), 1).find((r) => r.buyVenue === 'a')!.executablePct).toBeUndefined();
  });
});

describe('the kill-switch action', () => {
  it('does what touching the kill file does: the running switch trips on it, and a restarted one trips again', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'arb-dash-kill-')), 'data', 'KILL');
    const running = new KillSwitch({ file, signal: false });
    const r = pressKillSwitch({ liveTrading: { killSwitch: running }, config: { risk: { killSwitch: { file } } } } as never);
    expect([r.status, r.body.tripped]).toEqual([200, `kill file ${file} exists`]);
    expect(running.tripped).toBe(`kill file ${file} exists`);
    expect(existsSync(file)).toBe(true);
    // What a restart finds: the file, so it does not trade either until the operator removes it.
    expect(new KillSwitch({ file, signal: false }).check()).toBe(`kill file ${file} exists`);
  });

  it('refuses in dry-run, where no kill switch runs, and leaves no file behind', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'arb-dash-kill-')), 'KILL');
    const r = pressKillSwitch({ liveTrading: undefined, config: { risk: { killSwitch: { file } } } } as never);
    expect(r.status).toBe(409);
    expect(String(r.body.error)).toContain('dry-run');
    expect(existsSync(file)).toBe(false);
  });
});

describe('dashboard config', () => {
  it('is on by default on loopback with a random port, and refuses a misspelt or out-of-range field by name', () => {
    expect(DashboardConfigSchema.parse({})).toEqual({ enabled: true, port: 0, host: '127.0.0.1', publishEveryMs: 1000 });
    expect(DashboardConfigSchema.parse({ enabled: false }).enabled).toBe(false);
    expect(() => DashboardConfigSchema.parse({ port: 70_000 })).toThrow(/port/);
    expect(() => DashboardConfigSchema.parse({ enable: false })).toThrow(/enable/);
  });
});
