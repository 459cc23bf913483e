/**
 * One venue's market-data connection as the hub sees it: the reconnecting socket plus the
 * bookkeeping every venue needs the same way.
 *
 * - Status: socket connecting/open/closed become FeedStatusEvents (connecting -> live ->
 *   disconnected -> connecting -> live), so the hub marks books stale while we are away.
 * - Snapshot gate: after every (re)connect and every resync a book needs a fresh snapshot;
 *   deltas that arrive before it are dropped here (they would only be gaps to the hub).
 * - Resync: at most one in flight per book; if its snapshot does not come within
 *   resyncTimeoutMs we ask once more, then reconnect the socket.
 * - Malformed frames: counted, logged with venue, field and an excerpt; if the frame concerned
 *   a book, that book is resynced (status `resyncing` for that symbol).
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { FeedState, MarketDataSink } from '../../../engine/market/types.ts';
import type { ConnectionOptions } from './config.ts';
import { WireFormatError, excerpt } from './errors.ts';
import { ReconnectingSocket, type Heartbeat, type SocketState } from './reconnecting-socket.ts';

export interface FeedSessionOptions {
  venue: string;
  url: string;
  connection: ConnectionOptions;
  heartbeat?: Heartbeat;
  logger: Logger;
  clock: Clock;
  sink: MarketDataSink;
  /** The venue symbols whose books this session keeps. */
  symbols: string[];
  random?: () => number;
  /** Send every subscription; called on each (re)connect. */
  subscribeAll(send: (text: string) => void): void;
  /** Decode one frame and deliver what it holds; throws WireFormatError on a malformed frame. */
  handleFrame(data: string | Buffer, isBinary: boolean): void;
  /** Ask the venue for a fresh snapshot of one book (resubscribe, or a REST fetch). */
  requestSnapshot(symbol: string): void;
}

interface PendingSnapshot {
  attempts: number;
  timer: NodeJS.Timeout;
}

export class FeedSession {
  readonly socket: ReconnectingSocket;
  /** Frames that failed to decode since start; exposed for health reporting. */
  malformedFrames = 0;
  private readonly pending = new Map<string, PendingSnapshot>();
  private readonly log: Logger;
  private firstOpen: (() => void) | undefined;

  constructor(private readonly options: FeedSessionOptions) {
    this.log = options.logger.child({ venue: options.venue });
    this.socket = new ReconnectingSocket({
      name: options.venue,
      url: options.url,
      backoff: options.connection.reconnect,
      connectTimeoutMs: options.connection.connectTimeoutMs,
      stallTimeoutMs: options.connection.stallTimeoutMs,
      heartbeat: options.heartbeat,
      logger: this.log,
      random: options.random,
      onOpen: () => this.onOpen(),
      onMessage: (data, isBinary) => this.onMessage(data, isBinary),
      onState: (state, reason) => this.onSocketState(state, reason),
    });
  }

  /**
   * Connect. Resolves once the first connection is open, or after connectTimeoutMs with a
   * warning: the socket keeps retrying in the background and the hub sees `disconnected`.
   */
  start(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn('first connection not open yet; still retrying', { url: this.options.url });
        this.firstOpen = undefined;
        resolve();
      }, this.options.connection.connectTimeoutMs);
      this.firstOpen = () => {
        clearTimeout(timer);
        this.firstOpen = undefined;
        resolve();
      };
      this.socket.start();
    });
  }

  async stop(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.firstOpen?.();
    await this.socket.stop();
  }

  send(text: string): boolean {
    return this.socket.send(text);
  }

  /** True while a book waits for a snapshot; its deltas must be dropped. */
  awaitingSnapshot(symbol: string): boolean {
    return this.pending.has(symbol);
  }

  /** The codec decoded a snapshot for `symbol`: deltas may flow again. */
  snapshotArrived(symbol: string): void {
    const p = this.pending.get(symbol);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(symbol);
  }

  /**
   * Fetch a fresh snapshot for one book. Idempotent while one is in flight, so the hub calling
   * resync for every gapped delta of the same burst costs one resubscribe.
   */
  resync(symbol: string, reason: string): void {
    if (!this.options.symbols.includes(symbol)) {
      this.log.warn('resync for a market this feed does not carry', { symbol });
      return;
    }
    const existing = this.pending.get(symbol);
    if (existing && existing.attempts > 0) return;
    this.emitStatus('resyncing', [symbol], reason);
    this.requestSnapshot(symbol, (existing?.attempts ?? 0) + 1, existing);
  }

  emitStatus(state: FeedState, symbols: string[], reason?: string): void {
    this.options.sink.onStatus({ venue: this.options.venue, state, symbols, ...(reason ? { reason } : {}) });
  }

  /** Count and log a frame that did not decode; resync the book it concerned, if known. */
  malformed(err: unknown, data: string | Buffer): void {
    this.malformedFrames += 1;
    const text = typeof data === 'string' ? data : `<${data.length} binary bytes>`;
    if (err instanceof WireFormatError) {
      this.log.warn('malformed frame ignored', {
        field: err.field,
        problem: err.problem,
        symbol: err.symbol,
        excerpt: excerpt(text),
        malformedFrames: this.malformedFrames,
      });
      if (err.symbol !== undefined && this.options.symbols.includes(err.symbol)) {
        this.resync(err.symbol, `malformed frame: ${err.field} ${err.problem}`);
      }
      return;
    }
    this.log.error('frame handler failed', { error: String(err), excerpt: excerpt(text) });
  }

  private requestSnapshot(symbol: string, attempts: number, previous?: PendingSnapshot): void {
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.snapshotOverdue(symbol), this.options.connection.resyncTimeoutMs);
    this.pending.set(symbol, { attempts, timer });
    try {
      this.options.requestSnapshot(symbol);
    } catch (err) {
      this.log.error('snapshot request failed', { symbol, error: String(err) });
    }
  }

  private snapshotOverdue(symbol: string): void {
    const p = this.pending.get(symbol);
    if (!p) return;
    if (p.attempts < 2) {
      this.log.warn('snapshot overdue; asking again', { symbol, attempts: p.attempts });
      this.emitStatus('resyncing', [symbol], 'snapshot overdue');
      this.requestSnapshot(symbol, p.attempts + 1, p);
      return;
    }
    this.log.warn('snapshot still overdue; reconnecting', { symbol, attempts: p.attempts });
    this.socket.reconnect(`no snapshot for ${symbol}`);
  }

  private onOpen(): void {
    // Every book starts over on a new connection: the venue sends a snapshot per subscription.
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const symbol of this.options.symbols) {
      const timer = setTimeout(() => this.snapshotOverdue(symbol), this.options.connection.resyncTimeoutMs);
      this.pending.set(symbol, { attempts: 0, timer });
    }
    this.options.subscribeAll((text) => {
      this.socket.send(text);
    });
    this.emitStatus('live', []);
    this.firstOpen?.();
  }

  private onMessage(data: string | Buffer, isBinary: boolean): void {
    try {
      this.options.handleFrame(data, isBinary);
    } catch (err) {
      this.malformed(err, data);
    }
  }

  private onSocketState(state: SocketState, reason?: string): void {
    if (state === 'connecting') this.emitStatus('connecting', [], reason);
    else if (state === 'closed') {
      for (const p of this.pending.values()) clearTimeout(p.timer);
      this.pending.clear();
      this.emitStatus('disconnected', [], reason);
    } else if (state === 'stopped') this.emitStatus('stopped', []);
    // 'open' is reported from onOpen, after the subscriptions are sent.
  }
}
