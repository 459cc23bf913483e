/**
 * The one REST call market data needs: GET a JSON document with a timeout, mapping every way
 * it can fail to a typed venue error (HTTP status, timeout, transport or non-JSON body).
 */
import type { RequestPriority } from '../../../engine/exchange/orders.ts';
import { VenueHttpError, VenueRequestError, VenueTimeoutError } from './errors.ts';
import { retryAfterMs, type RateLimiter, type RequestCost } from './rate-limiter.ts';

export interface GetJsonOptions {
  venue: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Charge the venue's rate limits (public budgets are per IP, shared with the order gateway). */
  rate?: { limiter: RateLimiter; cost: RequestCost; priority?: RequestPriority };
}

export async function getJson(url: string, options: GetJsonOptions): Promise<unknown> {
  const { venue, timeoutMs, rate } = options;
  if (rate) await rate.limiter.take(rate.cost, rate.priority ?? 'background');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal: controller.signal,
    });
    body = await response.text();
  } catch (err) {
    if (controller.signal.aborted) throw new VenueTimeoutError(venue, url, timeoutMs);
    throw new VenueRequestError(venue, url, errorText(err));
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 429 && rate) rate.limiter.rateLimited(retryAfterMs(response.headers.get('retry-after')), `GET ${new URL(url).pathname}`);
  else rate?.limiter.answered();
  if (!response.ok) throw new VenueHttpError(venue, url, response.status, body);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new VenueRequestError(venue, url, `body is not JSON: ${body.slice(0, 80)}`);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
