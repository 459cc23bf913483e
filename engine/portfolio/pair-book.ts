/**
 * The open pairs. Every change is computed on a copy, journaled, and only then applied, so
 * the journal is never behind memory: a crash between the two leaves the journal ahead,
 * which a restart (a new PairBook over the same journal) picks up.
 */
import { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';
import type { ExitPolicy, ExitReason } from './exit-policy.ts';
import type { FundingPayment } from './funding-accrual.ts';
import type { PairJournal } from './pair-journal.ts';
import { NO_EXITS, openSize, realizedFromExits, spreadOf, ZERO, type PairExits, type PairMode, type PairPosition } from './pair-position.ts';

export interface OpenPairInput {
  id: string;
  strategy: string;
  intentId?: string;
  instrument: string;
  mode: PairMode;
  size: Decimal;
  long: { venue: VenueId; symbol: string; price: Decimal };
  short: { venue: VenueId; symbol: string; price: Decimal };
  entryFees: Decimal;
  expectedPnl: Decimal;
  policy: ExitPolicy;
  at: number;
}

export interface ClosePairInput {
  longExit: Decimal;
  shortExit: Decimal;
  exitFees: Decimal;
  reason: ExitReason;
  detail: string;
  at: number;
}

/** One round of closing orders, from their verified fills. */
export interface PairExitRound {
  /** Base size closed on both legs this round (may be zero). */
  size: Decimal;
  longProceeds: Decimal;
  shortCost: Decimal;
  fees: Decimal;
  reason: ExitReason;
  detail: string;
  at: number;
}

export type PairListener = (pair: PairPosition) => void;

export class PairNotOpenError extends Error {
  constructor(id: string, what: string) {
    super(`pair ${id}: ${what}`);
    this.name = 'PairNotOpenError';
  }
}

export class PairBook {
  private readonly pairs = new Map<string, PairPosition>();
  private readonly closeListeners: PairListener[] = [];

  /** Loads every pair the journal holds as not closed: a restart resumes them. */
  constructor(readonly journal: PairJournal) {
    for (const p of journal.unclosed()) this.pairs.set(p.id, p);
  }

  onClose(listener: PairListener): void {
    this.closeListeners.push(listener);
  }

  /** Pairs not yet closed (open or closing). */
  unclosed(): PairPosition[] {
    return [...this.pairs.values()];
  }

  get(id: string): PairPosition | undefined {
    return this.pairs.get(id);
  }

  /** A pair already holds this instrument long on `longVenue` and short on `shortVenue`. */
  holds(instrument: string, longVenue?: VenueId, shortVenue?: VenueId): boolean {
    for (const p of this.pairs.values()) {
      if (p.instrument !== instrument) continue;
      if (longVenue !== undefined && p.long.venue !== longVenue) continue;
      if (shortVenue !== undefined && p.short.venue !== shortVenue) continue;
      return true;
    }
    return false;
  }

  /**
   * An unclosed live pair whose leg on this venue market is on the other side of `side` (a buy
   * against a held short, a sell against a held long): the venue nets the two into one position.
   */
  opposingPair(venue: VenueId, symbol: string, side: 'buy' | 'sell'): string | undefined {
    for (const p of this.pairs.values()) {
      if (p.mode !== 'live') continue;
      if (side === 'buy' && p.short.venue === venue && p.short.symbol === symbol) return p.id;
      if (side === 'sell' && p.long.venue === venue && p.long.symbol === symbol) return p.id;
    }
    return undefined;
  }

  open(input: OpenPairInput): PairPosition {
    if (this.pairs.has(input.id)) throw new Error(`pair ${input.id} is already open`);
    if (input.size.lte(0)) throw new Error(`pair ${input.id}: size must be positive, got ${input.size}`);
    const pair: PairPosition = {
      id: input.id,
      strategy: input.strategy,
      instrument: input.instrument,
      mode: input.mode,
      size: input.size,
      long: { venue: input.long.venue, symbol: input.long.symbol, entryPrice: input.long.price, fundingAccruedTo: input.at },
      short: { venue: input.short.venue, symbol: input.short.symbol, entryPrice: input.short.price, fundingAccruedTo: input.at },
      entrySpread: spreadOf(input.long.price, input.short.price),
      entryFees: input.entryFees,
      exitFees: ZERO,
      funding: ZERO,
      expectedPnl: input.expectedPnl,
      policy: input.policy,
      openedAt: input.at,
      state: 'open',
    };
    if (input.intentId !== undefined) pair.intentId = input.intentId;
    this.journal.opened(pair, input.at, {
      size: pair.size.toString(),
      longPrice: pair.long.entryPrice.toString(),
      shortPrice: pair.short.entryPrice.toString(),
      entrySpread: pair.entrySpread.toString(),
      entryFees: pair.entryFees.toString(),
      expectedPnl: pair.expectedPnl.toString(),
    });
    this.pairs.set(pair.id, pair);
    return pair;
  }

  /** Add funding payments to a pair and move each leg's accrued-to mark. */
  applyFunding(id: string, payments: FundingPayment[], accruedTo: { long: number; short: number }, at: number): PairPosition {
    const current = this.unclosedPair(id, 'apply funding');
    const total = payments.reduce((sum, p) => sum.plus(p.amount), ZERO);
    const next: PairPosition = {
      ...current,
      funding: current.funding.plus(total),
      long: { ...current.long, fundingAccruedTo: accruedTo.long },
      short: { ...current.short, fundingAccruedTo: accruedTo.short },
    };
    this.journal.changed(next, 'funding', at, {
      total: total.toString(),
      funding: next.funding.toString(),
      payments: payments.map((p) => ({
        leg: p.leg,
        venue: p.venue,
        symbol: p.symbol,
        rate: p.rate.toString(),
        intervalHours: p.intervalHours,
        mark: p.mark.toString(),
        size: p.size.toString(),
        amount: p.amount.toString(),
        from: p.from,
        to: p.to,
      })),
    });
    this.pairs.set(id, next);
    return next;
  }

  /** Live: record the decision to close before the reduce-only orders go out. */
  markClosing(id: string, reason: ExitReason, detail: string, at: number): PairPosition {
    const current = this.unclosedPair(id, 'mark closing');
    const next: PairPosition = { ...current, state: 'closing' };
    this.journal.changed(next, 'closing', at, { reason, detail });
    this.pairs.set(id, next);
    return next;
  }

  /** Close the whole open size at these prices (the simulated close, or a one-round live close). */
  close(id: string, c: ClosePairInput): PairPosition {
    const current = this.unclosedPair(id, 'close');
    const size = openSize(current);
    return this.recordExit(id, {
      size,
      longProceeds: c.longExit.mul(size),
      shortCost: c.shortExit.mul(size),
      fees: c.exitFees,
      reason: c.reason,
      detail: c.detail,
      at: c.at,
    });
  }

  /**
   * What one round of closing orders did. The pair closes once the exits add up to its size;
   * short of that it returns to 'open' with the smaller size, and the exit policy closes the rest.
   * A round that closed nothing (size 0) may still have cost fees and a round trip: they are
   * kept, so the realized PnL at the end includes every closing attempt.
   */
  recordExit(id: string, x: PairExitRound): PairPosition {
    const current = this.unclosedPair(id, 'record an exit');
    const before = current.exits ?? NO_EXITS;
    const exits: PairExits = {
      size: before.size.plus(x.size),
      longProceeds: before.longProceeds.plus(x.longProceeds),
      shortCost: before.shortCost.plus(x.shortCost),
      fees: before.fees.plus(x.fees),
    };
    if (x.size.lt(0) || exits.size.gt(current.size)) throw new Error(`pair ${id}: exit of ${x.size} does not fit the open ${openSize(current)}`);
    const round = {
      reason: x.reason,
      detail: x.detail,
      size: x.size.toString(),
      longProceeds: x.longProceeds.toString(),
      shortCost: x.shortCost.toString(),
      fees: x.fees.toString(),
    };
    if (!exits.size.eq(current.size)) {
      const next: PairPosition = { ...current, state: 'open', exits, exitFees: exits.fees };
      this.journal.changed(next, x.size.isZero() ? 'close-failed' : 'partial-exit', x.at, { ...round, remaining: openSize(next).toString() });
      this.pairs.set(id, next);
      return next;
    }
    const pnl = realizedFromExits(current, exits);
    const longExit = exits.longProceeds.div(current.size);
    const shortExit = exits.shortCost.div(current.size);
    const spread = spreadOf(longExit, shortExit);
    const next: PairPosition = {
      ...current,
      state: 'closed',
      exits,
      exitFees: exits.fees,
      long: { ...current.long, exitPrice: longExit },
      short: { ...current.short, exitPrice: shortExit },
      exit: { reason: x.reason, detail: x.detail, spread, at: x.at, realizedPnl: pnl },
    };
    this.journal.changed(next, 'closed', x.at, {
      ...round,
      longExit: longExit.toString(),
      shortExit: shortExit.toString(),
      exitSpread: spread.toString(),
      exitFees: exits.fees.toString(),
      funding: next.funding.toString(),
      realizedPnl: pnl.toString(),
      holdingMs: x.at - current.openedAt,
    });
    this.pairs.delete(id);
    for (const l of this.closeListeners) l(next);
    return next;
  }

  /**
   * Live: the close could not be sent as planned (the venues' positions leave it no room, or the
   * venues refused it in a way a retry cannot change). The pair stays open; the event is for the
   * operator reading the journal.
   */
  recordCloseBlocked(id: string, detail: Record<string, unknown>, at: number): void {
    const current = this.unclosedPair(id, 'record a blocked close');
    this.journal.changed(current, 'close-blocked', at, detail);
  }

  /** Reconciliation found the pair gone on the venues: close it in the journal with what is known. */
  recordReconciled(id: string, note: string, at: number): void {
    const current = this.unclosedPair(id, 'reconcile');
    this.journal.changed(current, 'reconciled', at, { note });
  }

  private unclosedPair(id: string, what: string): PairPosition {
    const p = this.pairs.get(id);
    if (!p) throw new PairNotOpenError(id, `cannot ${what}: not an open pair`);
    return p;
  }
}
