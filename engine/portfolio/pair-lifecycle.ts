/**
 * The pair lifecycle: book updates accrue funding at each venue's schedule and ask the exit
 * policy whether to close. It runs in one mode and only touches pairs of that mode:
 *
 * - simulated (dry-run): accepted judgments open simulated pairs at the prices the simulator
 *   expected; a close is priced by walking the books for the pair's size and paying taker fees
 *   and gas, as the reduce-only IOC orders a live close would send.
 * - live: the executor opens pairs from verified fills (LivePairs), and a close signal is handed
 *   to `closeLive`, which sends the reduce-only close through the executor.
 */
import { Decimal } from 'decimal.js';
import type { Logger } from '../core/logger.ts';
import type { BookReader } from '../market/hub.ts';
import type { VenueId } from '../market/types.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import type { FeeRates } from '../simulation/fees.ts';
import { exitQuote, midPrice } from './book-prices.ts';
import { evaluateExit, type ExitPolicy, type ExitQuote, type ExitSignal } from './exit-policy.ts';
import { accrueLeg, type FundingPayment, type FundingStyle } from './funding-accrual.ts';
import type { FundingTracker } from './funding-tracker.ts';
import type { PairBook } from './pair-book.ts';
import { expectedPnlOf, opensPair, pairExtras } from './pair-intent.ts';
import { openSize, ZERO, type LegSide, type PairMode, type PairPosition } from './pair-position.ts';

export interface PairLifecycleDeps {
  pairs: PairBook;
  books: BookReader;
  funding: FundingTracker;
  fees: { rates(venue: VenueId, symbol: string): FeeRates };
  fundingStyle: (venue: VenueId) => FundingStyle;
  /** The exit policy for pairs a strategy opens, when its intent names none. */
  policyFor: (strategy: string) => ExitPolicy;
  clock: { now(): number };
  logger: Logger;
  /** Which pairs this lifecycle drives. Default 'simulated'. */
  mode?: PairMode;
  /** Live mode: send the close (the pair is still 'open'; the closer marks it closing). */
  closeLive?: (pair: PairPosition, signal: ExitSignal, quote: ExitQuote, now: number) => void;
  /** Gas per order on a venue's chain (USD), paid again by each closing order. */
  gasUsd?: (venue: VenueId) => Decimal;
  /**
   * Continuous-funding legs (Paradex) are journaled at most this often (ms) and at close, so
   * a 10-updates-per-second book does not write a funding row per update. Default 60 s.
   */
  continuousAccrualMs?: number;
}

export class PairLifecycle {
  readonly stats = { opened: 0, closed: 0, skippedHeld: 0, closeWaitingForBook: 0 };

  constructor(private readonly deps: PairLifecycleDeps) {}

  /** Wire to a flow and a hub (the engine's, or a test's). */
  attach(flow: { onJudgment(l: (j: Judgment) => void): void }, hub: { onBookUpdate(l: (venue: VenueId, symbol: string) => void): void }): void {
    flow.onJudgment((j) => this.onJudgment(j));
    hub.onBookUpdate((venue, symbol) => this.onBookUpdate(venue, symbol));
  }

  private get mode(): PairMode {
    return this.deps.mode ?? 'simulated';
  }

  private mine(): PairPosition[] {
    return this.deps.pairs.unclosed().filter((p) => p.mode === this.mode);
  }

  /** Simulated mode: an accepted judgment opens a pair at the simulator's prices. */
  onJudgment(j: Judgment): PairPosition | undefined {
    if (this.mode !== 'simulated' || !opensPair(j)) return undefined;
    const { intent } = j;
    // One pair per instrument and direction: a dislocation seen on many updates is one trade.
    if (this.deps.pairs.holds(intent.instrument, intent.buy.venue, intent.sell.venue)) {
      this.stats.skippedHeld++;
      return undefined;
    }
    const pair = this.deps.pairs.open({
      id: `pair-${intent.id}`,
      strategy: intent.strategy,
      intentId: intent.id,
      instrument: intent.instrument,
      mode: 'simulated',
      size: intent.size,
      long: { venue: intent.buy.venue, symbol: intent.buy.symbol, price: intent.buy.expectedPrice },
      short: { venue: intent.sell.venue, symbol: intent.sell.symbol, price: intent.sell.expectedPrice },
      entryFees: j.costs.trading.plus(j.costs.gas),
      expectedPnl: expectedPnlOf(j),
      policy: pairExtras(intent).exitPolicy ?? this.deps.policyFor(intent.strategy),
      at: j.judgedAt,
    });
    this.stats.opened++;
    return pair;
  }

