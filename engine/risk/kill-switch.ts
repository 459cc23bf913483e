/**
 * The kill switch: trips on a file appearing, on SIGUSR2, or by a call. Once tripped it stays
 * tripped for the life of the process (an operator restarts deliberately); listeners stop new
 * trades and cancel resting orders.
 */
import { existsSync } from 'node:fs';

export type KillListener = (reason: string) => void;

export interface KillSwitchOptions {
  file?: string;
  signal?: boolean;
  pollMs?: number;
}

export class KillSwitch {
  private reason: string | undefined;
  private readonly listeners: KillListener[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly onSignal = () => this.trip('SIGUSR2 received');

  constructor(private readonly options: KillSwitchOptions = {}) {}

  onTrip(listener: KillListener): void {
    this.listeners.push(listener);
  }

  get tripped(): string | undefined {
    return this.reason;
  }

  trip(reason: string): void {
    if (this.reason) return;
    this.reason = reason;
    for (const l of this.listeners) l(reason);
  }

  /** Called before every trade, so a file dropped a moment ago stops the very next one. */
  check(): string | undefined {
    if (!this.reason && this.options.file && existsSync(this.options.file)) this.trip(`kill file ${this.options.file} exists`);
    return this.reason;
  }

  /** Watch the file and the signal in the background. */
  arm(): void {
    if (this.options.signal) process.on('SIGUSR2', this.onSignal);
    if (this.options.file) {
      this.timer = setInterval(() => this.check(), this.options.pollMs ?? 500);
      this.timer.unref();
    }
    this.check();
  }

  disarm(): void {
    if (this.timer) clearInterval(this.timer);
    process.off('SIGUSR2', this.onSignal);
  }
}
