/**
 * Fault injection: the shape every venue simulator implements, and the switchboard tests
 * and the demo call. Faults imitate what real venues do to a connector: drop sockets, lose a
 * message (a sequence gap), send junk, go silent.
 */
import type { VenueName } from './instruments.ts';

/** What one venue simulator can be made to do wrong. */
export interface FaultTarget {
  /** Close every client socket abruptly (no close frame). */
  dropSockets(): void;
  /**
   * Lose the next book message of one market (venue symbol or Lighter id): the book moves
   * but clients never hear of it, so they see a sequence gap.
   */
  skipSequence(market: string | number): void;
  /** Push to every client one non-JSON frame and one JSON frame with a wrong-typed field. */
  sendGarbage(): void;
  /** Send nothing at all (pushes, replies, pongs, REST answers) for `ms`; then catch up. */
  stall(ms: number): void;
}

export class Faults {
  constructor(private readonly targets: Readonly<Record<VenueName, FaultTarget>>) {}

  dropSockets(venue: VenueName): void {
    this.target(venue).dropSockets();
  }

  skipSequence(venue: VenueName, market: string | number): void {
    this.target(venue).skipSequence(market);
  }

  sendGarbage(venue: VenueName): void {
    this.target(venue).sendGarbage();
  }

  stall(venue: VenueName, ms: number): void {
    if (!(ms > 0)) throw new RangeError(`stall(${venue}): ms must be positive, got ${ms}`);
    this.target(venue).stall(ms);
  }

  private target(venue: VenueName): FaultTarget {
    const t = this.targets[venue];
    if (!t) throw new Error(`faults: unknown venue "${venue}"`);
    return t;
  }
}
