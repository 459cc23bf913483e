/**
 * Test-side WebSocket client: a plain `ws` socket with a queue of received text frames.
 * Deliberately independent of any connector in plugins/: tests read the venues' documented
 * JSON shapes themselves.
 */
import { Decimal } from 'decimal.js';
import WebSocket from 'ws';

export class WireClient {
  readonly frames: string[] = [];
  readonly pings: number[] = [];
  private waiters: Array<() => void> = [];
  private cursor = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(String(data));
      this.wake();
    });
    ws.on('ping', () => this.pings.push(Date.now()));
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(url: string): Promise<WireClient> {
    const ws = new WebSocket(url);
    const client = new WireClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next unread frame, raw text. */
  async nextRaw(timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.cursor >= this.frames.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames[this.cursor++] as string;
  }

  /** The next unread frame, parsed. */
  async next(timeoutMs = 2000): Promise<any> {
    return JSON.parse(await this.nextRaw(timeoutMs));
  }

  /** Skip frames until one matches. */
  async nextWhere(match: (m: any) => boolean, timeoutMs = 2000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (match(m)) return m;
    }
  }

  /** Resolves true if nothing arrives within ms. */
  async silentFor(ms: number): Promise<boolean> {
    const seen = this.frames.length;
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.length === seen;
  }

  get unread(): number {
    return this.frames.length - this.cursor;
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A book the test keeps from wire messages: price string -> size string, per side. */
export class TestBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();

  set(side: 'bid' | 'ask', price: string, size: string): void {
    const map = side === 'bid' ? this.bids : this.asks;
    // Keys are canonical decimals so "65000.10" and "65000.1" are the same level.
    const key = new Decimal(price).toString();
    if (new Decimal(size).isZero()) map.delete(key);
    else map.set(key, new Decimal(size).toString());
  }

  remove(side: 'bid' | 'ask', price: string): void {
    (side === 'bid' ? this.bids : this.asks).delete(new Decimal(price).toString());
  }

  /** [price, size] pairs best first, canonical decimals. */
  levels(side: 'bid' | 'ask', limit = Infinity): Array<[string, string]> {
    const map = side === 'bid' ? this.bids : this.asks;
    const sorted = [...map].sort(([a], [b]) => new Decimal(a).comparedTo(new Decimal(b)));
    if (side === 'bid') sorted.reverse();
    return sorted.slice(0, limit);
  }
}

/** Canonical [price, size] pairs from a venue's pair list. */
export function canonicalPairs(pairs: Array<[string, string]>): Array<[string, string]> {
  return pairs.map(([p, s]) => [new Decimal(p).toString(), new Decimal(s).toString()]);
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}
