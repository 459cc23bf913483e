/**
 * Lighter connector, market-data half: /api/v1/orderBookDetails metadata, `order_book/{id}`
 * snapshot + updates and `market_stats/{id}` funding over `/stream`, JSON ping both ways,
 * resync by unsubscribe + subscribe (the subscription opens with a fresh snapshot).
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { ExchangeConnector, ExchangeFactoryInput } from '../../../engine/exchange/connector.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import type { BookEvent, MarketDataSink, MarketInfo } from '../../../engine/market/types.ts';
import { FeedRun } from '../shared/feed-run.ts';
import { decodeEach, pickMarkets } from '../shared/markets.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { LIGHTER_TAKER_DELAY_MS, lighterCost } from './limits.ts';
import {
  LIGHTER,
  PING,
  PONG,
  decodeFrameText,
  decodeOrderBookDetails,
  subscribeRequest,
  unsubscribeRequest,
  type LighterDecodeContext,
} from './codec.ts';
import type { LighterOptions } from './config.ts';

export interface LighterConnectorDeps {
  orders?: OrderGateway;
  /** The plugin's limiter (limits.ts): orderBookDetails counts against the same budget as the gateway. */
  limiter?: RateLimiter;
  random?: () => number;
}

const bookChannel = (symbol: string) => `order_book/${symbol}`;
const statsChannel = (symbol: string) => `market_stats/${symbol}`;

export class LighterConnector implements ExchangeConnector {
  readonly venue = LIGHTER;
  readonly chain = 'lighter';
  /** The account tier's taker speed bump (limits.ts): the execution simulator ages books by it. */
  readonly takerDelayMs: number;
  readonly orders?: OrderGateway;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly ctx: LighterDecodeContext & { markets: Map<string, MarketInfo> };
  /**
   * Books whose last snapshot carried no nonce: their first update is handed to the hub with
   * prevSeq undefined, matching the snapshot's undefined seq, and chains by nonce from there.
   */
  private readonly unsequenced = new Set<string>();
  private readonly feed: FeedRun;
  /** Book updates without `begin_nonce` (each one resyncs its book). */
  unchainedUpdates = 0;

  constructor(
    private readonly options: LighterOptions,
    input: Pick<ExchangeFactoryInput, 'logger' | 'clock'>,
    private readonly deps: LighterConnectorDeps = {},
  ) {
    this.logger = input.logger.child({ venue: LIGHTER });
    this.takerDelayMs = LIGHTER_TAKER_DELAY_MS[options.accountTier];
    this.clock = input.clock;
    this.feed = new FeedRun({ venue: LIGHTER, logger: this.logger, clock: this.clock, random: deps.random });
    this.ctx = { markets: new Map(), fundingRateUnit: options.fundingRateUnit, trustSnapshotNonce: options.trustSnapshotNonce };
    if (deps.orders) this.orders = deps.orders;
  }

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const body = await getJson(joinUrl(this.options.restUrl, 'api/v1/orderBookDetails'), {
      venue: LIGHTER,
      timeoutMs: this.options.requestTimeoutMs,
      ...(this.deps.limiter ? { rate: { limiter: this.deps.limiter, cost: lighterCost(this.options.accountTier, 'other'), priority: 'background' as const } } : {}),
    });
    return pickMarkets(LIGHTER, decodeOrderBookDetails(body), (m) => m.symbol, symbols);
  }

  /** GET /api/v1/orderBookDetails unfiltered, for instrument discovery (Lighter's numeric market ids resolved here). */
  async listMarkets(): Promise<MarketInfo[]> {
    const body = await getJson(joinUrl(this.options.restUrl, 'api/v1/orderBookDetails'), {
      venue: LIGHTER,
      timeoutMs: this.options.requestTimeoutMs,
      ...(this.deps.limiter ? { rate: { limiter: this.deps.limiter, cost: lighterCost(this.options.accountTier, 'other'), priority: 'background' as const } } : {}),
    });
    const { markets, skipped } = decodeEach((body as { order_book_details?: unknown }).order_book_details, (raw) => decodeOrderBookDetails({ order_book_details: [raw] }));
    if (skipped.length > 0) this.logger.warn('markets left out of discovery', { skipped });
    return markets;
  }

  async startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    this.ctx.markets.clear();
    for (const m of markets) this.ctx.markets.set(m.symbol, m);
    await this.feed.start(markets, sink, {
      url: this.options.wsUrl,
      connection: this.options,
      heartbeat: { intervalMs: this.options.heartbeatIntervalMs, message: () => PING },
      subscribeAll: (send) => {
        for (const m of markets) {
          send(subscribeRequest(bookChannel(m.symbol)));
          if (this.options.subscribeFunding) send(subscribeRequest(statsChannel(m.symbol)));
        }
      },
      handleFrame: (data) => this.handleFrame(data),
      requestSnapshot: (symbol) => {
        this.feed.send(unsubscribeRequest(bookChannel(symbol)));
        this.feed.send(subscribeRequest(bookChannel(symbol)));
      },
    });
  }

  resync(symbol: string): void {
    this.feed.resync(symbol);
  }

  async stop(): Promise<void> {
    await this.feed.stop();
    // The gateway's account stream goes down with the connector.
    await (this.orders as { stop?: () => unknown } | undefined)?.stop?.();
  }

  get malformedFrames(): number {
    return this.feed.malformedFrames;
  }

  private handleFrame(data: string | Buffer): void {
    const live = this.feed.active();
    if (!live) return;
    const { session, sink } = live;
    const msg = decodeFrameText(data, this.ctx, this.clock.now());
    switch (msg.kind) {
      case 'book': {
        const event = this.bridge(msg.event);
        if (!event) return;
        sink.onBook(event);
        return;
      }
      case 'funding':
        for (const event of msg.events) sink.onFunding?.(event);
        return;
      case 'ping':
        session.send(PONG);
        return;
      case 'connected':
      case 'pong':
        return;
      case 'error':
        this.logger.warn('venue reported an error', { code: msg.code, message: msg.message });
        return;
      case 'resync':
        // Counted and logged once per update: an unchainable update must not move the book.
        this.unchainedUpdates += 1;
        this.logger.warn('book update cannot be chained; resyncing', { symbol: msg.symbol, reason: msg.reason, unchainedUpdates: this.unchainedUpdates });
        session.resync(msg.symbol, msg.reason);
        return;
      case 'unrouted':
        this.logger.debug('push on a channel we did not subscribe', { channel: msg.channel });
        return;
      case 'unknown':
        this.logger.debug('message type ignored', { type: msg.type });
        return;
    }
  }

  /** Snapshot gate plus the unsequenced-snapshot rule; undefined means drop the event. */
  private bridge(event: BookEvent): BookEvent | undefined {
    const session = this.feed.active()?.session;
    if (!session) return undefined;
    if (event.type === 'snapshot') {
      session.snapshotArrived(event.symbol);
      if (event.seq === undefined) this.unsequenced.add(event.symbol);
      else this.unsequenced.delete(event.symbol);
      return event;
    }
    if (session.awaitingSnapshot(event.symbol)) return undefined;
    if (this.unsequenced.delete(event.symbol)) {
      const { prevSeq: _ignored, ...rest } = event;
      return rest;
    }
    return event;
  }
}
