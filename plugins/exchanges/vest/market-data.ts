/**
 * Vest connector, market-data half: /exchangeInfo metadata (the order grid from minTickSize,
 * tick-size.ts), `{SYMBOL}@depth` snapshots and funding from `tickers` or `{SYMBOL}@ticker` over
 * the WebSocket, PING heartbeat. Vest depth has no sequence, so every push is a snapshot and a
 * resync is one REST /depth fetch (the next push would also do).
 *
 * A stream the venue refuses (`subscription_outcomes` ... `rejected`, codec.ts) would otherwise
 * look like a quiet market: its book is marked stopped with the channel and the venue's reason,
 * counted, and no longer resynced (a resync of a book that gets no pushes would only end in a
 * reconnect loop). Each reconnect subscribes again, so a later acceptance revives it.
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { ExchangeConnector, ExchangeFactoryInput } from '../../../engine/exchange/connector.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import type { MarketDataSink, MarketInfo } from '../../../engine/market/types.ts';
import { FeedRun } from '../shared/feed-run.ts';
import { decodeEach, pickMarkets } from '../shared/markets.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import { VEST_COST } from './limits.ts';
import {
  DEPTH_SUFFIX,
  TICKERS_CHANNEL,
  TICKER_SUFFIX,
  VEST,
  decodeDepthBody,
  decodeFrameText,
  decodeVestMarkets,
  pingRequest,
  subscribeRequest,
  type SubscriptionRefusal,
} from './codec.ts';
import { vestRestHeaders, vestSocketUrl, type VestOptions } from './config.ts';
import type { MissingTickPolicy } from './tick-size.ts';

export interface VestConnectorDeps {
  orders?: OrderGateway;
  random?: () => number;
  /** The plugin's one rate limiter (limits.ts), shared with the order gateway. */
  limiter?: RateLimiter;
}

export class VestConnector implements ExchangeConnector {
  readonly venue = VEST;
  readonly chain = 'vest';
  readonly orders?: OrderGateway;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly markets = new Map<string, MarketInfo>();
  private readonly feed: FeedRun;
  private readonly live: boolean;
  /** Books whose @depth stream the venue refused, with the refusal, until it accepts one. */
  private readonly refused = new Map<string, SubscriptionRefusal>();
  private refusals = 0;
  private nextId = 1;

