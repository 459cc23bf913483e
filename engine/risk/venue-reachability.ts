/**
 * Which venues the engine reached at start. A venue unreachable at start (its markets request
 * failed) does not stop the others: it is retried in the background with a growing delay, shown
 * as down (console, metrics), and no live trade needing it is sent until it has joined and been
 * reconciled with the journal.
 */
import type { VenueId } from '../market/types.ts';

export interface VenueDown {
  venue: VenueId;
  error: string;
  /** Failed connection attempts so far. */
  attempts: number;
  /** When the next attempt runs (engine clock, ms). */
  nextRetryAt: number;
}

export interface RetryDelay {
  minMs: number;
  maxMs: number;
}

/** Exponential from minMs, capped at maxMs (no jitter: one engine, a handful of venues). */
export function retryDelayMs(attempt: number, d: RetryDelay): number {
  return Math.min(d.maxMs, d.minMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}

export type ReachabilityListener = (venue: VenueId, up: boolean) => void;

export class VenueReachability {
  private readonly downs = new Map<VenueId, VenueDown>();
  private readonly ups = new Set<VenueId>();
  private readonly listeners: ReachabilityListener[] = [];

  onChange(l: ReachabilityListener): void {
    this.listeners.push(l);
  }

  markUp(venue: VenueId): void {
    this.downs.delete(venue);
    this.ups.add(venue);
    for (const l of this.listeners) l(venue, true);
  }

  markDown(venue: VenueId, error: string, nextRetryAt: number): VenueDown {
    const d = { venue, error, attempts: (this.downs.get(venue)?.attempts ?? 0) + 1, nextRetryAt };
    this.downs.set(venue, d);
    this.ups.delete(venue);
    for (const l of this.listeners) l(venue, false);
    return d;
  }

  isUp(venue: VenueId): boolean {
    return this.ups.has(venue);
  }

  /** Why the venue is down, if it is. */
  downReason(venue: VenueId): string | undefined {
    const d = this.downs.get(venue);
    return d ? `${venue} unreachable since start (${d.attempts} attempts, last: ${d.error})` : undefined;
  }

  down(): VenueDown[] {
    return [...this.downs.values()];
  }

  up(): VenueId[] {
    return [...this.ups];
  }
}
