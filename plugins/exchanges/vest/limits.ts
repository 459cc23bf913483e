/**
 * Vest's rate limits as data, and what each of our requests costs against them.
 *
 * Vest publishes no figures. Its API docs (hummingbot/hummingbot VEST_API_DOCS.md @ 0d60409b,
 * the copy of https://docs.vest.exchange/getting-started/vest-api) list only the error code
 * TOO_MANY_REQUESTS = 1003 and, under POST /orders, the error answer `{"code": 429, "msg":
 * "Rate limited"}` (test/fixtures/venues/vest/errors/rate-limited-docs.json). No Retry-After
 * is documented; limitedRequest honours one if the venue sends it.
 *
 * Stated defaults (our choice, not the venue's): the per-endpoint budgets of hummingbot's Vest
 * connector (hummingbot vest_perpetual_constants.py RATE_LIMITS: exchangeInfo, ticker, depth
 * 10/s; /account, /account/nonce, listenKey 5/s; /orders and /orders/cancel 10/s), charged per
 * API key (one gateway), with the public reads counted per IP in a bucket of their own. Our
 * reading: GET and POST /orders share one budget (one path in that table).
 */
import type { RateLimitSpec, RequestCost } from '../shared/rate-limiter.ts';

const HB = 'hummingbot vest_perpetual_constants.py RATE_LIMITS (Vest publishes no figures; VEST_API_DOCS.md lists only 429 / TOO_MANY_REQUESTS 1003)';

export const VEST_RATE_LIMITS: RateLimitSpec = {
  venue: 'vest',
  buckets: {
    publicPerIp: { limit: 10, windowMs: 1_000, source: `${HB}: /exchangeInfo, /ticker/latest, /depth 10 per second` },
    orders: { limit: 10, windowMs: 1_000, source: `${HB}: /orders, /orders/cancel 10 per second` },
    account: { limit: 5, windowMs: 1_000, source: `${HB}: /account, /account/nonce, /account/listenKey 5 per second` },
  },
  // No Retry-After documented: hold 1 s (one window of the budgets above), doubling to 30 s.
  backOffMs: 1_000,
  maxBackOffMs: 30_000,
};

export const VEST_COST = {
  /** GET /exchangeInfo, /depth, /ticker/latest. */
  publicGet: [{ bucket: 'publicPerIp' }],
  /** POST /orders, POST /orders/cancel, GET /orders. */
  orders: [{ bucket: 'orders' }],
  /** GET /account, GET /account/nonce, POST/PUT /account/listenKey. */
  account: [{ bucket: 'account' }],
} as const satisfies Record<string, RequestCost>;
