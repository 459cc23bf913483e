/**
 * Paradex connector, market-data half: /markets metadata, the JSON-RPC book and funding
 * subscriptions, and resync by unsubscribe + subscribe (the deltas feed opens with a snapshot).
 * Orders are another file's job; a gateway can be handed in and is exposed as `orders`.
 */
import type { Clock } from '../../../engine/core/clock.ts';
import type { Logger } from '../../../engine/core/logger.ts';
import type { ExchangeConnector, ExchangeFactoryInput } from '../../../engine/exchange/connector.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import type { FeedStatusEvent, MarketDataSink, MarketInfo } from '../../../engine/market/types.ts';
import { FeedRun } from '../shared/feed-run.ts';
import { decodeEach, pickMarkets } from '../shared/markets.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { getJson, joinUrl } from '../shared/rest.ts';
import {
  PARADEX,
  decodeMarkets,
  jsonFrameDecoder,
  subscribeRequest,
  unsubscribeRequest,
  type ParadexFrameDecoder,
  type ParadexMarket,
  type ParadexRoute,
} from './codec.ts';
import { channelFor, type ParadexOptions } from './config.ts';
import { PARADEX_COST } from './limits.ts';
import { sbeFrameDecoder } from './sbe/frame-decoder.ts';
import { isNegotiationRefusal, negotiationRefusedReason, withSbeNegotiation } from './sbe/negotiation.ts';

export interface ParadexConnectorDeps {
  decoder?: ParadexFrameDecoder;
  orders?: OrderGateway;
  random?: () => number;
  /** The plugin's one rate limiter (limits.ts), shared with the order gateway: public budgets are per IP. */
  limiter?: RateLimiter;
}

export class ParadexConnector implements ExchangeConnector {
  readonly venue = PARADEX;
  readonly chain = 'paradex';
  readonly orders?: OrderGateway;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly decoder: ParadexFrameDecoder;
  private readonly known = new Map<string, ParadexMarket>();
  /** A new map per run: the SBE decoder indexes routes by market once per map. */
  private routes = new Map<string, ParadexRoute>();
  private readonly pendingRequests = new Map<number, string>();
  private readonly feed: FeedRun;
  private nextId = 1;
  /** SBE frames of templates we skip (trades, bbo, newer versions' templates), per template id. */
  readonly skippedTemplates = new Map<number, number>();

