/**
 * The shared limiter and the 429 path every private REST call goes through, against a loopback
 * HTTP server of the test's own that answers 429 with Retry-After the way venues do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../../engine/exchange/orders.ts';
import { limitedRequest } from '../../../../plugins/exchanges/shared/private-rest.ts';
import { RateLimiter, retryAfterMs, type RateLimitSpec } from '../../../../plugins/exchanges/shared/rate-limiter.ts';

const spec = (limit: number, windowMs: number, extra: Partial<RateLimitSpec> = {}): RateLimitSpec => ({
  venue: 'test',
  buckets: { get: { limit, windowMs, source: 'test' }, ip: { limit: 1000, windowMs: 1000, source: 'test' } },
  backOffMs: 50,
  maxBackOffMs: 400,
  ...extra,
});

describe('RateLimiter', () => {
  it('lets a burst up to the limit through at once, then paces at limit per window', async () => {
    const limiter = new RateLimiter(spec(5, 500));
    const t0 = performance.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 8 }, () => limiter.take([{ bucket: 'get' }], 'reconcile').then(() => times.push(performance.now() - t0))));
    times.sort((a, b) => a - b);
    expect(times[4]!).toBeLessThan(30);
    // 3 more at 100 ms each (5 per 500 ms).
    expect(times[7]!).toBeGreaterThan(250);
    expect(times[7]!).toBeLessThan(600);
  });

  it('serves orders before reconciliation before background reads when tokens are short', async () => {
    const limiter = new RateLimiter(spec(1, 100));
    await limiter.take([{ bucket: 'get' }], 'order'); // empties the bucket
    const order: string[] = [];
    const bg = limiter.take([{ bucket: 'get' }], 'background').then(() => order.push('background'));
    const rec = limiter.take([{ bucket: 'get' }], 'reconcile').then(() => order.push('reconcile'));
    const ord = limiter.take([{ bucket: 'get' }], 'order').then(() => order.push('order'));
    await Promise.all([bg, rec, ord]);
    expect(order).toEqual(['order', 'reconcile', 'background']);
  });

  it('charges every bucket a request counts against, with weights', async () => {
    const limiter = new RateLimiter(spec(100, 1000, { buckets: { acct: { limit: 10, windowMs: 1000, source: 't' }, ip: { limit: 3, windowMs: 300, source: 't' } } }));
    const t0 = performance.now();
    await limiter.take([{ bucket: 'acct' }, { bucket: 'ip', weight: 3 }], 'reconcile');
    // The ip bucket is empty now: the next call waits ~300 ms for 3 units although acct has 9 left.
    await limiter.take([{ bucket: 'acct' }, { bucket: 'ip', weight: 3 }], 'reconcile');
    expect(performance.now() - t0).toBeGreaterThan(250);
  });

  it('holds everything after a 429 for Retry-After, and escalates when the venue gives none', async () => {
    const limiter = new RateLimiter(spec(100, 1000));
    expect(limiter.rateLimited(200, 'GET /x')).toBe(200);
    const t0 = performance.now();
    await limiter.ready('order');
    expect(performance.now() - t0).toBeGreaterThan(180);
    // No Retry-After: 50, 100, 200, 400, 400 (capped).
    expect([1, 2, 3, 4].map(() => limiter.rateLimited(undefined, 'GET /x'))).toEqual([100, 200, 400, 400]);
    limiter.answered();
    expect(limiter.rateLimited(undefined, 'GET /x')).toBe(50);
  });

  it('refuses a bucket it does not have, naming the ones it has', () => {
    const limiter = new RateLimiter(spec(1, 1));
    expect(() => limiter.take([{ bucket: 'nope' }], 'order')).toThrow(/no rate-limit bucket "nope" \(have get, ip\)/);
  });

  it('ready(priority, cost) waits for the poll\'s tokens, so the poll itself then goes out at once', async () => {
    // 4 per 400 ms: one token every 100 ms. Without the reservation ready() resolves at once and
    // the poll's take() waits ~200 ms: inside the executor's deadline instead of outside it.
    const limiter = new RateLimiter(spec(4, 400));
    await limiter.take([{ bucket: 'get', weight: 4 }], 'reconcile');
    const poll = [{ bucket: 'get', weight: 2 }] as const;
    const t0 = performance.now();
    await limiter.ready('reconcile', poll);
    expect(performance.now() - t0).toBeGreaterThan(150);
    expect(limiter.reservedTokens('reconcile')).toEqual({ get: 2 });
    const t1 = performance.now();
    await limiter.take(poll, 'reconcile');
    expect(performance.now() - t1).toBeLessThan(30);
    expect(limiter.reservedTokens('reconcile')).toEqual({});
  });

  it('expectPolls makes the executor\'s plain ready(priority) reserve the poll; an unspent reservation serves the next poll', async () => {
    const limiter = new RateLimiter(spec(4, 400));
    limiter.expectPolls('reconcile', [{ bucket: 'get', weight: 3 }]);
    await limiter.ready('reconcile');
    expect(limiter.reservedTokens('reconcile')).toEqual({ get: 3 });
    // The poll was answered without a request (a push): the next ready() takes nothing more.
    const t0 = performance.now();
    await limiter.ready('reconcile');
    expect(performance.now() - t0).toBeLessThan(30);
    expect(limiter.reservedTokens('reconcile')).toEqual({ get: 3 });
    // Background reads never spend what reconciliation reserved: one token left, the next waits.
    await limiter.take([{ bucket: 'get' }], 'background');
    const t1 = performance.now();
    await limiter.take([{ bucket: 'get' }], 'background');
    expect(performance.now() - t1).toBeGreaterThan(60);
    expect(limiter.reservedTokens('reconcile')).toEqual({ get: 3 });
  });

  it('a 429 voids reservations: the venue\'s count of our requests is ahead of ours', async () => {
    const limiter = new RateLimiter(spec(4, 400));
    await limiter.ready('reconcile', [{ bucket: 'get', weight: 2 }]);
    limiter.rateLimited(60, 'GET /x');
    expect(limiter.reservedTokens('reconcile')).toEqual({});
    const t0 = performance.now();
    await limiter.ready('reconcile', [{ bucket: 'get', weight: 1 }]);
    // The hold is waited out and the token taken afresh: nothing of the voided reservation is left.
    expect(performance.now() - t0).toBeGreaterThan(50);
    expect(limiter.reservedTokens('reconcile')).toEqual({ get: 1 });
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('limitedRequest against a venue that answers 429', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function venue(answer: (n: number) => { status: number; headers?: Record<string, string>; body: string }): Promise<{ url: string; hits: () => number }> {
    let n = 0;
    server = createServer((req, res) => {
      const a = answer(n++);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => n };
  }

  it('a read rate-limited twice with Retry-After is asked again after each hold, and succeeds', async () => {
    const v = await venue((n) => (n < 2 ? { status: 429, headers: { 'retry-after': '0.2' }, body: '{"error":"RATE_LIMIT"}' } : { status: 200, body: '{"ok":true}' }));
    const limiter = new RateLimiter(spec(100, 1000));
    const t0 = performance.now();
    const res = await limitedRequest({ venue: 'test', method: 'GET', url: `${v.url}/orders`, timeoutMs: 2000, limiter, cost: [{ bucket: 'get' }], priority: 'reconcile', operation: 'GET /orders' });
    expect(res.status).toBe(200);
    expect(v.hits()).toBe(3);
    expect(performance.now() - t0).toBeGreaterThan(380);
    expect(limiter.rateLimitedAnswers).toBe(2);
  });

  it('a send answered 429 is a RateLimitedError (the venue did not act) and is never retried', async () => {
    const v = await venue(() => ({ status: 429, body: '' }));
    const limiter = new RateLimiter(spec(100, 1000));
    const send = limitedRequest({ venue: 'test', method: 'POST', url: `${v.url}/orders`, body: { a: 1 }, timeoutMs: 2000, limiter, cost: [{ bucket: 'get' }], priority: 'order', operation: 'POST /orders' });
    await expect(send).rejects.toBeInstanceOf(RateLimitedError);
    expect(v.hits()).toBe(1);
    expect(limiter.heldForMs()).toBeGreaterThan(0);
  });

  it('a venue-specific "slow down" in a 200 body is handled like a 429', async () => {
    const v = await venue((n) => (n === 0 ? { status: 200, body: '{"code":23000,"message":"too many requests"}' } : { status: 200, body: '{"code":200}' }));
    const limiter = new RateLimiter(spec(100, 1000));
    const res = await limitedRequest({
      venue: 'test', method: 'GET', url: `${v.url}/x`, timeoutMs: 2000, limiter, cost: [{ bucket: 'get' }], priority: 'reconcile', operation: 'GET /x',
      isRateLimited: (r) => (r.json as { code?: number } | undefined)?.code === 23000,
    });
    expect((res.json as { code: number }).code).toBe(200);
    expect(v.hits()).toBe(2);
  });
});
