/**
 * The shared synthetic market behind all three venue simulators.
 *
 * Per instrument one fair price follows a seeded random walk. Each venue quotes around it
 * with its own small mean-reverting noise, and now and then one venue dislocates by
 * 0.1-0.5% for a few seconds: the price gap an arbitrage engine is meant to find. Tests
 * force a dislocation with `dislocate()` to get one of a known size at a known time.
 *
 * Prices are integers at 1e-8 USD ("fair units") so nothing here rounds through a float;
 * each venue converts to its own tick grid when it builds its book.
 */
import type { Clock } from '../engine/core/clock.ts';
import { fromUnits, toUnits } from '../engine/market/units.ts';
import { Prng } from './prng.ts';
import type { InstrumentSeed, VenueName } from './instruments.ts';

export const FAIR_DECIMALS = 8;
const PPM = 1_000_000n;

export interface MarketModelOptions {
  readonly seed: number;
  readonly instruments: readonly InstrumentSeed[];
  readonly venues: readonly VenueName[];
  readonly clock: Clock;
  /** Bound of each venue's own quote noise around fair, ppm. Default 100 (1 bp). */
  readonly venueNoisePpm?: number;
  /** Chance per step and instrument that a random dislocation starts. Default 0.002. */
  readonly dislocationProbability?: number;
  /** Size range of random dislocations, as fractions. Default 0.001-0.005. */
  readonly dislocationFraction?: readonly [string, string];
  /** Duration range of random dislocations, ms. Default 2000-5000. */
  readonly dislocationMs?: readonly [number, number];
}

export interface Dislocation {
  readonly venue: VenueName;
  readonly base: string;
  /** Signed offset from fair in ppm: 3000 = the venue quotes 0.3% rich. */
  readonly ppm: number;
  /** Clock time (ms) at which the venue returns to fair. */
  readonly untilMs: number;
}

/** units * ppm / 1e6, truncated toward zero, exact. */
export function applyPpm(units: number, ppm: number): number {
  return Number((BigInt(units) * BigInt(ppm)) / PPM);
}

/** "0.003" or 0.003 -> 3000 ppm, exactly (a fraction finer than 1 ppm is refused). */
export function fractionToPpm(fraction: number | string): number {
  const text = typeof fraction === 'number' ? String(fraction) : fraction;
  return toUnits(text, 6);
}

/**
 * Steps the funding premium is averaged over (an exponential average): at the demo's 100 ms
 * steps about a minute. Venues publish a rate from the premium averaged over the funding
 * period (Paradex 8 h, hourly on Vest and Lighter: shared/venue-facts.md), so the rate drifts
 * slowly; the previous model fed the last step's quote noise straight into funding, which flipped
 * sign within seconds and made every funding-arb pair exit as soon as it opened.
 */
const FUNDING_AVERAGE_STEPS = 600;

export class MarketModel {
  private readonly rng: Prng;
  private readonly seeds: Map<string, InstrumentSeed>;
  private readonly fair = new Map<string, number>();
  private readonly noise = new Map<string, number>();
  private readonly dislocations = new Map<string, Dislocation>();
  private readonly fundingPremium = new Map<string, number>();
  /** Each venue's persistent funding premium (ppm): venues' funding differs for hours, not seconds. */
  private readonly fundingBias = new Map<string, number>();
  /** The venue's quote noise averaged over many steps (ppm), as a venue averages its premium. */
  private readonly fundingAverage = new Map<string, number>();
  private readonly noisePpm: number;
  private readonly dislocationProbability: number;
  private readonly dislocationPpm: readonly [number, number];
  private readonly dislocationMs: readonly [number, number];
  private steps = 0;

  constructor(private readonly options: MarketModelOptions) {
    this.rng = Prng.derive(options.seed, 'model');
    this.seeds = new Map(options.instruments.map((s) => [s.base, s]));
    this.noisePpm = options.venueNoisePpm ?? 100;
    this.dislocationProbability = options.dislocationProbability ?? 0.002;
    const [lo, hi] = options.dislocationFraction ?? ['0.001', '0.005'];
    this.dislocationPpm = [fractionToPpm(lo), fractionToPpm(hi)];
    this.dislocationMs = options.dislocationMs ?? [2000, 5000];
    for (const seed of options.instruments) {
      this.fair.set(seed.base, toUnits(seed.startPrice, FAIR_DECIMALS));
      for (const venue of options.venues) this.noise.set(key(venue, seed.base), 0);
    }
    // A stream of its own, so the quotes' stream (and every seeded test built on it) is unchanged.
    const fundingRng = Prng.derive(options.seed, 'funding');
    for (const seed of options.instruments) {
      for (const venue of options.venues) this.fundingBias.set(key(venue, seed.base), this.noisePpm > 0 ? fundingRng.int(-this.noisePpm, this.noisePpm) : 0);
    }
  }

  get instruments(): string[] {
    return [...this.seeds.keys()];
  }

  get venues(): readonly VenueName[] {
    return this.options.venues;
  }

  /** How many steps the model has taken since it started. */
  get stepCount(): number {
    return this.steps;
  }

