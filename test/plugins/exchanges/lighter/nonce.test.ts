import { describe, expect, it } from 'vitest';
import { NonceSequencer, NonceSequencers, isInvalidNonceError } from '../../../../plugins/exchanges/lighter/nonce.ts';

const tick = () => new Promise<void>((r) => setTimeout(r, Math.floor(Math.random() * 3)));

/** A fake venue: accepts only the exact next nonce, like Lighter's per-key sequence. */
class FakeVenue {
  expected: number;
  fetches = 0;
  accepted: number[] = [];
  constructor(start: number) {
    this.expected = start;
  }
  fetcher = async (): Promise<number> => {
    this.fetches++;
    await tick();
    return this.expected;
  };
  private chain: Promise<unknown> = Promise.resolve();
  /**
   * Processes sends in arrival order (one ordered connection, as Lighter's WS sendTx) and refuses a
   * nonce that is not exactly the expected one.
   */
  send(nonce: number): Promise<string> {
    const p = this.chain.then(async () => {
      await tick();
      if (nonce !== this.expected) throw new Error(`{"code":21104,"message":"invalid nonce"}`);
      this.expected++;
      this.accepted.push(nonce);
      return `tx-${nonce}`;
    });
    this.chain = p.catch(() => undefined);
    return p;
  }
}

describe('lighter NonceSequencer', () => {
  it('hands 500 concurrent callers distinct, consecutive nonces with one fetch', async () => {
    const venue = new FakeVenue(1000);
    const seq = new NonceSequencer(venue.fetcher);
    const nonces = await Promise.all(Array.from({ length: 500 }, () => seq.next()));
    expect(venue.fetches).toBe(1);
    expect(new Set(nonces).size).toBe(500);
    expect([...nonces].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => 1000 + i));
    // Order of hand-out follows order of request: strictly increasing in call order.
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]!).toBeGreaterThan(nonces[i - 1]!);
  });

  it('resyncs once after a burst of "invalid nonce" from the same epoch, then continues from the venue value', async () => {
    const venue = new FakeVenue(50);
    const seq = new NonceSequencer(venue.fetcher);
    const leases = await Promise.all(Array.from({ length: 10 }, () => seq.acquire()));
    expect(leases.map((l) => l.nonce)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    // The venue refused 50 at the API level (nonce not consumed); everything after it is invalid too.
    venue.expected = 50;
    await Promise.all(leases.map((l) => seq.invalidNonce(l)));
    expect(venue.fetches).toBe(2);
    expect(await seq.next()).toBe(50);
    expect(seq.currentEpoch).toBe(2);
  });

  it('run(): 200 concurrent sends against a strict venue with injected gaps all land, no nonce used twice', async () => {
    const venue = new FakeVenue(7);
    const seq = new NonceSequencer(venue.fetcher);
    // Another process using the same key bumps the venue's nonce now and then.
    const interferer = setInterval(() => {
      venue.expected += 1;
    }, 5);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        seq.run((nonce) => venue.send(nonce), 50),
      ),
    );
    clearInterval(interferer);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok.length).toBe(200);
    expect(new Set(venue.accepted).size).toBe(venue.accepted.length);
    for (let i = 1; i < venue.accepted.length; i++) expect(venue.accepted[i]!).toBeGreaterThan(venue.accepted[i - 1]!);
    expect(venue.fetches).toBeGreaterThan(1);
  });

  it('does not retry other errors and surfaces a failed fetch to every waiter, then recovers', async () => {
    let fail = true;
    const seq = new NonceSequencer(async () => {
      await tick();
      if (fail) throw new Error('HTTP 503');
      return 9;
    });
    const waiters = await Promise.allSettled([seq.next(), seq.next(), seq.next()]);
    expect(waiters.every((w) => w.status === 'rejected')).toBe(true);
    fail = false;
    expect(await seq.next()).toBe(9);
    let calls = 0;
    await expect(
      seq.run(async () => {
        calls++;
        throw new Error('insufficient margin');
      }),
    ).rejects.toThrow('insufficient margin');
    expect(calls).toBe(1);
  });

  it('refuses a nonsense nextNonce', async () => {
    const seq = new NonceSequencer(async () => -1);
    await expect(seq.next()).rejects.toThrow(/nextNonce returned -1/);
  });

  it('keeps one sequencer per (account, api key)', async () => {
    const made: string[] = [];
    const book = new NonceSequencers((a, k) => {
      made.push(`${a}:${k}`);
      return async () => a * 100 + k;
    });
    expect(book.get(1, 2)).toBe(book.get(1, 2));
    expect(await book.get(1, 2).next()).toBe(102);
    expect(await book.get(1, 3).next()).toBe(103);
    expect(made).toEqual(['1:2', '1:3']);
  });

  it('recognizes the invalid-nonce refusal', () => {
    expect(isInvalidNonceError(new Error('{"code":21104,"message":"invalid nonce"}'))).toBe(true);
    expect(isInvalidNonceError({ code: 21104, message: 'Invalid Nonce' })).toBe(true);
    expect(isInvalidNonceError(new Error('margin'))).toBe(false);
  });
});
