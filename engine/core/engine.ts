/**
 * Assembles the engine from the config: container, plugins, connectors, hub, simulator,
 * journal, strategies. One kernel for dry-run and live; live differs only in what is bound.
 */
import { RISK_TOKENS } from '../risk/tokens.ts';
import { retryDelayMs, VenueReachability } from '../risk/venue-reachability.ts';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { Container } from 'inversify';
import type { ExchangeConnector } from '../exchange/connector.ts';
import type { LiveTrading } from '../execution/live-trading.ts';
import { createLiveTrading } from '../execution/live-wiring.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent, MarketDataSink, MarketInfo, VenueId } from '../market/types.ts';
import { Journal } from '../journal/journal.ts';
import { MarketDataHub } from '../market/hub.ts';
import { InstrumentMap } from '../market/instruments.ts';
import { ExecutionSimulator } from '../simulation/execution-simulator.ts';
import { FeeSchedule } from '../simulation/fee-schedule.ts';
import { DEFAULT_GAS_USD } from '../simulation/gas.ts';
import type { Strategy } from '../strategy/strategy.ts';
import type { Clock } from './clock.ts';
import type { EngineConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { OpportunityFlow, type IntentExecutor } from './opportunity-flow.ts';
import { checkInstrumentVenues } from './preflight.ts';
import { loadPlugins, type LoadedPlugins } from './plugin-loader.ts';
import { EnvironmentSecrets } from './secrets.ts';
import { TOKENS } from './tokens.ts';
import { Announcements } from './announcements.ts';
import { Verdicts } from '../strategy/verdicts.ts';
import { discoverFromVenues } from '../instruments/from-venues.ts';
import type { DiscoveryReport } from '../instruments/discovery.ts';

export interface EngineInput {
  config: EngineConfig;
  /** Directory that relative paths in the config (plugins) are resolved against. */
  baseDir: string;
  logger: Logger;
  clock: Clock;
  /** Live mode needs this explicit switch as well as `mode: live` in the config. */
  live: boolean;
  executor?: IntentExecutor;
  /**
   * Stand-in connectors (a replay of recorded market data) used instead of the ones the
   * exchange plugins build. Everything downstream of the connectors is unchanged.
   */
  connectors?: ExchangeConnector[];
  /** Journal session; a replay passes a deterministic id so two replays give identical journals. */
  session?: { id: string; mode: string };
}

/**
 * Sees every market-data event just before the hub does, in the hub's order, and the markets
 * each venue declared: the recorder and the metrics use it. It must not throw or block.
 */
export interface MarketDataTap extends MarketDataSink {
  /** takerDelayMs: the connector's (ExchangeConnector.takerDelayMs), so a replay prices takers as the run did. */
  onMarkets(venue: VenueId, chain: string, markets: MarketInfo[], takerDelayMs?: number): void;
  /** Every venue has declared its markets (start() is about to resolve). */
  onReady?(): void;
}

export class Engine {
  private started = false;
  /** Risk gate + executor: set only in live mode (dry-run binds no executor and no gateway). */
  liveTrading: LiveTrading | undefined;
  /** Console lines from strategies that price their own judgments (e.g. flash-loan cycles). */
  announcements = new Announcements();
  /** Strategies' own verdicts (carry, flash cycles): the console tallies them beside the judgments. */
  verdicts = new Verdicts();
  private readonly taps: MarketDataTap[] = [];
  /** Which venues are up; one unreachable at start is retried in the background (start()). */
  readonly venues = new VenueReachability();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** What instruments.auto mapped at start (the CLI prints it once), when the config asked for it. */
  discovery: DiscoveryReport | undefined;

  constructor(
    readonly container: Container,
    readonly config: EngineConfig,
    readonly plugins: LoadedPlugins,
    readonly instruments: InstrumentMap,
    readonly connectors: ExchangeConnector[],
    readonly hub: MarketDataHub,
    readonly flow: OpportunityFlow,
    readonly journal: Journal,
    readonly strategies: Strategy[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly session?: { id: string; mode: string },
  ) {}

  /** Add a tap before start(): it sees the market data exactly as the hub receives it. */
  tapMarketData(tap: MarketDataTap): void {
    if (this.started) throw new Error('engine: tapMarketData() must be called before start()');
    this.taps.push(tap);
  }

  async start(): Promise<void> {
    this.started = true;
    // Strategies that call on-chain (flash-loan) find the gate here; without it they must not call.
    if (this.liveTrading && !this.container.isBound(RISK_TOKENS.OnChainGate)) this.container.bind(RISK_TOKENS.OnChainGate).toConstantValue(this.liveTrading.onChain);
    const session = this.session ?? { id: randomUUID(), mode: this.config.mode };
    this.journal.startSession(session.id, session.mode, JSON.stringify(this.config), this.clock.now());
    const sink = this.taps.length === 0 ? this.hub : teeSink(this.taps, this.hub);
    const added = new Set<string>();
    const connect = async (c: ExchangeConnector): Promise<void> => {
      const markets = await c.loadMarkets(this.instruments.symbolsFor(c.venue));
      if (!added.has(c.venue)) {
        this.hub.addVenue(c.venue, markets, (symbol) => c.resync(symbol));
        for (const t of this.taps) t.onMarkets(c.venue, c.chain, markets, c.takerDelayMs);
        added.add(c.venue);
      }
      await c.startMarketData(markets, sink);
      this.venues.markUp(c.venue);
      this.logger.info('venue connected', { venue: c.venue, markets: markets.map((m) => m.symbol) });
    };
    // One venue unreachable does not stop the others: it is retried with a growing delay, and
    // until it joins (and, live, is reconciled) nothing that needs it trades.
    const retry = (c: ExchangeConnector, err: Error): void => {
      const attempts = (this.venues.down().find((d) => d.venue === c.venue)?.attempts ?? 0) + 1;
      const delay = retryDelayMs(attempts, { minMs: this.config.venueRetry.minMs, maxMs: this.config.venueRetry.maxMs });
      this.venues.markDown(c.venue, err.message, this.clock.now() + delay);
      this.liveTrading?.venueDown(c.venue, this.venues.downReason(c.venue)!);
      this.logger.error('venue unreachable: retrying in the background, trading continues without it', { venue: c.venue, attempts, retryInMs: delay, error: err.message });
      this.announcements.emit(`VENUE DOWN: ${c.venue} (${err.message}); retry ${attempts} in ${(delay / 1000).toFixed(0)} s; nothing that needs ${c.venue} trades until it is back`);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        if (!this.started) return;
        connect(c).then(
          () => {
            this.announcements.emit(`VENUE UP: ${c.venue} joined after ${attempts} failed attempt(s)${this.liveTrading ? '; reconciling it before it trades' : ''}`);
            if (this.liveTrading) void this.liveTrading.venueJoined(c.venue);
          },
          (e: Error) => retry(c, e),
        );
      }, delay);
      timer.unref();
      this.retryTimers.add(timer);
    };
    const results = await Promise.allSettled(this.connectors.map((c) => connect(c)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ c: this.connectors[i]!, err: r.reason as Error }] : []));
    // With no venue at all there is nothing to judge: that is still a failed start.
    if (failed.length === this.connectors.length && failed.length > 0) throw failed[0]!.err;
    for (const f of failed) retry(f.c, f.err);
    for (const t of this.taps) t.onReady?.();
    // Trading starts only after journal and venues agree (LiveTrading stays halted until then).
    if (this.liveTrading) await this.liveTrading.start();
  }

  async stop(): Promise<void> {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    for (const s of this.strategies) s.stop?.();
    // Ctrl-C in live mode: no new trades, settle the ones in flight, then disconnect.
    await this.liveTrading?.stop();
    await Promise.allSettled(this.connectors.map((c) => c.stop()));
    if (this.started) this.journal.close(this.clock.now());
    this.started = false;
  }
}