  /** Fair price in 1e-8 units. */
  fairUnits(base: string): number {
    const value = this.fair.get(base);
    if (value === undefined) throw new Error(`market model: unknown instrument "${base}"`);
    return value;
  }

  /** Fair price as a decimal string ("65012.3456"). */
  fairPrice(base: string): string {
    return fromUnits(this.fairUnits(base), FAIR_DECIMALS);
  }

  /** The active dislocation of one venue's quotes, if any. */
  dislocation(venue: VenueName, base: string): Dislocation | undefined {
    const active = this.dislocations.get(key(venue, base));
    if (active && active.untilMs <= this.options.clock.now()) {
      this.dislocations.delete(key(venue, base));
      return undefined;
    }
    return active;
  }

  /** Offset of a venue's quotes from fair, ppm: its noise plus any dislocation. */
  venueOffsetPpm(venue: VenueName, base: string): number {
    this.fairUnits(base);
    return (this.noise.get(key(venue, base)) ?? 0) + (this.dislocation(venue, base)?.ppm ?? 0);
  }

  /**
   * The premium a venue's funding is computed from, ppm: a test's scripted value
   * (`setFundingPremium`) if any, else the venue's persistent bias plus its quote noise averaged
   * over FUNDING_AVERAGE_STEPS. Dislocations
   * are left out: venues average the premium over the funding period (Paradex 8 h, hourly
   * elsewhere), so a dislocation lasting seconds barely moves the published rate.
   */
  fundingPremiumPpm(venue: VenueName, base: string): number {
    this.fairUnits(base);
    const k = key(venue, base);
    const scripted = this.fundingPremium.get(k);
    if (scripted !== undefined) return scripted;
    return Math.trunc((this.fundingBias.get(k) ?? 0) + (this.fundingAverage.get(k) ?? 0));
  }

  /**
   * Script a venue's funding independently of its quotes (a funding path without a price
   * dislocation). `undefined` returns it to following the quotes.
   */
  setFundingPremium(venue: VenueName, base: string, ppm: number | undefined): void {
    this.fairUnits(base);
    if (ppm === undefined) this.fundingPremium.delete(key(venue, base));
    else this.fundingPremium.set(key(venue, base), Math.trunc(ppm));
  }

  /** The price a venue quotes around, in 1e-8 units. */
  venueMidUnits(venue: VenueName, base: string): number {
    const fair = this.fairUnits(base);
    return fair + applyPpm(fair, this.venueOffsetPpm(venue, base));
  }

  /**
   * Make one venue quote `fraction` away from fair (0.003 = 0.3% rich, -0.003 cheap) for
   * `ms` of clock time, replacing any dislocation it had. Deterministic: no randomness.
   */
  dislocate(venue: VenueName, base: string, fraction: number | string, ms: number): Dislocation {
    this.fairUnits(base);
    if (!this.options.venues.includes(venue)) throw new Error(`market model: unknown venue "${venue}"`);
    const d: Dislocation = { venue, base, ppm: fractionToPpm(fraction), untilMs: this.options.clock.now() + ms };
    this.dislocations.set(key(venue, base), d);
    return d;
  }

  /** End a venue's dislocation now. */
  clearDislocation(venue: VenueName, base: string): void {
    this.dislocations.delete(key(venue, base));
  }

  /** Advance the market by one step: fair walk, venue noise, random dislocations. */
  step(): void {
    this.steps++;
    for (const [base, seed] of this.seeds) {
      const fair = this.fairUnits(base);
      const next = fair + applyPpm(fair, this.rng.bell(seed.volatilityPpm));
      this.fair.set(base, Math.max(1, next));
      for (const venue of this.options.venues) {
        const k = key(venue, base);
        const previous = this.noise.get(k) ?? 0;
        const kick = this.noisePpm > 0 ? this.rng.int(-Math.ceil(this.noisePpm / 2), Math.ceil(this.noisePpm / 2)) : 0;
        // Mean-reverting so a venue's noise never drifts into a fake dislocation.
        const bounded = Math.max(-this.noisePpm, Math.min(this.noisePpm, Math.trunc((previous * 8) / 10) + kick));
        this.noise.set(k, bounded);
        // The published rate follows the premium averaged over the period, not its last tick.
        const avg = this.fundingAverage.get(k) ?? 0;
        this.fundingAverage.set(k, avg + (bounded - avg) / FUNDING_AVERAGE_STEPS);
      }
      this.maybeDislocate(base);
    }
  }

  private maybeDislocate(base: string): void {
    // Draw every number every step so the stream never depends on which branch ran.
    const starts = this.rng.chance(this.dislocationProbability);
    const venue = this.options.venues[this.rng.int(0, this.options.venues.length - 1)];
    const size = this.rng.int(this.dislocationPpm[0], this.dislocationPpm[1]);
    const sign = this.rng.int(0, 1) === 0 ? -1 : 1;
    const ms = this.rng.int(this.dislocationMs[0], this.dislocationMs[1]);
    if (!starts || venue === undefined || this.dislocation(venue, base)) return;
    this.dislocations.set(key(venue, base), { venue, base, ppm: sign * size, untilMs: this.options.clock.now() + ms });
  }
}

function key(venue: VenueName, base: string): string {
  return `${venue}/${base}`;
}
