/**
 * One venue's published rate limits, enforced before a request leaves: token buckets (per
 * account, per IP, per endpoint class; weighted costs), a priority queue (orders before
 * reconciliation before background reads), and a back-off that holds every request after the
 * venue says "slow down" (HTTP 429, Retry-After). The limits themselves are data in each venue
 * folder (`limits.ts`), with their sources.
 *
 * Why our own: the usual npm choice (bottleneck) has had no release since 2019 and has no
 * notion of several buckets charged by one request (Paradex counts a private GET against the
 * account's 600/min and the IP's public budget). This is a token bucket and a queue, ~200 lines.
 *
 * Reservations: the executor waits on `ready('reconcile')` outside its deadline, then polls inside
 * it. Waiting out a 429 hold there is not enough when tokens refill slowly (a Standard Lighter
 * account earns one request in 1.33 s): the poll's own wait for tokens would land inside the
 * deadline. So ready(priority, cost) also takes the poll's tokens in advance and keeps them as a
 * reservation of that priority; the next requests of that priority spend the reservation first.
 * A gateway declares its poll's cost once (expectPolls), and the executor's plain ready('reconcile')
 * reserves it. A poll that needed no request (answered from a push or from memory) leaves its
 * reservation for the next one: the next ready() reserves only what is missing.
 */
import type { Logger } from '../../../engine/core/logger.ts';
import type { RequestPacing, RequestPriority } from '../../../engine/exchange/orders.ts';

export interface RateBucketSpec {
  /** Requests (or weight units) allowed per window. */
  limit: number;
  windowMs: number;
  /** Where the figure comes from (docs URL), and what it covers. */
  source: string;
}

export interface RateLimitSpec {
  venue: string;
  buckets: Readonly<Record<string, RateBucketSpec>>;
  /**
   * How long to hold everything after a 429 that gives no Retry-After, ms (first time; doubles
   * on each 429 in a row up to maxBackOffMs). Lighter blocks an IP for about a minute.
   */
  backOffMs: number;
  maxBackOffMs: number;
}

/** What one request costs: weight units from each bucket it counts against. */
export type RequestCost = readonly { bucket: string; weight?: number }[];

const RANK: Record<RequestPriority, number> = { order: 0, reconcile: 1, background: 2 };

interface Bucket {
  spec: RateBucketSpec;
  tokens: number;
  refilledAt: number;
}

interface Waiter {
  cost: RequestCost;
  rank: number;
  seq: number;
  resolve: () => void;
}

export class RateLimiter implements RequestPacing {
  private readonly buckets = new Map<string, Bucket>();
  private readonly queue: Waiter[] = [];
  private blockedUntil = 0;
  private consecutive429 = 0;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  /** Tokens taken in advance by ready(), by priority then bucket, not yet spent by a request. */
  private readonly reserved = new Map<RequestPriority, Map<string, number>>();
  /** What one poll at this priority costs (expectPolls); ready(priority) reserves it. */
  private readonly pollCost = new Map<RequestPriority, RequestCost>();
  /** Total ms callers spent waiting here; the executor and tests read it. */
  waitedMs = 0;
  /** 429s seen since start. */
  rateLimitedAnswers = 0;

  constructor(
    readonly spec: RateLimitSpec,
    private readonly deps: { logger?: Logger; now?: () => number } = {},
  ) {
    const now = this.now();
    for (const [name, b] of Object.entries(spec.buckets)) {
      if (!(b.limit > 0) || !(b.windowMs > 0)) throw new Error(`${spec.venue} rate limit ${name}: limit and windowMs must be positive`);
      this.buckets.set(name, { spec: b, tokens: b.limit, refilledAt: now });
    }
  }

  /**
   * Wait until this request may go out, then charge it. Never rejects. Tokens reserved at this
   * priority by ready() are spent first; only the rest waits in the queue.
   */
  take(cost: RequestCost, priority: RequestPriority): Promise<void> {
    this.checkBuckets(cost);
    return this.enqueue(this.spendReserved(cost, priority), priority);
  }

  /**
   * Resolves once no back-off is in force, nothing of this priority or higher is queued, and the
   * tokens of `cost` (default: the poll cost declared by expectPolls) are reserved for the
   * caller's next requests of this priority: the moment a poll would not have to wait at all.
   */
  async ready(priority: RequestPriority, cost: RequestCost = this.pollCost.get(priority) ?? []): Promise<void> {
    this.checkBuckets(cost);
    const held = this.reserved.get(priority);
    // Only what the reservation lacks; weights capped at the bucket's size as take() charges them.
    const missing = cost.flatMap((c) => {
      const need = Math.min(c.weight ?? 1, this.buckets.get(c.bucket)!.spec.limit) - (held?.get(c.bucket) ?? 0);
      return need > 0 ? [{ bucket: c.bucket, weight: need }] : [];
    });
    await this.enqueue(missing, priority);
    if (missing.length === 0) return;
    const into = this.reserved.get(priority) ?? new Map<string, number>();
    for (const c of missing) into.set(c.bucket, (into.get(c.bucket) ?? 0) + c.weight);
    this.reserved.set(priority, into);
  }

