import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../engine/journal/journal.ts';
import { checkMargin, MarginGuard, simulatedAccounts, transferAdvice, type MarginLimits, type VenueAccount } from '../../../engine/portfolio/margin.ts';
import { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';

const d = (v: string | number) => new Decimal(v);
const LIMITS: MarginLimits = {
  maxMarginUse: d('0.5'),
  warnMarginUse: d('0.35'),
  initialMarginRatio: new Map([['vest', d('0.05')]]),
  defaultInitialMarginRatio: d('0.1'),
};

function accounts(...list: VenueAccount[]): Map<string, VenueAccount> {
  return new Map(list.map((a) => [a.venue, a]));
}

describe('margin check', () => {
  const paradexOnly1000 = { venue: 'paradex', collateral: d(1000), positions: [] };
  const vest10000 = { venue: 'vest', collateral: d(10000), positions: [] };

  it('refuses a trade that pushes a venue past the limit, naming venue and numbers, and suggests moving capital', () => {
    // 0.2 BTC at 50000 = 10000 notional. Paradex needs 10% = 1000 of 1000 collateral (100% > 50%).
    const check = checkMargin(
      accounts(paradexOnly1000, vest10000),
      [
        { venue: 'vest', symbol: 'BTC-PERP', side: 'buy', size: d('0.2'), price: d(50000) },
        { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: d('0.2'), price: d(50000) },
      ],
      LIMITS,
    );
    expect(check.allowed).toBe(false);
    expect(check.refusals).toHaveLength(1);
    expect(check.refusals[0]).toMatch(/^paradex: margin use would be 100\.0% .*limit 50\.0%/);
    const vest = check.venues.find((v) => v.venue === 'vest')!;
    expect(vest.requiredAfter.toString()).toBe('500'); // Vest's own 5%
    expect(vest.useAfter.toString()).toBe('0.05');
    // Paradex needs 1000 / 0.35 - 1000 = 1857.142857.. more to sit at the warn level; Vest can spare it.
    expect(check.transfers).toEqual([
      { from: 'vest', to: 'paradex', amount: d('1857.15'), reason: expect.stringContaining('paradex margin use 100.0%') as unknown as string },
    ]);
  });

  it('allows the same trade at half the size, and a reducing trade even when over the limit', () => {
    const half = checkMargin(accounts(paradexOnly1000, vest10000), [{ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: d('0.1'), price: d(50000) }], LIMITS);
    expect(half.allowed).toBe(true); // exactly 50%: at the limit, not past it
    const overloaded = { venue: 'paradex', collateral: d(1000), positions: [{ symbol: 'BTC-USD-PERP', size: d('-0.3'), mark: d(50000) }] };
    const reduce = checkMargin(accounts(overloaded), [{ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'buy', size: d('0.1'), price: d(50000) }], LIMITS);
    expect(reduce.allowed).toBe(true);
    expect(reduce.venues[0]!.requiredAfter.toString()).toBe('1000');
    const add = checkMargin(accounts(overloaded), [{ venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', size: d('0.01'), price: d(50000) }], LIMITS);
    expect(add.allowed).toBe(false);
  });

  it('refuses on a venue with no collateral at all', () => {
    const c = checkMargin(new Map(), [{ venue: 'lighter', symbol: '1', side: 'buy', size: d('0.001'), price: d(50000) }], LIMITS);
    expect(c.allowed).toBe(false);
    expect(c.refusals[0]).toMatch(/lighter: .*unbounded/);
  });

  it('MarginGuard in dry-run counts the open simulated pairs against the configured balances', async () => {
    const db = new Database(':memory:');
    migrate(db);
    const pairs = new PairBook(new PairJournal(db));
    const balances = new Map([['paradex', d(2000)], ['vest', d(2000)]]);
    const guard = new MarginGuard(LIMITS, () => simulatedAccounts(balances, pairs.unclosed(), () => undefined));
    const intent = {
      size: d('0.1'),
      buy: { venue: 'vest', symbol: 'BTC-PERP', worstPrice: d(50000) },
      sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', worstPrice: d(50000) },
    };
    await guard.refresh(0);
    expect(guard.checkIntent(intent).allowed).toBe(true); // paradex 500 / 2000 = 25%
    pairs.open({
      id: 'p1',
      strategy: 'cross-exchange',
      instrument: 'BTC',
      mode: 'simulated',
      size: d('0.15'),
      long: { venue: 'vest', symbol: 'BTC-PERP', price: d(50000) },
      short: { venue: 'paradex', symbol: 'BTC-USD-PERP', price: d(50000) },
      entryFees: d(0),
      expectedPnl: d(0),
      policy: {},
      at: 0,
    });
    await guard.refresh(1);
    // paradex now holds -0.15 (750) + 0.1 more (500) = 1250 / 2000 = 62.5%
    const c = guard.checkIntent(intent);
    expect(c.allowed).toBe(false);
    expect(c.refusals[0]).toMatch(/^paradex: margin use would be 62\.5%/);
  });

  it('counts trades approved but still running, and fills since the last account read, until the next read', async () => {
    // Paradex 1000 collateral, 10% initial margin, 50% limit: at most 5000 notional. Vest is roomy.
    const snapshot = accounts({ venue: 'paradex', collateral: d(1000), positions: [] }, { venue: 'vest', collateral: d(100000), positions: [] });
    const guard = new MarginGuard(LIMITS, () => snapshot);
    await guard.refresh(1000);
    const intent = (id: string, size: string) => ({
      id,
      size: d(size),
      buy: { venue: 'vest', symbol: 'BTC-PERP', worstPrice: d(50000) },
      sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', worstPrice: d(50000) },
    });
    expect(guard.checkIntent(intent('a', '0.06')).allowed).toBe(true); // 3000 notional: 30%
    guard.reserve(intent('a', '0.06'));
    // With 'a' running, another 0.06 would make 6000 notional: 60% > 50%.
    const second = guard.checkIntent(intent('b', '0.06'));
    expect(second.allowed).toBe(false);
    expect(second.refusals[0]).toContain('paradex: margin use would be 60.0%');
    // 'a' ends having sold only 0.02 at 50000 (fee 1): counted until a read that started after it.
    guard.settle('a', [{ venue: 'paradex', symbol: 'BTC-USD-PERP', clientId: 'c', fillId: 'f', side: 'sell', price: d(50000), size: d('0.02'), fee: d(1), liquidity: 'taker', time: 2000 }], 2000);
    const after = guard.checkIntent(intent('b', '0.06'));
    // 0.08 short x 50000 x 0.1 = 400 of 999 collateral.
    expect(after.venues.find((v) => v.venue === 'paradex')!.useAfter.toFixed(6)).toBe(d(400).div(999).toFixed(6));
    await guard.refresh(1500); // a read that began before the fill: still counted
    expect(guard.checkIntent(intent('b', '0.06')).venues.find((v) => v.venue === 'paradex')!.requiredAfter.toString()).toBe('400');
    await guard.refresh(3000); // a read after it: the venue's own figures replace it
    expect(guard.checkIntent(intent('b', '0.06')).venues.find((v) => v.venue === 'paradex')!.requiredAfter.toString()).toBe('300');
  });

  it('advises moving capital to a venue above the warn level from the one that can spare it most', () => {
    // Paradex: 0.1 BTC x 50000 x 10% = 500 of 1000 = 50% > 35%; back at 35% needs 1428.5714..., so 428.58 more.
    const advice = transferAdvice(
      accounts(
        { venue: 'paradex', collateral: d(1000), positions: [{ symbol: 'BTC-USD-PERP', size: d('-0.1'), mark: d(50000) }] },
        { venue: 'vest', collateral: d(10000), positions: [] },
        { venue: 'lighter', collateral: d(600), positions: [] },
      ),
      LIMITS,
    );
    expect(advice.map((t) => [t.from, t.to, t.amount.toString()])).toEqual([['vest', 'paradex', '428.58']]);
    expect(transferAdvice(accounts({ venue: 'vest', collateral: d(10000), positions: [] }), LIMITS)).toEqual([]);
  });
});
