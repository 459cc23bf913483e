/**
 * Vest connector, market-data half: /exchangeInfo metadata, `{SYMBOL}@depth` snapshots and
 * `tickers` funding over the WebSocket, PING heartbeat. Vest depth has no sequence, so every
 * push is a snapshot and a resync is one REST /depth fetch (the next push would also do).
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { ExchangeConnector, ExchangeFactoryInput } from '../../../engine/exchange/connector.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import type { MarketDataSink, MarketInfo } from '../../../engine/market/types.ts';
import { FeedRun } from '../shared/feed-run.ts';
import { pickMarkets } from '../shared/markets.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import {
  DEPTH_SUFFIX,
  TICKERS_CHANNEL,
  VEST,
  decodeDepthBody,
  decodeExchangeInfo,
  decodeFrameText,
  pingRequest,
  subscribeRequest,
} from './codec.ts';
import { vestRestHeaders, vestSocketUrl, type VestOptions } from './config.ts';

export interface VestConnectorDeps {
  orders?: OrderGateway;
  random?: () => number;
}

export class VestConnector implements ExchangeConnector {
  readonly venue = VEST;
  readonly chain = 'vest';
  readonly orders?: OrderGateway;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly markets = new Map<string, MarketInfo>();
  private readonly feed: FeedRun;
  private nextId = 1;

  constructor(
    private readonly options: VestOptions,
    input: Pick<ExchangeFactoryInput, 'logger' | 'clock'>,
    private readonly deps: VestConnectorDeps = {},
  ) {
    this.logger = input.logger.child({ venue: VEST });
    this.clock = input.clock;
    this.feed = new FeedRun({ venue: VEST, logger: this.logger, clock: this.clock, random: deps.random });
    if (deps.orders) this.orders = deps.orders;
  }

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const url = `${joinUrl(this.options.restUrl, 'exchangeInfo')}?symbols=${encodeURIComponent(symbols.join(','))}`;
    const body = await getJson(url, { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options) });
    return pickMarkets(VEST, decodeExchangeInfo(body), (m) => m.symbol, symbols);
  }

  async startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    this.markets.clear();
    for (const m of markets) this.markets.set(m.symbol, m);
    const channels = markets.map((m) => `${m.symbol}${DEPTH_SUFFIX}`);
    if (this.options.subscribeFunding) channels.push(TICKERS_CHANNEL);
    await this.feed.start(markets, sink, {
      url: vestSocketUrl(this.options),
      connection: this.options,
      heartbeat: { intervalMs: this.options.heartbeatIntervalMs, message: pingRequest },
      subscribeAll: (send) => send(subscribeRequest(channels, this.nextId++)),
      handleFrame: (data) => this.handleFrame(data),
      requestSnapshot: (symbol) => void this.fetchDepth(symbol),
    });
  }

  resync(symbol: string): void {
    this.feed.resync(symbol);
  }

  stop(): Promise<void> {
    return this.feed.stop();
  }

  get malformedFrames(): number {
    return this.feed.malformedFrames;
  }

  private handleFrame(data: string | Buffer): void {
    const live = this.feed.active();
    if (!live) return;
    const { session, sink } = live;
    const msg = decodeFrameText(data, this.markets, this.clock.now());
    switch (msg.kind) {
      case 'book':
        session.snapshotArrived(msg.event.symbol);
        sink.onBook(msg.event);
        return;
      case 'funding':
        for (const event of msg.events) sink.onFunding?.(event);
        return;
      case 'pong':
      case 'ack':
        return;
      case 'unrouted':
        this.logger.debug('push on a channel we did not subscribe', { channel: msg.channel });
        return;
      case 'other':
        this.logger.debug('message ignored');
        return;
    }
  }

  private async fetchDepth(symbol: string): Promise<void> {
    const market = this.markets.get(symbol);
    const session = this.feed.active()?.session;
    if (!market || !session) return;
    const url = `${joinUrl(this.options.restUrl, 'depth')}?symbol=${encodeURIComponent(symbol)}&limit=${this.options.depthLimit}`;
    try {
      const body = await getJson(url, { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options) });
      const live = this.feed.active();
      if (live?.session !== session) return; // stopped or restarted meanwhile
      const event = decodeDepthBody(body, market, this.clock.now());
      session.snapshotArrived(symbol);
      live.sink.onBook(event);
    } catch (err) {
      // The next @depth push is a snapshot too; the session's resync timer escalates if none comes.
      this.logger.warn('depth snapshot fetch failed', { symbol, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
