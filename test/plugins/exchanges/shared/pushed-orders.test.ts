import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../../engine/exchange/orders.ts';
import { PushedOrders } from '../../../../plugins/exchanges/shared/pushed-orders.ts';

const fill = (id: string, size: string): Fill => ({
  venue: 'v', symbol: 'X', clientId: 'c-1', fillId: id, side: 'buy', price: new Decimal('100'), size: new Decimal(size), fee: new Decimal('0'), liquidity: 'taker', time: 1,
});

describe('PushedOrders', () => {
  it('answers only once the order is final and its fills add up; duplicate fill pushes count once', () => {
    const p = new PushedOrders();
    p.order({ clientId: 'c-1', status: 'open', filledSize: new Decimal(0) });
    expect(p.complete('c-1')).toBeUndefined();
    p.order({ clientId: 'c-1', status: 'filled', filledSize: new Decimal('0.3') });
    p.fill(fill('f1', '0.1'));
    expect(p.complete('c-1')).toBeUndefined(); // fills trail the state
    p.fill(fill('f2', '0.2'));
    p.fill(fill('f2', '0.2'));
    const r = p.complete('c-1')!;
    expect(r.state.status).toBe('filled');
    expect(r.fills.map((f) => f.fillId)).toEqual(['f1', 'f2']);
    expect(p.hits).toBe(1);
  });

  it('a late non-final push never overwrites a final state (streams reorder across reconnects)', () => {
    const p = new PushedOrders();
    p.order({ clientId: 'c-1', status: 'cancelled', filledSize: new Decimal(0) });
    p.order({ clientId: 'c-1', status: 'open', filledSize: new Decimal(0) });
    expect(p.complete('c-1')?.state.status).toBe('cancelled');
  });

  it('wakes a waiter on the next push about its order, not on others', async () => {
    const p = new PushedOrders();
    let woke = 0;
    const w = p.waitForUpdate('c-1', 5_000).then(() => woke++);
    p.order({ clientId: 'other', status: 'open', filledSize: new Decimal(0) });
    await new Promise((r) => setTimeout(r, 10));
    expect(woke).toBe(0);
    p.fill(fill('f1', '1'));
    await w;
    expect(woke).toBe(1);
  });

  it('forgets the oldest orders past its capacity', () => {
    const p = new PushedOrders(2);
    for (const id of ['a', 'b', 'c']) p.order({ clientId: id, status: 'filled', filledSize: new Decimal(0) });
    expect(p.complete('a')).toBeUndefined();
    expect(p.complete('c')?.state.clientId).toBe('c');
  });
});
