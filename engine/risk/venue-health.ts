/**
 * Venue health: a venue that rejects repeatedly, answers slowly, stops answering, or streams
 * stale books is benched for a cool-down rather than traded through. Counts are per sliding
 * window, so one bad moment in an hour does not bench anyone.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { VenueHealthSink } from '../execution/order-command.ts';
import type { VenueId } from '../market/types.ts';
import type { VenueHealthConfig } from './config.ts';

type Kind = 'reject' | 'slow' | 'timeout';

export class VenueHealth implements VenueHealthSink {
  private readonly events = new Map<string, number[]>();
  private readonly benched = new Map<VenueId, { until: number; reason: string }>();

  constructor(
    private readonly config: VenueHealthConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  recordAck(venue: VenueId, ms: number): void {
    if (ms > this.config.maxAckMs) this.count(venue, 'slow', this.config.maxSlowAcks, `acks slower than ${this.config.maxAckMs} ms`);
  }

  recordReject(venue: VenueId, code: string): void {
    this.count(venue, 'reject', this.config.maxRejects, `repeated rejects (last: ${code})`);
  }

  recordTimeout(venue: VenueId): void {
    this.count(venue, 'timeout', this.config.maxTimeouts, 'sends with no answer');
  }

  /** A leg's book age at decision time; a lagging feed benches its venue. */
  recordBookAge(venue: VenueId, ageMs: number): void {
    if (ageMs > this.config.maxBookAgeMs) this.bench(venue, `book ${ageMs} ms old (limit ${this.config.maxBookAgeMs} ms)`);
  }

  bench(venue: VenueId, reason: string): void {
    const until = this.clock.now() + this.config.benchMs;
    this.benched.set(venue, { until, reason });
    this.logger.warn('venue benched', { venue, reason, untilMs: until });
  }

  /** Why the venue is benched, or undefined if it may trade. */
  benchedFor(venue: VenueId): string | undefined {
    const b = this.benched.get(venue);
    if (!b) return undefined;
    if (this.clock.now() >= b.until) {
      this.benched.delete(venue);
      return undefined;
    }
    return b.reason;
  }

  private count(venue: VenueId, kind: Kind, max: number, reason: string): void {
    const now = this.clock.now();
    const key = `${venue}:${kind}`;
    const recent = (this.events.get(key) ?? []).filter((t) => now - t < this.config.windowMs);
    recent.push(now);
    this.events.set(key, recent);
    if (recent.length >= max) {
      this.bench(venue, `${recent.length} ${reason} within ${this.config.windowMs} ms`);
      this.events.set(key, []);
    }
  }
}
