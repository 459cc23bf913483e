/**
 * Vest rate limits as the simulator enforces them (SimRateLimits rules). Written apart from the
 * connector's limits (plugins/ is never imported here).
 *
 * Vest publishes no figures. Its API docs (hummingbot/hummingbot VEST_API_DOCS.md, the copy of
 * https://docs.vest.exchange/getting-started/vest-api) show only the answer to a request over
 * the limit, under POST /orders: `{"code": 429, "msg": "Rate limited"}`, and list
 * TOO_MANY_REQUESTS = 1003. Guessed: the HTTP status is 429 (the body's code says so); no
 * Retry-After header (none is documented; `retryAfter: true` in the limits sends one, for tests
 * of a venue that does); budgets per API key for private calls and per IP for public ones, at
 * the figures hummingbot's Vest connector assumes (vest_perpetual_constants.py: /orders 10/s,
 * /account 5/s, public reads 10/s).
 */
import { retryAfterHeader, type SimRateRule } from '../rate-limits.ts';
import { json, type RestReply, type RestRequest } from '../venue-host.ts';

export interface VestLimit {
  limit: number;
  windowMs: number;
}

/** The figures; tests tighten any of them (VestPrivate.setRateLimits). */
export interface VestLimits {
  publicPerIp: VestLimit;
  /** GET /orders, POST /orders, POST /orders/cancel, per API key. */
  orders: VestLimit;
  /** /account, /account/nonce, /account/listenKey, per API key. */
  account: VestLimit;
  /** Send Retry-After on the 429 (the docs show none). */
  retryAfter?: boolean;
}

export const VEST_ASSUMED_LIMITS: VestLimits = {
  publicPerIp: { limit: 10, windowMs: 1_000 },
  orders: { limit: 10, windowMs: 1_000 },
  account: { limit: 5, windowMs: 1_000 },
};

/** The docs' answer over the limit. */
export function vestTooManyRequests(retryAfterMs: number, withHeader: boolean): RestReply {
  return { ...json(429, { code: 429, msg: 'Rate limited' }), ...(withHeader ? { headers: retryAfterHeader(retryAfterMs) } : {}) };
}

export function vestRateRules(limits: VestLimits, apiKeyOf: (r: RestRequest) => string | undefined): SimRateRule[] {
  const isOrders = (r: RestRequest) => /^\/v2\/orders(\/cancel)?$/.test(r.path);
  const isAccount = (r: RestRequest) => /^\/v2\/account(\/nonce|\/listenKey)?$/.test(r.path);
  const isPublic = (r: RestRequest) => !isOrders(r) && !isAccount(r) && r.path !== '/v2/register';
  const rule = (name: string, limit: VestLimit, applies: (r: RestRequest) => boolean, key: (r: RestRequest) => string | undefined): SimRateRule => ({
    name,
    limit: limit.limit,
    windowMs: limit.windowMs,
    applies,
    key,
    reply: (retryAfterMs) => vestTooManyRequests(retryAfterMs, limits.retryAfter ?? false),
  });
  return [
    rule('public per IP', limits.publicPerIp, isPublic, () => 'loopback'),
    rule('orders per API key', limits.orders, isOrders, apiKeyOf),
    rule('account per API key', limits.account, isAccount, apiKeyOf),
  ];
}
