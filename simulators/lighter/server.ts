/**
 * Lighter simulator (public market data): REST under /api/v1 and the WebSocket at /stream.
 * On connect the server says {"type":"connected"}; `order_book/{id}` answers with a full
 * `subscribed/order_book`, then `update/order_book` messages of changed levels. Continuity
 * is the nonce chain: each update's begin_nonce equals the previous update's nonce.
 */
import { Prng } from '../prng.ts';
import type { LevelChange } from '../book.ts';
import type { VenueMarket } from '../venue-market.ts';
import { ClientSocket, json, VenueHost, type RestRequest, type Route } from '../venue-host.ts';
import { isRecord, NON_JSON_FRAME, parseJson, type VenueServerOptions, type VenueSimulator } from '../venue-simulator.ts';
import { LighterPrivate } from './private.ts';
import * as wire from './wire.ts';

type LighterChannel = { kind: 'order_book'; marketId: number } | { kind: 'market_stats'; marketId: number | 'all' };

type ClientMessageHandler = (client: ClientSocket, message: Record<string, unknown>) => void;

export class LighterSimulator implements VenueSimulator {
  private readonly host: VenueHost;
  private readonly markets: Map<number, VenueMarket>;
  private readonly cursors = new Map<number, wire.BookCursor>();
  private readonly skipNext = new Set<number>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly nonceRng: Prng;
  private pingTimer: NodeJS.Timeout | undefined;
  private sessions = 0;
  /** Client message types; the private side adds `jsonapi/sendtx` and friends here. */
  private readonly handlers: Record<string, ClientMessageHandler> = {
    subscribe: (c, m) => this.subscribe(c, m),
    unsubscribe: (c, m) => this.unsubscribe(c, m),
    ping: (c) => c.send({ type: 'pong' }),
    pong: () => undefined,
  };
  /** The private side: sendTx, nonces, account state and account channels. */
  readonly trading: LighterPrivate;

  constructor(private readonly options: VenueServerOptions) {
    this.nonceRng = Prng.derive(options.seed, 'lighter/nonce');
    this.markets = new Map(options.markets.map((m) => [m.instrument.marketId, m]));
    this.trading = new LighterPrivate({ markets: options.markets, clock: options.clock, clients: () => this.host.clients });
    for (const [id, market] of this.markets) {
      const start = 3_000_000_000 + id * 1_000_000 + (options.seed % 1000);
      this.cursors.set(id, { offset: 1_000 + id, nonce: start, beginNonce: start - 1 });
      this.unsubscribes.push(market.onChange((changes) => this.publishUpdate(market, changes)));
    }
    this.host = new VenueHost({
      name: 'lighter',
      host: options.host,
      port: options.port,
      wsPath: '/stream',
      latencyMs: options.latencyMs,
      routes: this.routes(),
      guard: (r) => this.trading.guard(r),
      onConnection: (client) => this.onConnection(client),
    });
  }

  get restUrl(): string {
    return this.host.httpOrigin;
  }

  get wsUrl(): string {
    return `${this.host.wsOrigin}/stream`;
  }

  async start(): Promise<void> {
    await this.host.start();
    if (this.options.pingIntervalMs > 0) {
      // Lighter pings at the application level and expects clients to, too.
      this.pingTimer = setInterval(() => this.host.broadcast(() => ({ type: 'ping' })), this.options.pingIntervalMs);
    }
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.trading.close();
    for (const off of this.unsubscribes) off();
    await this.host.close();
  }

  afterStep(): void {
    this.trading.afterStep();
    const now = this.options.clock.now();
    for (const client of this.host.clients) {
      for (const name of client.subscriptions) {
        const ch = parseChannel(name);
        if (ch?.kind === 'market_stats') client.send(this.statsMessage(ch.marketId, 'update/market_stats', now));
      }
    }
  }

  // --- faults ---------------------------------------------------------------------------

  dropSockets(): void {
    this.host.dropSockets();
  }

  skipSequence(market: string | number): void {
    const id = Number(market);
    if (!this.markets.has(id)) throw new Error(`lighter simulator: unknown market id "${market}"`);
    this.skipNext.add(id);
  }

  sendGarbage(): void {
    const id = [...this.markets.keys()][0] ?? 0;
    for (const client of this.host.clients) {
      client.send(NON_JSON_FRAME);
      // An order book update whose nonce is a string and whose price is a number.
      client.send({
        channel: `order_book:${id}`,
        offset: 'x',
        order_book: { code: 0, asks: [{ price: 2979.64, size: '1.0000' }], bids: [], offset: 1, nonce: 'not-a-number', begin_nonce: 1 },
        timestamp: this.options.clock.now(),
        type: 'update/order_book',
      });
    }
  }

  stall(ms: number): void {
    this.host.stall(ms);
  }

  // --- WebSocket --------------------------------------------------------------------------

  private onConnection(client: ClientSocket): void {
    this.sessions++;
    client.send({ session_id: `sim-${this.options.seed}-${this.sessions}`, type: 'connected' });
    client.onMessage((text) => {
      const message = parseJson(text);
      const type = isRecord(message) ? message['type'] : undefined;
      const handler = typeof type === 'string' ? this.handlers[type] : undefined;
      if (!isRecord(message) || !handler) {
        return client.send({ error: { code: 30001, message: `Invalid Type: ${typeof type === 'string' ? type : 'missing'}` } });
      }
      handler(client, message);
    });
  }

