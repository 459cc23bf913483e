/**
 * Property tests of the market-data hub's book invariants (engine/market/hub.ts, book.ts), against
 * a plain reference model: random snapshots and deltas, some deltas out of sequence, some updates
 * that cross the book. Whatever the sequence:
 * - a published book (what strategies see) is never crossed and never stale;
 * - every sequence gap is counted, marks the book stale, asks the connector for a snapshot, and
 *   nothing is published from that book until a snapshot arrives;
 * - a published book holds exactly the model's levels.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../engine/core/logger.ts';
import { MarketDataHub } from '../../engine/market/hub.ts';
import type { BookEvent, LevelChange, MarketInfo } from '../../engine/market/types.ts';
import { RUNS } from './hostile.ts';

const MARKET: MarketInfo = { venue: 'v', symbol: 'X', priceDecimals: 0, sizeDecimals: 0, tickSize: '1', sizeIncrement: '1', minSize: '1' };

type Cmd = { kind: 'snapshot'; bids: LevelChange[]; asks: LevelChange[] } | { kind: 'delta'; bids: LevelChange[]; asks: LevelChange[]; skew: number };

const level = fc.record({ price: fc.integer({ min: 1, max: 60 }), size: fc.integer({ min: 0, max: 9 }) });
const snapshotSide = fc.uniqueArray(fc.record({ price: fc.integer({ min: 1, max: 60 }), size: fc.integer({ min: 1, max: 9 }) }), { selector: (l) => l.price, maxLength: 8 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), bids: snapshotSide.map((l) => l.filter((x) => x.price <= 30)), asks: snapshotSide.map((l) => l.filter((x) => x.price > 30)) }) },
  // Mostly in sequence; skew != 0 is a gap (a lost or a repeated message).
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('delta' as const), bids: fc.array(level, { maxLength: 3 }), asks: fc.array(level, { maxLength: 3 }), skew: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) }) }) },
);

class Model {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  seq = 0;
  live = false;
  gaps = 0;
  crossed(): boolean {
    const b = Math.max(...this.bids.keys());
    const a = Math.min(...this.asks.keys());
    return this.bids.size > 0 && this.asks.size > 0 && b >= a;
  }
  static set(side: Map<number, number>, l: LevelChange): void {
    if (l.size === 0) side.delete(l.price);
    else side.set(l.price, l.size);
  }
  levels(side: Map<number, number>, descending: boolean): Array<[number, number]> {
    return [...side.entries()].sort((x, y) => (descending ? y[0] - x[0] : x[0] - y[0]));
  }
}

describe('book invariants under random snapshots, deltas, gaps and crossings', () => {
  it(`${RUNS} sequences: never a crossed or stale book published, every gap detected and resynced, books equal the model`, () => {
    fc.assert(
      fc.property(fc.array(cmd, { minLength: 1, maxLength: 40 }), (cmds) => {
        const hub = new MarketDataHub({ now: () => 0 } as never, silentLogger, { maxBookAgeMs: 1e12 });
        const resyncs: string[] = [];
        hub.addVenue('v', [MARKET], (s) => resyncs.push(s));
        const published: Array<{ crossed: boolean; stale: boolean; bids: Array<[number, number]>; asks: Array<[number, number]> }> = [];
        hub.onBookUpdate((_v, _s, b) => {
          const side = (s: typeof b.bids) => s.prices.map((p, i) => [p, s.sizes[i]!] as [number, number]);
          published.push({ crossed: b.isCrossed(), stale: b.stale, bids: side(b.bids), asks: side(b.asks) });
        });
        const m = new Model();
        let nextSeq = 100;
        for (const c of cmds) {
          const before = { published: published.length, resyncs: resyncs.length };
          let expectPublish = false;
          let expectResync = false;
          let e: BookEvent;
          if (c.kind === 'snapshot') {
            const seq = nextSeq++;
            e = { type: 'snapshot', venue: 'v', symbol: 'X', seq, bids: c.bids, asks: c.asks, venueTime: 0, receivedAt: 0 };
            m.bids = new Map(c.bids.map((l) => [l.price, l.size]));
            m.asks = new Map(c.asks.map((l) => [l.price, l.size]));
            m.seq = seq;
            m.live = !m.crossed();
            expectPublish = m.live;
            expectResync = !m.live;
          } else {
            const prevSeq = m.seq + c.skew;
            const seq = prevSeq + 1;
            e = { type: 'delta', venue: 'v', symbol: 'X', seq, prevSeq, bids: c.bids, asks: c.asks, venueTime: 0, receivedAt: 0 };
            if (!m.live) {
              // Dropped while waiting for a snapshot.
            } else if (prevSeq !== m.seq) {
              m.gaps++;
              m.live = false;
              expectResync = true;
            } else {
              for (const l of c.bids) Model.set(m.bids, l);
              for (const l of c.asks) Model.set(m.asks, l);
              m.seq = seq;
              m.live = !m.crossed();
              expectPublish = m.live;
              expectResync = !m.live;
            }
          }
          hub.onBook(e);
          expect(published.length - before.published).toBe(expectPublish ? 1 : 0);
          expect(resyncs.length - before.resyncs).toBe(expectResync ? 1 : 0);
          expect(hub.book('v', 'X')!.stale).toBe(!m.live);
          if (expectPublish) {
            const p = published[published.length - 1]!;
            expect(p.crossed).toBe(false);
            expect(p.stale).toBe(false);
            expect(p.bids).toEqual(m.levels(m.bids, true));
            expect(p.asks).toEqual(m.levels(m.asks, false));
          }
        }
        expect(hub.counters.gaps).toBe(m.gaps);
        expect(published.every((p) => !p.crossed && !p.stale)).toBe(true);
      }),
      { numRuns: RUNS, seed: 31 },
    );
  });
});
