/**
 * Time spent waiting on venues, measured around each gateway call on a trade's critical path.
 * What remains of the trade's wall time is the engine's own overhead: the number to compare
 * against the simulator's latency estimate and to bench.
 */
import type { OrderGateway, RequestPriority } from '../exchange/orders.ts';

export type Monotonic = () => number;

export const monotonicNow: Monotonic = () => performance.now();

export class VenueWait {
  ms = 0;
  constructor(private readonly now: Monotonic = monotonicNow) {}

  async time<T>(call: () => Promise<T>): Promise<T> {
    const t0 = this.now();
    try {
      return await call();
    } finally {
      this.ms += this.now() - t0;
    }
  }
}

export class CommandTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'CommandTimeout';
  }
}

/** Bound a venue call; the late answer, if any, is dropped (and its rejection swallowed). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandTimeout(what, ms)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Wait, before a timed read and outside its timeout, until the venue's rate limit lets a request
 * of each of these priorities go out at once (gateways reserve the tokens of one such read).
 * Without it a read's wait for the venue's budget counted against the ack timeout: once a
 * restarted engine's start-up reconcile had spent Lighter's budget (one 300-weight read earns its
 * tokens in a second), no read of positions and open orders could answer within 600 ms, each
 * abandoned read still spent the budget, and the engine stayed halted (chaos seeds 3188046198,
 * 2392586442). "Slow down" slows a read; it must not make a healthy venue look unreadable.
 */
export async function readsAllowed(gateway: OrderGateway, priorities: readonly RequestPriority[]): Promise<void> {
  if (!gateway.pacing) return;
  for (const p of priorities) await gateway.pacing.ready(p);
}
