/**
 * Live trading as the opportunity flow sees it: an IntentExecutor that puts the risk gate in
 * front of the trade executor. Built only in live mode, from the connectors' order gateways;
 * dry-run never constructs it, so no code path there can send.
 *
 * Lifecycle: start() reconciles journal and venues and refuses to trade while they disagree;
 * the kill switch stops new trades and cancels resting orders; drain() (Ctrl-C) stops new
 * trades and waits for those in flight to settle their legs and repairs.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { IntentExecutor } from '../core/opportunity-flow.ts';
import type { OrderGateway } from '../exchange/orders.ts';
import type { Journal } from '../journal/journal.ts';
import { TradeJournal } from '../journal/trade-journal.ts';
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { RiskConfig } from '../risk/config.ts';
import { Exposure, startOfUtcDay } from '../risk/exposure.ts';
import { KillSwitch } from '../risk/kill-switch.ts';
import { OnChainGate } from '../risk/on-chain-gate.ts';
import { RiskGate, type RiskVerdict } from '../risk/risk-gate.ts';
import { VenueHealth } from '../risk/venue-health.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import { clientIdFor } from './client-ids.ts';
import type { ExecutionConfig } from './config.ts';
import { InstrumentLocks } from './instrument-lock.ts';
import type { LiquidityProbe } from './leg-order.ts';
import { reconcileWithVenues, type ActiveWork, type ReconcileReport } from './restart-reconciler.ts';
import { TradeExecutor } from './trade-executor.ts';
import type { TradeResult } from './trade-result.ts';
import { monotonicNow, readsAllowed, withTimeout, type Monotonic } from './venue-wait.ts';

export interface LiveTradingDeps {
  execution: ExecutionConfig;
  risk: RiskConfig;
  gateways: ReadonlyMap<VenueId, OrderGateway>;
  journal: Journal;
  clock: Clock;
  logger: Logger;
  /** Venue symbols this engine trades, per venue: the scope of reconciliation. */
  symbols: ReadonlyMap<VenueId, ReadonlySet<string>>;
  markets?: (venue: VenueId, symbol: string) => MarketInfo | undefined;
  liquidity?: LiquidityProbe;
  monotonic?: Monotonic;
}

export class LiveTrading implements IntentExecutor {
  readonly trades: TradeJournal;
  readonly locks = new InstrumentLocks();
  readonly exposure = new Exposure();
  readonly killSwitch: KillSwitch;
  readonly health: VenueHealth;
  readonly gate: RiskGate;
  /** The gate of on-chain calls (flash-loan cycles): the same kill switch and halts, its own limits. */
  readonly onChain: OnChainGate;
  readonly executor: TradeExecutor;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private reconciling = false;
  private readonly startupChecks: Array<() => Promise<string[]>> = [];
  private readonly activeWork: Array<() => ActiveWork> = [];
  /** Venues not tradable: unreachable at start, or joined but not yet reconciled with the journal. */
  private readonly notTradable = new Map<VenueId, string>();

  constructor(private readonly deps: LiveTradingDeps) {
    this.logger = deps.logger.child({ component: 'live-trading' });
    this.trades = new TradeJournal(deps.journal.db);
    this.killSwitch = new KillSwitch(deps.risk.killSwitch);
    this.health = new VenueHealth(deps.risk.venueHealth, deps.clock, this.logger);
    this.gate = new RiskGate({
      config: deps.risk,
      clock: deps.clock,
      exposure: this.exposure,
      killSwitch: this.killSwitch,
      health: this.health,
      instrumentBusy: (i) => this.locks.isBusy(i),
      venueDown: (v) => this.notTradable.get(v),
    });
    this.onChain = new OnChainGate({ limits: deps.risk.flashLoan, clock: deps.clock, killSwitch: this.killSwitch, halted: () => this.gate.halted });
    this.executor = new TradeExecutor({
      journal: this.trades,
      clock: deps.clock,
      monotonic: deps.monotonic ?? monotonicNow,
      config: deps.execution,
      logger: this.logger,
      gateways: deps.gateways,
      locks: this.locks,
      health: this.health,
      markets: deps.markets,
      liquidity: deps.liquidity,
      sessionId: () => deps.journal.sessionId,
    });
    // Nothing trades before start() has reconciled journal and venues.
    this.gate.halt('reconciling with the venues before the first trade');
    this.executor.onTradeEnd((r) => this.account(r));
    this.killSwitch.onTrip((reason) => {
      this.logger.error('KILL SWITCH tripped: no new trades, cancelling resting orders', { reason });
      this.executor.stopAccepting();
      void this.cancelResting();
    });
  }

  /** Venue symbols this engine trades, per venue (venues down left out): the scope of every reconciliation. */
  get symbols(): ReadonlyMap<VenueId, ReadonlySet<string>> {
    return this.reachable(this.deps.symbols);
  }

