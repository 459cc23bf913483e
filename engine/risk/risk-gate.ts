/**
 * The risk gate: yes or no for each accepted judgment, before the executor sees it. Checks run
 * cheapest first; the first failure names its rule so the console and the log say why.
 */
import { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { Clock } from '../core/clock.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import type { IntentLeg } from '../strategy/strategy.ts';
import type { RiskConfig } from './config.ts';
import type { Exposure } from './exposure.ts';
import type { KillSwitch } from './kill-switch.ts';
import type { VenueHealth } from './venue-health.ts';

export type RiskRule =
  | 'kill-switch'
  | 'halted'
  | 'instrument-busy'
  | 'stale-intent'
  | 'venue-benched'
  | 'venue-down'
  | 'opposite-pair'
  | 'trade-notional'
  | 'venue-notional'
  | 'position-limit'
  | 'daily-loss'
  | 'margin';

/** A venue-margin check (engine/portfolio/margin.ts MarginGuard implements it). */
export interface MarginCheckSource {
  checkIntent(intent: Judgment['intent']): { allowed: boolean; refusals: string[] };
  /** An approved trade is about to send: count its legs until it ends. */
  reserve?(intent: Judgment['intent']): void;
  /** The trade ended: drop its reservation, count what really filled until the next account read. */
  settle?(intentId: string, fills: Fill[], at: number): void;
}

/**
 * Which live pair, if any, holds the other side of a venue market (engine/portfolio's PairBook).
 * A venue nets every pair on a market into one position; a pair opened against another's leg
 * would leave one of their reduce-only closes no room (the venue refuses it), so it is refused.
 */
export interface PairSideSource {
  /** Id of an unclosed pair whose leg on this venue market is on the other side of `side`. */
  opposingPair(venue: string, symbol: string, side: 'buy' | 'sell'): string | undefined;
}

/**
 * Orders that may still fill without another decision of the gate: a maker-taker desk's resting
 * quotes (and the hedges their fills will send). The gate counts each at its full size, as if
 * filled, so N resting quotes cannot together pass a limit each alone is under.
 */
export interface PendingLeg {
  venue: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: Decimal;
  /** The price its notional counts at (a quote's limit, a hedge's walked worst). */
  price: Decimal;
}

export interface PendingExposureSource {
  pendingLegs(): Iterable<PendingLeg>;
}

export type RiskVerdict = { ok: true } | { ok: false; rule: RiskRule; reason: string };

export interface RiskGateDeps {
  config: RiskConfig;
  clock: Clock;
  exposure: Exposure;
  killSwitch: KillSwitch;
  health: VenueHealth;
  /** True while a trade or a quarantine holds the instrument. */
  instrumentBusy(instrument: string): boolean;
  /** Why a venue may not trade (unreachable, or joined and not yet reconciled), if so. */
  venueDown?(venue: string): string | undefined;
}

export class RiskGate {
  private haltReason: string | undefined;
  private margin: MarginCheckSource | undefined;
  private pairSides: PairSideSource | undefined;
  private readonly pending: PendingExposureSource[] = [];
  readonly denied = new Map<RiskRule, number>();

  constructor(private readonly deps: RiskGateDeps) {}

  /** Refuse trades that would push a venue past its margin limit (set once the portfolio is attached). */
  useMargin(source: MarginCheckSource): void {
    this.margin = source;
  }

  /** Refuse trades whose leg is opposite to a held pair's leg on the same venue market (set by the portfolio). */
  usePairSides(source: PairSideSource): void {
    this.pairSides = source;
  }

  /** Count these orders (resting quotes, their hedges) in the notional and position limits (set by each quote desk). */
  usePendingExposure(source: PendingExposureSource): void {
    this.pending.push(source);
  }

  /** The caller is sending this approved trade (LiveTrading.execute). */
  approved(intent: Judgment['intent']): void {
    this.margin?.reserve?.(intent);
  }

  /** A trade ended with these fills. */
  tradeEnded(intentId: string, fills: Fill[], at: number): void {
    this.margin?.settle?.(intentId, fills, at);
  }

  /** Stop all trading until lifted (e.g. journal and venues disagree at start). */
  halt(reason: string): void {
    this.haltReason = reason;
  }

  resume(): void {
    this.haltReason = undefined;
  }

  get halted(): string | undefined {
    return this.haltReason;
  }

  check(j: Judgment): RiskVerdict {
    return this.checkIntent(j.intent);
  }

  /**
   * The same rules for a two-leg intent that is not a judged trade: a maker-taker quote with its
   * hedge (engine/quoting), counted at its full size before it is placed.
   */
  checkIntent(intent: Judgment['intent']): RiskVerdict {
    const v = this.evaluate(intent);
    if (!v.ok) this.denied.set(v.rule, (this.denied.get(v.rule) ?? 0) + 1);
    return v;
  }

  private pendingTotals(): ReturnType<typeof sumPending> {
    return sumPending(this.pending);
  }

  private evaluate(intent: Judgment['intent']): RiskVerdict {
    const { config, clock, exposure, killSwitch, health } = this.deps;
    const now = clock.now();
    const kill = killSwitch.check();
    if (kill) return deny('kill-switch', kill);
    if (this.haltReason) return deny('halted', this.haltReason);
    if (this.deps.instrumentBusy(intent.instrument)) return deny('instrument-busy', `${intent.instrument} has a trade in flight or an unreconciled order`);
    const age = now - intent.detectedAt;
    if (age > config.maxIntentAgeMs) return deny('stale-intent', `detected ${age} ms ago (limit ${config.maxIntentAgeMs} ms)`);

    for (const leg of [intent.buy, intent.sell]) {
      const down = this.deps.venueDown?.(leg.venue);
      if (down) return deny('venue-down', down);
    }
    for (const leg of [intent.buy, intent.sell]) health.recordBookAge(leg.venue, now - leg.bookReceivedAt);
    for (const leg of [intent.buy, intent.sell]) {
      const why = health.benchedFor(leg.venue);
      if (why) return deny('venue-benched', `${leg.venue} is benched: ${why}`);
    }

    // One side per venue market: closing pairs against one net position stays reduce-only
    // (a close can never open a position), and each pair closes on its own signal and size.
    for (const leg of [intent.buy, intent.sell]) {
      const other = this.pairSides?.opposingPair(leg.venue, leg.symbol, leg.side);
      if (other) return deny('opposite-pair', `${leg.venue} ${leg.symbol}: pair ${other} holds the other side; a ${leg.side} here would net against it`);
    }

    const pending = this.pendingTotals();
    const maxTrade = new Decimal(config.maxNotionalPerTradeUsd);
    const maxVenue = new Decimal(config.maxNotionalPerVenueUsd);
    for (const leg of [intent.buy, intent.sell]) {
      const notional = legNotional(leg, intent.size);
      if (notional.gt(maxTrade)) return deny('trade-notional', `${leg.venue} leg notional ${notional.toFixed(2)} exceeds ${maxTrade.toString()} USD`);
      const open = exposure.venueNotional(leg.venue).plus(pending.notional.get(leg.venue) ?? 0).plus(notional);
      if (open.gt(maxVenue)) return deny('venue-notional', `${leg.venue} open notional would be ${open.toFixed(2)}, limit ${maxVenue.toString()} USD`);
      const limit = config.maxPositionPerInstrument[intent.instrument] ?? config.maxPositionPerInstrument['*'];
      if (limit !== undefined) {
        // Pending orders on the same side fill in the same direction: as if every one had filled.
        const current = exposure.position(leg.venue, leg.symbol).plus(pending.position.get(`${leg.venue}:${leg.symbol}:${leg.side}`) ?? 0);
        const after = leg.side === 'buy' ? current.plus(intent.size) : current.minus(intent.size);
        if (after.abs().gt(limit)) return deny('position-limit', `${leg.venue} ${leg.symbol} position would be ${after.toString()}, limit ${limit}`);
      }
    }

    const realized = exposure.realizedToday(now);
    const lossLimit = new Decimal(config.dailyLossLimitUsd);
    if (realized.neg().gte(lossLimit)) return deny('daily-loss', `realized ${realized.toFixed(2)} USD today, limit -${lossLimit.toString()} USD`);
    if (this.margin) {
      const m = this.margin.checkIntent(intent);
      if (!m.allowed) return deny('margin', m.refusals.join('; '));
    }
    return { ok: true };
  }
}

/** Pending legs summed: notional per venue, signed size per (venue, symbol, side). */
function sumPending(sources: readonly PendingExposureSource[]): { notional: Map<string, Decimal>; position: Map<string, Decimal> } {
  const notional = new Map<string, Decimal>();
  const position = new Map<string, Decimal>();
  for (const src of sources) {
    for (const l of src.pendingLegs()) {
      notional.set(l.venue, (notional.get(l.venue) ?? new Decimal(0)).plus(l.size.mul(l.price)));
      const k = `${l.venue}:${l.symbol}:${l.side}`;
      position.set(k, (position.get(k) ?? new Decimal(0)).plus(l.side === 'buy' ? l.size : l.size.neg()));
    }
  }
  return { notional, position };
}

/** The leg's notional at the worst price it may fill at: the limit that matters. */
function legNotional(leg: IntentLeg, size: Decimal): Decimal {
  return leg.worstPrice.mul(size);
}

function deny(rule: RiskRule, reason: string): RiskVerdict {
  return { ok: false, rule, reason };
}
