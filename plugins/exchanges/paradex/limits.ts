/**
 * Paradex's published rate limits as data, and what each of our requests costs against them.
 *
 * Source: https://docs.paradex.trade/api/general-information/rate-limits/api.md (table read
 * December 2026):
 *   public   Default              1500 req/m per IP
 *            POST /onboarding      600 req/m per IP
 *            POST /auth            600 req/m per IP
 *   private  POST, DELETE, PUT /orders   800 req/s OR 17250 req/m per account
 *            GET /*                      120 req/s OR 600 req/m per account
 *   "Private endpoint rate limits are applied per account, but are also subject to an additional
 *   IP-based rate limit of 1500 req/m across all accounts from the same IP address."
 * The venue refills continuously ("token bucket ... tokens are continuously refilled at a fixed
 * rate", https://docs.paradex.trade/api/general-information/rate-limits/common-questions.md),
 * which is what RateLimiter does; "X req/s OR Y req/m" is two buckets, both charged.
 *
 * Our reading where the docs are silent: the public 1500/m per IP and the private IP-wide
 * 1500/m are charged to ONE bucket (the docs do not say whether they are one budget; sharing
 * is the safe reading: we never send more than either allows). Every response carries
 * `X-RateLimit-*` and `Retry-After` headers (docs changelog v1.118.5,
 * https://docs.paradex.trade/releases/changelog/2025/10/30.md); limitedRequest honours Retry-After.
 */
import type { RequestCost, RateLimitSpec } from '../shared/rate-limiter.ts';

const API_TABLE = 'https://docs.paradex.trade/api/general-information/rate-limits/api.md';

export const PARADEX_RATE_LIMITS: RateLimitSpec = {
  venue: 'paradex',
  buckets: {
    ip: { limit: 1500, windowMs: 60_000, source: `${API_TABLE}: public default 1500 req/m per IP, and private calls' additional 1500 req/m per IP (one budget, our reading)` },
    authPerIp: { limit: 600, windowMs: 60_000, source: `${API_TABLE}: POST /onboarding, POST /auth 600 req/m per IP` },
    ordersPerSecond: { limit: 800, windowMs: 1_000, source: `${API_TABLE}: POST, DELETE, PUT /orders 800 req/s per account` },
    ordersPerMinute: { limit: 17_250, windowMs: 60_000, source: `${API_TABLE}: POST, DELETE, PUT /orders 17250 req/m per account` },
    privateGetPerSecond: { limit: 120, windowMs: 1_000, source: `${API_TABLE}: private GET /* 120 req/s per account` },
    privateGetPerMinute: { limit: 600, windowMs: 60_000, source: `${API_TABLE}: private GET /* 600 req/m per account` },
  },
  // The venue refills continuously, so a 429 frees within about one token's time (100 ms at
  // 600/min); Retry-After, when sent, overrides this.
  backOffMs: 500,
  maxBackOffMs: 30_000,
};

/** What each kind of Paradex request costs (every one also counts against the IP budget). */
export const PARADEX_COST = {
  /** GET /markets, /system/config and other public reads. */
  publicGet: [{ bucket: 'ip' }],
  /** POST /auth, POST /onboarding. */
  auth: [{ bucket: 'authPerIp' }, { bucket: 'ip' }],
  /** POST /orders, DELETE /orders/... (create and cancel share the budget). */
  order: [{ bucket: 'ordersPerSecond' }, { bucket: 'ordersPerMinute' }, { bucket: 'ip' }],
  /** Any authenticated GET (orders, history, fills, positions, account). */
  privateGet: [{ bucket: 'privateGetPerSecond' }, { bucket: 'privateGetPerMinute' }, { bucket: 'ip' }],
} as const satisfies Record<string, RequestCost>;
