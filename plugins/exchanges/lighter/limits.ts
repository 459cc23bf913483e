/**
 * Lighter's published rate limits as data, and what each of our requests costs against them.
 *
 * Source: https://apidocs.lighter.xyz/docs/rate-limits (read December 2026). Limits "apply to both
 * IP address and L1 address" (one bot on one IP with one account: one budget) for
 * https://mainnet.zklighter.elliot.ai/api/v1/:
 *   Standard accounts   60 requests per rolling minute (not weighted)
 *   Premium accounts    24,000 weighted requests per rolling minute
 *   (Plus 120,000 and Builder 240,000 weighted, read-only endpoints)
 *   Weights: sendTx, sendTxBatch, nextNonce 6; publicPools, txFromL1TxHash 50;
 *            accountInactiveOrders, deposit/latest 100; apikeys 150; transferFeeInfo 500;
 *            trades, recentTrades 600; changeAccountTier and friends 3000; other endpoints 300.
 *   "While standard accounts rate limits are not weighted, whenever
 *   {premium_weighted_requests}/{endpoint_weight} < {standard_requests}, the former limit is going
 *   to be applied": a Standard account may call `trades` only 24000/600 = 40 times a minute.
 *   One budget says both: a Standard request costs max(400, weight) of 24,000 (400 = 24000/60).
 *   For Premium (and above) "sendTx and sendTxBatch fall into a separate rate limit bucket ...
 *   linked to account type and staked tokens": 4,000 sendTx a minute at 0 staked LIT
 *   (apidocs.lighter.xyz/docs/account-types, as summarised in api-evangelist/lighter
 *   plans/lighter-plans.yml); a Standard account's sendTx counts in its 60.
 * WebSocket (same page): per IP 100 connections, 100 subscriptions per connection, 1000 in total,
 *   80 connections per minute, 50 in-flight messages and (Nautilus Trader's Lighter adapter,
 *   LIGHTER_WS_MESSAGE_RATE_PER_MIN) 200 client messages a minute; our feed subscribes two
 *   channels per market once per connection, far inside those.
 *
 * Rolling minute vs token bucket: the venue counts the last 60 s; a token bucket of capacity C
 * refilled at r can send C + r x 60 s in one minute. So C + r x 60 s must equal the published
 * budget: C is a quarter of it (a burst of 15 Standard requests) and r three quarters (45 a
 * minute sustained). A full-size bucket would send 60 at once and 60 more in the same minute.
 *
 * After a 429: a third-party SDK reports the IP blocked for about a minute after bursts (see
 * /work/shared/venue-facts.md; df-lighter-core's `MAX_COOLDOWN_MS` = 60 s for the firewall's
 * hold); whether the venue sends Retry-After is not documented. So without Retry-After the
 * limiter holds every request for backOffMs (default 60 s), Retry-After overrides it. Some
 * endpoints answer "slow down" as HTTP 200 with `{"code":429}` in the body (Nautilus Trader's
 * captured trades answer, test/fixtures/venues/lighter/errors/http200-rate-limited-trades-nautilus.json).
 */
import type { RateLimitSpec, RequestCost } from '../shared/rate-limiter.ts';

export type LighterAccountTier = 'standard' | 'premium';

const RATE_LIMITS = 'https://apidocs.lighter.xyz/docs/rate-limits';

/** Published endpoint weights (RATE_LIMITS "Weights"). */
export const LIGHTER_WEIGHTS = {
  sendTx: 6,
  nextNonce: 6,
  accountInactiveOrders: 100,
  trades: 600,
  /** accountOrders, accountActiveOrders, account, orderBookDetails, tx: "Other endpoints". */
  other: 300,
} as const;

/** A Standard request costs at least this of the 24,000 (24000 / 60). */
const STANDARD_FLOOR = 400;
const MINUTE_WEIGHT = 24_000;
/** Premium sendTx a minute at 0 staked LIT. */
const PREMIUM_SEND_TX_PER_MINUTE = 4_000;

/** A rolling-minute budget as a token bucket that never exceeds it (see the header). */
function rollingMinute(budget: number): { limit: number; windowMs: number } {
  return { limit: budget / 4, windowMs: 20_000 };
}

export function lighterRateLimits(tier: LighterAccountTier, backOffMs = 60_000): RateLimitSpec {
  return {
    venue: 'lighter',
    buckets: {
      rest: {
        ...rollingMinute(MINUTE_WEIGHT),
        source: `${RATE_LIMITS}: ${tier === 'standard' ? '60 requests (max(400, weight) of 24,000)' : '24,000 weighted requests'} per rolling minute, per IP and L1 address`,
      },
      sendTx: {
        ...rollingMinute(PREMIUM_SEND_TX_PER_MINUTE),
        source: `${RATE_LIMITS}: Premium sendTx/sendTxBatch in their own bucket, 4,000 a minute at 0 staked LIT (apidocs account-types)`,
      },
    },
    backOffMs,
    maxBackOffMs: Math.max(backOffMs, 60_000),
  };
}

/** What each of our requests costs on this tier. */
export function lighterCost(tier: LighterAccountTier, endpoint: keyof typeof LIGHTER_WEIGHTS): RequestCost {
  const weight = LIGHTER_WEIGHTS[endpoint];
  if (tier === 'standard') return [{ bucket: 'rest', weight: Math.max(STANDARD_FLOOR, weight) }];
  if (endpoint === 'sendTx') return [{ bucket: 'sendTx' }];
  return [{ bucket: 'rest', weight }];
}

/** One report poll: accountOrders by client index, then trades by order index (orders.ts report()). */
export function lighterPollCost(tier: LighterAccountTier): RequestCost {
  const weights = new Map<string, number>();
  for (const c of [...lighterCost(tier, 'other'), ...lighterCost(tier, 'trades')]) weights.set(c.bucket, (weights.get(c.bucket) ?? 0) + (c.weight ?? 1));
  return [...weights].map(([bucket, weight]) => ({ bucket, weight }));
}

/** "Slow down" as Lighter says it: HTTP 429, or `code` 429 in a 200 body. */
export function isLighterRateLimited(status: number, json: unknown): boolean {
  if (status === 429) return true;
  const code = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['code'] : undefined;
  return code === 429 || code === '429';
}

/**
 * Lighter's taker speed bump: a Standard account's taker order waits 300 ms before it reaches the
 * book (maker and cancel 200 ms); Premium at 0 staked LIT 200 ms taker, 0 ms maker and cancel
 * (https://apidocs.lighter.xyz/docs/account-types, "Taker Latency").
 */
export const LIGHTER_TAKER_DELAY_MS: Readonly<Record<LighterAccountTier, number>> = { standard: 300, premium: 200 };
