/**
 * A chaos run's plan, drawn from one seed before anything starts: the trades (when, which two
 * venues, which instrument, how much) and the faults (when, which venue, what). The plan is
 * plain data so a failing run prints it and `--seed S --runs 1` replays the same plan.
 *
 * Why our own PRNG and not fast-check's generators here: the plan must be a pure function of the
 * seed (same seed, same plan, on any machine); simulators/prng.ts already gives that.
 */
import { Prng } from '../../simulators/prng.ts';

export type Venue = 'paradex' | 'vest' | 'lighter';
export const VENUES: readonly Venue[] = ['paradex', 'vest', 'lighter'];
export type Base = 'BTC' | 'ETH';

export interface PlannedTrade {
  /** Ms after the run starts. */
  at: number;
  buy: Venue;
  sell: Venue;
  base: Base;
  /** Base units, decimal string. */
  size: string;
}

export type FaultKind =
  | 'drop-sockets' // public + private sockets cut without a close frame
  | 'gap' // one book message lost: a sequence gap
  | 'garbage' // a non-JSON frame and a wrong-typed JSON frame (binary junk on Paradex SBE)
  | 'stall' // the venue says nothing (REST, WS, pongs) for ms
  | 'reject' // the next `count` orders refused
  | 'partial' // the next order fills at most `size`
  | 'ack-stall' // the next order's answer is late (execute / defer / drop)
  | 'lost-ack' // the next order executes, the answer is a 5xx
  | 'rate-storm' // limits tightened so the venue answers 429 for ms
  | 'private-drop' // account stream sockets cut
  | 'tx-fail' // Lighter: the next tx is accepted then fails in the sequencer
  | 'index-delay' // Lighter: executed orders show in REST lookups late, for ms
  | 'listen-key-expiry'; // Vest: listen keys expire (socket closed LISTEN_KEY_EXPIRED)

export interface PlannedFault {
  at: number;
  venue: Venue;
  kind: FaultKind;
  /** Duration, for stall / ack-stall / rate-storm / index-delay. */
  ms?: number;
  count?: number;
  size?: string;
  mode?: 'execute' | 'defer' | 'drop';
  base?: Base;
}

export interface RunPlan {
  seed: number;
  /** Seed of the simulators' market (books, noise). */
  marketSeed: number;
  trades: PlannedTrade[];
  faults: PlannedFault[];
  /** Run the dry-run check (nothing sent) after this run. */
  dryRunCheck: boolean;
  /**
   * Ms after the start at which the engine crashes (journal closed mid-write, connectors gone, no
   * shutdown) and a new engine starts on the same journal and venues; undefined: no crash.
   */
  crashAt?: number;
}

export interface PlanOptions {
  /**
   * Include 429 storms on Lighter. Off by default: after any 429 the Lighter gateway holds every
   * request for 60 s (no Retry-After; plugins/exchanges/lighter/limits.ts, the venue blocks the IP
   * about a minute), so one storm makes a run last over a minute and proves only that hold.
   */
  lighterStorms?: boolean;
  trades: number;
  faults: number;
  /** Ms over which trades and faults are spread. */
  spanMs: number;
}

const KINDS: Record<Venue, readonly FaultKind[]> = {
  paradex: ['drop-sockets', 'gap', 'garbage', 'stall', 'reject', 'partial', 'ack-stall', 'lost-ack', 'rate-storm', 'private-drop'],
  vest: ['drop-sockets', 'gap', 'garbage', 'stall', 'reject', 'partial', 'ack-stall', 'lost-ack', 'rate-storm', 'private-drop', 'listen-key-expiry'],
  lighter: ['drop-sockets', 'gap', 'garbage', 'stall', 'reject', 'partial', 'ack-stall', 'lost-ack', 'rate-storm', 'private-drop', 'tx-fail', 'index-delay'],
};

/** One run's seed from the campaign's seed and the run's index (stable: run 7 of seed 42 is always the same). */
export function runSeed(campaignSeed: number, index: number): number {
  return Prng.derive(campaignSeed, `chaos-run-${index}`).nextUint32();
}

export function planRun(seed: number, o: PlanOptions): RunPlan {
  const rng = Prng.derive(seed, 'chaos-plan');
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;
  const trades: PlannedTrade[] = [];
  for (let i = 0; i < o.trades; i++) {
    const buy = pick(VENUES);
    const sell = pick(VENUES.filter((v) => v !== buy));
    trades.push({ at: rng.int(0, o.spanMs), buy, sell, base: rng.int(0, 3) === 0 ? 'ETH' : 'BTC', size: `0.0${rng.int(1, 3)}` });
  }
  const faults: PlannedFault[] = [];
  for (let i = 0; i < o.faults; i++) {
    const venue = pick(VENUES);
    const kind = pick(venue === 'lighter' && !o.lighterStorms ? KINDS.lighter.filter((k) => k !== 'rate-storm') : KINDS[venue]);
    const f: PlannedFault = { at: rng.int(0, o.spanMs), venue, kind };
    switch (kind) {
      case 'gap':
        f.base = rng.int(0, 1) === 0 ? 'BTC' : 'ETH';
        break;
      case 'stall':
        f.ms = rng.int(100, 1200);
        break;
      case 'reject':
        f.count = rng.int(1, 3);
        break;
      case 'partial':
        // "0" = nothing fills: the order ends cancelled with no fill.
        f.size = pick(['0', '0.001', '0.004', '0.005']);
        break;
      case 'ack-stall':
        f.ms = rng.int(200, 1500);
        f.mode = pick(['execute', 'defer', 'drop'] as const);
        break;
      case 'rate-storm':
      case 'index-delay':
        f.ms = rng.int(200, 1500);
        break;
      case 'tx-fail':
        f.count = rng.int(1, 2);
        break;
    }
    faults.push(f);
  }
  trades.sort((a, b) => a.at - b.at);
  faults.sort((a, b) => a.at - b.at);
  const dryRunCheck = rng.int(0, 4) === 0;
  // Drawn last, so adding it kept every earlier seed's trades and faults.
  const crashAt = rng.int(0, 3) === 0 ? rng.int(0, o.spanMs) : undefined;
  return { seed, marketSeed: (seed % 100_000) + 1, trades, faults, dryRunCheck, ...(crashAt !== undefined ? { crashAt } : {}) };
}
