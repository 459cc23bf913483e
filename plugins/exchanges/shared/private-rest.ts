/**
 * Private REST calls for order gateways, and the one distinction the executor needs from them:
 *
 * - a definite refusal (the venue answered and did not act): `VenueRejectError` with the venue's
 *   own code, looked up in the venue's error table;
 * - an unknown outcome (no answer, timeout, 5xx, a body we cannot read): `OrderOutcomeUnknownError`.
 *   The order may or may not exist; the executor marks it unresolved and reconciles by status.
 *
 * Error messages carry the method and path only (never the query, which may hold an auth token)
 * and venue text passes through redactSecrets.
 */
import { RateLimitedError, VenueRejectError, type RequestPriority } from '../../../engine/exchange/orders.ts';
import { excerpt } from './errors.ts';
import { retryAfterMs, type RateLimiter, type RequestCost } from './rate-limiter.ts';
import { redactSecrets } from './secret-ref.ts';

/** The request may or may not have taken effect at the venue. */
export class OrderOutcomeUnknownError extends Error {
  constructor(
    readonly venue: string,
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`${venue}: outcome of ${operation} unknown (${reason}); reconcile by order status before acting again`);
    this.name = 'OrderOutcomeUnknownError';
  }
}

export interface VenueResponse {
  status: number;
  text: string;
  /** Parsed body, undefined when empty or not JSON. */
  json: unknown;
  /** The Retry-After header, when the venue sent one (429, 503). */
  retryAfter?: string;
}

export interface PrivateRequest {
  venue: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized here) or a form (URLSearchParams). */
  body?: unknown;
  timeoutMs: number;
  /** Secret values that must not appear in any error this call throws. */
  secrets?: readonly string[];
}

function describeRequest(req: PrivateRequest): string {
  const u = new URL(req.url);
  return `${req.method} ${u.pathname}`;
}

/** Send one request. Resolves with any HTTP answer; throws OrderOutcomeUnknownError on no answer. */
export async function venueRequest(req: PrivateRequest): Promise<VenueResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | URLSearchParams | undefined;
  if (req.body instanceof URLSearchParams) {
    body = req.body;
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  try {
    const response = await fetch(req.url, { method: req.method, headers, body, signal: controller.signal });
    const text = await response.text();
    let json: unknown;
    try {
      json = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, text, json, ...(retryAfter !== null ? { retryAfter } : {}) };
  } catch (err) {
    const reason = controller.signal.aborted ? `no answer within ${req.timeoutMs} ms` : transportText(err);
    throw new OrderOutcomeUnknownError(req.venue, describeRequest(req), redactSecrets(reason, req.secrets ?? []));
  } finally {
    clearTimeout(timer);
  }
}

function transportText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}

/** A venue's error codes as data: what each means and whether it is a definite refusal. */
export interface VenueErrorEntry {
  /** reject: the venue did not act. unknown: it may have (internal errors, timeouts inside the venue). */
  kind: 'reject' | 'unknown';
  meaning: string;
}
export type VenueErrorTable = Readonly<Record<string, VenueErrorEntry>>;

/**
 * Turn a non-success answer into the error to throw. Known codes follow the table; an unknown
 * code on a 4xx is a reject (the venue refused the request as made); 5xx and 408 are unknown.
 */
export function venueFailure(
  venue: string,
  operation: string,
  status: number,
  code: string | undefined,
  message: string,
  table: VenueErrorTable,
  secrets: readonly string[] = [],
): VenueRejectError | OrderOutcomeUnknownError {
  const entry = code !== undefined ? table[code] : undefined;
  const text = redactSecrets(excerpt(message), secrets);
  const kind = entry?.kind ?? (status >= 500 || status === 408 ? 'unknown' : 'reject');
  if (kind === 'unknown') {
    return new OrderOutcomeUnknownError(venue, operation, `HTTP ${status}${code ? ` ${code}` : ''}: ${text}`);
  }
  const detail = entry ? `${entry.meaning}: ${text}` : `HTTP ${status}: ${text}`;
  return new VenueRejectError(venue, code ?? `HTTP_${status}`, `${operation}: ${detail}`);
}

/** A private request charged to the venue's rate limits (plugins/exchanges/<venue>/limits.ts). */
export interface LimitedRequest extends PrivateRequest {
  limiter: RateLimiter;
  cost: RequestCost;
  priority: RequestPriority;
  /** For messages: "GET /orders-history c-1". */
  operation: string;
  /**
   * A venue that signals "slow down" other than by HTTP 429 (an error code in a 200 body, say)
   * names it here.
   */
  isRateLimited?: (res: VenueResponse) => boolean;
  /** Reads are asked again this many times after a 429 (each after the back-off); sends never. */
  readRetries?: number;
}

/**
 * Wait for the limiter, send, and handle "slow down": the limiter holds every request for the
 * venue's Retry-After (or an escalating default), a read is asked again after it, and a send is a
 * RateLimitedError (the venue did not act, so it is a definite refusal, never an unknown outcome).
 */
export async function limitedRequest(req: LimitedRequest): Promise<VenueResponse> {
  const retries = req.method === 'GET' ? (req.readRetries ?? 3) : 0;
  for (let attempt = 0; ; attempt++) {
    await req.limiter.take(req.cost, req.priority);
    const res = await venueRequest(req);
    const limited = res.status === 429 || (req.isRateLimited?.(res) ?? false);
    if (!limited) {
      req.limiter.answered();
      return res;
    }
    const held = req.limiter.rateLimited(retryAfterMs(res.retryAfter), req.operation);
    if (attempt >= retries) throw new RateLimitedError(req.venue, req.operation, held);
  }
}
