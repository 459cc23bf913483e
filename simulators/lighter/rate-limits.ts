/**
 * Lighter rate limits as the venue enforces them, for the simulator (SimRateLimits rules).
 * Written from the docs, apart from the connector's limits (plugins/ is never imported here).
 *
 * https://apidocs.lighter.xyz/docs/rate-limits: limits "apply to both IP address and L1 address";
 * Standard accounts 60 requests per rolling minute, Premium 24,000 weighted requests; weights
 * sendTx/sendTxBatch/nextNonce 6, accountInactiveOrders 100, trades/recentTrades 600, other
 * endpoints 300; a Standard account is held to 24000/weight where that is below 60 (trades: 40).
 * Premium sendTx/sendTxBatch have their own bucket (4,000 a minute at 0 staked LIT).
 *
 * Guessed (undocumented): after the limit trips the IP is refused for about a minute (a
 * third-party SDK's report; blockMs, tests shorten it); the 429 carries no Retry-After; its body is
 * `{"code":429,"message":"Too Many Requests"}`. The trades endpoint answers "slow down" as HTTP 200
 * with code 429 in the body, as Nautilus Trader captured it
 * (test/fixtures/venues/lighter/errors/http200-rate-limited-trades-nautilus.json). Every loopback
 * client is one IP and one account.
 */
import type { SimRateRule } from '../rate-limits.ts';
import { json, type RestReply, type RestRequest } from '../venue-host.ts';

export type LighterSimTier = 'standard' | 'premium';

export interface LighterLimits {
  tier: LighterSimTier;
  /** Weighted budget per window (24,000 a rolling minute). */
  weightPerWindow: number;
  /** Premium sendTx per window. */
  premiumSendTxPerWindow: number;
  windowMs: number;
  /** How long the IP is refused once a budget trips. */
  blockMs: number;
}

export const LIGHTER_PUBLISHED_LIMITS: LighterLimits = { tier: 'standard', weightPerWindow: 24_000, premiumSendTxPerWindow: 4_000, windowMs: 60_000, blockMs: 60_000 };

const IP = 'loopback';

function weightOf(path: string): number {
  const name = path.replace(/^\/api\/v1\//, '');
  if (name === 'sendTx' || name === 'sendTxBatch' || name === 'nextNonce') return 6;
  if (name === 'accountInactiveOrders') return 100;
  if (name === 'trades' || name === 'recentTrades') return 600;
  return 300;
}

const isSendTx = (r: RestRequest) => r.method === 'POST' && /^\/api\/v1\/sendTx(Batch)?$/.test(r.path);

/** The venue's "slow down" (see the header). */
export function lighterTooManyRequests(r: RestRequest): RestReply {
  const body = { code: 429, message: 'Too Many Requests' };
  return r.path === '/api/v1/trades' ? json(200, { ...body, next_cursor: null, trades: [] }) : json(429, body);
}

export function lighterRateRules(limits: LighterLimits): SimRateRule[] {
  // A Standard request weighs max(400, weight) of 24,000: 60 a minute, 40 of trades.
  const floor = limits.tier === 'standard' ? limits.weightPerWindow / 60 : 0;
  let current: RestRequest | undefined;
  const rule = (name: string, limit: number, applies: (r: RestRequest) => boolean, weight: (r: RestRequest) => number): SimRateRule => ({
    name,
    limit,
    windowMs: limits.windowMs,
    blockMs: limits.blockMs,
    applies: (r) => {
      current = r;
      return r.path.startsWith('/api/v1/') && applies(r);
    },
    key: () => IP,
    weight,
    reply: () => lighterTooManyRequests(current!),
  });
  const rest = rule(
    `${limits.tier} requests per IP`,
    limits.weightPerWindow,
    (r) => limits.tier === 'standard' || !isSendTx(r),
    (r) => Math.max(floor, weightOf(r.path)),
  );
  return limits.tier === 'standard' ? [rest] : [rest, rule('premium sendTx per IP', limits.premiumSendTxPerWindow, isSendTx, () => 1)];
}
