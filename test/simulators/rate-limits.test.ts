import { describe, expect, it } from 'vitest';
import { SimRateLimits, retryAfterHeader, type SimRateRule } from '../../simulators/rate-limits.ts';
import type { RestRequest } from '../../simulators/venue-host.ts';

const req = (method: string, path: string, account = 'a'): RestRequest => ({ method, path, query: new URLSearchParams(), headers: { account }, params: [], body: '' });

function rule(extra: Partial<SimRateRule> = {}): SimRateRule {
  return {
    name: 'GET per account',
    limit: 3,
    windowMs: 1000,
    applies: (r) => r.method === 'GET',
    key: (r) => String(r.headers['account']),
    reply: (ms) => ({ status: 429, body: { error: 'RATE_LIMIT' }, headers: retryAfterHeader(ms) }),
    ...extra,
  };
}

describe('simulated venue rate limits', () => {
  it('counts per key over a sliding window and answers 429 with Retry-After past the limit', () => {
    let now = 0;
    const limits = new SimRateLimits([rule()], () => now);
    for (let i = 0; i < 3; i++) expect(limits.check(req('GET', '/x'))).toBeUndefined();
    const refused = limits.check(req('GET', '/x'))!;
    expect(refused.status).toBe(429);
    expect(refused.headers).toEqual({ 'retry-after': '1' });
    expect(limits.check(req('GET', '/x', 'b'))).toBeUndefined(); // another account's budget
    expect(limits.check(req('POST', '/x'))).toBeUndefined(); // not counted by this rule
    now = 1000;
    expect(limits.check(req('GET', '/x'))).toBeUndefined();
    expect(limits.refused.get('GET per account')).toBe(1);
  });

  it('a blocking rule refuses everything from the key until the block ends', () => {
    let now = 0;
    const limits = new SimRateLimits([rule({ blockMs: 60_000 })], () => now);
    for (let i = 0; i < 3; i++) limits.check(req('GET', '/x'));
    expect(limits.check(req('GET', '/x'))?.headers).toEqual({ 'retry-after': '60' });
    now = 30_000;
    expect(limits.check(req('GET', '/x'))?.status).toBe(429);
    now = 60_001;
    expect(limits.check(req('GET', '/x'))).toBeUndefined();
  });

  it('weights count against the limit', () => {
    const limits = new SimRateLimits([rule({ weight: () => 2 })], () => 0);
    expect(limits.check(req('GET', '/x'))).toBeUndefined();
    expect(limits.check(req('GET', '/x'))?.status).toBe(429);
  });
});
