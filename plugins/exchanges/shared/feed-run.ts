/**
 * One market-data run of a WebSocket connector: the FeedSession between startMarketData() and
 * stop(), and the sink it feeds. The three venues' connectors share this lifecycle (start once,
 * resync on the hub's request, count malformed frames, stop), so it lives here once.
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { MarketDataSink, MarketInfo } from '../../../engine/market/types.ts';
import { FeedSession, type FeedSessionOptions } from './feed-session.ts';

/** What differs per venue: URL, heartbeat, how to subscribe, decode and resnapshot. */
export type FeedSetup = Omit<FeedSessionOptions, 'venue' | 'logger' | 'clock' | 'random' | 'sink' | 'symbols'>;

export class FeedRun {
  private session: FeedSession | undefined;
  private sink: MarketDataSink | undefined;

  constructor(private readonly base: { venue: string; logger: Logger; clock: Clock; random?: () => number }) {}

  async start(markets: MarketInfo[], sink: MarketDataSink, setup: FeedSetup): Promise<void> {
    if (this.session) throw new Error(`${this.base.venue}: market data already started; stop() first`);
    this.sink = sink;
    this.session = new FeedSession({ ...setup, ...this.base, sink, symbols: markets.map((m) => m.symbol) });
    await this.session.start();
  }

  /** The running session and its sink; undefined after stop(), so late frames are dropped. */
  active(): { session: FeedSession; sink: MarketDataSink } | undefined {
    return this.session && this.sink ? { session: this.session, sink: this.sink } : undefined;
  }

  send(text: string): void {
    this.session?.send(text);
  }

  resync(symbol: string): void {
    this.session?.resync(symbol, 'requested by hub');
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.stop();
  }

  /** Frames that failed to decode in this run. */
  get malformedFrames(): number {
    return this.session?.malformedFrames ?? 0;
  }
}
