/**
 * The standing fault schedule (`simulators.faults.rejectLeg2Every`) reads the venues from the
 * simulators' trading controls: it names none itself, so any venue the shared market serves is covered.
 */
import { describe, expect, it } from 'vitest';
import { installFaultSchedule } from '../../../engine/cli/simulated-faults.ts';
import type { VenueSimulators } from '../../../simulators/index.ts';

type Rule = (() => { kind: string; message: string } | undefined) | undefined;

function fakeVenue() {
  const venue = {
    listeners: [] as Array<(e: { type: string }) => void>,
    rule: undefined as Rule,
    engine: { on: (cb: (e: { type: string }) => void) => (venue.listeners.push(cb), () => {}) },
    faults: { setRule: (r?: Rule) => void (venue.rule = r) },
  };
  return venue;
}

describe('installFaultSchedule', () => {
  it('refuses every Nth order that follows a fill on another venue, for whatever venues the simulators serve', () => {
    const alpha = fakeVenue();
    const beta = fakeVenue();
    const sims = { trading: { alpha, beta } } as unknown as VenueSimulators;
    let now = 1_000;
    const installed = installFaultSchedule(sims, { rejectLeg2Every: 2, leg2WindowMs: 500 }, () => now);
    // A first order with no fill elsewhere is no second leg.
    expect(beta.rule?.()).toBeUndefined();
    now += 10;
    for (const l of alpha.listeners) l({ type: 'fill' });
    now += 100;
    expect(beta.rule?.()).toBeUndefined(); // second leg #1: let through
    now += 10;
    for (const l of alpha.listeners) l({ type: 'fill' });
    now += 100;
    expect(beta.rule?.()).toMatchObject({ kind: 'reject' }); // #2: refused
    now += 10;
    for (const l of alpha.listeners) l({ type: 'fill' });
    now += 600;
    expect(beta.rule?.()).toBeUndefined(); // outside the window
    expect(installed.counts).toEqual({ leg2Seen: 2, leg2Rejected: 1 });
    installed.remove();
    expect(alpha.rule).toBeUndefined();
    expect(beta.rule).toBeUndefined();
  });
});
