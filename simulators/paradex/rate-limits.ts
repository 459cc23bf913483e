/**
 * Paradex rate limits as the venue enforces them, for the simulator (SimRateLimits rules).
 * Written from the docs, apart from the connector's limits (plugins/ is never imported here).
 *
 * https://docs.paradex.trade/api/general-information/rate-limits/api.md:
 *   public default 1500 req/m per IP; POST /onboarding and POST /auth 600 req/m per IP;
 *   private POST, DELETE, PUT /orders 800 req/s OR 17250 req/m per account;
 *   private GET /* 120 req/s OR 600 req/m per account; private calls are "also subject to an
 *   additional IP-based rate limit of 1500 req/m across all accounts from the same IP address".
 * Every response carries X-RateLimit-Limit / -Remaining / -Reset / -Window and Retry-After
 * (changelog v1.118.5, https://docs.paradex.trade/releases/changelog/2025/10/30.md; paradex-py
 * http_client.py `_parse_rate_limit`: reset is unix seconds, window seconds).
 *
 * Guessed: the 429 body (undocumented; paradex-py never reads it, only the status and headers):
 * `{"error":"RATE_LIMIT_EXCEEDED","message":...}` in the venue's usual error envelope; the
 * X-RateLimit-* headers are sent on the 429 only; the public and the private per-IP budgets are
 * one; every loopback client is one IP. The venue refills its buckets continuously; these rules
 * count over a sliding window, which never admits more than the venue would (it is stricter
 * right after a burst).
 */
import { retryAfterHeader, type SimRateRule } from '../rate-limits.ts';
import { json, type RestReply, type RestRequest } from '../venue-host.ts';

export interface ParadexLimit {
  limit: number;
  windowMs: number;
}

/** The published figures; tests tighten any of them (ParadexPrivate.setRateLimits). */
export interface ParadexLimits {
  perIp: ParadexLimit;
  authPerIp: ParadexLimit;
  ordersPerSecond: ParadexLimit;
  ordersPerMinute: ParadexLimit;
  privateGetPerSecond: ParadexLimit;
  privateGetPerMinute: ParadexLimit;
}

export const PARADEX_PUBLISHED_LIMITS: ParadexLimits = {
  perIp: { limit: 1500, windowMs: 60_000 },
  authPerIp: { limit: 600, windowMs: 60_000 },
  ordersPerSecond: { limit: 800, windowMs: 1_000 },
  ordersPerMinute: { limit: 17_250, windowMs: 60_000 },
  privateGetPerSecond: { limit: 120, windowMs: 1_000 },
  privateGetPerMinute: { limit: 600, windowMs: 60_000 },
};

const IP = 'loopback';

/** HTTP 429 as Paradex answers it (body guessed, see the header). */
export function paradexTooManyRequests(limit: ParadexLimit, retryAfterMs: number, nowMs: number): RestReply {
  return {
    ...json(429, { error: 'RATE_LIMIT_EXCEEDED', message: `rate limit exceeded: ${limit.limit} requests per ${limit.windowMs / 1000} s` }),
    headers: {
      ...retryAfterHeader(retryAfterMs),
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil((nowMs + retryAfterMs) / 1000)),
      'x-ratelimit-window': String(Math.max(1, Math.round(limit.windowMs / 1000))),
    },
  };
}

/**
 * The rules. `accountOf` names the account a request's bearer JWT stands for (undefined without a
 * valid one: the route answers 401 and no account budget is charged).
 */
export function paradexRateRules(limits: ParadexLimits, accountOf: (r: RestRequest) => string | undefined, now: () => number): SimRateRule[] {
  const isAuth = (r: RestRequest) => r.method === 'POST' && (/^\/v1\/auth(\/|$)/.test(r.path) || r.path === '/v1/onboarding');
  const isOrders = (r: RestRequest) => (r.method === 'POST' || r.method === 'DELETE' || r.method === 'PUT') && /^\/v1\/orders(\/|$)/.test(r.path);
  const rule = (name: string, limit: ParadexLimit, applies: (r: RestRequest) => boolean, key: (r: RestRequest) => string | undefined): SimRateRule => ({
    name,
    limit: limit.limit,
    windowMs: limit.windowMs,
    applies,
    key,
    reply: (retryAfterMs) => paradexTooManyRequests(limit, retryAfterMs, now()),
  });
  return [
    rule('per IP', limits.perIp, () => true, () => IP),
    rule('auth per IP', limits.authPerIp, isAuth, () => IP),
    rule('orders per account per second', limits.ordersPerSecond, isOrders, accountOf),
    rule('orders per account', limits.ordersPerMinute, isOrders, accountOf),
    rule('private GET per account per second', limits.privateGetPerSecond, (r) => r.method === 'GET', accountOf),
    rule('private GET per account', limits.privateGetPerMinute, (r) => r.method === 'GET', accountOf),
  ];
}
