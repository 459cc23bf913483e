import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../engine/market/hub.ts';
import { delta, market, snapshot } from '../../helpers/books.ts';

function setup() {
  const clock = new ManualClock(1_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  const m = market('paradex', 'BTC-USD-PERP', 1, 3);
  const resyncs: string[] = [];
  hub.addVenue('paradex', [m], (s) => resyncs.push(s));
  const updates: number[] = [];
  hub.onBookUpdate((_v, _s, b) => updates.push(b.updates));
  return { clock, hub, m, resyncs, updates, book: () => hub.book('paradex', 'BTC-USD-PERP')! };
}

describe('market-data hub', () => {
  it('a listener that throws does not keep the update (book or funding) from the listeners after it', () => {
    const { hub, m, updates } = setup();
    hub.onBookUpdate(() => {
      throw new Error('strategy bug');
    });
    const after: string[] = [];
    hub.onBookUpdate((v) => after.push(v));
    hub.onFundingUpdate(() => {
      throw new Error('strategy bug');
    });
    const funding: string[] = [];
    hub.onFundingUpdate((e) => funding.push(e.rate));
    hub.onBook(snapshot(m, [['100.0', '1']], [['100.1', '1']], { seq: 1, receivedAt: 1000 }));
    hub.onFunding({ venue: 'paradex', symbol: 'BTC-USD-PERP', rate: '0.0001', intervalHours: 8, venueTime: 1000, receivedAt: 1000 });
    expect(updates).toEqual([1]);
    expect(after).toEqual(['paradex']);
    expect(funding).toEqual(['0.0001']);
    expect(hub.counters.listenerErrors).toBe(2);
  });

  it('applies a snapshot then continuous deltas, keeping levels exact', () => {
    const { hub, m, book, updates } = setup();
    hub.onBook(snapshot(m, [['100.0', '1'], ['99.9', '2']], [['100.1', '1.5']], { seq: 10, receivedAt: 1000 }));
    hub.onBook(delta(m, 11, 10, [['100.0', '0'], ['99.8', '0.5']], [['100.2', '3']]));
    const b = book();
    expect(b.stale).toBe(false);
    expect(b.bids.prices).toEqual([999, 998]);
    expect(b.bids.sizes).toEqual([2000, 500]);
    expect(b.asks.prices).toEqual([1001, 1002]);
    expect(b.asks.sizes).toEqual([1500, 3000]);
    expect(b.seq).toBe(11);
    expect(updates).toEqual([1, 2]);
  });

  it('sorts bids descending and asks ascending, deletes zero-size levels', () => {
    const { hub, book } = setup();
    const m = book().market;
    hub.onBook(snapshot(m, [['99.9', '2'], ['100.0', '1']], [['100.3', '1'], ['100.1', '1.5']], { seq: 1 }));
    hub.onBook(delta(m, 2, 1, [['99.9', '0'], ['99.8', '4']], [['100.2', '1']]));
    expect(book().bids.prices).toEqual([1000, 998]);
    expect(book().bids.sizes).toEqual([1000, 4000]);
    expect(book().asks.prices).toEqual([1001, 1002, 1003]);
  });

  it('on a sequence gap marks the book stale, asks for a resync and drops deltas until a snapshot', () => {
    const { hub, m, book, resyncs, updates } = setup();
    hub.onBook(snapshot(m, [['100.0', '1']], [['100.1', '1']], { seq: 10 }));
    hub.onBook(delta(m, 12, 11, [['100.0', '5']], [])); // 11 never arrived
    expect(book().stale).toBe(true);
    expect(book().staleReason).toMatch(/gap/);
    expect(resyncs).toEqual(['BTC-USD-PERP']);
    expect(hub.counters.gaps).toBe(1);
    hub.onBook(delta(m, 13, 12, [['100.0', '7']], []));
    expect(hub.counters.droppedWhileStale).toBe(1);
    expect(book().bids.sizes).toEqual([1000]); // the gapped delta was not applied
    hub.onBook(snapshot(m, [['100.0', '2']], [['100.1', '1']], { seq: 20 }));
    expect(book().stale).toBe(false);
    hub.onBook(delta(m, 21, 20, [['100.0', '3']], []));
    expect(book().bids.sizes).toEqual([3000]);
    expect(updates).toEqual([1, 2, 3]);
  });

  it('accepts the first delta after an unsequenced snapshot and adopts its sequence', () => {
    const { hub, m, book } = setup();
    hub.onBook(snapshot(m, [['100.0', '1']], [['100.1', '1']]));
    hub.onBook(delta(m, 500, 480, [['100.0', '2']], []));
    expect(book().stale).toBe(false);
    expect(book().seq).toBe(500);
    hub.onBook(delta(m, 510, 499, [], []));
    expect(book().stale).toBe(true);
  });

  it('treats a crossed book as broken and resyncs', () => {
    const { hub, m, book, resyncs } = setup();
    hub.onBook(snapshot(m, [['100.0', '1']], [['100.1', '1']], { seq: 1 }));
    hub.onBook(delta(m, 2, 1, [['100.2', '1']], []));
    expect(book().stale).toBe(true);
    expect(resyncs).toHaveLength(1);
  });

  it('marks books stale when the feed disconnects and is not tradable when old', () => {
    const { hub, m, book, clock } = setup();
    hub.onBook(snapshot(m, [['100.0', '1']], [['100.1', '1']], { seq: 1, receivedAt: 1000 }));
    expect(hub.isTradable(book(), 1000)).toBe(true);
    clock.set(7000);
    expect(hub.isTradable(book(), 6001)).toBe(false);
    hub.onStatus({ venue: 'paradex', state: 'disconnected', symbols: [] });
    expect(book().stale).toBe(true);
    expect(hub.isTradable(book(), 1000)).toBe(false);
  });
});
