/**
 * Live pairs, start to end. A trade the executor ends balanced (completed, or hedged by its
 * repair) opens a pair from its verified fills; the lifecycle's exit signal becomes a
 * reduce-only close the executor runs with the same leg-risk machinery as an opening (so a
 * close never leaves a lone leg either); the close's verified fills are booked as an exit
 * round: the whole open size closes the pair, less leaves it open and smaller, nothing sends
 * it back to open. A close whose outcome the venues would not tell stays 'closing' with its
 * instrument quarantined, for the restart reconciliation to settle.
 *
 * Netting: a venue holds one position per market, so pairs sharing a venue market share it.
 * The risk gate refuses to open a pair whose leg is opposite to a held pair's leg on the same
 * venue market (RiskGate.usePairSides), which keeps every pair's reduce-only close inside the
 * net position. Pairs from before that rule (a resumed journal) or a position changed behind
 * the engine's back can still leave a close no room, so each close is sized against the venues'
 * positions read just before it (closeRoom); a close with no room sends nothing; and a close
 * that closed nothing (a reduce-only refusal included) waits longer before the next try
 * (doubling up to closeBackoffMaxMs), alerting once per run of failures in the log and the
 * pair journal. The next try re-reads the positions first: never the same order blind.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Position } from '../exchange/orders.ts';
import { heldOn, isReduceOnlyRefusal } from '../execution/reduce-only.ts';
import type { TradeListener, TradePlan } from '../execution/trade-executor.ts';
import type { TradeResult } from '../execution/trade-result.ts';
import { withTimeout } from '../execution/venue-wait.ts';
import type { VenueId } from '../market/types.ts';
import type { ExitPolicy, ExitQuote, ExitSignal } from './exit-policy.ts';
import { closePlan, closeRoom, exitRoundFromFills, pairFromTrade, pairIdOfClose } from './live-pairs.ts';
import type { PairBook } from './pair-book.ts';
import { pairExtras } from './pair-intent.ts';
import { openSize, ZERO, type PairPosition } from './pair-position.ts';

export interface LivePairsDeps {
  pairs: PairBook;
  executor: { run(plan: TradePlan): Promise<TradeResult | undefined>; onTradeEnd(l: TradeListener): void; readonly isAccepting?: boolean };
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
  /**
   * A venue's positions (its gateway's positions()), read before each close to size it against
   * the net venue position. Without it a close is sized by the pair alone.
   */
  positions?: (venue: VenueId) => Promise<Position[]>;
  /**
   * True while a trade or a quarantine holds the instrument: the executor would not start the
   * close, so nothing is marked closing or journaled until it frees.
   */
  instrumentBusy?: (instrument: string) => boolean;
  /** Longest wait (ms) between close attempts of a pair whose closes keep closing nothing. Default 60 s. */
  closeBackoffMaxMs?: number;
}

/** A positions read that takes longer than this sizes the close by the pair alone. */
const POSITIONS_TIMEOUT_MS = 5000;

/** A pair whose last close attempts closed nothing: when it may try again, and whether the operator was told. */
interface CloseBackoff {
  failures: number;
  nextAt: number;
  alerted: boolean;
}

export class LivePairs {
  readonly stats = {
    opened: 0,
    closed: 0,
    partialExits: 0,
    closeFailed: 0,
    closeUnresolved: 0,
    closeHeldWhileHalted: 0,
    /** Close signals not acted on because another trade or a quarantine held the instrument. */
    closeHeldWhileBusy: 0,
    /** Close attempts that sent nothing: the venues' positions left the reduce-only close no room. */
    closeBlocked: 0,
    /** Close trades in which a venue refused a reduce-only order. */
    closeRefusedReduceOnly: 0,
  };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastAttempt = new Map<string, number>();
  private readonly backoff = new Map<string, CloseBackoff>();
  /** Pairs whose close is being planned or run (the positions read is async). */
  private readonly busy = new Set<string>();

  constructor(private readonly deps: LivePairsDeps) {
    deps.executor.onTradeEnd((r, plan) => this.onTradeEnd(r, plan));
  }

  /** Set by stop(): no close is planned or sent any more. */
  private stopping = false;

