/**
 * Wires the portfolio into an engine: FundingTracker on the hub's funding feed, a PairBook
 * over the engine's journal (resuming unclosed pairs), a MarginGuard, and in dry-run the
 * simulated pair lifecycle. Call it after createEngine() and before engine.start():
 *
 *   const engine = await createEngine(...);
 *   const portfolio = attachPortfolio(engine, { live });
 */
import { Decimal } from 'decimal.js';
import type { Container } from 'inversify';
import type { Clock } from '../core/clock.ts';
import type { EngineConfig } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { TOKENS } from '../core/tokens.ts';
import type { Journal } from '../journal/journal.ts';
import type { MarketDataHub } from '../market/hub.ts';
import type { OpportunityFlow } from '../core/opportunity-flow.ts';
import type { FeeSchedule } from '../simulation/fee-schedule.ts';
import { DEFAULT_GAS_USD } from '../simulation/gas.ts';
import { midPrice } from './book-prices.ts';
import { portfolioSettings, type PortfolioSettings } from './config.ts';
import { FundingTracker } from './funding-tracker.ts';
import { MarginGuard, simulatedAccounts, venueAccounts, type VenueAccount } from './margin.ts';
import { LivePairs, type LivePairsDeps } from './live-pair-manager.ts';
import { pairProblems, reconcilePairs, scoped, venuePositions } from './reconcile.ts';
import type { OrderGateway } from '../exchange/orders.ts';
import type { VenueId } from '../market/types.ts';
import { PairBook } from './pair-book.ts';
import { recoverClosingPairs } from './closing-recovery.ts';
import { TradeJournal } from '../journal/trade-journal.ts';
import { PairJournal } from './pair-journal.ts';
import { PairLifecycle } from './pair-lifecycle.ts';
import { PORTFOLIO_TOKENS } from './tokens.ts';
import type { PairSideSource } from '../risk/risk-gate.ts';

/** Account figures are re-read this often, off the trading path. */
const MARGIN_REFRESH_MS = 5000;

export interface PortfolioEngine {
  readonly container: Container;
  readonly config: EngineConfig;
  readonly hub: MarketDataHub;
  readonly flow: OpportunityFlow;
  readonly journal: Journal;
  readonly connectors: ReadonlyArray<{ venue: string; chain: string }>;
  /** Present in live mode: its risk gate gets the margin check, its executor opens and closes pairs. */
  readonly liveTrading?: LiveTradingPort;
}

/** What the portfolio needs of LiveTrading (engine/execution/live-trading.ts). */
export interface LiveTradingPort {
  readonly gate: { useMargin(source: MarginGuard): void; usePairSides?(source: PairSideSource): void; readonly halted?: string | undefined };
  /** Tripped: the executor takes nothing new, so no close is attempted either. */
  readonly killSwitch?: { readonly tripped: string | undefined };
  readonly executor: LivePairsDeps['executor'];
  /** Which instruments a trade or a quarantine holds (a close there would not start). */
  readonly locks?: { isBusy(instrument: string): boolean };
  readonly gateways: ReadonlyMap<VenueId, OrderGateway>;
  readonly symbols: ReadonlyMap<VenueId, ReadonlySet<string>>;
  addStartupCheck(check: () => Promise<string[]>): void;
}

export interface Portfolio {
  settings: PortfolioSettings;
  funding: FundingTracker;
  pairs: PairBook;
  margin: MarginGuard;
  lifecycle?: PairLifecycle;
  /** Live only: opens pairs from the executor's trades and closes them through it. */
  livePairs?: LivePairs;
  /**
   * Before engine.stop(): the margin refresh stops and no pair close starts any more (a close
   * already sent is awaited, so it books its exit while the journal is open). Open pairs stay
   * open at the venues and in the journal.
   */
  stop(): Promise<void>;
}

