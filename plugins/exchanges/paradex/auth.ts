/**
 * Paradex JWT session: POST /auth signed with the account's Stark key (or a subkey), refreshed
 * BEFORE it expires. The refresh is scheduled from the token's own `exp` claim minus a margin, and
 * `token()` also refreshes when the clock says the margin has been reached (a timer can fire late
 * on a busy event loop). A 401 from a private call invalidates the token once (`invalidate`).
 *
 * Onboarding (POST /onboarding) runs once before the first auth when configured; it needs the main
 * key (a subkey cannot onboard) and the L1 address the account was derived from.
 *
 * Both calls are charged to the venue's rate limits when a limiter is given: POST /auth and
 * POST /onboarding share 600 req/m per IP (https://docs.paradex.trade/api/general-information/rate-limits/api.md).
 * They go at 'order' priority: every private call, sends included, waits for the token.
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import { limitedRequest, venueRequest, venueFailure, type PrivateRequest, type VenueResponse } from '../shared/private-rest.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { joinUrl } from '../shared/rest.ts';
import { PARADEX } from './codec.ts';
import { PARADEX_COST } from './limits.ts';
import { PARADEX_ERRORS, paradexErrorOf } from './order-codec.ts';
import type { ParadexSigner } from './signer.ts';

export interface ParadexAuthOptions {
  restUrl: string;
  requestTimeoutMs: number;
  jwtRefreshMarginMs: number;
  jwtFallbackLifetimeMs: number;
  authSignatureTtlSec: number;
  onboard?: { ethereumAccount: string } | undefined;
}

interface Session {
  jwt: string;
  /** ms since epoch at which we stop using it (exp - margin). */
  refreshAt: number;
}

/** `exp` claim (seconds) of a JWT, read without verifying it: it only schedules our refresh. */
export function jwtExpiry(jwt: string): number | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

export class ParadexAuth {
  private session: Session | undefined;
  private inflight: Promise<Session> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onboarded = false;
  private stopped = false;
  /** Number of successful POST /auth calls; for health lines and tests. */
  refreshes = 0;

  constructor(
    private readonly options: ParadexAuthOptions,
    private readonly signer: () => Promise<ParadexSigner>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly limiter?: RateLimiter,
  ) {}

  /** A JWT valid for at least the refresh margin. */
  async token(): Promise<string> {
    const s = this.session;
    if (s && this.clock.now() < s.refreshAt) return s.jwt;
    return (await this.refresh()).jwt;
  }

  /** The venue refused the current token (401): the next token() fetches a new one. */
  invalidate(jwt: string): void {
    if (this.session?.jwt === jwt) this.session = undefined;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<Session> {
    this.inflight ??= this.fetchSession().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchSession(): Promise<Session> {
    const signer = await this.signer();
    if (this.options.onboard && !this.onboarded) await this.onboard(signer, this.options.onboard.ethereumAccount);
    const now = this.clock.now();
    const timestamp = Math.floor(now / 1000);
    const headers = signer.authHeaders(timestamp, timestamp + this.options.authSignatureTtlSec);
    const res = await this.post('POST /auth', {
      venue: PARADEX,
      method: 'POST',
      url: joinUrl(this.options.restUrl, 'auth'),
      headers,
      timeoutMs: this.options.requestTimeoutMs,
    });
    if (res.status !== 200 && res.status !== 201) {
      const { code, message } = paradexErrorOf(res.json, res.text);
      throw venueFailure(PARADEX, 'POST /auth', res.status, code, message, PARADEX_ERRORS);
    }
    const jwt = (res.json as { jwt_token?: unknown } | undefined)?.jwt_token;
    if (typeof jwt !== 'string' || jwt.length === 0) throw venueFailure(PARADEX, 'POST /auth', res.status, undefined, 'answer has no jwt_token', PARADEX_ERRORS);
    const exp = jwtExpiry(jwt);
    const expiresAt = exp !== undefined ? exp * 1000 : now + this.options.jwtFallbackLifetimeMs;
    // Never schedule in the past: a token shorter-lived than the margin is refreshed at half life.
    const refreshAt = Math.max(now + (expiresAt - now) / 2, expiresAt - this.options.jwtRefreshMarginMs);
    const session = { jwt, refreshAt };
    this.session = session;
    this.refreshes += 1;
    this.schedule(refreshAt - now);
    this.logger.debug('paradex JWT refreshed', { expiresInMs: expiresAt - now });
    return session;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.refresh().catch((err: unknown) => this.logger.warn('scheduled JWT refresh failed; next private call retries', { error: String(err instanceof Error ? err.message : err) }));
    }, Math.max(0, delayMs));
    this.timer.unref();
  }

  /** A 429 here surfaces as RateLimitedError (the venue did not act): the caller asks again later. */
  private post(operation: string, req: PrivateRequest): Promise<VenueResponse> {
    if (!this.limiter) return venueRequest(req);
    return limitedRequest({ ...req, limiter: this.limiter, cost: PARADEX_COST.auth, priority: 'order', operation });
  }

  private async onboard(signer: ParadexSigner, ethereumAccount: string): Promise<void> {
    const res = await this.post('POST /onboarding', {
      venue: PARADEX,
      method: 'POST',
      url: joinUrl(this.options.restUrl, 'onboarding'),
      headers: signer.onboardingHeaders(ethereumAccount),
      body: { public_key: signer.publicKey },
      timeoutMs: this.options.requestTimeoutMs,
    });
    const { code, message } = paradexErrorOf(res.json, res.text);
    if (res.status >= 300 && code !== 'ETHEREUM_ADDRESS_ALREADY_ONBOARDED') {
      throw venueFailure(PARADEX, 'POST /onboarding', res.status, code, message, PARADEX_ERRORS);
    }
    this.onboarded = true;
    this.logger.info('paradex account onboarded', { account: signer.account });
  }
}
