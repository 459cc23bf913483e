/**
 * The dry-run queue model on scripted trade tapes. Every expected size is worked out by hand in
 * the comment beside it from the rules in engine/quoting/queue-model.ts.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { OrderSide } from '../../../engine/exchange/orders.ts';
import {
  applyLevelUpdate,
  applyTrade,
  cancelQuote,
  placeQuote,
  QueueModelError,
  replaceQuote,
  type MakerFill,
  type QueuePosition,
  type RestingQuote,
} from '../../../engine/quoting/queue-model.ts';

const d = (v: string | number) => new Decimal(v);

function quote(over: Omit<Partial<RestingQuote>, 'price' | 'size'> & { side: OrderSide; price: string; size: string }): RestingQuote {
  return { id: 'q1', placedAt: 1_000, ...over, price: d(over.price), size: d(over.size) };
}

/** Runs trades in order and collects fills, the way the dry-run feed does. */
function trades(pos: QueuePosition, tape: Array<[time: number, aggressor: OrderSide, price: string, size: string]>): { pos: QueuePosition; fills: MakerFill[] } {
  const fills: MakerFill[] = [];
  for (const [time, aggressor, price, size] of tape) {
    const r = applyTrade(pos, { time, aggressor, price: d(price), size: d(size) });
    pos = r.position;
    if (r.fill) fills.push(r.fill);
  }
  return { pos, fills };
}

const sizes = (fills: MakerFill[]) => fills.map((f) => f.size.toString());

describe('queue ahead is consumed before we fill', () => {
  it('a bid behind 3 fills partially once the prints at its price pass the queue', () => {
    // Buy 2 @ 100.5, 3 resting ahead at placement.
    const placed = placeQuote(quote({ side: 'buy', price: '100.5', size: '2' }), d(3));
    const { pos, fills } = trades(placed, [
      [1_001, 'sell', '100.5', '1'], // ahead 3 - 1 = 2, no fill
      [1_002, 'sell', '100.5', '1.5'], // ahead 2 - 1.5 = 0.5, no fill
      [1_003, 'sell', '100.5', '1.2'], // 0.5 to the queue, 1.2 - 0.5 = 0.7 fills us
      [1_004, 'sell', '100.5', '0.3'], // front of queue: 0.3 fills us
    ]);
    expect(sizes(fills)).toEqual(['0.7', '0.3']);
    expect(fills.map((f) => f.time)).toEqual([1_003, 1_004]);
    expect(fills.every((f) => f.price.eq('100.5') && f.side === 'buy' && f.cause === 'at-price' && f.quoteId === 'q1')).toBe(true);
    expect(pos.filled.toString()).toBe('1'); // 0.7 + 0.3
    expect(pos.remaining.toString()).toBe('1'); // 2 - 1
    expect(pos.sizeAhead.toString()).toBe('0');
    expect(pos.status).toBe('resting');
  });

  it('an ask is filled by buy prints at its price the same way', () => {
    // Sell 1 @ 101, 0.4 ahead; a buy of 1 @ 101: 0.4 to the queue, 1 - 0.4 = 0.6 fills us.
    const placed = placeQuote(quote({ side: 'sell', price: '101', size: '1' }), d('0.4'));
    const { pos, fills } = trades(placed, [[1_001, 'buy', '101', '1']]);
    expect(sizes(fills)).toEqual(['0.6']);
    expect(pos.remaining.toString()).toBe('0.4'); // 1 - 0.6
  });

  it('a quote that improves the level (0 ahead) fills from the first print', () => {
    const placed = placeQuote(quote({ side: 'buy', price: '100.6', size: '1' }), d(0));
    const { fills } = trades(placed, [[1_001, 'sell', '100.6', '0.25']]); // 0 ahead: all 0.25 is ours
    expect(sizes(fills)).toEqual(['0.25']);
  });
});

