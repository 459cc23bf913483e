/**
 * The seam between the live executor and the PairBook: a completed two-leg trade becomes a
 * live pair (priced from the venues' verified fills, not the intent), the exit policy's
 * signal becomes a reduce-only two-leg close the executor runs like any trade (journal, sign,
 * leg 1, verify, leg 2 sized to leg 1's fill, lone-leg repair), and the close's verified fills
 * become an exit round on the pair. These functions only build plans and read fills, so they
 * test without venues; LivePairs (live-pair-manager.ts) drives them.
 */
import { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { TradePlan } from '../execution/trade-executor.ts';
import { reduceOnlyRoom } from '../execution/reduce-only.ts';
import type { TradeResult } from '../execution/trade-result.ts';
import type { ArbIntent, IntentLeg } from '../strategy/strategy.ts';
import type { ExitPolicy, ExitQuote, ExitSignal } from './exit-policy.ts';
import type { OpenPairInput, PairExitRound } from './pair-book.ts';
import { expectedPnlOf } from './pair-intent.ts';
import { openSize, spreadOf, ZERO, type PairPosition } from './pair-position.ts';

export class PairFillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PairFillError';
  }
}

/** Prefix of a close's intent id: `close:<pair id>:<round>`. */
export const CLOSE_INTENT_PREFIX = 'close:';

interface LegFills {
  size: Decimal;
  vwap: Decimal;
  fees: Decimal;
}

function legFills(fills: Fill[], venue: string, side: 'buy' | 'sell'): LegFills {
  const mine = fills.filter((f) => f.venue === venue && f.side === side);
  const size = mine.reduce((s, f) => s.plus(f.size), ZERO);
  if (size.isZero()) throw new PairFillError(`no ${side} fills on ${venue}`);
  const cost = mine.reduce((s, f) => s.plus(f.price.mul(f.size)), ZERO);
  return { size, vwap: cost.div(size), fees: mine.reduce((s, f) => s.plus(f.fee), ZERO) };
}

/**
 * A trade that ended balanced (completed, or hedged by the repair) opens a live pair at its
 * fill prices. Any other end left no pair: flat (no-fill, unwound, stopped-out) or unknown
 * (failed-unresolved, which quarantines the instrument until reconciled).
 */
export function pairFromTrade(result: TradeResult, j: Pick<TradePlan, 'intent' | 'net'>, policy: ExitPolicy, at: number): OpenPairInput {
  if (result.state !== 'completed' && result.state !== 'hedged') throw new PairFillError(`trade ${result.tradeId} ended ${result.state}: no pair to hold`);
  const fills = result.orders.flatMap((o) => o.fills);
  const { buy, sell } = j.intent;
  const long = legFills(fills, buy.venue, 'buy');
  const short = legFills(fills, sell.venue, 'sell');
  if (!long.size.eq(short.size)) throw new PairFillError(`trade ${result.tradeId}: long ${long.size} and short ${short.size} differ`);
  return {
    id: `pair-${result.tradeId}`,
    strategy: j.intent.strategy,
    intentId: j.intent.id,
    instrument: j.intent.instrument,
    mode: 'live',
    size: long.size,
    long: { venue: buy.venue, symbol: buy.symbol, price: long.vwap },
    short: { venue: sell.venue, symbol: sell.symbol, price: short.vwap },
    entryFees: long.fees.plus(short.fees),
    expectedPnl: expectedPnlOf(j),
    policy,
    at,
  };
}

/**
 * The close as a trade plan: sell the long on its venue, buy the short back on its venue, the
 * pair's open size, reduce-only IOC. The executor bands each leg's limit beyond the walked worst
 * price (execution.priceBandBps), as it does for openings; a close that cannot complete its
 * second leg hedges first (retrying the close) rather than unwinding (re-opening).
 */