export async function createEngine(input: EngineInput): Promise<Engine> {
  const { config, logger, clock } = input;
  const live = input.live && config.mode === 'live';
  const container = new Container();
  const secrets = new EnvironmentSecrets();
  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.Logger).toConstantValue(logger);
  container.bind(TOKENS.Clock).toConstantValue(clock);
  container.bind(TOKENS.Secrets).toConstantValue(secrets);

  const plugins = await loadPlugins({
    plugins: config.plugins,
    sections: { venues: config.venues, strategies: config.strategies, fees: config.fees },
    container,
    logger,
    live,
    baseDir: input.baseDir,
  });
  container.bind(TOKENS.Plugins).toConstantValue(plugins);

  const build = (venues: (venue: string) => boolean): ExchangeConnector[] =>
    input.connectors?.filter((c) => venues(c.venue)) ??
    [...plugins.exchanges.entries()].filter(([venue]) => venues(venue)).map(([, ex]) => ex.factory({ options: ex.options, live, secrets, logger: logger.child({ venue: ex.optionsPath }), clock }));
  // instruments.auto: every configured venue lists its markets once, the shared perpetuals are mapped (typed entries win).
  const candidates = config.instrumentDiscovery ? build(() => true) : undefined;
  const discovery = candidates ? await discoverFromVenues(candidates, config.instrumentDiscovery!, config.instruments, logger) : undefined;
  const resolved: EngineConfig = discovery ? { ...config, instruments: discovery.table } : config;
  const instruments = new InstrumentMap(resolved.instruments);
  checkInstrumentVenues(resolved, plugins);
  container.bind(TOKENS.Instruments).toConstantValue(instruments);

  const usedVenues = new Set(instruments.instruments().flatMap((i) => instruments.listings(i).map((l) => l.venue)));
  const connectors = candidates?.filter((c) => usedVenues.has(c.venue)) ?? build((venue) => usedVenues.has(venue));
  const chains = new Map(connectors.map((c) => [c.venue, c.chain]));

  const hub = new MarketDataHub(clock, logger, { maxBookAgeMs: config.market.maxBookAgeMs });
  container.bind(TOKENS.MarketDataHub).toConstantValue(hub);
  const fees = new FeeSchedule(plugins.feeModels);
  container.bind(TOKENS.FeeSchedule).toConstantValue(fees);
  // Every strategy prices fees: a venue no fee model covers fails here, at start, not on the first opportunity.
  if (plugins.strategies.size > 0) for (const c of connectors) for (const symbol of instruments.symbolsFor(c.venue)) fees.rates(c.venue, symbol);
  const gasUsd = Object.fromEntries(
    Object.entries({ ...DEFAULT_GAS_USD, ...config.simulation.gasUsd }).map(([k, v]) => [k, new Decimal(v)]),
  );
  const simulator = new ExecutionSimulator(fees, (venue) => chains.get(venue) ?? venue, {
    gasUsd,
    desync: config.simulation.desync,
    minNetProfitUsd: new Decimal(config.simulation.minNetProfitUsd),
    includeCloseCosts: config.simulation.includeCloseCosts,
    takerDelayMs: Object.fromEntries(connectors.map((c) => [c.venue, c.takerDelayMs ?? 0])),
  });
  container.bind(TOKENS.ExecutionSimulator).toConstantValue(simulator);
  const journal = new Journal(config.journal);
  container.bind(TOKENS.Journal).toConstantValue(journal);

  const liveTrading =
    live && !input.executor
      ? createLiveTrading({ execution: config.execution, risk: config.risk, connectors, journal, books: hub, instruments, clock, logger })
      : undefined;
  const flow = new OpportunityFlow(simulator, journal, clock, logger, live ? (input.executor ?? liveTrading) : undefined);
  const announcements = new Announcements();
  const verdicts = new Verdicts();
  const strategies: Strategy[] = [...plugins.strategies.values()].map(({ factory, options, optionsPath }) =>
    factory.create({
      options,
      optionsPath,
      clock,
      logger: logger.child({ strategy: factory.name }),
      books: hub,
      instruments,
      submit: (intent) => flow.submit(intent),
      idPrefix: journal.backend === 'postgres' ? `${journal.engineId}/` : '',
      live,
      journal,
      announce: (line) => announcements.emit(line),
      verdict: (v) => verdicts.emit(v),
    }),
  );
  if (strategies.length === 0) logger.warn('no strategy plugin loaded: books will stream but nothing is judged');
  hub.onBookUpdate((venue, symbol) => {
    const instrument = instruments.instrumentOf(venue, symbol);
    if (instrument === undefined) return;
    for (let i = 0; i < strategies.length; i++) {
      try {
        strategies[i]!.onBookUpdate(venue, symbol, instrument);
      } catch (err) {
        // One strategy's bug must not stop the others (or the portfolio) seeing the update.
        logger.error('strategy failed on a book update', { strategy: strategies[i]!.name, venue, symbol, error: (err as Error).message });
      }
    }
  });
  // The session row stores `resolved`: the instruments this run traded, discovered ones included.
  const engine = new Engine(container, resolved, plugins, instruments, connectors, hub, flow, journal, strategies, clock, logger, input.session);
  engine.discovery = discovery;
  engine.liveTrading = liveTrading;
  engine.announcements = announcements;
  engine.verdicts = verdicts;
  return engine;
}

/** Taps first, then the hub, so a tap sees the state the hub is about to change. */
function teeSink(taps: MarketDataTap[], hub: MarketDataHub): MarketDataSink {
  return {
    onBook(e: BookEvent) {
      for (let i = 0; i < taps.length; i++) taps[i]!.onBook(e);
      hub.onBook(e);
    },
    onStatus(e: FeedStatusEvent) {
      for (const t of taps) t.onStatus(e);
      hub.onStatus(e);
    },
    onFunding(e: FundingEvent) {
      for (const t of taps) t.onFunding?.(e);
      hub.onFunding(e);
    },
  };
}