  /** The order gateways of the venues that are up (the portfolio reads positions from them). */
  get gateways(): ReadonlyMap<VenueId, OrderGateway> {
    return this.reachable(this.deps.gateways);
  }

  /**
   * The engine could not reach this venue: nothing that needs it trades, and it is left out of
   * reconciliation (asking it would fail and halt every venue) until venueJoined().
   */
  venueDown(venue: VenueId, reason: string): void {
    this.notTradable.set(venue, reason);
    this.downVenues.add(venue);
  }

  /** The venue came back: reconcile it with the journal (trading halted meanwhile), then let it trade. */
  async venueJoined(venue: VenueId): Promise<ReconcileReport | undefined> {
    this.downVenues.delete(venue);
    this.notTradable.set(venue, `${venue} joined late: reconciling it with the journal before it trades`);
    while (this.reconciling) await new Promise((r) => setTimeout(r, 50));
    this.reconciling = true;
    this.gate.halt(`reconciling ${venue} with the journal after it joined`);
    try {
      const report = await this.reconcile();
      await this.seedExposure();
      this.applyReport(report);
      if (report.problems.length === 0) this.notTradable.delete(venue);
      return report;
    } finally {
      this.reconciling = false;
    }
  }

  /** Why a venue may not trade now (down, or joined and not yet reconciled). */
  venueNotTradable(venue: VenueId): string | undefined {
    return this.notTradable.get(venue);
  }

  private readonly downVenues = new Set<VenueId>();
  /** The quarantine retry the timer started, while it runs. */
  private retrying: Promise<unknown> | undefined;

  private reachable<T>(m: ReadonlyMap<VenueId, T>): ReadonlyMap<VenueId, T> {
    if (this.downVenues.size === 0) return m;
    return new Map([...m].filter(([v]) => !this.downVenues.has(v)));
  }

  /**
   * A further comparison with the venues, run after the order reconciliation at start and at
   * every re-reconciliation; any problem it returns halts trading like an order disagreement.
   * The portfolio adds the check of held pairs against venue positions.
   */
  addStartupCheck(check: () => Promise<string[]>): void {
    this.startupChecks.push(check);
  }

  /**
   * A part of the engine that keeps orders and trades of its own open while it runs (the quote
   * desk): every reconciliation leaves what it reports alone (see ReconcileScope.active).
   */
  addActiveWork(source: () => ActiveWork): void {
    this.activeWork.push(source);
  }

  /** Reconcile with the venues before the first trade; any disagreement halts trading. */
  async start(): Promise<ReconcileReport> {
    this.killSwitch.arm();
    const report = await this.reconcile();
    await this.seedExposure();
    const now = this.deps.clock.now();
    this.exposure.seedRealized(this.trades.realizedSince(startOfUtcDay(now)), now);
    this.applyReport(report);
    // Kept so stop() waits for it (a retry still reading venues would write to a closed journal), and
    // caught: a failed retry is logged and tried again at the next tick, never an unhandled rejection.
    this.timer = setInterval(() => {
      this.retrying ??= (this.unreadableHalt ? this.retryUnreadable() : this.retryQuarantined())
        .catch((err: unknown) => void this.logger.error('re-reconciling a quarantined instrument failed', { error: (err as Error).message }))
        .finally(() => (this.retrying = undefined));
    }, this.deps.execution.requarantineCheckMs);
    this.timer.unref();
    return report;
  }

  /**
   * An instrument quarantined by an unresolved order stays blocked until the venue answers.
   * Ask again, but only with nothing in flight (so positions are settled) and with the gate
   * halted meanwhile (so nothing starts during the comparison).
   */
  async retryQuarantined(): Promise<ReconcileReport | undefined> {
    if (this.reconciling || this.locks.quarantinedInstruments().length === 0 || this.executor.inFlightCount > 0) return undefined;
    this.reconciling = true;
    this.gate.halt('re-reconciling a quarantined instrument with the venues');
    try {
      const report = await this.reconcile();
      await this.seedExposure();
      this.applyReport(report);
      return report;
    } finally {
      this.reconciling = false;
    }
  }

  /**
   * The last reconciliation halted only because a venue could not be read (slow, holding after a
   * 429, down for a moment): ask again at the next tick instead of halting for good. A report with
   * any real disagreement (positions that differ, an exposed leg, a stray open order) stays halted
   * for the operator, as before. Found by the chaos campaign: an engine restarted after a crash
   * whose start-up reconcile met a stalled Vest never traded again.
   */
  private unreadableHalt = false;