  constructor(
    private readonly options: ParadexOptions,
    input: Pick<ExchangeFactoryInput, 'logger' | 'clock'>,
    private readonly deps: ParadexConnectorDeps = {},
  ) {
    this.logger = input.logger.child({ venue: PARADEX });
    this.clock = input.clock;
    this.feed = new FeedRun({ venue: PARADEX, logger: this.logger, clock: this.clock, random: deps.random });
    this.decoder = deps.decoder ?? (options.encoding === 'sbe' ? sbeFrameDecoder : jsonFrameDecoder);
    if (deps.orders) this.orders = deps.orders;
  }

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const body = await getJson(joinUrl(this.options.restUrl, 'markets'), {
      venue: PARADEX,
      timeoutMs: this.options.requestTimeoutMs,
      ...(this.deps.limiter ? { rate: { limiter: this.deps.limiter, cost: PARADEX_COST.publicGet, priority: 'background' as const } } : {}),
    });
    const picked = pickMarkets(PARADEX, decodeMarkets(body), (m) => m.info.symbol, symbols);
    for (const m of picked) this.known.set(m.info.symbol, m);
    return picked.map((m) => m.info);
  }

  /** GET /markets unfiltered, for instrument discovery (entries the codec refuses are skipped and logged). */
  async listMarkets(): Promise<MarketInfo[]> {
    const body = await getJson(joinUrl(this.options.restUrl, 'markets'), {
      venue: PARADEX,
      timeoutMs: this.options.requestTimeoutMs,
      ...(this.deps.limiter ? { rate: { limiter: this.deps.limiter, cost: PARADEX_COST.publicGet, priority: 'background' as const } } : {}),
    });
    const { markets, skipped } = decodeEach((body as { results?: unknown }).results, (raw) => decodeMarkets({ results: [raw] }));
    if (skipped.length > 0) this.logger.warn('markets left out of discovery', { skipped });
    return markets.map((m) => m.info);
  }

  async startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    this.routes = new Map();
    for (const info of markets) {
      // Funding needs /markets' funding_period_hours; a market handed in without loadMarkets
      // still streams its book, and funding pushes then must carry the period themselves.
      const market = this.known.get(info.symbol) ?? { info };
      this.routes.set(channelFor(this.options.bookChannel, info.symbol), { kind: 'book', market });
      if (this.options.subscribeFunding) {
        this.routes.set(channelFor(this.options.fundingChannel, info.symbol), { kind: 'funding', market });
      }
    }
    await this.feed.start(markets, this.explainRefusals(sink), {
      url: this.publicUrl(),
      connection: this.options,
      heartbeat: { intervalMs: this.options.heartbeatIntervalMs },
      subscribeAll: (send) => {
        this.pendingRequests.clear();
        for (const channel of this.routes.keys()) send(subscribeRequest(channel, this.requestId(channel)));
      },
      handleFrame: (data) => this.handleFrame(data),
      requestSnapshot: (symbol) => this.resubscribeBook(symbol),
    });
  }

  resync(symbol: string): void {
    this.feed.resync(symbol);
  }

  async stop(): Promise<void> {
    await this.feed.stop();
    // The gateway's private stream and JWT timer end with the connector (the engine stops connectors only).
    await (this.orders as { stop?: () => unknown } | undefined)?.stop?.();
  }

  /** The public socket URL: with SBE, wsUrl plus the schema negotiation (the private stream connects without it). */
  publicUrl(): string {
    const o = this.options;
    return o.encoding === 'sbe' ? withSbeNegotiation(o.wsUrl, o.sbeSchemaId, o.sbeSchemaVersion) : o.wsUrl;
  }

  /** A refused SBE negotiation reaches the hub and the log as what it is, not a bare "Unexpected server response: 400". */
  private explainRefusals(sink: MarketDataSink): MarketDataSink {
    if (this.options.encoding !== 'sbe') return sink;
    const { sbeSchemaId, sbeSchemaVersion } = this.options;
    let logged = false;
    const onStatus = (event: FeedStatusEvent): void => {
      if (event.state === 'disconnected' && isNegotiationRefusal(event.reason)) {
        const reason = negotiationRefusedReason(sbeSchemaId, sbeSchemaVersion, event.reason!);
        if (!logged) this.logger.error('SBE negotiation refused', { reason, url: this.publicUrl() });
        logged = true;
        sink.onStatus({ ...event, reason });
        return;
      }
      sink.onStatus(event);
    };
    return {
      onBook: (e) => sink.onBook(e),
      onStatus,
      ...(sink.onFunding ? { onFunding: (e: Parameters<NonNullable<MarketDataSink['onFunding']>>[0]) => sink.onFunding!(e) } : {}),
    };
  }

  get malformedFrames(): number {
    return this.feed.malformedFrames;
  }

  private handleFrame(data: string | Buffer): void {
    const live = this.feed.active();
    if (!live) return;
    const { session, sink } = live;
    const msg = this.decoder.decode(data, this.routes, this.clock.now());
    switch (msg.kind) {
      case 'book': {
        const { event } = msg;
        if (event.type === 'snapshot') session.snapshotArrived(event.symbol);
        else if (session.awaitingSnapshot(event.symbol)) return; // stale stream before the snapshot
        sink.onBook(event);
        return;
      }
      case 'funding':
        sink.onFunding?.(msg.event);
        return;
      case 'rpc-error': {
        const channel = typeof msg.id === 'number' ? this.pendingRequests.get(msg.id) : undefined;
        this.logger.warn('request refused by venue', { id: msg.id, channel, code: msg.code, message: msg.message });
        return;
      }
      case 'ack':
        if (typeof msg.id === 'number') this.pendingRequests.delete(msg.id);
        return;
      case 'unrouted':
        this.logger.debug('push on a channel we did not subscribe', { channel: msg.channel });
        return;
      case 'other':
        this.logger.debug('message ignored', { method: msg.method });
        return;
      case 'heartbeat':
        return; // the socket already counted it as liveness (stall timer)
      case 'skipped': {
        const seen = this.skippedTemplates.get(msg.templateId) ?? 0;
        this.skippedTemplates.set(msg.templateId, seen + 1);
        if (seen === 0) this.logger.info('SBE template skipped', { templateId: msg.templateId, version: msg.version });
        return;
      }
    }
  }

  /** Paradex refuses a second subscribe to the same channel, so unsubscribe first. */
  private resubscribeBook(symbol: string): void {
    const channel = channelFor(this.options.bookChannel, symbol);
    this.feed.send(unsubscribeRequest(channel, this.requestId(channel)));
    this.feed.send(subscribeRequest(channel, this.requestId(channel)));
  }

  private requestId(channel: string): number {
    const id = this.nextId++;
    this.pendingRequests.set(id, channel);
    return id;
  }
}