  private subscribe(client: ClientSocket, message: Record<string, unknown>): void {
    const name = message['channel'];
    const channel = typeof name === 'string' ? parseChannel(name) : undefined;
    if (!channel && this.trading.subscribe(client, message)) return;
    if (typeof name !== 'string' || !channel || (channel.marketId !== 'all' && !this.markets.has(channel.marketId))) {
      return client.send({ error: { code: 30005, message: `Invalid Channel: ${String(name)}` } });
    }
    client.subscriptions.add(name);
    // No ack: the first reply is the channel's full state.
    const now = this.options.clock.now();
    if (channel.kind === 'order_book') {
      client.send(wire.subscribedOrderBook(this.market(channel.marketId), this.cursor(channel.marketId), now));
    } else {
      client.send(this.statsMessage(channel.marketId, 'subscribed/market_stats', now));
    }
  }

  private unsubscribe(client: ClientSocket, message: Record<string, unknown>): void {
    const name = message['channel'];
    if (typeof name !== 'string' || !client.subscriptions.delete(name)) {
      client.send({ error: { code: 30005, message: `Invalid Channel: ${String(name)}` } });
    }
  }

  private publishUpdate(market: VenueMarket, changes: readonly LevelChange[]): void {
    const id = market.instrument.marketId;
    const previous = this.cursor(id);
    // Nonces move in uneven jumps on the live venue; offsets count messages.
    const next: wire.BookCursor = { offset: previous.offset + 1, beginNonce: previous.nonce, nonce: previous.nonce + this.nonceRng.int(1, 40) };
    this.cursors.set(id, next);
    if (this.skipNext.delete(id)) return; // lost: the next begin_nonce will not match what clients hold
    const update = wire.orderBookUpdate(market.instrument, changes, next, this.options.clock.now());
    const name = `order_book/${id}`;
    for (const client of this.host.clients) {
      if (client.subscriptions.has(name)) client.send(update);
    }
  }

  private statsMessage(marketId: number | 'all', type: string, now: number) {
    const stats = (m: VenueMarket) => {
      const i = m.instrument;
      const model = this.options.model;
      return wire.marketStats({ market: m, fairUnits: model.fairUnits(i.base), midUnits: model.venueMidUnits(i.venue, i.base), premiumPpm: model.fundingPremiumPpm(i.venue, i.base), nowMs: now });
    };
    const marketStats =
      marketId === 'all'
        ? Object.fromEntries([...this.markets].map(([id, m]) => [String(id), stats(m)]))
        : stats(this.market(marketId));
    return { channel: `market_stats:${marketId}`, market_stats: marketStats, timestamp: now, type };
  }

  // --- REST ------------------------------------------------------------------------------

  private routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/api\/v1\/orderBooks$/, handle: (r) => this.restOrderBooks(r, false) },
      { method: 'GET', pattern: /^\/api\/v1\/orderBookDetails$/, handle: (r) => this.restOrderBooks(r, true) },
      { method: 'GET', pattern: /^\/api\/v1\/orderBookOrders$/, handle: (r) => this.restOrderBookOrders(r) },
      { method: 'GET', pattern: /^\/api\/v1\/funding-rates$/, handle: () => this.restFundingRates() },
      ...this.trading.routes(),
    ];
  }

  private selected(r: RestRequest): VenueMarket[] | undefined {
    const raw = r.query.get('market_id');
    if (raw === null || raw === '255') return [...this.markets.values()]; // 255: "all" in the SDK
    const m = this.markets.get(Number(raw));
    return m ? [m] : undefined;
  }

  private restOrderBooks(r: RestRequest, details: boolean) {
    const list = this.selected(r);
    if (!list) return badRequest(`market_id ${r.query.get('market_id')} not found`);
    if (!details) return json(200, { code: 200, order_books: list.map((m) => wire.orderBookInfo(m.instrument)) });
    const model = this.options.model;
    return json(200, {
      code: 200,
      order_book_details: list.map((m) => wire.orderBookDetail(m.instrument, wire.onGrid(m.instrument, model.venueMidUnits(m.instrument.venue, m.instrument.base)))),
      spot_order_book_details: [],
    });
  }

  private restOrderBookOrders(r: RestRequest) {
    const raw = r.query.get('market_id');
    const market = raw === null ? undefined : this.markets.get(Number(raw));
    if (!market) return badRequest(`market_id ${raw} not found`);
    const limit = Number.parseInt(r.query.get('limit') ?? '', 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return badRequest('limit must be an integer in [1, 250]');
    return json(200, wire.orderBookOrders(market, limit, this.options.clock.now()));
  }

  private restFundingRates() {
    const model = this.options.model;
    return json(200, {
      code: 200,
      funding_rates: [...this.markets.values()].map((m) => wire.fundingRate(m.instrument, model.fundingPremiumPpm(m.instrument.venue, m.instrument.base))),
    });
  }

  private market(id: number): VenueMarket {
    const m = this.markets.get(id);
    if (!m) throw new Error(`lighter simulator: unknown market id ${id}`);
    return m;
  }

  private cursor(id: number): wire.BookCursor {
    const c = this.cursors.get(id);
    if (!c) throw new Error(`lighter simulator: unknown market id ${id}`);
    return c;
  }
}

function parseChannel(name: string): LighterChannel | undefined {
  const m = /^(order_book|market_stats)\/(\d+|all)$/.exec(name);
  if (!m) return undefined;
  const [, kind, target] = m;
  if (kind === 'order_book') return target === 'all' ? undefined : { kind: 'order_book', marketId: Number(target) };
  return { kind: 'market_stats', marketId: target === 'all' ? 'all' : Number(target) };
}

function badRequest(message: string) {
  return json(400, { code: 20001, message });
}
