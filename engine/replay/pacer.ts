/** Holds a replay to recorded time divided by `speed`; without a speed it never waits. */
import { setTimeout as sleep } from 'node:timers/promises';

export class Pacer {
  private t0: number | undefined;
  private wall0 = 0;

  constructor(private readonly speed: number | undefined) {}

  /** Milliseconds to wait before the event recorded at `t` is due; 0 when due or in fast mode. */
  delayFor(t: number): number {
    if (this.speed === undefined) return 0;
    if (this.t0 === undefined) {
      this.t0 = t;
      this.wall0 = performance.now();
      return 0;
    }
    const due = this.wall0 + (t - this.t0) / this.speed;
    return Math.max(0, due - performance.now());
  }

  async wait(ms: number): Promise<void> {
    if (ms >= 1) await sleep(ms);
  }
}
