/**
 * Several dry-run quotes on one market driven by one scripted tape: which quote each print fills,
 * a replace whose ack is still in flight, a cancel, and a feed that goes back in time. Expected
 * fills are worked out by hand beside each event.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { OrderSide } from '../../../engine/exchange/orders.ts';
import type { RestingQuote } from '../../../engine/quoting/queue-model.ts';
import { replayTape, SimulatedQuotes, type TapeEvent } from '../../../engine/quoting/trade-tape.ts';

const d = (v: string | number) => new Decimal(v);
const q = (id: string, side: OrderSide, price: string, size: string, placedAt: number): RestingQuote => ({ id, side, price: d(price), size: d(size), placedAt });
const trade = (time: number, aggressor: OrderSide, price: string, size: string): TapeEvent => ({ kind: 'trade', trade: { time, aggressor, price: d(price), size: d(size) } });

describe('replayTape', () => {
  it('fills a bid and an ask from one tape, through a replace in flight and a cancel', () => {
    const tape: TapeEvent[] = [
      { kind: 'place', quote: q('b1', 'buy', '100', '1', 1_000), levelSize: d(2) }, // b1: 2 ahead
      { kind: 'place', quote: q('a1', 'sell', '101', '0.5', 1_000), levelSize: d(0) }, // a1: improves the ask, 0 ahead
      trade(1_001, 'sell', '100', '1.5'), // b1 ahead 2 - 1.5 = 0.5; a sell never touches a1
      { kind: 'level', update: { time: 1_002, side: 'buy', price: d(100), size: d('0.2') } }, // b1 ahead min(0.5, 0.2) = 0.2
      trade(1_003, 'buy', '101', '0.2'), // a1 fills 0.2 (0.3 left)
      trade(1_004, 'sell', '100', '0.5'), // b1: 0.2 to the queue, 0.3 fills b1 (0.7 left)
      // b1 replaced by b2 @ 100.1 (improves the bid), acked at 1010: b1 still rests until then.
      { kind: 'replace', quoteId: 'b1', next: q('b2', 'buy', '100.1', '0.7', 1_010), levelSize: d(0) },
      trade(1_005, 'sell', '100', '0.4'), // b1, in the replace window, 0 ahead: fills 0.4 (0.3 left); b2 not yet placed
      trade(1_011, 'sell', '100', '2'), // b1 gone; through b2's 100.1 with 0 ahead: min(0.7, 2) = 0.7, b2 filled
      { kind: 'cancel', quoteId: 'a1', effectiveAt: 1_020 },
      trade(1_030, 'buy', '101.5', '5'), // a1 cancelled at 1020: no fill
    ];
    const { fills, quotes } = replayTape(tape);
    expect(fills.map((f) => [f.quoteId, f.time, f.side, f.price.toString(), f.size.toString(), f.cause])).toEqual([
      ['a1', 1_003, 'sell', '101', '0.2', 'at-price'],
      ['b1', 1_004, 'buy', '100', '0.3', 'at-price'],
      ['b1', 1_005, 'buy', '100', '0.4', 'at-price'],
      ['b2', 1_011, 'buy', '100.1', '0.7', 'through'],
    ]);
    const state = (id: string) => {
      const p = quotes.get(id)!;
      return [p.status, p.filled.toString(), p.remaining.toString()];
    };
    expect(state('b1')).toEqual(['cancelled', '0.7', '0.3']); // 0.3 + 0.4 of 1
    expect(state('a1')).toEqual(['cancelled', '0.2', '0.3']); // 0.2 of 0.5
    expect(state('b2')).toEqual(['filled', '0.7', '0']);
  });

  it('refuses a feed that goes back in time, naming it', () => {
    const tape: TapeEvent[] = [
      { kind: 'place', quote: q('b1', 'buy', '100', '1', 1_000), levelSize: d(0) },
      trade(1_002, 'sell', '100', '0.1'),
      trade(1_001, 'sell', '100', '0.1'),
    ];
    expect(() => replayTape(tape)).toThrow(/trade time 1001 is before the previous feed event \(1002\)/);
  });
});

describe('SimulatedQuotes', () => {
  it('refuses a reused id and a cancel of an unknown quote', () => {
    const market = new SimulatedQuotes();
    market.place(q('b1', 'buy', '100', '1', 1_000), d(0));
    expect(() => market.place(q('b1', 'buy', '99', '1', 1_001), d(0))).toThrow(/quote b1 id is already used/);
    expect(() => market.replace('b1', q('b1', 'buy', '99', '1', 1_001), d(0))).toThrow(/replacement b1 id/);
    expect(() => market.cancel('nope', 1_002)).toThrow(/quote nope is not known/);
  });

  it('returns each print\'s fills to the caller as they happen', () => {
    const market = new SimulatedQuotes();
    market.place(q('a1', 'sell', '101', '1', 1_000), d('0.5'));
    market.onLevel({ time: 1_001, side: 'sell', price: d(101), size: d('0.1') }); // ahead min(0.5, 0.1) = 0.1
    const fills = market.onTrade({ time: 1_002, aggressor: 'buy', price: d(101), size: d('0.35') }); // 0.1 to the queue, 0.25 fills
    expect(fills.map((f) => f.size.toString())).toEqual(['0.25']);
    expect(market.position('a1')?.remaining.toString()).toBe('0.75'); // 1 - 0.25
  });
});