  async retryUnreadable(): Promise<ReconcileReport | undefined> {
    if (this.reconciling || this.executor.inFlightCount > 0) return undefined;
    this.reconciling = true;
    try {
      this.logger.info('re-reconciling: the last reconciliation could not read a venue');
      const report = await this.reconcile();
      await this.seedExposure();
      this.applyReport(report);
      return report;
    } finally {
      this.reconciling = false;
    }
  }

  /** Positions as the venues report them: reconciliation may have closed what a trade left. */
  private async seedExposure(): Promise<void> {
    for (const [venue, gw] of this.gateways) {
      try {
        await readsAllowed(gw, ['background']);
        this.exposure.seedPositions(venue, await withTimeout(gw.positions(), this.deps.execution.ackTimeoutMs, `${venue} positions`));
      } catch {
        // Already a reconciliation problem, which halts trading.
      }
    }
  }

  private applyReport(report: ReconcileReport): void {
    this.unreadableHalt = report.problems.length > 0 && report.problems.every(isUnreadable);
    if (report.problems.length === 0) this.gate.resume();
    else {
      this.gate.halt(`journal and venues disagree: ${report.problems.join('; ')}`);
      this.logger.error('not trading: journal and venues disagree', { problems: report.problems });
    }
  }

  private async reconcile(): Promise<ReconcileReport> {
    const report = await this.reconcileOrders();
    for (const check of this.startupChecks) {
      try {
        report.problems.push(...(await check()));
      } catch (err) {
        report.problems.push(`startup check failed: ${(err as Error).message}`);
      }
    }
    return report;
  }

  private reconcileOrders(): Promise<ReconcileReport> {
    return reconcileWithVenues(
      {
        journal: this.trades,
        clock: this.deps.clock,
        monotonic: this.deps.monotonic ?? monotonicNow,
        config: this.deps.execution,
        logger: this.logger,
        gateways: this.gateways,
        markets: this.deps.markets,
        clientId: clientIdFor,
      },
      { symbols: this.symbols, locks: this.locks, active: this.collectActiveWork() },
    );
  }

  private collectActiveWork(): ActiveWork | undefined {
    if (this.activeWork.length === 0) return undefined;
    const tradeIds = new Set<string>();
    const restingClientIds = new Set<string>();
    for (const source of this.activeWork) {
      const w = source();
      for (const id of w.tradeIds) tradeIds.add(id);
      for (const id of w.restingClientIds) restingClientIds.add(id);
    }
    return { tradeIds, restingClientIds };
  }

  execute(j: Judgment): void {
    const verdict: RiskVerdict = this.gate.check(j);
    if (!verdict.ok) {
      this.logger.debug('risk gate said no', { intent: j.intent.id, rule: verdict.rule, reason: verdict.reason });
      return;
    }
    this.gate.approved(j.intent);
    this.executor
      .run(j)
      .then((r) => {
        // A trade the executor did not start never reaches account(): release its reservation here.
        if (!r) this.gate.tradeEnded(j.intent.id, [], this.deps.clock.now());
      })
      .catch((err: Error) => {
        this.gate.tradeEnded(j.intent.id, [], this.deps.clock.now());
        this.logger.error('trade crashed', { intent: j.intent.id, error: err.message });
      });
  }

  /** Ctrl-C: stop opening trades, let those in flight finish. */
  async drain(): Promise<void> {
    this.executor.stopAccepting();
    await this.executor.settle();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.retrying;
    await this.drain();
    this.killSwitch.disarm();
  }

  /** Cancel every resting order on our markets (the executor itself only sends IOC). */
  async cancelResting(): Promise<number> {
    let cancelled = 0;
    await Promise.all(
      [...this.deps.gateways].map(async ([venue, gw]) => {
        try {
          for (const o of await gw.openOrders()) {
            const symbol = o.symbol;
            if (!symbol) {
              this.logger.error('open order without a symbol: cannot cancel it', { venue, clientId: o.clientId });
              continue;
            }
            await gw.cancel({ symbol, clientId: o.clientId, ...(o.venueOrderId ? { venueOrderId: o.venueOrderId } : {}) });
            cancelled++;
          }
        } catch (err) {
          this.logger.error('cancelling resting orders failed', { venue, error: (err as Error).message });
        }
      }),
    );
    return cancelled;
  }

  private account(r: TradeResult): void {
    const fills = r.orders.flatMap((o) => o.fills);
    this.gate.tradeEnded(r.intentId, fills, this.deps.clock.now());
    this.exposure.applyFills(fills);
    if (r.realizedPnl) this.exposure.addRealized(r.realizedPnl, this.deps.clock.now());
  }
}

/** A reconciliation problem that says a venue could not be read, not that it disagrees (restart-reconciler.ts wording). */
export function isUnreadable(problem: string): boolean {
  return /: cannot read positions or open orders \(|: still no answer from the venue \(|^startup check failed: /.test(problem);
}
