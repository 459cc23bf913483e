/**
 * A venue's rate limits as the venue enforces them: each rule counts the requests it applies to
 * per key (the account, or the client's IP) over a sliding window, and past the limit answers
 * the venue's own "slow down" reply (HTTP 429 with Retry-After, or whatever the venue sends).
 * A rule may block the key for a while after it trips (Lighter blocks an IP for about a minute).
 *
 * Written for the simulators, apart from the connectors' limiter (plugins/exchanges/shared):
 * the engine's pacing is tested against this, so they must not share code.
 */
import type { RestReply, RestRequest } from './venue-host.ts';

export interface SimRateRule {
  /** For test messages and counters: "private GET per account". */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Whether the rule counts this request. */
  applies(request: RestRequest): boolean;
  /** Whose budget it is (account id, "ip"); undefined means the rule does not count this one. */
  key(request: RestRequest): string | undefined;
  /** Weight of this request (default 1). */
  weight?(request: RestRequest): number;
  /** After tripping, refuse every request of the key for this long (default: until the window frees). */
  readonly blockMs?: number;
  /** The venue's answer when over the limit; retryAfterMs is when the budget frees. */
  reply(retryAfterMs: number): RestReply;
}

interface KeyState {
  /** Times and weights of requests within the window. */
  log: { at: number; weight: number }[];
  blockedUntil: number;
}

export class SimRateLimits {
  private rules: readonly SimRateRule[];
  private readonly state = new Map<string, KeyState>();
  /** Requests refused per rule name, for tests. */
  readonly refused = new Map<string, number>();
  enabled = true;

  constructor(
    rules: readonly SimRateRule[],
    private readonly now: () => number = Date.now,
  ) {
    this.rules = rules;
  }

  /** Replace the rules (tests tighten limits to provoke 429 storms). */
  setRules(rules: readonly SimRateRule[]): void {
    this.rules = rules;
    this.state.clear();
  }

  /** The refusal to send instead of answering, or undefined to serve the request (and count it). */
  check(request: RestRequest): RestReply | undefined {
    if (!this.enabled) return undefined;
    const now = this.now();
    const charges: { state: KeyState; weight: number }[] = [];
    for (const rule of this.rules) {
      if (!rule.applies(request)) continue;
      const key = rule.key(request);
      if (key === undefined) continue;
      const id = `${rule.name}\u0000${key}`;
      let s = this.state.get(id);
      if (!s) this.state.set(id, (s = { log: [], blockedUntil: 0 }));
      if (now < s.blockedUntil) return this.refuse(rule, s.blockedUntil - now);
      while (s.log.length > 0 && now - s.log[0]!.at >= rule.windowMs) s.log.shift();
      const used = s.log.reduce((n, e) => n + e.weight, 0);
      const weight = rule.weight?.(request) ?? 1;
      if (used + weight > rule.limit) {
        if (rule.blockMs !== undefined) {
          s.blockedUntil = now + rule.blockMs;
          return this.refuse(rule, rule.blockMs);
        }
        const frees = (s.log[0]?.at ?? now) + rule.windowMs - now;
        return this.refuse(rule, Math.max(1, frees));
      }
      charges.push({ state: s, weight });
    }
    for (const c of charges) c.state.log.push({ at: now, weight: c.weight });
    return undefined;
  }

  private refuse(rule: SimRateRule, retryAfterMs: number): RestReply {
    this.refused.set(rule.name, (this.refused.get(rule.name) ?? 0) + 1);
    return rule.reply(retryAfterMs);
  }
}

/** Retry-After in whole seconds, rounded up (RFC 9110 §10.2.3 delay-seconds). */
export function retryAfterHeader(ms: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}
