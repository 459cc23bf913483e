/**
 * The one place both `arb run` and `arb replay` build an engine: createEngine, then the
 * services every run needs, in the same order, so a replay of a recording wires what the run
 * that made it wired. Today that is the dry-run event clock (event-clock.ts) and the portfolio
 * (pairs, funding tracker, margin, the pair lifecycle): without it a replay held no pairs, wrote
 * no pair rows, and funding-arb's PairBook lookup found nothing, so it stacked entries the run
 * had held. Optional services (recorder, metrics, alerts, dashboard) stay with the caller.
 */
import type { Clock } from '../core/clock.ts';
import { createEngine, type Engine, type EngineInput } from '../core/engine.ts';
import { attachPortfolio, type Portfolio } from '../portfolio/attach.ts';
import type { VenueAccount } from '../portfolio/margin.ts';
import { attachQuoting, type Quoting } from '../quoting/attach.ts';
import { EventClock } from './event-clock.ts';

export interface Assembled {
  engine: Engine;
  portfolio: Portfolio;
  /** The clock the services read: give it to a recorder so its stamps are the times the engine saw. */
  clock: Clock;
  /** Quote desks of quoting strategies (maker-taker), live only; portfolio.stop() stops them first. */
  quoting: Quoting;
}

export interface AssembleOptions {
  /** Live account figures for the margin guard (tests); default: the gateways' accountValue. */
  accounts?: () => Promise<ReadonlyMap<string, VenueAccount>>;
}

export async function assemble(input: EngineInput, opts: AssembleOptions = {}): Promise<Assembled> {
  const live = input.live && input.config.mode === 'live';
  // Dry-run (and replay) hold the clock per event; live keeps the base clock for its order timing.
  const eventClock = live ? undefined : new EventClock(input.clock);
  const clock = eventClock ?? input.clock;
  const engine = await createEngine({ ...input, clock });
  if (eventClock) engine.tapMarketData(eventClock.tap());
  const portfolio = attachPortfolio(engine, { live: Boolean(engine.liveTrading), ...(opts.accounts ? { accounts: opts.accounts } : {}) });
  const quoting = attachQuoting(engine);
  // Quotes are cancelled (and what filled hedged) before anything else stops: callers stop the portfolio first.
  const stopPortfolio = portfolio.stop.bind(portfolio);
  portfolio.stop = async () => {
    await quoting.stop();
    await stopPortfolio();
  };
  return { engine, portfolio, clock, quoting };
}
