import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../engine/exchange/orders.ts';
import { migrate } from '../../../engine/journal/journal.ts';
import { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import { reconcilePairs, venuePositions } from '../../../engine/portfolio/reconcile.ts';

const d = (v: string | number) => new Decimal(v);

function bookWithPairs() {
  const db = new Database(':memory:');
  migrate(db);
  const book = new PairBook(new PairJournal(db));
  const open = (id: string, size: string, long: string, short: string, mode: 'live' | 'simulated' = 'live') =>
    book.open({
      id,
      strategy: 'cross-exchange',
      instrument: 'BTC',
      mode,
      size: d(size),
      long: { venue: long, symbol: long === 'paradex' ? 'BTC-USD-PERP' : 'BTC-PERP', price: d(50000) },
      short: { venue: short, symbol: short === 'paradex' ? 'BTC-USD-PERP' : 'BTC-PERP', price: d(50100) },
      entryFees: d(1),
      expectedPnl: d(5),
      policy: {},
      at: 1,
    });
  open('a', '0.1', 'vest', 'paradex');
  open('b', '0.05', 'vest', 'paradex');
  open('sim', '7', 'vest', 'paradex', 'simulated'); // dry-run pairs have no venue position
  return { db, book };
}

const pos = (venue: string, symbol: string, size: string): Position => ({ venue, symbol, size: d(size) });

describe('reconcile journal pairs with venue positions', () => {
  it('agrees when the net size per market matches, across pairs, after a restart over the same journal', () => {
    const { db } = bookWithPairs();
    const restarted = new PairBook(new PairJournal(db));
    expect(restarted.unclosed().map((p) => p.id)).toEqual(['a', 'b', 'sim']);
    const r = reconcilePairs(
      restarted.unclosed(),
      new Map([
        ['vest', [pos('vest', 'BTC-PERP', '0.15')]],
        ['paradex', [pos('paradex', 'BTC-USD-PERP', '-0.15')]],
      ]),
    );
    expect(r.disagreements).toEqual([]);
    expect(r.agreed.map((a) => `${a.venue} ${a.size}`)).toEqual(['vest 0.15', 'paradex -0.15']);
  });

  it('reports a missing leg, a size mismatch, an untracked position and an unreachable venue', async () => {
    const { book } = bookWithPairs();
    const r = reconcilePairs(
      book.unclosed(),
      new Map<string, Position[] | Error>([
        ['vest', [pos('vest', 'BTC-PERP', '0.1'), pos('vest', 'ETH-PERP', '2')]],
        ['paradex', []],
      ]),
    );
    expect(r.disagreements.map((x) => [x.kind, x.venue, x.symbol, x.expected.toString(), x.actual.toString(), x.pairIds.join()])).toEqual([
      ['size-mismatch', 'vest', 'BTC-PERP', '0.15', '0.1', 'a,b'],
      ['missing-on-venue', 'paradex', 'BTC-USD-PERP', '-0.15', '0', 'a,b'],
      ['untracked-on-venue', 'vest', 'ETH-PERP', '0', '2', ''],
    ]);
    const answers = await venuePositions(
      new Map([
        ['vest', { positions: async () => [pos('vest', 'BTC-PERP', '0.15')] }],
        ['paradex', { positions: async () => Promise.reject(new Error('401 jwt expired')) }],
      ]),
    );
    const r2 = reconcilePairs(book.unclosed(), answers);
    expect(r2.unreachable).toEqual([{ venue: 'paradex', error: '401 jwt expired' }]);
    expect(r2.disagreements).toEqual([]); // nothing claimed about a venue that did not answer
  });

  it('a closed pair no longer counts', () => {
    const { book } = bookWithPairs();
    book.close('b', { longExit: d(50050), shortExit: d(50060), exitFees: d(1), reason: 'converged', detail: '', at: 2 });
    const r = reconcilePairs(book.unclosed(), new Map([
      ['vest', [pos('vest', 'BTC-PERP', '0.1')]],
      ['paradex', [pos('paradex', 'BTC-USD-PERP', '-0.1')]],
    ]));
    expect(r.disagreements).toEqual([]);
  });
});
