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
import { realizedPnl, spreadOf, ZERO, type PairMode, type PairPosition } from './pair-position.ts';

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

  close(id: string, c: ClosePairInput): PairPosition {
    const current = this.unclosedPair(id, 'close');
    const pnl = realizedPnl(current, c.longExit, c.shortExit, c.exitFees);
    const spread = spreadOf(c.longExit, c.shortExit);
    const next: PairPosition = {
      ...current,
      state: 'closed',
      exitFees: c.exitFees,
      long: { ...current.long, exitPrice: c.longExit },
      short: { ...current.short, exitPrice: c.shortExit },
      exit: { reason: c.reason, detail: c.detail, spread, at: c.at, realizedPnl: pnl },
    };
    this.journal.changed(next, 'closed', c.at, {
      reason: c.reason,
      detail: c.detail,
      longExit: c.longExit.toString(),
      shortExit: c.shortExit.toString(),
      exitSpread: spread.toString(),
      exitFees: c.exitFees.toString(),
      funding: next.funding.toString(),
      realizedPnl: pnl.toString(),
      holdingMs: c.at - current.openedAt,
    });
    this.pairs.delete(id);
    for (const l of this.closeListeners) l(next);
    return next;
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
