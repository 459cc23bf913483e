/** What a notifier needs from a way of delivering a message (Telegram, a webhook). */

export type SendOutcome =
  | { ok: true }
  /** retryable: a later attempt may succeed (network, 5xx, 429); retryAfterMs: the endpoint said when. */
  | { ok: false; retryable: boolean; retryAfterMs?: number; error: string };

export interface AlertTransport {
  /** Shown in logs and counters; never contains a token or a webhook URL. */
  readonly name: string;
  send(text: string, signal: AbortSignal): Promise<SendOutcome>;
}

/** A network failure, timeout included: worth another attempt. Its message never carries the URL (it may hold a token). */
export function networkFailure(err: unknown): SendOutcome {
  const e = err as Error & { cause?: { code?: string } };
  const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timed out' : (e.cause?.code ?? e.name ?? 'network error');
  return { ok: false, retryable: true, error: why };
}

/** Seconds from an HTTP Retry-After header (delta-seconds form), as ms. */
export function retryAfterHeader(value: string | null): number | undefined {
  if (value === null) return undefined;
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? Math.ceil(s * 1000) : undefined;
}