  constructor(
    private readonly options: VestOptions,
    input: Pick<ExchangeFactoryInput, 'logger' | 'clock'> & { live?: boolean },
    private readonly deps: VestConnectorDeps = {},
  ) {
    this.logger = input.logger.child({ venue: VEST });
    this.clock = input.clock;
    this.live = input.live ?? false;
    this.feed = new FeedRun({ venue: VEST, logger: this.logger, clock: this.clock, random: deps.random });
    if (deps.orders) this.orders = deps.orders;
  }

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const url = `${joinUrl(this.options.restUrl, 'exchangeInfo')}?symbols=${encodeURIComponent(symbols.join(','))}`;
    const body = await getJson(url, { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options), ...this.rate() });
    const policy: MissingTickPolicy = this.options.missingTickSize ?? (this.live ? 'refuse' : 'priceDecimals');
    const picked = pickMarkets(VEST, decodeVestMarkets(body, policy), (m) => m.market.symbol, symbols);
    for (const { market, tick } of picked) {
      if (tick.source === 'priceDecimals') {
        this.logger.warn('exchangeInfo publishes no minTickSize/tickSizes: order grid assumed 10^-priceDecimals', { symbol: market.symbol, tickSize: market.tickSize });
      }
    }
    return picked.map((m) => m.market);
  }

  /** GET /exchangeInfo with no symbols ("returns all by default", Vest API docs), for instrument discovery. */
  async listMarkets(): Promise<MarketInfo[]> {
    const body = await getJson(joinUrl(this.options.restUrl, 'exchangeInfo'), { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options), ...this.rate() });
    const policy: MissingTickPolicy = this.options.missingTickSize ?? (this.live ? 'refuse' : 'priceDecimals');
    const { markets, skipped } = decodeEach((body as { symbols?: unknown }).symbols, (raw) => decodeVestMarkets({ symbols: [raw] }, policy));
    if (skipped.length > 0) this.logger.warn('markets left out of discovery', { skipped });
    return markets.map((m) => m.market);
  }

  async startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    this.markets.clear();
    this.refused.clear();
    for (const m of markets) this.markets.set(m.symbol, m);
    const channels = markets.map((m) => `${m.symbol}${DEPTH_SUFFIX}`);
    if (this.options.subscribeFunding) {
      if (this.options.tickerChannel === 'perSymbol') channels.push(...markets.map((m) => `${m.symbol}${TICKER_SUFFIX}`));
      else channels.push(TICKERS_CHANNEL);
    }
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
    const refusal = this.refused.get(symbol);
    if (refusal) {
      this.feed.active()?.session.emitStatus('stopped', [symbol], refusalReason(refusal));
      return;
    }
    this.feed.resync(symbol);
  }

  async stop(): Promise<void> {
    await this.feed.stop();
    // The gateway's account stream (listenKey socket and renewal timer) ends with the connector: the
    // engine stops connectors only, and a stream left reconnecting kept `arb run` alive after its end.
    await (this.orders as { stop?: () => unknown } | undefined)?.stop?.();
  }

  get malformedFrames(): number {
    return this.feed.malformedFrames;
  }

  /** Subscriptions the venue refused in this connector's life (every stream counted). */
  get refusedSubscriptions(): number {
    return this.refusals;
  }

  /** Markets failed by a refused @depth subscription, with the reason the venue gave. */
  refusedMarkets(): ReadonlyMap<string, SubscriptionRefusal> {
    return this.refused;
  }

  private rate() {
    return this.deps.limiter ? { rate: { limiter: this.deps.limiter, cost: VEST_COST.publicGet, priority: 'background' as const } } : {};
  }

  private handleFrame(data: string | Buffer): void {
    const live = this.feed.active();
    if (!live) return;
    const { session, sink } = live;
    const msg = decodeFrameText(data, this.markets, this.clock.now());
    switch (msg.kind) {
      case 'book':
        this.refused.delete(msg.event.symbol); // the venue serves it after all
        session.snapshotArrived(msg.event.symbol);
        sink.onBook(msg.event);
        return;
      case 'outcomes':
        for (const channel of msg.accepted) this.refused.delete(symbolOfDepth(channel) ?? '');
        for (const refusal of msg.refused) this.onRefused(refusal);
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

  private onRefused(refusal: SubscriptionRefusal): void {
    this.refusals += 1;
    const symbol = symbolOfDepth(refusal.channel);
    const book = symbol !== undefined && this.markets.has(symbol);
    this.logger.error('subscription refused by the venue', { channel: refusal.channel, reason: refusal.reason, refusedSubscriptions: this.refusals });
    if (!book || symbol === undefined) return; // a funding stream: no book to fail, funding just stays silent
    this.refused.set(symbol, refusal);
    const session = this.feed.active()?.session;
    if (!session) return;
    // Stop waiting for a snapshot that will never come (its timer would end in a reconnect).
    session.snapshotArrived(symbol);
    session.emitStatus('stopped', [symbol], refusalReason(refusal));
  }

  private async fetchDepth(symbol: string): Promise<void> {
    const market = this.markets.get(symbol);
    const session = this.feed.active()?.session;
    if (!market || !session || this.refused.has(symbol)) return;
    const url = `${joinUrl(this.options.restUrl, 'depth')}?symbol=${encodeURIComponent(symbol)}&limit=${this.options.depthLimit}`;
    try {
      const body = await getJson(url, { venue: VEST, timeoutMs: this.options.requestTimeoutMs, headers: vestRestHeaders(this.options), ...this.rate() });
      const live = this.feed.active();
      if (live?.session !== session || this.refused.has(symbol)) return; // stopped, restarted or refused meanwhile
      const event = decodeDepthBody(body, market, this.clock.now());
      session.snapshotArrived(symbol);
      live.sink.onBook(event);
    } catch (err) {
      // The next @depth push is a snapshot too; the session's resync timer escalates if none comes.
      this.logger.warn('depth snapshot fetch failed', { symbol, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

function symbolOfDepth(channel: string): string | undefined {
  return channel.endsWith(DEPTH_SUFFIX) ? channel.slice(0, -DEPTH_SUFFIX.length) : undefined;
}

function refusalReason(r: SubscriptionRefusal): string {
  return `subscription to ${r.channel} refused by the venue (${r.reason}); the market gets no book until a reconnect is accepted`;
}