  /** Close trades in flight: awaited by a clean stop so each books its exit. */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Engine shutdown: no new close starts, a close still reading positions sends nothing, a close
   * already sent is awaited so it books its exit before the journal closes.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.settle();
  }

  /** When a pair whose closes keep failing may try again (ms), if it is backing off. */
  retryAt(pairId: string): number | undefined {
    return this.backoff.get(pairId)?.nextAt;
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
    if (this.stopping || pair.state !== 'open' || this.busy.has(pair.id) || (last !== undefined && now - last < (this.deps.closeRetryMs ?? 1000))) return;
    const wait = this.backoff.get(pair.id);
    if (wait && now < wait.nextAt) return;
    // The executor does not consult the gate: a close sent now would trade on sizes the venues dispute.
    if (this.deps.halted?.()) {
      this.stats.closeHeldWhileHalted++;
      return;
    }
    if (this.deps.executor.isAccepting === false) return;
    if (this.deps.instrumentBusy?.(pair.instrument)) {
      this.stats.closeHeldWhileBusy++;
      return;
    }
    this.lastAttempt.set(pair.id, now);
    this.busy.add(pair.id);
    const p = this.plan(pair, signal, quote, now)
      .catch((err: Error) => this.deps.logger.error('pair close crashed', { pair: pair.id, error: err.message }))
      .finally(() => {
        this.busy.delete(pair.id);
        this.inFlight.delete(p);
      });
    this.inFlight.add(p);
  }

  /** Size the close against the venues' positions, then send it (or record why nothing was sent). */
  private async plan(pair: PairPosition, signal: ExitSignal, quote: ExitQuote, now: number): Promise<void> {
    const { pairs, logger } = this.deps;
    const room = await this.roomFor(pair);
    if (room !== undefined && room.lte(0)) {
      this.stats.closeBlocked++;
      this.failed(pair.id, "no room for a reduce-only close: the venues' netted positions do not hold this pair's legs", this.deps.clock.now(), room);
      return;
    }
    const current = pairs.get(pair.id);
    // Stopped while the positions were read: the engine is closing its journal, nothing is sent.
    if (this.stopping || !current || current.state !== 'open' || this.deps.executor.isAccepting === false) return;
    // Numbered by the pair's journaled close attempts, so a restart never reuses an intent id.
    const round = pairs.journal.events(pair.id).filter((e) => e.type === 'closing').length + 1;
    const closing = pairs.markClosing(pair.id, signal.reason, signal.detail, now);
    const plan = closePlan(closing, quote, round, now, room);
    logger.info('closing live pair', { pair: pair.id, reason: signal.reason, round, size: plan.intent.size.toString(), room: room?.toString() });
    this.book(pair.id, signal, await this.deps.executor.run(plan));
  }

  /** What a reduce-only close can take given both leg venues' positions; undefined when unknown. */
  private async roomFor(pair: PairPosition): Promise<Decimal | undefined> {
    const read = this.deps.positions;
    if (!read) return undefined;
    try {
      const ask = (venue: VenueId) => withTimeout(read(venue), POSITIONS_TIMEOUT_MS, `${venue} positions`);
      const [long, short] = await Promise.all([ask(pair.long.venue), ask(pair.short.venue)]);
      return closeRoom(pair, heldOn(long, pair.long.symbol), heldOn(short, pair.short.symbol));
    } catch (err) {
      // The venue would not say: the close goes out at the pair's size, and reduce-only still protects it.
      this.deps.logger.warn('positions unreadable before a pair close: sizing it by the pair', { pair: pair.id, error: (err as Error).message });
      return undefined;
    }
  }

  /**
   * A close that closed nothing: wait longer before the next (doubling from closeRetryMs up to
   * closeBackoffMaxMs), and tell the operator once per run of failures, in the log and the journal.
   */
  private failed(pairId: string, why: string, now: number, room?: Decimal): void {
    const b = this.backoff.get(pairId) ?? { failures: 0, nextAt: now, alerted: false };
    b.failures++;
    const base = this.deps.closeRetryMs ?? 1000;
    b.nextAt = now + Math.min(this.deps.closeBackoffMaxMs ?? 60_000, base * 2 ** (b.failures - 1));
    this.backoff.set(pairId, b);
    const pair = this.deps.pairs.get(pairId);
    if (b.alerted || !pair) return;
    b.alerted = true;
    const detail = { reason: why, failures: b.failures, retryInMs: b.nextAt - now, open: openSize(pair).toString(), ...(room ? { room: room.toString() } : {}) };
    this.deps.logger.error('pair close blocked: backing off, positions re-read before each retry', { pair: pairId, ...detail });
    this.deps.pairs.recordCloseBlocked(pairId, detail, now);
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
    const refusedReduceOnly = result.orders.some((o) => o.outcome === 'rejected' && o.request.reduceOnly === true && isReduceOnlyRefusal(o.reason));
    if (refusedReduceOnly) this.stats.closeRefusedReduceOnly++;
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
        this.backoff.delete(pairId);
        logger.info('live pair closed', { pair: pairId, reason: signal.reason, realizedPnl: next.exit?.realizedPnl.toString() });
      } else if (round.size.isZero()) {
        this.stats.closeFailed++;
        const why = refusedReduceOnly ? "a venue refused the reduce-only close: its netted position does not hold the pair's leg" : `the close filled nothing (${result.state}: ${result.note ?? ''})`;
        this.failed(pairId, why, at);
      } else {
        this.stats.partialExits++;
        this.backoff.delete(pairId);
      }
    } catch (err) {
      logger.error('pair close left the legs uneven: pair stays closing until reconciled', { pair: pairId, tradeId: result.tradeId, error: (err as Error).message });
    }
  }
}