describe('a trade through our price (the level was swept)', () => {
  it('fills only what the print leaves after the queue ahead, then we are at the front', () => {
    // Buy 2 @ 100.5, 3 ahead.
    const placed = placeQuote(quote({ side: 'buy', price: '100.5', size: '2' }), d(3));
    const { pos, fills } = trades(placed, [
      [1_001, 'sell', '100.4', '4'], // through: min(2, 4 - 3) = 1; ahead -> 0
      [1_002, 'sell', '100.3', '0.5'], // through, 0 ahead: min(1, 0.5) = 0.5
      [1_003, 'sell', '100.0', '10'], // through: min(0.5 left, 10) = 0.5 -> filled
      [1_004, 'sell', '100.5', '1'], // already filled: nothing
    ]);
    expect(sizes(fills)).toEqual(['1', '0.5', '0.5']);
    expect(fills.every((f) => f.cause === 'through' && f.price.eq('100.5'))).toBe(true); // maker fills at our price
    expect(pos.filled.toString()).toBe('2'); // 1 + 0.5 + 0.5
    expect(pos.remaining.isZero()).toBe(true);
    expect(pos.status).toBe('filled');
  });

  it('a sweep smaller than the queue ahead fills nothing but empties the queue ahead', () => {
    // Buy 1 @ 100.5, 5 ahead; sell 2 @ 100.4: max(0, 2 - 5) = 0 fill, ahead -> 0.
    const placed = placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(5));
    const swept = trades(placed, [[1_001, 'sell', '100.4', '2']]);
    expect(swept.fills).toEqual([]);
    expect(swept.pos.sizeAhead.toString()).toBe('0');
    // Front of the queue now: the next print at our price, 0.4, is all ours.
    const after = trades(swept.pos, [[1_002, 'sell', '100.5', '0.4']]);
    expect(sizes(after.fills)).toEqual(['0.4']);
    expect(after.pos.remaining.toString()).toBe('0.6'); // 1 - 0.4
  });

  it('for an ask, a buy above its price is through it', () => {
    // Sell 1 @ 101, 0.5 ahead; buy 0.8 @ 101.2: min(1, 0.8 - 0.5) = 0.3.
    const placed = placeQuote(quote({ side: 'sell', price: '101', size: '1' }), d('0.5'));
    const { fills } = trades(placed, [[1_001, 'buy', '101.2', '0.8']]);
    expect(sizes(fills)).toEqual(['0.3']);
    expect(fills[0]?.cause).toBe('through');
    expect(fills[0]?.price.toString()).toBe('101');
  });
});

describe('trades that never fill us', () => {
  it('before or at placement, by our own side, or not reaching our price: no fill and the queue does not move', () => {
    // Buy 1 @ 100.5 placed at 1000 with 2 ahead.
    const placed = placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(2));
    const { pos, fills } = trades(placed, [
      [999, 'sell', '100.5', '5'], // before placement
      [1_000, 'sell', '100.4', '5'], // same ms as placement: may have printed before we landed
      [1_001, 'buy', '100.5', '5'], // a buyer at our price trades with the asks, not with us
      [1_002, 'buy', '100.4', '5'], // a buyer below our bid
      [1_003, 'sell', '100.6', '5'], // a seller above our bid took another bid
    ]);
    expect(fills).toEqual([]);
    expect(pos.sizeAhead.toString()).toBe('2'); // still 2: none of these were at our level
    expect(pos.remaining.toString()).toBe('1');
  });

  it('the same for an ask: sells, and buys below it, do not touch it', () => {
    const placed = placeQuote(quote({ side: 'sell', price: '101', size: '1' }), d(0));
    const { fills } = trades(placed, [
      [1_001, 'sell', '101', '5'], // aggressor on our side
      [1_002, 'sell', '100.9', '5'],
      [1_003, 'buy', '100.9', '5'], // a buyer below our ask
    ]);
    expect(fills).toEqual([]);
  });
});

describe('book updates at our level', () => {
  it('a shrink below our position moves us forward; growth and shrinks that stay above it do not', () => {
    // Buy 1 @ 100.5, level 5 at placement: 5 ahead.
    let pos = placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(5));
    const bid = (time: number, size: string, price = '100.5', side: OrderSide = 'buy') => ({ time, side, price: d(price), size: d(size) });
    pos = applyLevelUpdate(pos, bid(999, '0')); // before placement: ignored
    expect(pos.sizeAhead.toString()).toBe('5');
    pos = applyLevelUpdate(pos, bid(1_001, '8')); // grows to 8: 3 joined behind us, still 5 ahead
    expect(pos.sizeAhead.toString()).toBe('5');
    pos = applyLevelUpdate(pos, bid(1_002, '6')); // 8 -> 6 but 6 >= 5: cancels behind us, still 5
    expect(pos.sizeAhead.toString()).toBe('5');
    pos = applyLevelUpdate(pos, bid(1_003, '2')); // 2 < 5: at most 2 can be ahead now
    expect(pos.sizeAhead.toString()).toBe('2');
    pos = applyLevelUpdate(pos, bid(1_004, '0', '100.4')); // another price: ignored
    pos = applyLevelUpdate(pos, bid(1_005, '0', '100.5', 'sell')); // the ask side at our price: ignored
    expect(pos.sizeAhead.toString()).toBe('2');
    const { pos: after, fills } = trades(pos, [[1_006, 'sell', '100.5', '2.25']]); // 2 to the queue, 0.25 fills us
    expect(sizes(fills)).toEqual(['0.25']);
    // The book update that reflects that print (level 2 -> 0 plus whatever is behind, say 3) must not move us again.
    expect(applyLevelUpdate(after, bid(1_007, '3')).sizeAhead.toString()).toBe('0');
  });
});