  /** A poller at this priority spends `cost` per round: ready(priority) reserves it in advance. */
  expectPolls(priority: RequestPriority, cost: RequestCost): void {
    this.checkBuckets(cost);
    this.pollCost.set(priority, cost);
  }

  /** Tokens reserved and not yet spent, by bucket (tests and status lines read it). */
  reservedTokens(priority: RequestPriority): Readonly<Record<string, number>> {
    return Object.fromEntries(this.reserved.get(priority) ?? []);
  }

  /** The venue said "slow down": hold every request for retryAfterMs (or an escalating default). */
  rateLimited(retryAfterMs: number | undefined, operation: string): number {
    this.rateLimitedAnswers += 1;
    this.consecutive429 += 1;
    const fallback = Math.min(this.spec.backOffMs * 2 ** (this.consecutive429 - 1), this.spec.maxBackOffMs);
    const ms = Math.max(0, retryAfterMs ?? fallback);
    const until = this.now() + ms;
    if (until > this.blockedUntil) {
      // One line per back-off episode, not per request: a 429 storm must not flood the log.
      this.deps.logger?.warn('venue rate limit hit; holding requests', { venue: this.spec.venue, operation, holdMs: Math.round(ms), retryAfterGiven: retryAfterMs !== undefined, rateLimitedAnswers: this.rateLimitedAnswers });
      this.blockedUntil = until;
      // Empty the buckets (and reservations) too: the venue's count of our requests is evidently ahead of ours.
      for (const b of this.buckets.values()) b.tokens = 0;
      this.reserved.clear();
    }
    this.pump();
    return ms;
  }

  /** A request got through: the next 429 starts the back-off from its first step again. */
  answered(): void {
    this.consecutive429 = 0;
  }

  /** Ms until the back-off ends (0 when none). */
  heldForMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  private checkBuckets(cost: RequestCost): void {
    for (const c of cost) {
      if (!this.buckets.has(c.bucket)) throw new Error(`${this.spec.venue}: no rate-limit bucket "${c.bucket}" (have ${[...this.buckets.keys()].join(', ')})`);
    }
  }

  private enqueue(cost: RequestCost, priority: RequestPriority): Promise<void> {
    const started = this.now();
    return new Promise<void>((resolve) => {
      this.queue.push({ cost, rank: RANK[priority], seq: this.seq++, resolve: () => { this.waitedMs += this.now() - started; resolve(); } });
      this.queue.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
      this.pump();
    });
  }

  /** The part of `cost` this priority's reservation does not cover (what must still be taken). */
  private spendReserved(cost: RequestCost, priority: RequestPriority): RequestCost {
    const held = this.reserved.get(priority);
    if (!held) return cost;
    return cost.flatMap((c) => {
      const weight = Math.min(c.weight ?? 1, this.buckets.get(c.bucket)!.spec.limit);
      const covered = Math.min(weight, held.get(c.bucket) ?? 0);
      if (covered <= 0) return [c];
      const left = (held.get(c.bucket) ?? 0) - covered;
      if (left > 0) held.set(c.bucket, left);
      else held.delete(c.bucket);
      return weight > covered ? [{ bucket: c.bucket, weight: weight - covered }] : [];
    });
  }

  private now(): number {
    return (this.deps.now ?? performance.now.bind(performance))();
  }

  private refill(now: number): void {
    for (const b of this.buckets.values()) {
      const elapsed = now - b.refilledAt;
      if (elapsed <= 0) continue;
      b.tokens = Math.min(b.spec.limit, b.tokens + (elapsed * b.spec.limit) / b.spec.windowMs);
      b.refilledAt = now;
    }
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const now = this.now();
      if (now < this.blockedUntil) return this.schedule(this.blockedUntil - now);
      this.refill(now);
      let waitMs = 0;
      for (const c of head.cost) {
        const b = this.buckets.get(c.bucket)!;
        // A weight above the bucket's size could never be paid: charge the whole bucket instead.
        const need = Math.min(c.weight ?? 1, b.spec.limit);
        if (b.tokens < need) waitMs = Math.max(waitMs, ((need - b.tokens) * b.spec.windowMs) / b.spec.limit);
      }
      if (waitMs > 0) return this.schedule(waitMs);
      for (const c of head.cost) {
        const b = this.buckets.get(c.bucket)!;
        b.tokens -= Math.min(c.weight ?? 1, b.spec.limit);
      }
      this.queue.shift();
      head.resolve();
    }
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, Math.ceil(ms)));
    // A limiter with nobody waiting must not keep the process alive.
    this.timer.unref?.();
  }
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