export function closePlan(pair: PairPosition, quote: ExitQuote, round: number, now: number, cap?: Decimal): TradePlan {
  // A cap (what the venues' netted positions let a reduce-only close take) never raises the size.
  const size = cap !== undefined && cap.lt(openSize(pair)) ? cap : openSize(pair);
  const leg = (side: 'buy' | 'sell'): IntentLeg => {
    const long = side === 'sell';
    const p = long ? pair.long : pair.short;
    const expected = long ? quote.longExit : quote.shortExit;
    const book = (long ? quote.longBook : quote.shortBook) ?? { receivedAt: now, venueTime: now };
    return {
      venue: p.venue,
      symbol: p.symbol,
      side,
      topPrice: (long ? quote.longTop : quote.shortTop) ?? expected,
      expectedPrice: expected,
      worstPrice: (long ? quote.longWorst : quote.shortWorst) ?? expected,
      bookReceivedAt: book.receivedAt,
      bookVenueTime: book.venueTime,
    };
  };
  const buy = leg('buy');
  const sell = leg('sell');
  const intent: ArbIntent = {
    id: `${CLOSE_INTENT_PREFIX}${pair.id}:${round}`,
    strategy: pair.strategy,
    instrument: pair.instrument,
    size,
    buy,
    sell,
    spread: spreadOf(buy.topPrice, sell.topPrice),
    executableSpread: spreadOf(buy.expectedPrice, sell.expectedPrice),
    detectedAt: now,
  };
  // What the close is expected to realize on this round's size (before funding): the trade row's expected net.
  const net = sell.expectedPrice.minus(pair.long.entryPrice).plus(pair.short.entryPrice.minus(buy.expectedPrice)).mul(size);
  return { intent, net, judgedAt: now, reduceOnly: true, repairPrefer: 'hedge' };
}

/**
 * How much of the pair a reduce-only close can take, given each leg venue's signed position on
 * the leg's market: the long's venue must hold a long to sell, the short's venue a short to buy
 * back. Pairs sharing a venue market net into one venue position, so this may be less than the
 * pair's open size (or zero), whatever the pair itself holds.
 */
export function closeRoom(pair: PairPosition, longHeld: Decimal, shortHeld: Decimal): Decimal {
  return Decimal.min(openSize(pair), reduceOnlyRoom(longHeld, 'sell'), reduceOnlyRoom(shortHeld, 'buy'));
}

/** The pair a close intent id belongs to, or undefined for an ordinary trade. */
export function pairIdOfClose(intentId: string): string | undefined {
  if (!intentId.startsWith(CLOSE_INTENT_PREFIX)) return undefined;
  const rest = intentId.slice(CLOSE_INTENT_PREFIX.length);
  const cut = rest.lastIndexOf(':');
  return cut > 0 ? rest.slice(0, cut) : undefined;
}

/**
 * One close round from every verified fill of the close trade, repairs included: the long's
 * net sale (sells minus any buy-back an unwind made) and the short's net buy-back, with their
 * cash and fees. Throws when the two legs closed different sizes: a lone leg the executor's
 * repair could not even out, which the caller must not book as a clean exit.
 */
export function exitRoundFromFills(pair: PairPosition, fills: Fill[], signal: ExitSignal, at: number): PairExitRound {
  let longSold = ZERO;
  let longProceeds = ZERO;
  let shortBought = ZERO;
  let shortCost = ZERO;
  let fees = ZERO;
  for (const f of fills) {
    const cash = f.price.mul(f.size);
    fees = fees.plus(f.fee);
    if (f.venue === pair.long.venue && f.symbol === pair.long.symbol) {
      longSold = f.side === 'sell' ? longSold.plus(f.size) : longSold.minus(f.size);
      longProceeds = f.side === 'sell' ? longProceeds.plus(cash) : longProceeds.minus(cash);
    } else if (f.venue === pair.short.venue && f.symbol === pair.short.symbol) {
      shortBought = f.side === 'buy' ? shortBought.plus(f.size) : shortBought.minus(f.size);
      shortCost = f.side === 'buy' ? shortCost.plus(cash) : shortCost.minus(cash);
    } else {
      throw new PairFillError(`pair ${pair.id}: close fill ${f.fillId} on ${f.venue} ${f.symbol} is on neither leg`);
    }
  }
  if (!longSold.eq(shortBought)) throw new PairFillError(`pair ${pair.id}: close sold ${longSold} of the long but bought back ${shortBought} of the short`);
  return { size: longSold, longProceeds, shortCost, fees, reason: signal.reason, detail: signal.detail, at };
}
