/**
 * Applies a planned fault to the simulators through their own fault controls (simulators/faults.ts,
 * simulators/matching/order-faults.ts, each venue's private side). Timed faults undo themselves;
 * `clearAll` disarms whatever is still armed when the run settles.
 */
import type { VenueSimulators } from '../../simulators/index.ts';
import type { PlannedFault, Venue } from './schedule.ts';

const MARKET: Record<Venue, Record<'BTC' | 'ETH', string | number>> = {
  paradex: { BTC: 'BTC-USD-PERP', ETH: 'ETH-USD-PERP' },
  vest: { BTC: 'BTC-PERP', ETH: 'ETH-PERP' },
  lighter: { BTC: 1, ETH: 0 },
};

export class FaultInjector {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Faults applied, by kind. */
  readonly counts = new Map<string, number>();

  constructor(private readonly sims: VenueSimulators) {}

  apply(f: PlannedFault): void {
    const { sims } = this;
    const t = sims.trading[f.venue];
    this.counts.set(f.kind, (this.counts.get(f.kind) ?? 0) + 1);
    switch (f.kind) {
      case 'drop-sockets':
        sims.faults.dropSockets(f.venue);
        return;
      case 'gap':
        sims.faults.skipSequence(f.venue, MARKET[f.venue][f.base ?? 'BTC']);
        // The lost message only exists once the book moves.
        sims.step();
        return;
      case 'garbage':
        sims.faults.sendGarbage(f.venue);
        return;
      case 'stall':
        sims.faults.stall(f.venue, f.ms!);
        return;
      case 'reject':
        t.faults.rejectNext(f.count ?? 1, 'chaos: rejected by fault schedule');
        return;
      case 'partial':
        t.faults.capFill(f.size!);
        return;
      case 'ack-stall':
        t.faults.stallAck(f.ms!, f.mode);
        return;
      case 'lost-ack':
        t.faults.loseAck(502);
        return;
      case 'private-drop':
        t.dropPrivateSockets();
        return;
      case 'rate-storm':
        this.storm(f.venue, f.ms!);
        return;
      case 'tx-fail':
        sims.trading.lighter.failNextTx(f.count ?? 1);
        return;
      case 'index-delay':
        sims.trading.lighter.setIndexDelay(f.ms!);
        this.later(f.ms!, () => sims.trading.lighter.setIndexDelay(0));
        return;
      case 'listen-key-expiry':
        sims.trading.vest.expireListenKeys(true);
        return;
    }
  }

  /** Disarm order faults and undo timed ones (the settle phase runs on a healthy venue). */
  clearAll(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const fn of this.undo.splice(0)) fn();
    this.timers.clear();
    for (const v of ['paradex', 'vest', 'lighter'] as const) this.sims.trading[v].faults.clear();
  }

  private readonly undo: Array<() => void> = [];

  private later(ms: number, fn: () => void): void {
    this.undo.push(fn);
    const t = setTimeout(() => {
      this.timers.delete(t);
      const i = this.undo.indexOf(fn);
      if (i >= 0) this.undo.splice(i, 1);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** A 429 storm: every budget of the venue tightened to a trickle for `ms`, then the published limits again. */
  private storm(venue: Venue, ms: number): void {
    const s = this.sims.trading;
    const tight = { limit: 2, windowMs: 1000 };
    if (venue === 'paradex') {
      s.paradex.setRateLimits({ ordersPerSecond: tight, privateGetPerSecond: tight });
      this.later(ms, () => s.paradex.setRateLimits());
    } else if (venue === 'vest') {
      s.vest.setRateLimits({ orders: tight, account: tight });
      this.later(ms, () => s.vest.setRateLimits());
    } else {
      // The rig runs Lighter on the Premium tier (test/e2e/harness.ts); restore that, not the Standard default.
      s.lighter.setRateLimits({ tier: 'premium', weightPerWindow: 60, premiumSendTxPerWindow: 2, windowMs: 1000, blockMs: Math.min(ms, 1000) });
      this.later(ms, () => s.lighter.setRateLimits({ tier: 'premium' }));
    }
  }
}
