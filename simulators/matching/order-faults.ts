/**
 * Faults of the private side, the same switchboard for every venue. Each armed fault applies
 * to the next N order submissions (default 1), in the order armed; the venue layer asks
 * `take()` once per order and obeys:
 *
 * - reject: refuse the order (each venue answers with its own rejection shape).
 * - capFill: let the order fill at most X (in base units, a decimal string); the rest follows
 *   the order's time in force (an IOC remainder is cancelled, a GTC remainder rests).
 * - stallAck: say nothing for `ms`. Mode "execute": the order executes now, the answer comes
 *   late. Mode "defer": nothing happens for `ms`, then the order executes and is answered.
 *   Mode "drop": the order never executes and after `ms` the connection is cut unanswered.
 * - loseAck: the order executes, but the answer is an HTTP 5xx (the client cannot tell).
 */
export type AckStallMode = 'execute' | 'defer' | 'drop';

export type OrderFault =
  | { readonly kind: 'reject'; readonly message: string }
  | { readonly kind: 'capFill'; readonly size: string }
  | { readonly kind: 'stallAck'; readonly ms: number; readonly mode: AckStallMode }
  | { readonly kind: 'loseAck'; readonly status: number };

interface Armed {
  fault: OrderFault;
  left: number;
}

/** Consulted for an order when nothing is armed: a standing fault schedule (e.g. every Nth order of some kind). */
export type FaultRule = () => OrderFault | undefined;

export class OrderFaults {
  private readonly queue: Armed[] = [];
  private rule: FaultRule | undefined;

  /** Install (or with no argument remove) a standing rule; armed faults still come first. */
  setRule(rule?: FaultRule): void {
    this.rule = rule;
  }

  rejectNext(count = 1, message = 'rejected by simulator fault'): void {
    this.arm({ kind: 'reject', message }, count);
  }

  /** Cap the next order's fill at `size` (base units, decimal string; "0" = fill nothing). */
  capFill(size: string, count = 1): void {
    this.arm({ kind: 'capFill', size }, count);
  }

  stallAck(ms: number, mode: AckStallMode = 'execute', count = 1): void {
    if (!(ms > 0)) throw new RangeError(`stallAck: ms must be positive, got ${ms}`);
    this.arm({ kind: 'stallAck', ms, mode }, count);
  }

  loseAck(status = 502, count = 1): void {
    if (status < 500 || status > 599) throw new RangeError(`loseAck: status must be 5xx, got ${status}`);
    this.arm({ kind: 'loseAck', status }, count);
  }

  clear(): void {
    this.queue.length = 0;
  }

  get pending(): number {
    return this.queue.reduce((n, a) => n + a.left, 0);
  }

  /** The fault for the order being submitted now, if any (consumes one use). */
  take(): OrderFault | undefined {
    const head = this.queue[0];
    if (!head) return this.rule?.();
    head.left--;
    if (head.left <= 0) this.queue.shift();
    return head.fault;
  }

  private arm(fault: OrderFault, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`fault count must be a positive integer, got ${count}`);
    this.queue.push({ fault, left: count });
  }
}

/** Resolve after `ms` (stalled acks); timers are tracked so a closing server can release them. */
export class AckTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** What a venue needs to run one order through the armed fault. */
export interface FaultedOrder<T> {
  /** Execute the order (the engine call); `maxFillUnits` set when a fill cap is armed. */
  execute(maxFillUnits: number | undefined): T;
  /** The venue's normal answer for an executed order. */
  reply(result: T): { status: number; body: unknown };
  /** The venue's answer for an order refused by the reject fault. */
  rejected(message: string): { status: number; body: unknown };
  /** Base size string -> the market's size units (for the fill cap). */
  sizeUnits(size: string): number;
}

export async function runWithFault<T>(
  fault: OrderFault | undefined,
  timers: AckTimers,
  order: FaultedOrder<T>,
): Promise<{ status: number; body: unknown; destroy?: boolean }> {
  if (!fault) return order.reply(order.execute(undefined));
  switch (fault.kind) {
    case 'reject':
      return order.rejected(fault.message);
    case 'capFill':
      return order.reply(order.execute(order.sizeUnits(fault.size)));
    case 'loseAck': {
      order.execute(undefined);
      return { status: fault.status, body: { error: 'INTERNAL_ERROR', message: 'simulated lost acknowledgement' } };
    }
    case 'stallAck': {
      if (fault.mode === 'execute') {
        const answer = order.reply(order.execute(undefined));
        await timers.wait(fault.ms);
        return answer;
      }
      await timers.wait(fault.ms);
      if (fault.mode === 'drop') return { status: 0, body: undefined, destroy: true };
      return order.reply(order.execute(undefined));
    }
  }
}