describe('cancel and replace', () => {
  it('a cancelled quote fills only from trades before the cancel took effect', () => {
    // Buy 1 @ 100.5, 0 ahead; cancel acked at 1010.
    const pos = cancelQuote(placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(0)), 1_010);
    expect(pos.status).toBe('cancelled');
    const { pos: after, fills } = trades(pos, [
      [1_005, 'sell', '100.5', '0.3'], // cancel in flight: fills 0.3
      [1_010, 'sell', '100.5', '0.3'], // at the cancel's ack: no fill
      [1_020, 'sell', '100.4', '5'], // after: no fill
    ]);
    expect(sizes(fills)).toEqual(['0.3']);
    expect(after.remaining.toString()).toBe('0.7'); // 1 - 0.3
    expect(after.status).toBe('cancelled');
  });

  it('a replace at the same price goes to the back of the level', () => {
    // Buy 1 @ 100.5, 2 ahead; a print of 2 takes exactly the queue: front of the level, no fill.
    const front = trades(placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(2)), [[1_001, 'sell', '100.5', '2']]);
    expect(front.fills).toEqual([]);
    expect(front.pos.sizeAhead.toString()).toBe('0');
    // Replaced at 1010 (same price, new size 1.5) while 3 rest at 100.5: the new quote has 3 ahead.
    const { cancelled, placed } = replaceQuote(front.pos, quote({ id: 'q2', side: 'buy', price: '100.5', size: '1.5', placedAt: 1_010 }), d(3));
    expect(placed.sizeAhead.toString()).toBe('3');
    expect(cancelled.status).toBe('cancelled');
    // A print of 1 at 1011 would have filled the old quote in full; the new one only moves up: 3 - 1 = 2.
    const print: [number, OrderSide, string, string][] = [[1_011, 'sell', '100.5', '1']];
    expect(trades(cancelled, print).fills).toEqual([]);
    const moved = trades(placed, print);
    expect(moved.fills).toEqual([]);
    expect(moved.pos.sizeAhead.toString()).toBe('2');
    // 2.6 more: 2 to the queue, min(1.5, 0.6) = 0.6 fills q2.
    const filled = trades(moved.pos, [[1_012, 'sell', '100.5', '2.6']]);
    expect(sizes(filled.fills)).toEqual(['0.6']);
    expect(filled.fills[0]?.quoteId).toBe('q2');
  });

  it('a replace to the other side is refused', () => {
    const pos = placeQuote(quote({ side: 'buy', price: '100.5', size: '1' }), d(0));
    expect(() => replaceQuote(pos, quote({ id: 'q2', side: 'sell', price: '101', size: '1' }), d(0))).toThrow(/replacement q2 side/);
  });
});

describe('fills never exceed the quote and sum exactly', () => {
  it('a print far larger than the quote fills it once, in full', () => {
    // Sell 0.5 @ 101, 0 ahead; buy 10 @ 101: min(0.5, 10) = 0.5; then nothing more.
    const placed = placeQuote(quote({ side: 'sell', price: '101', size: '0.5' }), d(0));
    const { pos, fills } = trades(placed, [
      [1_001, 'buy', '101', '10'],
      [1_002, 'buy', '102', '100'],
    ]);
    expect(sizes(fills)).toEqual(['0.5']);
    expect(pos.status).toBe('filled');
    expect(pos.filled.toString()).toBe('0.5');
  });

  it('forty prints of 0.01 against 0.1 ahead fill a 0.3 bid exactly (no float drift)', () => {
    // Prints 1-10 (10 x 0.01 = 0.1) take the queue; prints 11-40 (30 x 0.01 = 0.3) fill us.
    // In floats, thirty additions of 0.01 give 0.3000000000000001, not 0.3.
    const placed = placeQuote(quote({ side: 'buy', price: '100.5', size: '0.3' }), d('0.1'));
    const tape: [number, OrderSide, string, string][] = [];
    for (let i = 1; i <= 45; i++) tape.push([1_000 + i, 'sell', '100.5', '0.01']);
    const { pos, fills } = trades(placed, tape);
    expect(fills).toHaveLength(30);
    expect(fills[0]?.time).toBe(1_011); // the 11th print is the first to reach us
    expect(fills.at(-1)?.time).toBe(1_040);
    expect(fills.reduce((s, f) => s.plus(f.size), d(0)).toString()).toBe('0.3');
    expect(pos.filled.toString()).toBe('0.3');
    expect(pos.remaining.isZero()).toBe(true);
    expect(pos.status).toBe('filled'); // prints 41-45 found it filled
  });
});

describe('bad input names the field', () => {
  it('rejects a negative level size, a zero quote size and a zero trade size', () => {
    expect(() => placeQuote(quote({ side: 'buy', price: '100', size: '1' }), d(-1))).toThrow(QueueModelError);
    expect(() => placeQuote(quote({ side: 'buy', price: '100', size: '1' }), d(-1))).toThrow(/quote q1 levelSize/);
    expect(() => placeQuote(quote({ side: 'buy', price: '100', size: '0' }), d(0))).toThrow(/quote q1 size must be a positive decimal/);
    const pos = placeQuote(quote({ side: 'buy', price: '100', size: '1' }), d(0));
    expect(() => applyTrade(pos, { time: 1_001, aggressor: 'sell', price: d(100), size: d(0) })).toThrow(/trade size/);
  });
});
