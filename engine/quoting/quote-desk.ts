/**
 * The quote desk: the engine side of maker-taker. Built only in live mode, from the order
 * gateways (attach.ts); dry-run builds none, so no code path there can send a quote.
 *
 * For each (instrument, side) a strategy wants quoted it keeps at most one post-only order
 * resting on the maker venue (and at most maxRestingQuotes in all), and:
 * - cancels it when the strategy withdraws it, when either book is stale or gapped, when the
 *   risk gate is halted or the kill switch tripped, and on stop; replaces it when the hedge
 *   venue's walk moved past the reprice threshold (quote-price.ts needsReprice);
 * - learns its fills from the maker gateway (private-stream push via waitForUpdate, report()
 *   as the backstop) for as long as the venue says the order can still trade, so a fill that
 *   lands after the cancel was sent is seen and hedged like any other (hummingbot#2501);
 * - hedges every new filled increment on the taker venue through the executor's lone-leg repair
 *   (IOC in a band beyond the hedge walk, verified fills; its fallback unwinds on the maker
 *   venue). Increments below the taker venue's minimum accumulate (hedge-lot.ts); a residual
 *   still unhedgeable after maxUnhedgedMs is unwound on the maker venue;
 * - pauses itself, with an alert line, when a fill's hedge attempts all fail (it was unwound on
 *   the maker venue) or end unresolved, instead of re-quoting against a venue that will not fill.
 *
 * Journal: each quote is a trade row (its order role 'leg1', time in force POST_ONLY), its maker
 * fills and its hedge / unwind orders are rows of that trade, so the report and the restart
 * reconciliation read them like any trade. The quote's row stays 'sent' while it rests: a crash
 * leaves it for the restart reconciliation to settle.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import {
  isFinalOrderStatus,
  OrderNotFoundError,
  VenueRejectError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
} from '../exchange/orders.ts';
import { clientIdFor, newTradeId } from '../execution/client-ids.ts';
import type { ExecutionConfig } from '../execution/config.ts';
import { repairLoneLeg, type RepairDeps, type RepairResult } from '../execution/leg-repair.ts';
import { sumSizes, type VenueHealthSink } from '../execution/order-command.ts';
import { sleep, VenueWait, withTimeout, type Monotonic } from '../execution/venue-wait.ts';
import type { TradeEndState, TradeJournal } from '../journal/trade-journal.ts';
import type { ActiveWork } from '../execution/restart-reconciler.ts';
import type { BookReader } from '../market/hub.ts';
import { fromUnits } from '../market/units.ts';
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { FeeRates } from '../simulation/fees.ts';
import { desyncBlock, type DesyncPolicy } from './desync-guard.ts';
import { awaitQuoteNews, pacedWithin, RestingQuotePoll, statusPollMsFor, DEFAULT_STATUS_POLL_MS } from './fill-poller.ts';
import { hedgeableSize, HedgeLot, type LotPortion } from './hedge-lot.ts';
import { formatMakerFill } from './maker-fill-line.ts';
import { bookMid, MarkoutSampler } from './markout.ts';
import type { QuoteEventKind, QuoteJournal } from './quote-journal.ts';
import { QuoteDeskMeters, cancelCategory } from './quote-desk-meters.ts';
import { QuoteExposure } from './quote-exposure.ts';
import { needsReprice, walkLevels, type PriceLevel, type QuoteSide } from './quote-price.ts';
import type { QuotePort, QuoteRules, QuoteTarget } from './quote-target.ts';

export interface QuoteDeskDeps {
  gateways: ReadonlyMap<VenueId, OrderGateway>;
  books: BookReader;
  journal: TradeJournal;
  sessionId?: () => string | undefined;
  clock: Clock;
  monotonic: Monotonic;
  execution: ExecutionConfig;
  logger: Logger;
  health?: VenueHealthSink;
  markets: (venue: VenueId, symbol: string) => MarketInfo | undefined;
  /** Positions for the risk gate: every maker fill and hedge fill goes here. */
  exposure?: { applyFills(fills: Fill[]): void };
  /** Why nothing may be quoted now (kill switch, halted gate, a venue down), or undefined. */
  blocked(venues: readonly VenueId[]): string | undefined;
  /**
   * Why the risk gate refuses this quote and its hedge as one two-leg trade at the quote's full
   * size (notional, position, margin, daily loss, a trade in flight on the instrument), or
   * undefined. Asked before every placement: a resting quote is exposure the moment it can fill.
   */
  riskCheck(t: QuoteTarget): string | undefined;
  announce(line: string): void;
  /**
   * The maker-taker report's rows (quote decisions, maker fills with markouts, hedges). Absent:
   * none written (the trade, order and fill rows are written either way).
   */
  quoteJournal?: QuoteJournal;
  /** Fee rates, for pricing each fill as taker-taker at the moment it was learned (the report's comparison). */
  fees?: (venue: VenueId, symbol: string) => FeeRates;
  /**
   * The execution simulator's desync assessment (simulation.desync, venues' taker delays): a
   * quote is cancelled, and not placed, while its maker and hedge books are High (desync-guard.ts).
   * Absent: not checked.
   */
  desync?: DesyncPolicy;
  /** Checks books and the guard this often (a stale book sends no update of its own). Default 100. */
  sweepMs?: number;
}

