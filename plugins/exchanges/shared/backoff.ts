/**
 * Reconnect delay: exponential from minMs, capped at maxMs, with "equal jitter" (half fixed,
 * half random) so that many clients dropped at once by a venue restart do not reconnect in
 * lockstep, while the delay never falls below half the exponential step.
 */
export interface BackoffOptions {
  minMs: number;
  maxMs: number;
}

export function reconnectDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = options.minMs * 2 ** Math.min(attempt, 30);
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}