  onBookUpdate(venue: VenueId, symbol: string): void {
    const now = this.deps.clock.now();
    for (const pair of this.mine()) {
      const touches = (pair.long.venue === venue && pair.long.symbol === symbol) || (pair.short.venue === venue && pair.short.symbol === symbol);
      if (!touches || pair.state !== 'open') continue;
      this.review(pair.id, now);
    }
  }

  /** Accrue funding on every open pair up to now (a timer may call this between book updates). */
  accrueAll(now = this.deps.clock.now()): void {
    for (const pair of this.mine()) if (pair.state === 'open') this.accrue(pair, now, true);
  }

  /** Accrue funding, then close if the policy says so and both books can price the close. */
  review(id: string, now: number): PairPosition | undefined {
    const current = this.deps.pairs.get(id);
    // A closing pair waits for its close to settle; funding resumes if it reopens.
    if (!current || current.state !== 'open') return undefined;
    const quote = exitQuote(this.deps.books, current, now);
    const carry = this.deps.funding.carryApr(current.long, current.short);
    const signal = evaluateExit(current, current.policy, now, quote, carry);
    // Funding up to the close belongs to the pair: accrue everything before closing.
    const pair = this.accrue(current, now, signal !== undefined && quote !== undefined);
    if (!signal) return undefined;
    if (!quote) {
      this.stats.closeWaitingForBook++;
      return undefined;
    }
    if (this.mode === 'live') {
      this.deps.closeLive?.(pair, signal, quote, now);
      return undefined;
    }
    const { fees } = this.deps;
    const size = openSize(pair);
    const gas = (v: VenueId) => this.deps.gasUsd?.(v) ?? ZERO;
    const exitFees = quote.longExit
      .mul(size)
      .mul(fees.rates(pair.long.venue, pair.long.symbol).taker)
      .plus(quote.shortExit.mul(size).mul(fees.rates(pair.short.venue, pair.short.symbol).taker))
      .plus(gas(pair.long.venue))
      .plus(gas(pair.short.venue));
    const closed = this.deps.pairs.close(id, { longExit: quote.longExit, shortExit: quote.shortExit, exitFees, reason: signal.reason, detail: signal.detail, at: now });
    this.stats.closed++;
    this.deps.logger.info('simulated pair closed', { pair: id, reason: signal.reason, realizedPnl: closed.exit?.realizedPnl.toString() });
    return closed;
  }

  private accrue(pair: PairPosition, now: number, force = false): PairPosition {
    const step = this.deps.continuousAccrualMs ?? 60_000;
    const payments: FundingPayment[] = [];
    const accruedTo = { long: pair.long.fundingAccruedTo, short: pair.short.fundingAccruedTo };
    for (const side of ['long', 'short'] as LegSide[]) {
      const leg = pair[side];
      const rate = this.deps.funding.current(leg.venue, leg.symbol);
      // No rate published yet: the leg is not advanced, so the first rate covers the gap.
      if (!rate) continue;
      const style = this.deps.fundingStyle(leg.venue);
      if (style === 'continuous' && !force && now - leg.fundingAccruedTo < step) continue;
      // Discrete with no settlement boundary in (accruedTo, now]: accrueLeg would pay nothing and
      // keep accruedTo, so skip pricing the mark (a book walk per pair per update otherwise).
      if (style === 'discrete' && !boundaryDue(leg.fundingAccruedTo, now, rate.intervalHours)) continue;
      const mark = midPrice(this.deps.books.book(leg.venue, leg.symbol)) ?? leg.entryPrice;
      const r = accrueLeg({
        pairId: pair.id,
        leg: side,
        venue: leg.venue,
        symbol: leg.symbol,
        size: openSize(pair),
        mark,
        rate,
        style,
        from: leg.fundingAccruedTo,
        now,
      });
      payments.push(...r.payments);
      accruedTo[side] = r.accruedTo;
    }
    if (payments.length === 0) return pair;
    return this.deps.pairs.applyFunding(pair.id, payments, accruedTo, now);
  }
}

/** Whether a discrete schedule (multiples of the interval since the epoch) has a boundary in (from, now]. */
function boundaryDue(from: number, now: number, intervalHours: number): boolean {
  const intervalMs = intervalHours * 3_600_000;
  return now > from && Math.floor(now / intervalMs) > Math.floor(from / intervalMs);
}
