/**
 * The limiter a Lighter poll waits on. The executor waits on `pacing.ready('reconcile')` before
 * each poll and does not count that wait against its deadline; the shared RateLimiter's ready()
 * only waits out a 429 hold, not for tokens. On Lighter tokens are slow (a Standard account
 * refills one request in 1.33 s here, limits.ts), so a poll that then waits inside report() for
 * its accountOrders and trades tokens would spend the deadline on "slow down" and end unresolved.
 * So ready() here also charges a whole poll's weight in advance (a credit), and the poll's
 * requests spend that credit first: the wait for tokens happens where the executor does not count it.
 */
import type { RequestPriority } from '../../../engine/exchange/orders.ts';
import { RateLimiter, type RateLimitSpec, type RequestCost } from '../shared/rate-limiter.ts';
import type { Logger } from '../../../engine/core/logger.ts';

export class LighterPacing extends RateLimiter {
  /** Weight already charged to `bucket` by ready(), not yet spent by a request. */
  private credit = 0;

  constructor(
    spec: RateLimitSpec,
    /** Weight of one poll (accountOrders + trades on this tier). */
    private readonly pollWeight: number,
    deps: { logger?: Logger; now?: () => number } = {},
    private readonly bucket = 'rest',
  ) {
    super(spec, deps);
  }

  override async ready(priority: RequestPriority): Promise<void> {
    await super.ready(priority);
    if (priority === 'background') return;
    const need = this.pollWeight - this.credit;
    if (need <= 0) return;
    await this.take([{ bucket: this.bucket, weight: need }], priority);
    this.credit += need;
  }

  /** The part of `cost` the credit does not cover (what the request must still take). */
  spend(cost: RequestCost): RequestCost {
    return cost.flatMap((c) => {
      if (c.bucket !== this.bucket || this.credit <= 0) return [c];
      const weight = c.weight ?? 1;
      const covered = Math.min(weight, this.credit);
      this.credit -= covered;
      return weight > covered ? [{ bucket: c.bucket, weight: weight - covered }] : [];
    });
  }
}
