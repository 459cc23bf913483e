/**
 * Which leg goes first. The first leg carries the risk of being left alone, so it goes to the
 * venue where a miss is least likely to hurt: by default the buy leg (the cheaper venue, whose
 * ask the strategy just walked); optionally the sell leg, or the thinner book (fill the scarce
 * side first, then the deep side is likely to absorb leg 2).
 */
import type { Decimal } from 'decimal.js';
import type { ArbIntent, IntentLeg } from '../strategy/strategy.ts';
import type { ExecutionConfig } from './config.ts';

/** Size resting on the book this leg takes from, up to its worst price; undefined when unknown. */
export type LiquidityProbe = (leg: IntentLeg) => Decimal | undefined;

export function chooseFirstLeg(intent: ArbIntent, policy: ExecutionConfig['legOrder'], liquidity?: LiquidityProbe): 'buy' | 'sell' {
  if (policy === 'sell-first') return 'sell';
  if (policy === 'less-liquid-first' && liquidity) {
    const buy = liquidity(intent.buy);
    const sell = liquidity(intent.sell);
    if (buy && sell) return sell.lt(buy) ? 'sell' : 'buy';
  }
  return 'buy';
}