interface LiveQuote {
  slotKey: string;
  tradeId: string;
  request: OrderRequest;
  target: QuoteTarget;
  placedAt: number;
  sentAt: number;
  venueRef?: OrderLocator['venueRef'];
  executableUntil?: number;
  venueOrderId?: string;
  /** The send has not settled: "not found" means nothing yet. */
  inFlight: boolean;
  cancelSent: boolean;
  cancelFailed: boolean;
  final: boolean;
  seen: Set<string>;
  filled: Decimal;
  /** Give up asking the venue (stop deadline passed). */
  abandon: boolean;
  /** Ends the watcher's long wait of a resting quote (its cancel was just sent). */
  nudge?: () => void;
  /** Why the desk decided to cancel it (a retried cancel's line says this, not "retrying"). */
  cancelReason?: string;
}

interface Slot {
  key: string;
  instrument: string;
  side: QuoteSide;
  target?: QuoteTarget;
  quote?: LiveQuote;
  busy: boolean;
  dirty: boolean;
  /** The risk gate's last refusal for this slot (said once). */
  refused?: string;
}

interface TradeTally {
  quoteFinal: boolean;
  fills: number;
  states: Set<RepairResult['state']>;
  ended: boolean;
}

export interface QuoteDeskStats {
  placed: number;
  replaced: number;
  cancelled: number;
  rejected: number;
  makerFills: number;
  hedges: number;
  hedgeFailures: number;
  /** Maker fills the engine learned after it had sent that quote's cancel (hedged like any other). */
  fillsAfterCancel: number;
  /** Placements the risk gate refused (counted once per slot and reason). */
  riskRefused: number;
}

const LEVELS = 50;

export class QuoteDesk implements QuotePort {
  private readonly slots = new Map<string, Slot>();
  private readonly lots = new Map<string, { lot: HedgeLot; maker: QuoteTarget['maker']; taker: QuoteTarget['taker']; instrument: string; side: QuoteSide; running: boolean; timer?: NodeJS.Timeout; stuck: boolean }>();
  private readonly quotes = new Set<LiveQuote>();
  /** Quotes the gate approved that are being signed (not yet in `quotes`). */
  private readonly placing = new Set<QuoteTarget>();
  private readonly tallies = new Map<string, TradeTally>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly timer: NodeJS.Timeout;
  private stopping: Promise<void> | undefined;
  private stopped = false;
  private paused: string | undefined;
  private readonly repairDeps: RepairDeps;
  private readonly markouts: MarkoutSampler | undefined;
  /** Resting quotes and unhedged fills as the risk gate counts them (attach.ts registers it with the gate). */
  readonly exposure: QuoteExposure;
  /** Counters and the hedge latency histogram the metrics endpoint reads (engine/metrics/maker-taker-metrics.ts). */
  readonly meters = new QuoteDeskMeters();
  readonly stats: QuoteDeskStats = { placed: 0, replaced: 0, cancelled: 0, rejected: 0, makerFills: 0, hedges: 0, hedgeFailures: 0, fillsAfterCancel: 0, riskRefused: 0 };

  constructor(
    private readonly deps: QuoteDeskDeps,
    private readonly rules: QuoteRules,
  ) {
    this.repairDeps = {
      journal: deps.journal,
      clock: deps.clock,
      monotonic: deps.monotonic,
      // The strategy's hedge band replaces the executor's for its hedges; the rest is the executor's.
      config: { ...deps.execution, hedgeBandBps: rules.hedgeBandBps },
      logger: deps.logger,
      ...(deps.health ? { health: deps.health } : {}),
      gateways: deps.gateways,
      markets: deps.markets,
      clientId: clientIdFor,
    };
    this.exposure = new QuoteExposure(
      {
        quotes: () => [
          ...[...this.quotes].filter((q) => !q.final).map((q) => ({ maker: q.target.maker, taker: q.target.taker, side: q.target.side, remaining: q.request.size.minus(q.filled), price: q.target.price, hedgeWorst: q.target.hedge.worst })),
          ...[...this.placing].map((t) => ({ maker: t.maker, taker: t.taker, side: t.side, remaining: t.size, price: t.price, hedgeWorst: t.hedge.worst })),
        ],
        lots: () => [...this.lots.values()].map((e) => ({ taker: e.taker, side: e.side, size: e.lot.size, price: e.lot.averagePrice })),
      },
      rules.maxUnhedgedUsd,
    );
    const qj = deps.quoteJournal;
    this.markouts = qj ? new MarkoutSampler(deps.books, deps.clock, qj) : undefined;
    this.timer = setInterval(() => this.sweep(), deps.sweepMs ?? 100);
    this.timer.unref();
  }

