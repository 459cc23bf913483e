/**
 * Loopback simulators for Paradex, Vest and Lighter, driven by one synthetic market.
 *
 *   const sims = await startVenueSimulators({ seed: 7 });
 *   // point connectors at sims.paradex.wsUrl, sims.vest.restUrl, ...
 *   sims.faults.skipSequence('paradex', 'BTC-USD-PERP');
 *   sims.model.dislocate('vest', 'BTC', 0.003, 2000);
 *   await sims.stop();
 *
 * With `updateIntervalMs: 0` nothing moves on its own and tests call `step()`: output is then
 * a pure function of the seed and the calls made.
 */
import { systemClock, type Clock } from '../engine/core/clock.ts';
import { Faults } from './faults.ts';
import { resolveInstruments, venueInstrument, VENUE_NAMES, type InstrumentSeed, type VenueName } from './instruments.ts';
import { LighterSimulator } from './lighter/server.ts';
import { MarketModel } from './market-model.ts';
import { ParadexSimulator } from './paradex/server.ts';
import { VenueMarket } from './venue-market.ts';
import type { VenueServerOptions, VenueSimulator } from './venue-simulator.ts';
import { VestSimulator } from './vest/server.ts';
import { FundingSchedule } from './matching/funding-schedule.ts';
import type { MatchingEngine as Engine } from './matching/engine.ts';
import type { ParadexPrivate } from './paradex/private.ts';
import type { ParadexPublicEncoding } from './paradex/sbe/sessions.ts';
import type { VestPrivate } from './vest/private.ts';
import type { LighterPrivate } from './lighter/private.ts';
import { FUNDING_PERIOD_HOURS as PARADEX_FUNDING_HOURS } from './paradex/wire.ts';
import { FUNDING_PERIOD_HOURS as VEST_FUNDING_HOURS } from './vest/wire.ts';
import { FUNDING_PERIOD_HOURS as LIGHTER_FUNDING_HOURS } from './lighter/wire.ts';

export type { VenueName, InstrumentSeed } from './instruments.ts';
export type { Dislocation } from './market-model.ts';
export type { ParadexPublicEncoding } from './paradex/sbe/sessions.ts';
export { MarketModel } from './market-model.ts';
export { Faults } from './faults.ts';
export { VenueMarket } from './venue-market.ts';
export { MatchingEngine } from './matching/engine.ts';
export { OrderFaults } from './matching/order-faults.ts';
export { FundingSchedule } from './matching/funding-schedule.ts';

/** The private side of each venue, for tests: accounts, engine, faults, funding. */
export interface TradingControls {
  readonly paradex: ParadexPrivate & { readonly funding: FundingSchedule };
  readonly vest: VestPrivate & { readonly funding: FundingSchedule };
  readonly lighter: LighterPrivate & { readonly funding: FundingSchedule };
}

export interface VenueSimulatorOptions {
  /** Seed of every random stream. Default 1. */
  readonly seed?: number;
  /** Instruments by base ("BTC") or full seeds. Default BTC, ETH, SOL. */
  readonly instruments?: ReadonlyArray<string | InstrumentSeed>;
  /** Ms between market steps; 0 = only when `step()` is called. Default 100. */
  readonly updateIntervalMs?: number;
  /** Ms added before each WebSocket push, per venue. Default 0. */
  readonly latencyMs?: Partial<Record<VenueName, number>>;
  /** Chance per step and instrument of a random dislocation. Default 0.002. */
  readonly dislocationProbability?: number;
  /** Bound of each venue's quote noise around fair, ppm. Default 100 (1 bp). */
  readonly venueNoisePpm?: number;
  /** Server keepalive pings, ms (0 = off). Defaults: Paradex 55 000 (protocol ping), Lighter 60 000, Vest off. */
  readonly pingIntervalMs?: Partial<Record<VenueName, number>>;
  /** Default 127.0.0.1: the simulators never listen beyond loopback unless told. */
  readonly host?: string;
  /** Default 0 (ephemeral) for every venue. */
  readonly ports?: Partial<Record<VenueName, number>>;
  /** Vest account group the URLs carry. Default 0. */
  readonly vestAccountGroup?: number;
  /** Clock for timestamps and dislocation expiry. Default the system clock. */
  readonly clock?: Clock;
  /**
   * What Paradex's public channels speak. 'sbe' is the venue since 21 September 2026 (binary
   * frames negotiated with ?sbeSchemaId=1&sbeSchemaVersion=1, HTTP 400 otherwise for a bad
   * schema); 'json' is the pre-SBE feed. Default 'json' until the connector decodes SBE.
   */
  readonly paradexPublicEncoding?: ParadexPublicEncoding;
  /** Paradex SBE idle-heartbeat tick, ms (0 = off). Default 20 000 (the schema's period). */
  readonly paradexSbeHeartbeatMs?: number;
}

