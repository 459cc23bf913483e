/**
 * Live pairs, start to end. A trade the executor ends balanced (completed, or hedged by its
 * repair) opens a pair from its verified fills; the lifecycle's exit signal becomes a
 * reduce-only close the executor runs with the same leg-risk machinery as an opening (so a
 * close never leaves a lone leg either); the close's verified fills are booked as an exit
 * round: the whole open size closes the pair, less leaves it open and smaller, nothing sends
 * it back to open. A close whose outcome the venues would not tell stays 'closing' with its
 * instrument quarantined, for the restart reconciliation to settle.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { TradeListener, TradePlan } from '../execution/trade-executor.ts';
import type { TradeResult } from '../execution/trade-result.ts';
import type { ExitPolicy, ExitQuote, ExitSignal } from './exit-policy.ts';
import { closePlan, exitRoundFromFills, pairFromTrade, pairIdOfClose } from './live-pairs.ts';
import type { PairBook } from './pair-book.ts';
import { pairExtras } from './pair-intent.ts';
import { ZERO, type PairPosition } from './pair-position.ts';

export interface LivePairsDeps {
  pairs: PairBook;
  executor: { run(plan: TradePlan): Promise<TradeResult | undefined>; onTradeEnd(l: TradeListener): void };
  policyFor(strategy: string): ExitPolicy;
  clock: Clock;
  logger: Logger;
  /** After a close the executor would not start (instrument busy, stopping), wait this long (ms) before the next. Default 1000. */
  closeRetryMs?: number;
  /**
   * Why trading is halted (the risk gate's reason), if it is. Every halt is a reconciliation
   * (journal and venues disagree, or are being compared): a pair's size is not known to be what
   * the venues hold, so no close is sent until it lifts; the exit policy signals again after.
   */
  halted?: () => string | undefined;
}

export class LivePairs {
  readonly stats = { opened: 0, closed: 0, partialExits: 0, closeFailed: 0, closeUnresolved: 0, closeHeldWhileHalted: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastAttempt = new Map<string, number>();

  constructor(private readonly deps: LivePairsDeps) {
    deps.executor.onTradeEnd((r, plan) => this.onTradeEnd(r, plan));
  }

  /** Close trades in flight: awaited by a clean stop so each books its exit. */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private onTradeEnd(r: TradeResult, plan: TradePlan): void {
    if (pairIdOfClose(plan.intent.id) !== undefined) return; // booked by close() itself
    if (r.state !== 'completed' && r.state !== 'hedged') return;
    const policy = pairExtras(plan.intent).exitPolicy ?? this.deps.policyFor(plan.intent.strategy);
    try {
      const pair = this.deps.pairs.open(pairFromTrade(r, plan, policy, r.latency?.endedAt ?? this.deps.clock.now()));
      this.stats.opened++;
      this.deps.logger.info('live pair opened', { pair: pair.id, size: pair.size.toString(), long: pair.long.venue, short: pair.short.venue });
    } catch (err) {
      // The venues hold what the trade did; the position reconciliation will show it untracked.
      this.deps.logger.error('a balanced trade could not become a pair: its positions are untracked', { tradeId: r.tradeId, error: (err as Error).message });
    }
  }

  /** The lifecycle's exit signal for an open live pair. */
  close(pair: PairPosition, signal: ExitSignal, quote: ExitQuote, now: number): void {
    const last = this.lastAttempt.get(pair.id);
    if (pair.state !== 'open' || (last !== undefined && now - last < (this.deps.closeRetryMs ?? 1000))) return;
    // The executor does not consult the gate: a close sent now would trade on sizes the venues dispute.
    if (this.deps.halted?.()) {
      this.stats.closeHeldWhileHalted++;
      return;
    }
    this.lastAttempt.set(pair.id, now);
    const { pairs } = this.deps;
    // Numbered by the pair's journaled close attempts, so a restart never reuses an intent id.
    const round = pairs.journal.events(pair.id).filter((e) => e.type === 'closing').length + 1;
    const closing = pairs.markClosing(pair.id, signal.reason, signal.detail, now);
    const plan = closePlan(closing, quote, round, now);
    this.deps.logger.info('closing live pair', { pair: pair.id, reason: signal.reason, round, size: plan.intent.size.toString() });
    const p = this.deps.executor
      .run(plan)
      .then((result) => this.book(pair.id, signal, result))
      .catch((err: Error) => this.deps.logger.error('pair close crashed', { pair: pair.id, error: err.message }))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private book(pairId: string, signal: ExitSignal, result: TradeResult | undefined): void {
    const { pairs, logger } = this.deps;
    const at = this.deps.clock.now();
    const pair = pairs.get(pairId);
    if (!pair) return;
    if (!result) {
      // The executor did not start it (instrument busy, stopping): nothing was sent.
      this.stats.closeFailed++;
      pairs.recordExit(pairId, { size: ZERO, longProceeds: ZERO, shortCost: ZERO, fees: ZERO, reason: signal.reason, detail: 'close not started: instrument busy or executor stopping', at });
      return;
    }
    if (result.state === 'failed-unresolved') {
      this.stats.closeUnresolved++;
      logger.error('pair close outcome unknown: pair stays closing, its instrument quarantined until the venues answer', { pair: pairId, tradeId: result.tradeId, note: result.note });
      return;
    }
    try {
      const round = exitRoundFromFills(pair, result.orders.flatMap((o) => o.fills), signal, at);
      const next = pairs.recordExit(pairId, round);
      if (next.state === 'closed') {
        this.stats.closed++;
        logger.info('live pair closed', { pair: pairId, reason: signal.reason, realizedPnl: next.exit?.realizedPnl.toString() });
      } else if (round.size.isZero()) this.stats.closeFailed++;
      else this.stats.partialExits++;
    } catch (err) {
      logger.error('pair close left the legs uneven: pair stays closing until reconciled', { pair: pairId, tradeId: result.tradeId, error: (err as Error).message });
    }
  }
}
