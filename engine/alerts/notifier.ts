/**
 * The notifier: notify() is synchronous and O(1), so no caller on the trading path ever waits on
 * an HTTP request. Each transport has its own bounded queue and one sender loop; a transport that
 * is down retries with a doubling delay (or the delay a 429 names) and then gives the message up,
 * without slowing the other transport or anything else. The same subject within the
 * de-duplication window is sent once; each transport sends at most maxPerMinute a minute.
 */
import type { Logger } from '../core/logger.ts';
import type { AlertKind } from './config.ts';
import type { AlertTransport } from './transport.ts';

export interface AlertEvent {
  kind: AlertKind;
  /** What the alert is about (a venue, a trade id, a halt reason): the de-duplication key with the kind. */
  subject: string;
  text: string;
}

export interface NotifierOptions {
  events: readonly AlertKind[];
  dedupWindowMs: number;
  maxPerMinute: number;
  queueSize: number;
  retry: { attempts: number; minMs: number; maxMs: number };
  timeoutMs: number;
  /** Wall clock for de-duplication and rate limits (tests pass a fake). */
  now?: () => number;
  /** Prefix of every message, e.g. "[arb paradex/vest]". */
  prefix?: string;
}

export interface NotifierCounts {
  queued: number;
  sent: number;
  deduplicated: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Given up after every attempt failed, or refused for good (a 4xx other than 429). */
  failed: number;
  retries: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

class TransportQueue {
  readonly pending: string[] = [];
  private readonly sentAt: number[] = [];
  droppedSinceLast = 0;
  running: Promise<void> | undefined;

  constructor(readonly transport: AlertTransport) {}

  /** Ms to wait before the next send keeps within maxPerMinute. */
  waitForRate(now: number, maxPerMinute: number): number {
    while (this.sentAt.length > 0 && now - this.sentAt[0]! >= 60_000) this.sentAt.shift();
    return this.sentAt.length < maxPerMinute ? 0 : 60_000 - (now - this.sentAt[0]!);
  }

  recordSend(now: number): void {
    this.sentAt.push(now);
  }
}

export class Notifier {
  readonly counts: NotifierCounts = { queued: 0, sent: 0, deduplicated: 0, dropped: 0, failed: 0, retries: 0 };
  private readonly queues: TransportQueue[];
  private readonly lastSent = new Map<string, number>();
  private readonly enabled: Set<AlertKind>;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    transports: AlertTransport[],
    private readonly options: NotifierOptions,
    private readonly logger: Logger,
  ) {
    this.queues = transports.map((t) => new TransportQueue(t));
    this.enabled = new Set(options.events);
    this.now = options.now ?? Date.now;
  }

  /** Queue an alert; returns false when it is not sent (kind off, a duplicate, or stopped). Never throws. */
  notify(event: AlertEvent): boolean {
    if (this.stopped || !this.enabled.has(event.kind)) return false;
    const key = `${event.kind}\u0000${event.subject}`;
    const now = this.now();
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < this.options.dedupWindowMs) {
      this.counts.deduplicated++;
      return false;
    }
    this.lastSent.set(key, now);
    if (this.lastSent.size > 10_000) this.forgetOld(now);
    const text = this.options.prefix ? `${this.options.prefix} ${event.text}` : event.text;
    for (const q of this.queues) {
      if (q.pending.length >= this.options.queueSize) {
        q.pending.shift();
        q.droppedSinceLast++;
        this.counts.dropped++;
      }
      q.pending.push(text);
      this.counts.queued++;
      this.kick(q);
    }
    return true;
  }

  /** Start the queue's sender loop unless it runs; a message queued while the loop was ending starts it again. */
  private kick(q: TransportQueue): void {
    if (q.running) return;
    q.running = this.drain(q).finally(() => {
      q.running = undefined;
      if (q.pending.length > 0 && !this.abort.signal.aborted) this.kick(q);
    });
  }

  /** Wait until every queue is empty (or `withinMs` passed): for a clean stop and for tests. */
  async idle(withinMs = 30_000): Promise<void> {
    const until = Date.now() + withinMs;
    while (this.queues.some((q) => q.running) && Date.now() < until) {
      await Promise.race([Promise.all(this.queues.map((q) => q.running)), sleep(Math.max(1, until - Date.now()))]);
    }
  }

  /** Stop: give what is queued up to `graceMs` to go out, then cancel what is still in flight. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    await this.idle(graceMs);
    this.abort.abort();
    for (const q of this.queues) q.pending.length = 0;
    await Promise.all(this.queues.map((q) => q.running));
  }

  private async drain(q: TransportQueue): Promise<void> {
    // Off the caller's stack and behind pending I/O: the first send builds the HTTP client
    // (tens of ms), which must never be paid inside notify() on the trading path.
    await new Promise<void>((r) => setImmediate(r));
    while (q.pending.length > 0 && !this.abort.signal.aborted) {
      const wait = q.waitForRate(this.now(), this.options.maxPerMinute);
      if (wait > 0) {
        // Short steps: the window is measured on options.now, which a test may move.
        await this.pause(Math.min(wait, 250));
        continue;
      }
      let text = q.pending.shift()!;
      if (q.droppedSinceLast > 0) {
        text = `${text}\n(${q.droppedSinceLast} earlier alert(s) dropped: the queue was full)`;
        q.droppedSinceLast = 0;
      }
      await this.deliver(q, text);
    }
  }

  private async deliver(q: TransportQueue, text: string): Promise<void> {
    const { attempts, minMs, maxMs } = this.options.retry;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.abort.signal.aborted) return;
      q.recordSend(this.now());
      let outcome;
      try {
        outcome = await q.transport.send(text, AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]));
      } catch (err) {
        outcome = { ok: false as const, retryable: true, error: (err as Error).name };
      }
      if (outcome.ok) {
        this.counts.sent++;
        return;
      }
      if (!outcome.retryable || attempt === attempts) {
        this.counts.failed++;
        this.logger.warn('alert not delivered', { transport: q.transport.name, attempts: attempt, error: outcome.error });
        return;
      }
      this.counts.retries++;
      const delay = outcome.retryAfterMs ?? Math.min(maxMs, minMs * 2 ** (attempt - 1));
      await this.pause(delay);
    }
  }

  /** A wait that stop() cuts short. */
  private pause(ms: number): Promise<unknown> {
    return Promise.race([sleep(ms), new Promise((r) => this.abort.signal.addEventListener('abort', r, { once: true }))]);
  }

  private forgetOld(now: number): void {
    for (const [k, at] of this.lastSent) if (now - at >= this.options.dedupWindowMs) this.lastSent.delete(k);
  }
}
