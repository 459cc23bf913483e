/**
 * The live console's figures: one realized total (closed pairs + trades that ended flat), a
 * pair's opening trade shown as an entry locked in (not realized), a close trade's cash booked to
 * its pair, open pairs said to stay open. The demo printed two "realized" totals that disagreed:
 * every completed trade's entry cash was summed as realized while its pair was still open.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { emptyLiveTally, formatLiveSummary, formatTrade, tallyTrade, tradeKind } from '../../../engine/cli/live-reporter.ts';
import type { TradeResult } from '../../../engine/execution/trade-result.ts';
import type { PairLifecycleSummary } from '../../../engine/portfolio/lifecycle-summary.ts';
import { CLOSE_INTENT_PREFIX } from '../../../engine/portfolio/live-pairs.ts';

function trade(state: TradeResult['state'], pnl: string | undefined, intentId = 'xex-1'): TradeResult {
  return { tradeId: `t-${intentId}-${state}`, intentId, instrument: 'BTC-USD-PERP', state, residual: new Decimal(0), orders: [], ...(pnl ? { realizedPnl: new Decimal(pnl) } : {}) };
}

function pairs(open: number, closed: number, realized: string): PairLifecycleSummary {
  return { pairs: [], open, closed, byMode: {}, totals: { realizedPnl: realized, expectedPnl: '0', funding: '0', fees: '0' }, byExitReason: {}, averageHoldingMs: null };
}

describe('live console figures', () => {
  it('classifies each trade by what it left behind', () => {
    expect(tradeKind(trade('completed', '1.2'))).toBe('pair-open');
    expect(tradeKind(trade('hedged', '-0.1'))).toBe('pair-open');
    expect(tradeKind(trade('unwound', '-0.08'))).toBe('flat');
    expect(tradeKind(trade('no-fill', '0'))).toBe('flat');
    expect(tradeKind(trade('failed-unresolved', undefined))).toBe('unresolved');
    expect(tradeKind(trade('completed', '-0.3', `${CLOSE_INTENT_PREFIX}pair-abc:1`))).toBe('pair-close');
  });

  it('realized = closed pairs + flat trades; entries of open pairs and close cash are not added again', () => {
    const t = emptyLiveTally();
    tallyTrade(t, trade('completed', '1.21')); // opened a pair: entry, not realized
    tallyTrade(t, trade('completed', '1.50')); // opened a pair
    tallyTrade(t, trade('completed', '-0.10', `${CLOSE_INTENT_PREFIX}pair-a:1`)); // closed pair a
    tallyTrade(t, trade('unwound', '-0.08'));
    tallyTrade(t, trade('stopped-out', '-0.30'));
    const text = formatLiveSummary(t, pairs(1, 1, '1.11'));
    expect(text).toContain('5 (completed 3, unwound 1, stopped-out 1): 2 opened a pair, 1 closed one, 2 ended flat');
    // 1.11 + (-0.08 - 0.30) = 0.73; the old sum of every trade's cash would say 2.23.
    expect(text).toContain('realized: $0.73 = closed pairs $1.11 + trades that ended flat -$0.38');
    expect(text.match(/realized/g)).toHaveLength(2); // the total line, and "not realized" for open pairs
    expect(text).toContain('open pairs: 1 not realized and STILL OPEN at the venues');
  });

  it('on the simulators the open pairs end with the run; with none open nothing is said', () => {
    expect(formatLiveSummary(emptyLiveTally(), pairs(2, 0, '0'), { simulators: true })).toContain('open pairs: 2 not realized; they end with the simulators');
    expect(formatLiveSummary(emptyLiveTally(), pairs(0, 3, '2'))).not.toContain('open pairs');
  });

  it('a pair-opening trade line shows the entry and the expected round trip, a flat one its realized PnL', () => {
    const plan = { intent: {} as never, net: new Decimal('0.97'), judgedAt: 0 };
    expect(formatTrade(trade('completed', '1.21'), plan)).toContain('entry $1.21 locked in, realized when the pair closes (expected round trip $0.97)');
    expect(formatTrade(trade('unwound', '-0.08'))).toContain('realized -$0.08 (flat)');
    expect(formatTrade(trade('completed', '-0.1', `${CLOSE_INTENT_PREFIX}pair-a:2`))).toContain('close of pair pair-a: cash -$0.10');
  });
});

describe('dashboard trades: the same meaning of a trade\'s cash as the console', () => {
  it('only a flat trade counts as realized; a pair-opening trade is an entry, a close belongs to its pair', async () => {
    const { Activity } = await import('../../../engine/dashboard/activity.ts');
    const a = new Activity(() => 0);
    const plan = { intent: { buy: { venue: 'vest' }, sell: { venue: 'paradex' } } };
    a.onTrade(trade('completed', '1.57'), plan);
    a.onTrade(trade('unwound', '-0.02'), plan);
    a.onTrade(trade('completed', '-0.10', `${CLOSE_INTENT_PREFIX}pair-a:1`), plan);
    expect(a.trades.map((t) => [t.kind, t.cashUsd, t.realizedPnl])).toEqual([
      ['pair-close', '-0.1', undefined],
      ['flat', '-0.02', '-0.02'],
      ['pair-open', '1.57', undefined],
    ]);
    // The old sum took every trade's cash as realized: 1.45.
    expect(a.totals().tradesRealizedUsd).toBe('-0.02');
  });
});
