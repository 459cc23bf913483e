/**
 * The risk gate for on-chain calls (the flash-loan cycle's start_cycle): the same kill switch and
 * halts as the two-leg trades, and limits of its own, since a cycle risks different things. A
 * cycle borrows (capped per cycle in USD), and the contract reverts unless it gains at least the
 * caller's minimum, so what a cycle can lose is its gas: each admitted cycle books that worst case
 * against the day's loss budget at once (the strategy does not wait for the receipt), and a burst
 * of cycles (reverts pay gas each time) is capped per rolling hour.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { FlashLoanRiskConfig } from './config.ts';
import { startOfUtcDay } from './exposure.ts';
import type { KillSwitch } from './kill-switch.ts';

const HOUR_MS = 3_600_000;

export type OnChainRule = 'kill-switch' | 'halted' | 'max-borrow' | 'cycles-per-hour' | 'daily-loss';

export type OnChainVerdict = { ok: true } | { ok: false; rule: OnChainRule; reason: string };

export interface OnChainCall {
  /** The judgment id the call acts on (journaled before the call). */
  id: string;
  /** What the cycle borrows, valued in USD at the reference price. */
  borrowUsd: Decimal;
  /** The most the call can lose (a reverted cycle's gas), USD. */
  worstLossUsd: Decimal;
}

export interface OnChainGateDeps {
  limits: FlashLoanRiskConfig;
  clock: Clock;
  killSwitch: Pick<KillSwitch, 'check'>;
  /** Why the engine's trading is halted, if it is (reconciling, venues disagree). */
  halted: () => string | undefined;
}

export class OnChainGate {
  readonly denied = new Map<OnChainRule, number>();
  private readonly admittedAt: number[] = [];
  private day = -1;
  private lossToday = new Decimal(0);

  constructor(private readonly deps: OnChainGateDeps) {}

  /** Yes or no for this call; a yes counts it (cycles this hour, worst-case loss today) at once. */
  admit(call: OnChainCall): OnChainVerdict {
    const v = this.evaluate(call);
    if (!v.ok) {
      this.denied.set(v.rule, (this.denied.get(v.rule) ?? 0) + 1);
      return v;
    }
    this.admittedAt.push(this.deps.clock.now());
    this.lossToday = this.lossToday.plus(call.worstLossUsd);
    return v;
  }

  /** Worst-case loss booked today (USD). */
  lossBookedToday(): Decimal {
    this.rollDay(this.deps.clock.now());
    return this.lossToday;
  }

  private evaluate(call: OnChainCall): OnChainVerdict {
    const { limits, clock, killSwitch, halted } = this.deps;
    const now = clock.now();
    const kill = killSwitch.check();
    if (kill) return deny('kill-switch', kill);
    const halt = halted();
    if (halt) return deny('halted', halt);
    const maxBorrow = new Decimal(limits.maxBorrowUsd);
    if (call.borrowUsd.gt(maxBorrow)) return deny('max-borrow', `cycle ${call.id} borrows ${call.borrowUsd.toFixed(2)} USD, limit ${maxBorrow.toString()} USD per cycle`);
    while (this.admittedAt.length && now - this.admittedAt[0]! >= HOUR_MS) this.admittedAt.shift();
    if (this.admittedAt.length >= limits.maxCyclesPerHour) return deny('cycles-per-hour', `${this.admittedAt.length} cycles in the last hour, limit ${limits.maxCyclesPerHour}`);
    this.rollDay(now);
    const loss = new Decimal(limits.dailyLossLimitUsd);
    const after = this.lossToday.plus(call.worstLossUsd);
    if (after.gt(loss)) return deny('daily-loss', `worst-case loss today would be ${after.toFixed(2)} USD, limit ${loss.toString()} USD`);
    return { ok: true };
  }

  private rollDay(now: number): void {
    const day = startOfUtcDay(now);
    if (day !== this.day) {
      this.day = day;
      this.lossToday = new Decimal(0);
    }
  }
}

function deny(rule: OnChainRule, reason: string): OnChainVerdict {
  return { ok: false, rule, reason };
}