export interface VenueEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
}

export interface VenueSimulators {
  readonly paradex: VenueEndpoints;
  readonly vest: VenueEndpoints & { readonly accountGroup: number };
  readonly lighter: VenueEndpoints;
  readonly model: MarketModel;
  readonly faults: Faults;
  /** Private side: accounts, matching engines, order faults, funding (see simulators/README.md). */
  readonly trading: TradingControls;
  /** One venue's book for one instrument (the private side's matching engine hooks in here). */
  market(venue: VenueName, base: string): VenueMarket;
  /** Advance the market one step and publish every venue's changes. */
  step(): void;
  stop(): Promise<void>;
}

const DEFAULT_PINGS: Record<VenueName, number> = { paradex: 55_000, lighter: 60_000, vest: 0 };

export async function startVenueSimulators(options: VenueSimulatorOptions = {}): Promise<VenueSimulators> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const seeds = resolveInstruments(options.instruments);
  const model = new MarketModel({
    seed,
    instruments: seeds,
    venues: VENUE_NAMES,
    clock,
    venueNoisePpm: options.venueNoisePpm,
    dislocationProbability: options.dislocationProbability,
  });

  const markets = new Map<string, VenueMarket>();
  const byVenue = (venue: VenueName): VenueMarket[] =>
    seeds.map((s, index) => {
      const market = new VenueMarket(venueInstrument(venue, s, index), seed);
      market.requote(model.venueMidUnits(venue, s.base)); // a full book before anyone connects
      markets.set(`${venue}/${s.base}`, market);
      return market;
    });
  const serverOptions = (venue: VenueName): VenueServerOptions => ({
    host: options.host ?? '127.0.0.1',
    port: options.ports?.[venue] ?? 0,
    latencyMs: options.latencyMs?.[venue] ?? 0,
    markets: byVenue(venue),
    model,
    clock,
    seed,
    pingIntervalMs: options.pingIntervalMs?.[venue] ?? DEFAULT_PINGS[venue],
  });

  const paradex = new ParadexSimulator({
    ...serverOptions('paradex'),
    publicEncoding: options.paradexPublicEncoding,
    sbeHeartbeatMs: options.paradexSbeHeartbeatMs,
  });
  const vest = new VestSimulator({ ...serverOptions('vest'), accountGroup: options.vestAccountGroup ?? 0 });
  const lighter = new LighterSimulator(serverOptions('lighter'));
  const simulators: Record<VenueName, VenueSimulator> = { paradex, vest, lighter };

  const started: VenueSimulator[] = [];
  try {
    for (const sim of Object.values(simulators)) {
      await sim.start();
      started.push(sim);
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }

  const withFunding = <T extends { engine: Engine }>(t: T, periodHours: number) =>
    Object.assign(t, { funding: new FundingSchedule({ engine: t.engine, model, periodHours }) });
  const trading: TradingControls = {
    paradex: withFunding(paradex.trading, PARADEX_FUNDING_HOURS),
    vest: withFunding(vest.trading, VEST_FUNDING_HOURS),
    lighter: withFunding(lighter.trading, LIGHTER_FUNDING_HOURS),
  };

  const step = (): void => {
    model.step();
    for (const venue of VENUE_NAMES) {
      for (const s of seeds) markets.get(`${venue}/${s.base}`)?.requote(model.venueMidUnits(venue, s.base));
    }
    for (const sim of Object.values(simulators)) sim.afterStep();
  };

  const interval = options.updateIntervalMs ?? 100;
  const timer = interval > 0 ? setInterval(step, interval) : undefined;
  let stopped: Promise<void> | undefined;

  return {
    paradex: { restUrl: paradex.restUrl, wsUrl: paradex.wsUrl },
    vest: { restUrl: vest.restUrl, wsUrl: vest.wsUrl, accountGroup: vest.accountGroup },
    lighter: { restUrl: lighter.restUrl, wsUrl: lighter.wsUrl },
    model,
    faults: new Faults(simulators),
    trading,
    market(venue, base) {
      const m = markets.get(`${venue}/${base}`);
      if (!m) throw new Error(`simulators: no ${venue} market for ${base}`);
      return m;
    },
    step,
    stop() {
      if (timer) clearInterval(timer);
      for (const t of Object.values(trading)) t.funding.stop();
      stopped ??= Promise.all(Object.values(simulators).map((s) => s.close())).then(() => undefined);
      return stopped;
    },
  };
}