  want(instrument: string, side: QuoteSide, target: QuoteTarget | undefined): void {
    if (this.stopped) return;
    const key = `${instrument}|${side}`;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { key, instrument, side, busy: false, dirty: false }));
    slot.target = target;
    this.kick(slot);
  }

  /**
   * What a reconciliation must leave alone while the desk runs: the trades it has not ended
   * (quotes and their hedges) and its quotes not known final (LiveTrading.addActiveWork).
   */
  activeWork(): ActiveWork {
    const restingClientIds = new Set<string>();
    for (const q of this.quotes) if (!q.final) restingClientIds.add(q.request.clientId);
    return { tradeIds: new Set(this.tallies.keys()), restingClientIds };
  }

  /** Quotes resting or possibly resting (sent, not known final): the maxRestingQuotes count. */
  get restingCount(): number {
    let n = 0;
    for (const q of this.quotes) if (!q.final) n++;
    return n;
  }

  get pausedReason(): string | undefined {
    return this.paused;
  }

  /**
   * Cancel every quote, keep learning their fills until the venues say they are final, hedge
   * what filled (or unwind what cannot be hedged), then end their journal rows. Idempotent.
   */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const live = [...this.quotes].filter((q) => !q.final);
    if (live.length) this.deps.logger.info('quote desk stopping: cancelling quotes', { reason, quotes: live.length });
    await Promise.all(live.map((q) => this.cancel(q, reason)));
    // Bounded: a venue that never says "final" must not hold the engine's stop forever.
    const deadline = this.deps.monotonic() + this.deps.execution.reconcileTimeoutMs;
    while (this.work.size) {
      if (this.deps.monotonic() > deadline) {
        for (const q of this.quotes) q.abandon = true;
        this.deps.logger.error('quote desk stop: venues did not settle every quote in time', { quotes: [...this.quotes].map((q) => q.request.clientId) });
        break;
      }
      await Promise.race([Promise.allSettled([...this.work]), sleep(50)]);
      // What cannot be hedged is not left for maxUnhedgedMs: the engine is going away.
      for (const entry of this.lots.values()) if (!entry.running && entry.lot.size.gt(0) && !entry.stuck) this.unwindNow(entry);
    }
    for (const entry of this.lots.values()) if (entry.timer) clearTimeout(entry.timer);
    // Markouts not yet due stay NULL: the report says n/a for a session that ended first.
    this.markouts?.stop();
    this.deps.announce(this.summaryLine());
  }

  private kick(slot: Slot): void {
    slot.dirty = true;
    if (slot.busy) return;
    slot.busy = true;
    this.track(
      (async () => {
        try {
          while (slot.dirty) {
            slot.dirty = false;
            await this.step(slot);
          }
        } finally {
          slot.busy = false;
        }
      })(),
    );
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const w = p.catch((err: Error) => void this.deps.logger.error('quote desk task failed', { error: err.message })).finally(() => this.work.delete(w));
    this.work.add(w);
    return p;
  }

  /** One decision for a slot: keep, cancel, replace or place. */
  private async step(slot: Slot): Promise<void> {
    const now = this.deps.clock.now();
    const q = slot.quote;
    const target = slot.target;
    if (q && !q.cancelSent) {
      const blocked = this.stopped ? 'stopping' : this.blockReason(q.target, now);
      if (blocked) return this.cancel(q, blocked);
      if (!target) return this.cancel(q, 'withdrawn by the strategy');
      if (!needsReprice({ side: q.target.side, hedgeVwap: q.target.hedge.vwap, placedAt: q.placedAt }, target.hedge.vwap, now, this.rules)) return;
      this.stats.replaced++;
      this.meters.replaced++;
      await this.cancel(q, `reprice: hedge ${q.target.taker.venue} walk ${q.target.hedge.vwap.toFixed()} → ${target.hedge.vwap.toFixed()}`, 'replace');
    }
    if (slot.quote && !slot.quote.final && !slot.quote.cancelSent) return;
    if (this.stopped || !target) return;
    if (this.blockReason(target, now)) return;
    if (this.restingCount >= this.rules.maxRestingQuotes) return;
    await this.place(slot, target);
  }

  private blockReason(t: QuoteTarget, now: number): string | undefined {
    if (this.paused) return `paused: ${this.paused}`;
    const guard = this.deps.blocked([t.maker.venue, t.taker.venue]);
    if (guard) return guard;
    for (const v of [t.maker, t.taker]) {
      const book = this.deps.books.book(v.venue, v.symbol);
      if (!book || !this.deps.books.isTradable(book, now)) return `${v.venue} ${v.symbol} book stale${book?.staleReason ? ` (${book.staleReason})` : ''}`;
    }
    if (this.deps.desync) {
      const desync = desyncBlock(this.deps.books, t.maker, t.taker, now, this.deps.desync);
      if (desync) return desync;
    }
    return this.exposure.hedgesLag();
  }

  private async place(slot: Slot, t: QuoteTarget): Promise<void> {
    const { deps } = this;
    const gw = deps.gateways.get(t.maker.venue);
    if (!gw) return;
    const refused = deps.riskCheck(t) ?? this.exposure.refusal(t);
    if (refused) {
      // Said once per slot and reason: the desk re-asks on every book update.
      // The rule, not its figures (they move with every book update).
      const rule = refused.split(':')[0];
      if (slot.refused !== rule) {
        slot.refused = rule;
        this.stats.riskRefused++;
        this.meters.riskRefused++;
        deps.announce(`[LIVE] quote not placed ${t.instrument} ${t.maker.venue} ${t.side} ${t.size.toFixed()} @ ${t.price.toFixed()}: risk gate: ${refused}`);
      }
      return;
    }
    slot.refused = undefined;
    // Counted from the gate's yes until it rests: the other side's slot asks the gate while this
    // one signs, and must see it (both sides were placed past the venue notional limit without).
    this.placing.add(t);
    try {
      await this.sendQuote(slot, t, gw);
    } finally {
      this.placing.delete(t);
    }
  }

  private async sendQuote(slot: Slot, t: QuoteTarget, gw: OrderGateway): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now();
    const tradeId = newTradeId(now);
    const request: OrderRequest = {
      venue: t.maker.venue,
      symbol: t.maker.symbol,
      side: t.side,
      type: 'limit',
      size: t.size,
      price: t.price,
      timeInForce: 'POST_ONLY',
      clientId: clientIdFor(tradeId, 'leg1', 1),
    };
    const [buy, sell] = t.side === 'buy' ? [t.maker, t.taker] : [t.taker, t.maker];
    deps.journal.openTrade({
      id: tradeId,
      intentId: `mt-${tradeId}`,
      sessionId: deps.sessionId?.(),
      instrument: t.instrument,
      buy,
      sell,
      size: t.size,
      firstLeg: t.side,
      expectedNet: t.edge.mul(t.price).mul(t.size),
      detectedAt: now,
      judgedAt: now,
      startedAt: now,
    });
    const tally: TradeTally = { quoteFinal: false, fills: 0, states: new Set(), ended: false };
    this.tallies.set(tradeId, tally);
    let signed;
    try {
      signed = await gw.sign(request);
    } catch (err) {
      deps.logger.error('quote could not be signed: not sent', { venue: t.maker.venue, error: (err as Error).message });
      tally.quoteFinal = true;
      this.endTrade(tradeId, `not signed: ${(err as Error).message}`);
      // Signing is local: what fails once fails on every book update (a key the venue plugin
      // cannot use, or a venue whose orders cannot rest post-only, e.g. Vest's signer). Pause
      // with the reason instead of logging it forever.
      this.pause(
        `${t.maker.venue} could not sign a post-only quote (${(err as Error).message}); strategies.maker-taker.makerVenue must be a venue whose orders can rest post-only, with working keys`,
      );
      return;
    }
    // Signing can be slow: a book that went stale meanwhile, a kill switch, a stop: nothing goes out.
    const late = this.stopped ? 'stopping' : this.blockReason(t, deps.clock.now());
    if (late) {
      tally.quoteFinal = true;
      this.endTrade(tradeId, `not sent: ${late}`);
      return;
    }
    const sentAt = deps.clock.now();
    this.quoteEvent('place', tradeId, request.clientId, t, sentAt);
    deps.journal.recordSend(tradeId, 'leg1', request, { signedAt: signed.signedAt, sentAt }, { venueRef: signed.venueRef, executableUntil: signed.executableUntil });
    const q: LiveQuote = {
      slotKey: slot.key,
      tradeId,
      request,
      target: t,
      placedAt: sentAt,
      sentAt,
      ...(signed.venueRef ? { venueRef: signed.venueRef } : {}),
      ...(signed.executableUntil !== undefined ? { executableUntil: signed.executableUntil } : {}),
      inFlight: true,
      cancelSent: false,
      cancelFailed: false,
      final: false,
      seen: new Set(),
      filled: new Decimal(0),
      abandon: false,
    };
    slot.quote = q;
    this.quotes.add(q);
    this.placing.delete(t);
    const sending = gw.send(signed);
    void sending.then(
      () => (q.inFlight = false),
      () => (q.inFlight = false),
    );
    try {
      const t0 = deps.monotonic();
      const state = await withTimeout(sending, deps.execution.ackTimeoutMs, `${t.maker.venue} quote ${request.clientId}`);
      deps.health?.recordAck(t.maker.venue, deps.monotonic() - t0);
      if (state.venueOrderId) q.venueOrderId = state.venueOrderId;
      this.stats.placed++;
      this.meters.placed++;
      deps.announce(
        `[LIVE] quote ${t.instrument} ${t.maker.venue} ${t.side} ${t.size.toString()} @ ${t.price.toFixed()} post-only | hedge ${t.taker.venue} walk ${t.hedge.vwap.toDecimalPlaces(4).toString()} | edge ${t.edge.mul(100).toFixed(3)}%`,
      );
    } catch (err) {
      if (err instanceof VenueRejectError) {
        // A post-only that would have crossed (the book moved since it was priced) is refused, never taken: the next update reprices.
        this.stats.rejected++;
        deps.journal.recordResult(request.clientId, { outcome: 'rejected', rejectReason: `${err.code}: ${err.message}` });
        this.quoteEvent('refused', tradeId, request.clientId, t, deps.clock.now(), `${err.code}: ${err.message}`);
        this.sayEndedByVenue(q, `refused (${err.code})`);
        this.settleQuote(q);
        return;
      }
      // No answer: the venue may hold it. The watcher asks until it knows.
      deps.logger.warn('quote send unanswered: asking the venue', { venue: t.maker.venue, clientId: request.clientId, error: (err as Error).message });
    }
    this.track(this.watch(q, gw));
  }

  private locator(q: LiveQuote): OrderLocator {
    return {
      symbol: q.request.symbol,
      clientId: q.request.clientId,
      ...(q.venueOrderId ? { venueOrderId: q.venueOrderId } : {}),
      ...(q.venueRef ? { venueRef: q.venueRef } : {}),
    };
  }

  /** `kind` 'replace': the cancel of a quote being repriced (its row says so, before the cancel goes out). */
  private async cancel(q: LiveQuote, reason: string, kind: 'cancel' | 'replace' = 'cancel'): Promise<void> {
    if (q.final) return;
    // A re-sent cancel (one the venue did not acknowledge) is the same decision: counted once.
    if (!q.cancelSent) this.meters.cancel(reason, kind);
    q.cancelReason ??= reason;
    q.cancelSent = true;
    // The watcher reads at once and then at the executor's cadence, not after the rest of a long wait.
    q.nudge?.();
    const gw = this.deps.gateways.get(q.request.venue);
    if (!gw) return;
    this.quoteEvent(kind, q.tradeId, q.request.clientId, q.target, this.deps.clock.now(), reason);
    try {
      await withTimeout(gw.cancel(this.locator(q)), this.deps.execution.ackTimeoutMs, `${q.request.venue} cancel ${q.request.clientId}`);
      q.cancelFailed = false;
      this.stats.cancelled++;
      const why = q.cancelReason === reason ? reason : `${q.cancelReason}; acknowledged on a retry`;
      this.deps.announce(`[LIVE] quote cancelled ${q.target.instrument} ${q.request.venue} ${q.request.side} @ ${q.request.price?.toFixed()} (${why})`);
    } catch (err) {
      // Already final (filled, or the kill switch's own cancel got there first) is fine: the watcher learns which.
      q.cancelFailed = true;
      this.deps.logger.warn('quote cancel not acknowledged: the watcher keeps asking', { venue: q.request.venue, clientId: q.request.clientId, reason, error: (err as Error).message });
    }
  }

  /** Ask the venue about a quote until it is final and its fills add up; hedge each new fill. */
  private async watch(q: LiveQuote, gw: OrderGateway): Promise<void> {
    const { deps } = this;
    const cfg = deps.execution;
    const grace = Math.max(cfg.notFoundGraceMs, gw.notFoundGraceMs ?? 0);
    let interval = cfg.pollIntervalMs;
    // Resting untouched: the private stream first, REST at the venue's own interval (fill-poller.ts).
    const venuePollMs = this.rules.statusPollMs?.(q.request.venue) ?? statusPollMsFor(DEFAULT_STATUS_POLL_MS, q.request.venue);
    const resting = new RestingQuotePoll(venuePollMs, cfg.maxPollIntervalMs);
    let fallback = false;
    for (let first = true; !q.abandon; first = false) {
      if (!first) {
        const calm = !q.inFlight && !q.cancelSent;
        if (calm) {
          const nudged = new Promise<'push'>((resolve) => (q.nudge = () => resolve('push')));
          const news = await Promise.race([awaitQuoteNews(gw, q.request.clientId, resting.nextWaitMs(), deps.monotonic), nudged]);
          q.nudge = undefined;
          resting.woke(news);
          fallback = news === 'timer';
        } else {
          await (gw.waitForUpdate ? gw.waitForUpdate(q.request.clientId, interval) : sleep(interval));
          interval = Math.min(cfg.maxPollIntervalMs, Math.ceil(interval * 1.5));
          fallback = false;
        }
      }
      // Stopping included: a cancel that lost a race (the kill switch's own cancel-all on the same account) is sent again.
      if (q.cancelFailed) await this.cancel(q, 'retrying a cancel the venue did not acknowledge');
      // Bounded: report() is charged to the gateway's limiter anyway; an unbounded ready() held a
      // cancelled quote's watcher (and so the engine's stop) for good in the e2e kill-switch test
      // (Lighter limiter, after earlier tests' hedges and unwinds; root cause not found). A
      // resting quote's fallback read the limiter does not clear in time is skipped, not forced.
      const cleared = await pacedWithin(gw.pacing, cfg.maxPollIntervalMs);
      if (!cleared && fallback && !q.cancelSent) continue;
      this.meters.statusReads++;
      let report: OrderReport;
      const askedInFlight = q.inFlight;
      try {
        report = await withTimeout(gw.report(this.locator(q)), cfg.ackTimeoutMs, `${q.request.venue} report ${q.request.clientId}`);
      } catch (err) {
        if (err instanceof OrderNotFoundError) {
          const now = deps.clock.now();
          const gone = err.definitive || (!askedInFlight && now - q.sentAt >= grace && (q.executableUntil === undefined || now >= q.executableUntil));
          if (gone) {
            deps.journal.recordResult(q.request.clientId, { outcome: 'not-placed', rejectReason: err.message, verifiedAt: now });
            break;
          }
        }
        continue;
      }
      if (report.state.venueOrderId) q.venueOrderId = report.state.venueOrderId;
      let news = false;
      for (const f of report.fills) {
        if (q.seen.has(f.fillId)) continue;
        q.seen.add(f.fillId);
        news = true;
        this.onMakerFill(q, f);
      }
      if (news) interval = cfg.pollIntervalMs;
      const { state } = report;
      if (state.status === 'rejected') {
        this.stats.rejected++;
        deps.journal.recordResult(q.request.clientId, { outcome: 'rejected', state, verifiedAt: deps.clock.now() });
        this.quoteEvent('ended-by-venue', q.tradeId, q.request.clientId, q.target, deps.clock.now(), `rejected${state.rejectReason ? `: ${state.rejectReason}` : ''}`);
        this.sayEndedByVenue(q, `refused${state.rejectReason ? `: ${state.rejectReason}` : ''}`);
        break;
      }
      if (isFinalOrderStatus(state.status) && sumSizes(report.fills).eq(state.filledSize)) {
        deps.journal.recordResult(q.request.clientId, { outcome: 'confirmed', state, verifiedAt: deps.clock.now() });
        // A post-only the venue cancelled itself (it would have crossed once it arrived) is said once, as a refusal.
        if (state.status === 'cancelled' && !q.cancelSent && q.filled.isZero()) {
          this.quoteEvent('ended-by-venue', q.tradeId, q.request.clientId, q.target, deps.clock.now(), `cancelled by the venue${state.rejectReason ? `: ${state.rejectReason}` : ''}`);
          this.sayEndedByVenue(q, `cancelled by the venue${state.rejectReason ? `: ${state.rejectReason}` : ''}`);
        }
        break;
      }
    }
    this.settleQuote(q);
  }

  private sayEndedByVenue(q: LiveQuote, why: string): void {
    this.deps.announce(`[LIVE] quote ${q.target.instrument} ${q.request.venue} ${q.request.side} @ ${q.request.price?.toFixed()} ${why} (post-only: the book moved since it was priced; repriced on the next update)`);
  }

  /** One line of what the desk did, for the session's end. */
  summaryLine(): string {
    const s = this.stats;
    return `[LIVE] maker-taker: ${s.placed} quotes placed, ${s.replaced} replaced, ${s.cancelled} cancelled, ${s.rejected} refused by the venue; ${s.makerFills} maker fills, ${s.hedges} hedged, ${s.hedgeFailures} hedge failures${this.paused ? `; PAUSED: ${this.paused}` : ''}`;
  }

  /** The quote can trade no more: free its slot and end its trade once its fills are hedged. */
  private settleQuote(q: LiveQuote): void {
    q.final = true;
    this.quotes.delete(q);
    const tally = this.tallies.get(q.tradeId);
    if (tally) tally.quoteFinal = true;
    const slot = this.slots.get(q.slotKey);
    if (slot && slot.quote === q) {
      slot.quote = undefined;
      if (!this.stopped) this.kick(slot);
    }
    if (tally && tally.fills === 0) this.endTrade(q.tradeId);
    else this.endFlatTrades();
    // A freed place under maxRestingQuotes: let another slot use it.
    if (!this.stopped) for (const s of this.slots.values()) if (!s.quote && s.target) this.kick(s);
  }

  private onMakerFill(q: LiveQuote, fill: Fill): void {
    const { deps } = this;
    const seenMono = deps.monotonic();
    q.filled = q.filled.plus(fill.size);
    deps.journal.recordFills(q.tradeId, [fill]);
    deps.exposure?.applyFills([fill]);
    const tally = this.tallies.get(q.tradeId);
    if (tally) tally.fills++;
    this.stats.makerFills++;
    this.meters.fill(q.request.venue);
    if (q.cancelSent) this.stats.fillsAfterCancel++;
    const t = q.target;
    const key = `${t.instrument}|${t.side}|${t.maker.venue}|${t.taker.venue}`;
    let entry = this.lots.get(key);
    if (!entry) this.lots.set(key, (entry = { lot: new HedgeLot(), maker: t.maker, taker: t.taker, instrument: t.instrument, side: t.side, running: false, stuck: false }));
    entry.lot.add(fill, q.tradeId, seenMono, t.hedge.vwap);
    // Before the hedge goes out: the fill row (with the mid and the taker-taker price of this moment).
    this.recordMakerFill(q, fill);
    deps.logger.info('maker fill', { instrument: t.instrument, venue: t.maker.venue, side: t.side, size: fill.size.toString(), price: fill.price.toString(), clientId: q.request.clientId });
    this.hedge(entry);
  }

  private hedge(entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>): void {
    if (entry.running || entry.stuck) return;
    entry.running = true;
    this.track(
      (async () => {
        try {
          await this.hedgeLoop(entry);
        } finally {
          entry.running = false;
          this.endFlatTrades();
        }
      })(),
    );
  }

  private async hedgeLoop(entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>): Promise<void> {
    const { deps } = this;
    const hedgeSide: QuoteSide = entry.side === 'buy' ? 'sell' : 'buy';
    while (entry.lot.size.gt(0) && !entry.stuck) {
      const walk = this.walkTaker(entry.taker, hedgeSide, entry.lot.size);
      const reference = walk?.worst ?? entry.lot.averagePrice;
      const size = hedgeableSize(entry.lot.size, deps.markets(entry.taker.venue, entry.taker.symbol), reference);
      if (size.lte(0)) {
        // Below the taker venue's minimum: wait for more fills, within maxUnhedgedMs.
        this.armUnwind(entry);
        return;
      }
      const portion = entry.lot.take(size);
      const r = await repairLoneLeg(
        this.repairDeps,
        {
          tradeId: portion.tradeId,
          residual: size,
          exposed: { venue: entry.maker.venue, symbol: entry.maker.symbol, side: entry.side, averagePrice: portion.notional.div(size) },
          missing: { venue: entry.taker.venue, symbol: entry.taker.symbol, side: hedgeSide, worstPrice: reference },
          prefer: 'hedge',
        },
        new VenueWait(deps.monotonic),
      );
      this.afterRepair(entry, portion, r, true);
    }
    if (entry.lot.size.isZero() && entry.timer) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  /** `hedging`: the repair was a hedge (an unwind of a sub-minimum residual is the plan, not a failure). */
  private afterRepair(entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>, portion: LotPortion, r: RepairResult, hedging = false): void {
    const { deps } = this;
    const fills = r.orders.flatMap((o) => o.fills);
    deps.exposure?.applyFills(fills);
    this.tallies.get(portion.tradeId)?.states.add(r.state);
    if (r.residual.gt(0)) entry.lot.giveBack(portion, r.residual, deps.monotonic());
    const closed = portion.size.minus(r.residual);
    let cash = entry.side === 'buy' ? portion.notional.neg() : portion.notional;
    cash = cash.minus(portion.fees);
    let closeNotional = new Decimal(0);
    let closeSize = new Decimal(0);
    for (const f of fills) {
      const n = f.price.mul(f.size);
      cash = (f.side === 'sell' ? cash.plus(n) : cash.minus(n)).minus(f.fee);
      closeNotional = closeNotional.plus(n);
      closeSize = closeSize.plus(f.size);
    }
    const ack = r.orders[0]?.times.ackMono;
    const ms = (ack ?? deps.monotonic()) - portion.seenMono;
    this.recordHedge(entry, portion, r, { closed, closeNotional, closeSize, fills });
    this.meters.hedge(r.state, r.state === 'hedged' && ack !== undefined ? ms : undefined);
    const closeVenue = r.state === 'hedged' ? entry.taker.venue : r.state === 'failed-unresolved' ? entry.taker.venue : entry.maker.venue;
    deps.announce(
      formatMakerFill({
        label: 'LIVE',
        instrument: entry.instrument,
        makerVenue: entry.maker.venue,
        side: entry.side,
        size: portion.size,
        makerPrice: portion.notional.div(portion.size),
        outcome: r.state,
        closeVenue,
        closeSize: closed,
        ...(closeSize.gt(0) ? { closePrice: closeNotional.div(closeSize) } : {}),
        ms,
        // The estimate covers what closed; a residual left open has no PnL yet.
        ...(r.residual.isZero() ? { pnl: cash } : {}),
      }),
    );
    if (r.state === 'hedged') {
      this.stats.hedges++;
      return;
    }
    if (r.state === 'failed-unresolved') {
      this.stats.hedgeFailures++;
      // Sending more on top of an unknown is how losses grow: this lot waits for the operator.
      entry.stuck = true;
      this.pause(`a ${entry.instrument} ${entry.side} fill left ${r.residual.toString()} unresolved on ${entry.maker.venue}/${entry.taker.venue}`);
    } else if (hedging) {
      // Every hedge attempt (execution.repairAttempts) failed and the fill was closed on the maker
      // venue: quoting on against a taker venue that will not fill is how hummingbot#3833 loses.
      this.stats.hedgeFailures++;
      this.pause(`${this.repairDeps.config.repairAttempts} hedge attempts failed on ${entry.taker.venue}; the fill was ${r.state} on ${entry.maker.venue}`);
    }
  }

  /** Stop quoting (every quote cancelled) and say so loudly; fills already in flight are still hedged. */
  private pause(reason: string): void {
    if (this.paused) return;
    this.paused = reason;
    this.deps.logger.error('maker-taker quoting paused', { reason });
    this.deps.announce(`[LIVE] ⚠ ALERT maker-taker paused: ${reason}; every quote is cancelled, restart after checking the venues`);
    for (const q of this.quotes) if (!q.final && !q.cancelSent) this.track(this.cancel(q, 'paused'));
  }

  private armUnwind(entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>): void {
    if (entry.timer || entry.lot.oldestMono === undefined) return;
    const left = Math.max(0, entry.lot.oldestMono + this.rules.maxUnhedgedMs - this.deps.monotonic());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (entry.lot.size.gt(0) && !entry.running) this.unwindNow(entry);
    }, left);
    entry.timer.unref();
  }

  /** Close an unhedgeable residual on the maker venue (reduce-only), through the same repair. */
  private unwindNow(entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>): void {
    if (entry.running || entry.stuck || entry.lot.size.lte(0)) return;
    entry.running = true;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    this.track(
      (async () => {
        try {
          const portion = entry.lot.take(entry.lot.size);
          this.deps.logger.warn('maker fill below the hedge minimum for too long: unwinding it on the maker venue', { instrument: entry.instrument, venue: entry.maker.venue, size: portion.size.toString() });
          const r = await repairLoneLeg(
            this.repairDeps,
            { tradeId: portion.tradeId, residual: portion.size, exposed: { venue: entry.maker.venue, symbol: entry.maker.symbol, side: entry.side, averagePrice: portion.notional.div(portion.size) }, prefer: 'unwind' },
            new VenueWait(this.deps.monotonic),
          );
          this.afterRepair(entry, portion, r);
        } finally {
          entry.running = false;
          this.endFlatTrades();
        }
      })(),
    );
  }

  private walkTaker(v: QuoteTarget['taker'], side: QuoteSide, size: Decimal): { worst: Decimal } | undefined {
    const book = this.deps.books.book(v.venue, v.symbol);
    if (!book || !this.deps.books.isTradable(book, this.deps.clock.now())) return undefined;
    return walkLevels(bookLevels(book, side === 'sell' ? 'bids' : 'asks', size), size);
  }

  /** End the journal rows of final quotes whose fills are all hedged (their lot is flat). */
  private endFlatTrades(): void {
    for (const [tradeId, tally] of this.tallies) {
      if (tally.ended || !tally.quoteFinal) continue;
      const holding = [...this.lots.values()].some((e) => (e.running || e.lot.size.gt(0)) && e.lot.trades.has(tradeId));
      if (!holding) this.endTrade(tradeId);
    }
    for (const e of this.lots.values()) if (!e.running && e.lot.size.isZero()) e.lot.trades.clear();
  }

  private endTrade(tradeId: string, note?: string): void {
    const tally = this.tallies.get(tradeId);
    if (!tally || tally.ended) return;
    tally.ended = true;
    this.tallies.delete(tradeId);
    const order: RepairResult['state'][] = ['failed-unresolved', 'stopped-out', 'unwound', 'hedged'];
    const state: TradeEndState = tally.fills === 0 ? 'no-fill' : (order.find((s) => tally.states.has(s)) ?? 'hedged');
    const fills = this.deps.journal.fillsOf(tradeId);
    let pnl = new Decimal(0);
    for (const f of fills) {
      const n = new Decimal(f.price).mul(f.size);
      pnl = (f.side === 'sell' ? pnl.plus(n) : pnl.minus(n)).minus(f.fee);
    }
    this.deps.journal.endTrade(tradeId, {
      state,
      residual: new Decimal(0),
      ...(state === 'failed-unresolved' ? {} : { realizedPnl: pnl }),
      note: note ?? `maker-taker quote: ${tally.fills} maker fill(s)`,
      endedAt: this.deps.clock.now(),
    });
  }

  private quoteEvent(kind: QuoteEventKind, tradeId: string, clientId: string, target: QuoteTarget, at: number, reason?: string): void {
    this.deps.quoteJournal?.event({ kind, tradeId, clientId, target, at, ...(reason !== undefined ? { reason } : {}) });
  }

  /**
   * The maker fill's report row: the maker book's mid now (markouts compare against it) and what
   * the same size would have cost crossing both books now, at both venues' taker fees.
   */
  private recordMakerFill(q: LiveQuote, fill: Fill): void {
    const qj = this.deps.quoteJournal;
    if (!qj) return;
    const t = q.target;
    const now = this.deps.clock.now();
    const hedgeSide: QuoteSide = t.side === 'buy' ? 'sell' : 'buy';
    const makerCross = this.walkBook(t.maker, t.side, fill.size);
    const takerCross = this.walkBook(t.taker, hedgeSide, fill.size);
    let takerTaker;
    if (makerCross && takerCross && this.deps.fees) {
      try {
        takerTaker = {
          makerPrice: makerCross.vwap,
          takerPrice: takerCross.vwap,
          makerFeeRate: this.deps.fees(t.maker.venue, t.maker.symbol).taker,
          takerFeeRate: this.deps.fees(t.taker.venue, t.taker.symbol).taker,
        };
      } catch {
        // A venue no fee model covers: the comparison for this fill is n/a, the fill row is still written.
        takerTaker = undefined;
      }
    }
    qj.fill({ tradeId: q.tradeId, fill, target: t, midAtFill: bookMid(this.deps.books, t.maker.venue, t.maker.symbol, now), takerTaker, seenAt: now });
    this.markouts?.track(t.maker.venue, t.maker.symbol, fill.fillId);
  }

  /** The hedge (or unwind) row: latency from the newest fill learned to the ack of the hedge order that filled. */
  private recordHedge(
    entry: NonNullable<ReturnType<QuoteDesk['lots']['get']>>,
    portion: LotPortion,
    r: RepairResult,
    close: { closed: Decimal; closeNotional: Decimal; closeSize: Decimal; fills: Fill[] },
  ): void {
    const qj = this.deps.quoteJournal;
    if (!qj) return;
    const filledHedge = [...r.orders].reverse().find((o) => o.request.venue === entry.taker.venue && o.filled.gt(0) && o.times.ackMono !== undefined);
    const share = close.closed.div(portion.size);
    let net: Decimal | undefined;
    if (close.closed.gt(0)) {
      // The closed part only: a residual given back to the lot carries the rest of the maker notional.
      const maker = portion.notional.mul(share);
      net = (entry.side === 'buy' ? maker.neg() : maker).minus(portion.fees.mul(share));
      for (const f of close.fills) net = (f.side === 'sell' ? net.plus(f.price.mul(f.size)) : net.minus(f.price.mul(f.size))).minus(f.fee);
    }
    qj.hedge({
      tradeId: portion.tradeId,
      instrument: entry.instrument,
      outcome: r.state,
      side: entry.side,
      closeVenue: r.state === 'hedged' || r.state === 'failed-unresolved' ? entry.taker.venue : entry.maker.venue,
      size: portion.size,
      closedSize: close.closed,
      makerNotional: portion.notional,
      expectedHedgePrice: portion.expectedNotional.div(portion.size),
      closeSize: close.closeSize,
      closeNotional: close.closeNotional,
      closeFees: close.fills.reduce((s, f) => s.plus(f.fee), new Decimal(0)),
      net,
      latencyMs: filledHedge?.times.ackMono !== undefined ? filledHedge.times.ackMono - portion.seenMono : undefined,
      at: this.deps.clock.now(),
    });
  }

  private walkBook(v: QuoteTarget['maker'], side: QuoteSide, size: Decimal): { vwap: Decimal } | undefined {
    const book = this.deps.books.book(v.venue, v.symbol);
    if (!book || !this.deps.books.isTradable(book, this.deps.clock.now())) return undefined;
    return walkLevels(bookLevels(book, side === 'sell' ? 'bids' : 'asks', size), size);
  }

  /** Periodic: cancel quotes whose books went stale or whose guard closed (a stale feed sends no update). */
  private sweep(): void {
    if (this.stopped) return;
    for (const slot of this.slots.values()) if (slot.quote && !slot.quote.cancelSent) this.kick(slot);
  }
}

/** Best-first Decimal levels of a book side, as many as cover `size` (capped). */
export function bookLevels(book: import('../market/book.ts').OrderBook, side: 'bids' | 'asks', size?: Decimal): PriceLevel[] {
  const s = book[side];
  const { priceDecimals, sizeDecimals } = book.market;
  const out: PriceLevel[] = [];
  let total = new Decimal(0);
  const n = Math.min(s.depth, LEVELS);
  for (let i = 0; i < n; i++) {
    const level = { price: new Decimal(fromUnits(s.priceAt(i), priceDecimals)), size: new Decimal(fromUnits(s.sizeAt(i), sizeDecimals)) };
    out.push(level);
    total = total.plus(level.size);
    if (size && total.gte(size)) break;
  }
  return out;
}