export function attachPortfolio(
  engine: PortfolioEngine,
  opts: { live: boolean; accounts?: () => Promise<ReadonlyMap<string, VenueAccount>> },
): Portfolio {
  const { container, hub, flow, journal } = engine;
  const settings = portfolioSettings(engine.config.portfolio);
  const clock = container.get<Clock>(TOKENS.Clock);
  const logger = container.get<Logger>(TOKENS.Logger).child({ component: 'portfolio' });
  const funding = new FundingTracker();
  hub.onFundingUpdate(funding.onFunding);
  const pairs = new PairBook(new PairJournal(journal.db, () => journal.sessionId));
  const mark = (venue: string, symbol: string): Decimal | undefined => midPrice(hub.book(venue, symbol));
  // Live accounts come from the venues (opts.accounts, or every gateway's accountValue); dry-run from configured balances.
  const live = opts.live ? engine.liveTrading : undefined;
  const accounts = opts.accounts ?? (live ? venueAccounts(live.gateways, mark) : undefined);
  const margin = new MarginGuard(settings.margin, accounts ?? (() => simulatedAccounts(settings.balances, pairs.unclosed(), mark)));
  container.bind(PORTFOLIO_TOKENS.FundingTracker).toConstantValue(funding);
  container.bind(PORTFOLIO_TOKENS.PairBook).toConstantValue(pairs);
  container.bind(PORTFOLIO_TOKENS.MarginGuard).toConstantValue(margin);
  let marginTimer: NodeJS.Timeout | undefined;
  const portfolio: Portfolio = {
    settings,
    funding,
    pairs,
    margin,
    async stop() {
      clearInterval(marginTimer);
      await portfolio.livePairs?.stop();
    },
  };
  // The margin check needs account figures: the venues' (opts.accounts) or configured balances.
  // Without either it would see zero collateral everywhere and refuse every trade, so it stays off.
  // Until the first read lands the guard knows no collateral and refuses every opening trade.
  if (accounts || settings.balances.size > 0) {
    let lastAdvice = '';
    const refresh = () =>
      void margin
        .refresh(clock.now())
        .then(() => {
          // Moving collateral is a withdrawal and a deposit (minutes to hours): advice for the operator, said once per change.
          const advice = margin.transferAdvice().map((t) => `move ${t.amount.toFixed(2)} USD from ${t.from} to ${t.to} (${t.reason})`);
          const text = advice.join('; ');
          if (text !== lastAdvice && advice.length > 0) logger.warn('capital should move between venues', { transfers: advice });
          lastAdvice = text;
        })
        .catch((err: Error) => logger.warn('margin refresh failed: checking against the last figures', { error: err.message }));
    refresh();
    marginTimer = setInterval(refresh, MARGIN_REFRESH_MS);
    marginTimer.unref();
    engine.liveTrading?.gate.useMargin(margin);
  } else if (live) {
    logger.warn('live margin check off: not every venue gateway reads its account value (OrderGateway.accountValue)');
  }
  const lifecycleDeps = {
    pairs,
    books: hub,
    funding,
    fees: container.get<FeeSchedule>(TOKENS.FeeSchedule),
    fundingStyle: settings.fundingStyle,
    policyFor: settings.policyFor,
    clock,
    logger,
  };
  if (live) {
    const livePairs = new LivePairs({
      pairs,
      executor: live.executor,
      policyFor: settings.policyFor,
      clock,
      logger,
      halted: () => live.gate.halted ?? live.killSwitch?.tripped,
      ...(live.locks ? { instrumentBusy: (i: string) => live.locks!.isBusy(i) } : {}),
      // Each close is sized against the net venue position (pairs on one venue market share it).
      positions: (venue) => {
        const gw = live.gateways.get(venue);
        return gw ? gw.positions() : Promise.reject(new Error(`no order gateway for ${venue}`));
      },
    });
    // No pair opens against another's leg on the same venue market (see LivePairs on netting).
    live.gate.usePairSides?.(pairs);
    const lifecycle = new PairLifecycle({ ...lifecycleDeps, mode: 'live', closeLive: (p, s, q, now) => livePairs.close(p, s, q, now) });
    lifecycle.attach(flow, hub);
    // Held pairs against the venues' positions, before the first trade and at every re-reconciliation;
    // first, closes a previous run left unbooked are booked from the journal the order reconciliation just settled.
    const trades = new TradeJournal(journal.db);
    live.addStartupCheck(async () => {
      for (const r of recoverClosingPairs(pairs, trades, clock.now())) logger.warn('pair left closing by the previous run', { ...r });
      // Only the venues that are up: a venue down at start is checked when it joins (LiveTrading.venueJoined).
      const up = live.gateways;
      const report = reconcilePairs(pairs.unclosed(), scoped(await venuePositions(up), live.symbols));
      return pairProblems({ ...report, disagreements: report.disagreements.filter((d) => up.has(d.venue)) });
    });
    portfolio.lifecycle = lifecycle;
    portfolio.livePairs = livePairs;
  } else if (settings.simulatePairs) {
    // Each closing order pays its chain's gas, as the simulator charges the opening ones.
    const gas: Record<string, string | Decimal> = { ...DEFAULT_GAS_USD, ...engine.config.simulation.gasUsd };
    const chainOf = new Map(engine.connectors.map((c) => [c.venue, c.chain]));
    const lifecycle = new PairLifecycle({
      ...lifecycleDeps,
      gasUsd: (venue) => new Decimal(gas[chainOf.get(venue) ?? venue] ?? 0),
    });
    lifecycle.attach(flow, hub);
    portfolio.lifecycle = lifecycle;
  }
  if (pairs.unclosed().length > 0) logger.warn('resuming pairs from the journal', { pairs: pairs.unclosed().map((p) => p.id) });
  return portfolio;
}
