/**
 * `simulators.faults`: a standing fault schedule for live demos on the simulators, so a demo
 * shows the executor's repair path and not only clean trades.
 *
 * `rejectLeg2Every: N` refuses every Nth "second leg": an order that reaches a venue shortly
 * after one of our fills on ANOTHER venue (within `leg2WindowMs`, and the first order there since
 * that fill). The simulators know nothing of trades or legs; this timing rule is how a venue
 * would see a cross-exchange leg 2. With several instruments trading at once it can misfire on a
 * first leg (the trade then ends with no fill), which is harmless.
 */
import type { VenueSimulators } from '../../simulators/index.ts';

export interface SimulatorFaultSchedule {
  /** Refuse every Nth second leg (0 or absent: never). */
  rejectLeg2Every?: number;
  /** How soon after a fill on another venue an order counts as a second leg, ms. */
  leg2WindowMs?: number;
  /** Venues whose second legs may be refused; default all. */
  venues?: readonly string[];
}

export interface InstalledFaults {
  /** Second legs seen and refused so far. */
  readonly counts: { leg2Seen: number; leg2Rejected: number };
  remove(): void;
}

export function installFaultSchedule(sims: VenueSimulators, schedule: SimulatorFaultSchedule, now: () => number = Date.now): InstalledFaults {
  const every = schedule.rejectLeg2Every ?? 0;
  const windowMs = schedule.leg2WindowMs ?? 1000;
  const counts = { leg2Seen: 0, leg2Rejected: 0 };
  const lastFillAt: Record<string, number> = {};
  const lastOrderAt: Record<string, number> = {};
  const offs: Array<() => void> = [];
  if (every <= 0) return { counts, remove() {} };
  // Every venue the shared built-in market serves (its trading controls), named by the simulators, not here.
  const VENUES = Object.keys(sims.trading) as Array<keyof VenueSimulators['trading']>;
  for (const venue of VENUES) {
    const t = sims.trading[venue];
    offs.push(
      t.engine.on((e) => {
        if (e.type === 'fill') lastFillAt[venue] = now();
      }),
    );
    if (schedule.venues && !schedule.venues.includes(venue)) continue;
    t.faults.setRule(() => {
      const at = now();
      const previousOrder = lastOrderAt[venue] ?? 0;
      lastOrderAt[venue] = at;
      const leg2 = VENUES.some((other) => other !== venue && (lastFillAt[other] ?? 0) > previousOrder && at - (lastFillAt[other] ?? 0) <= windowMs);
      if (!leg2) return undefined;
      counts.leg2Seen++;
      if (counts.leg2Seen % every !== 0) return undefined;
      counts.leg2Rejected++;
      // The rule sees orders, not trades: "a second leg" is an order within windowMs of a fill on another
      // venue, which can be the first leg of the next trade. The message says what was matched, not a guess.
      return { kind: 'reject', message: `simulated fault: order refused, #${counts.leg2Seen} within ${windowMs} ms of a fill on another venue (rejectLeg2Every: ${every})` };
    });
    offs.push(() => t.faults.setRule());
  }
  return {
    counts,
    remove() {
      for (const off of offs) off();
    },
  };
}
