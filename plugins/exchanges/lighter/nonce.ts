/**
 * Lighter nonces are per (account, API key) and strictly sequential; a tx refused at the API level does
 * not consume its nonce (apidocs.lighter.xyz "Signing Transactions" > "Handle Nonces"). One sequencer per
 * key hands them out locally (fast path: no await between read and increment, so concurrent callers can
 * never share one) and goes back to `GET /api/v1/nextNonce` when the venue says "invalid nonce".
 *
 * Epochs: every resync starts a new epoch. A failure reported for a nonce from an older epoch does not
 * trigger another resync (the sequencer already moved on), so a burst of failures from one bad batch
 * costs one fetch, not one per order.
 */

/** Fetches the next nonce the venue expects for this key (GET /api/v1/nextNonce -> `nonce`). */
export type NextNonceFetcher = () => Promise<number>;

export interface NonceLease {
  nonce: number;
  epoch: number;
}

export class NonceSequencerError extends Error {
  constructor(message: string) {
    super(`lighter nonce: ${message}`);
    this.name = 'NonceSequencerError';
  }
}

/** Matches Lighter's "invalid nonce" refusal in an error message or response body. */
export function isInvalidNonceError(err: unknown): boolean {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err ?? '');
  return /invalid nonce/i.test(text);
}

export class NonceSequencer {
  private cursor: number | undefined;
  private epoch = 0;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly fetchNext: NextNonceFetcher,
    readonly label = 'lighter',
  ) {}

  /** The next nonce to be handed out, if known (for diagnostics). */
  peek(): number | undefined {
    return this.cursor;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /** A nonce nobody else gets. Waits for a sync if none has happened or one is running. */
  async acquire(): Promise<NonceLease> {
    for (;;) {
      if (this.syncing) await this.syncing;
      else if (this.cursor === undefined) await this.sync();
      // Re-check after the await: another resync may have started meanwhile.
      if (!this.syncing && this.cursor !== undefined) {
        const nonce = this.cursor;
        this.cursor = nonce + 1;
        return { nonce, epoch: this.epoch };
      }
    }
  }

  async next(): Promise<number> {
    return (await this.acquire()).nonce;
  }

  /**
   * The venue refused `lease` with "invalid nonce": resync from the venue unless a newer epoch already
   * replaced the one the lease came from.
   */
  async invalidNonce(lease: NonceLease): Promise<void> {
    if (lease.epoch !== this.epoch) {
      if (this.syncing) await this.syncing;
      return;
    }
    await this.sync();
  }

  /** Force a fetch (e.g. after a reconnect). Concurrent calls share one fetch. */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    // Started from a resolved promise so `this.syncing` is set before the fetch can settle.
    const run: Promise<void> = Promise.resolve()
      .then(() => this.fetchNext())
      .then((next) => {
        if (!Number.isSafeInteger(next) || next < 0) throw new NonceSequencerError(`${this.label}: nextNonce returned ${String(next)}`);
        this.cursor = next;
        this.epoch += 1;
      })
      .finally(() => {
        if (this.syncing === run) this.syncing = undefined;
      });
    this.syncing = run;
    return run;
  }

  /**
   * Run `send` with a fresh nonce; on "invalid nonce" resync and retry with a new nonce, up to
   * `maxRetries` times. Any other error propagates unchanged (its nonce may or may not be consumed:
   * the caller decides whether to `sync()`).
   */
  async run<T>(send: (nonce: number) => Promise<T>, maxRetries = 2, isInvalid: (e: unknown) => boolean = isInvalidNonceError): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const lease = await this.acquire();
      try {
        return await send(lease.nonce);
      } catch (e) {
        if (!isInvalid(e) || attempt >= maxRetries) throw e;
        await this.invalidNonce(lease);
      }
    }
  }
}

/** One sequencer per (accountIndex, apiKeyIndex). */
export class NonceSequencers {
  private readonly byKey = new Map<string, NonceSequencer>();

  constructor(private readonly fetcherFor: (accountIndex: number, apiKeyIndex: number) => NextNonceFetcher) {}

  get(accountIndex: number, apiKeyIndex: number): NonceSequencer {
    const key = `${accountIndex}:${apiKeyIndex}`;
    let s = this.byKey.get(key);
    if (!s) {
      s = new NonceSequencer(this.fetcherFor(accountIndex, apiKeyIndex), `account ${accountIndex} key ${apiKeyIndex}`);
      this.byKey.set(key, s);
    }
    return s;
  }
}
