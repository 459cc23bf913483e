/**
 * Paradex simulator (public market data): REST under /v1 and a JSON-RPC 2.0 WebSocket at
 * /v1, as docs.paradex.trade describes them. Book channels carry one seq_no per market that
 * advances by one per published change; a subscriber to the deltas feed first gets a
 * snapshot (update_type "s") at the current seq_no, then every delta ("d") after it.
 *
 * `publicEncoding: 'sbe'` makes the public channels speak the venue as it is since 21 September
 * 2026: SBE binary frames negotiated on the upgrade URL (sbe/sessions.ts); JSON-RPC replies
 * and the private channels stay JSON text either way.
 */
import type { LevelChange } from '../book.ts';
import type { VenueMarket } from '../venue-market.ts';
import { ClientSocket, json, VenueHost, type RestRequest, type Route } from '../venue-host.ts';
import { isRecord, NON_JSON_FRAME, parseJson, type VenueServerOptions, type VenueSimulator } from '../venue-simulator.ts';
import { parseChannel, sbeRefusal, type ParadexChannel } from './channels.ts';
import { ParadexPrivate } from './private.ts';
import * as sbe from './sbe/frames.ts';
import { DEFAULT_PUBLIC_ENCODING, PublicSessions, SBE_HEARTBEAT_MS, type ParadexPublicEncoding } from './sbe/sessions.ts';
import * as wire from './wire.ts';

export interface ParadexServerOptions extends VenueServerOptions {
  /** What public channels speak. Default DEFAULT_PUBLIC_ENCODING ('json', the simulator before SBE); 'sbe' is the venue today. */
  readonly publicEncoding?: ParadexPublicEncoding;
  /** SBE idle heartbeat tick, ms (0 = off). Default 20 000, the schema's period. */
  readonly sbeHeartbeatMs?: number;
}

/** One public push in both encodings; the SBE frame is built once per schema version asked for. */
class PublicPush {
  private readonly frames = new Map<number, Uint8Array>();
  constructor(
    readonly json: unknown,
    private readonly encode: (version: number) => Uint8Array,
  ) {}
  frame(version: number): Uint8Array {
    let f = this.frames.get(version);
    if (!f) this.frames.set(version, (f = this.encode(version)));
    return f;
  }
}

/** Funding pushes go out every this many steps (the venue's cadence is not documented). */
const FUNDING_EVERY_STEPS = 10;

interface RpcRequest {
  id: unknown;
  method: string;
  params: Record<string, unknown>;
}

type RpcMethod = (client: ClientSocket, request: RpcRequest) => void;

export class ParadexSimulator implements VenueSimulator {
  private readonly host: VenueHost;
  private readonly markets: Map<string, VenueMarket>;
  private readonly seqNo = new Map<string, number>();
  private readonly skipNext = new Set<string>();
  private readonly unsubscribes: Array<() => void> = [];
  private pingTimer: NodeJS.Timeout | undefined;
  private steps = 0;
  /** Per-connection public encoding and the SBE heartbeat. */
  private readonly sessions: PublicSessions;
  /** JSON-RPC methods; the private side adds `auth` here. */
  private readonly methods: Record<string, RpcMethod> = {
    subscribe: (c, r) => this.subscribe(c, r),
    unsubscribe: (c, r) => this.unsubscribe(c, r),
    auth: (c, r) => this.trading.rpcAuth(c, r),
  };
  /** The private side: accounts, JWT auth, signed orders, private channels. */
  readonly trading: ParadexPrivate;

  constructor(private readonly options: ParadexServerOptions) {
    this.sessions = new PublicSessions({
      encoding: options.publicEncoding ?? DEFAULT_PUBLIC_ENCODING,
      heartbeatMs: options.sbeHeartbeatMs ?? SBE_HEARTBEAT_MS,
      clock: options.clock,
      clients: () => this.host.clients,
    });
    this.markets = new Map(options.markets.map((m) => [m.instrument.symbol, m]));
    this.trading = new ParadexPrivate({ markets: options.markets, clock: options.clock, chainId: wire.SYSTEM_CONFIG.starknet_chain_id, clients: () => this.host.clients });
    for (const [symbol, market] of this.markets) {
      // Live seq_nos are large; start somewhere venue-like but fixed by the seed.
      this.seqNo.set(symbol, 1_000_000 + (options.seed % 1000) * 1000 + market.instrument.marketId);
      this.unsubscribes.push(market.onChange((changes) => this.publishDelta(market, changes)));
    }
    this.host = new VenueHost({
      name: 'paradex',
      host: options.host,
      port: options.port,
      wsPath: '/v1',
      latencyMs: options.latencyMs,
      routes: this.routes(),
      // Rate limits (public and private) and the request log live with the private side.
      guard: (r) => this.trading.guard(r),
      refuseUpgrade: (req) => this.sessions.refuseUpgrade(req),
      onConnection: (client, req) => {
        this.sessions.open(client, req);
        this.onConnection(client);
      },
    });
  }

  get restUrl(): string {
    return `${this.host.httpOrigin}/v1`;
  }

  get wsUrl(): string {
    return `${this.host.wsOrigin}/v1`;
  }

  /** What this simulator's public channels speak ('json' unless started with publicEncoding 'sbe'). */
  get publicEncoding(): ParadexPublicEncoding {
    return this.sessions.encoding;
  }

  async start(): Promise<void> {
    await this.host.start();
    this.sessions.start();
    if (this.options.pingIntervalMs > 0) {
      // Docs: the server pings at the protocol level every 55 s.
      this.pingTimer = setInterval(() => {
        for (const client of this.host.clients) client.ping();
      }, this.options.pingIntervalMs);
    }
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.sessions.stop();
    this.trading.close();
    for (const off of this.unsubscribes) off();
    await this.host.close();
  }

  /** Current seq_no of a market's book (what the last published change carried). */
  currentSeqNo(symbol: string): number {
    return this.seqNo.get(symbol) ?? 0;
  }

  afterStep(): void {
    this.steps++;
    this.trading.afterStep();
    const now = this.options.clock.now();
    for (const market of this.markets.values()) {
      const symbol = market.instrument.symbol;
      const seq = this.currentSeqNo(symbol);
      const snapshot = new PublicPush(wire.snapshotUpdate(market, seq, now), (v) => sbe.bookSnapshotFrame(market, seq, now, v));
      const top = new PublicPush(wire.bbo(market, seq, now), (v) => sbe.bboFrame(market, seq, now, v));
      for (const client of this.host.clients) {
        for (const name of client.subscriptions) {
          const ch = parseChannel(name, this.symbols);
          if (!ch || !('market' in ch) || ch.market !== symbol) continue;
          if (ch.kind === 'book' && ch.feed === 'snapshot') this.push(client, name, snapshot);
          if (ch.kind === 'bbo') this.push(client, name, top);
        }
      }
    }
    if (this.steps % FUNDING_EVERY_STEPS === 0) {
      for (const client of this.host.clients) {
        for (const name of client.subscriptions) this.pushFunding(client, name);
      }
    }
  }

  // --- faults ---------------------------------------------------------------------------

  dropSockets(): void {
    this.host.dropSockets();
  }

  skipSequence(market: string | number): void {
    const symbol = String(market);
    if (!this.markets.has(symbol)) throw new Error(`paradex simulator: unknown market "${symbol}"`);
    this.skipNext.add(symbol);
  }

  sendGarbage(): void {
    const first = [...this.markets.keys()][0] ?? 'BTC-USD-PERP';
    for (const client of this.host.clients) {
      client.send(NON_JSON_FRAME);
      const encoding = this.sessions.wire(client);
      if (encoding.kind === 'sbe') {
        // A BookEvent cut short inside its bids group: the header promises more than arrives.
        const whole = sbe.bookSnapshotFrame(this.market(first), this.currentSeqNo(first), this.options.clock.now(), encoding.version);
        this.sessions.sendFrame(client, whole.subarray(0, 8 + 89 + 4 + 10));
        continue;
      }
      const channel = [...client.subscriptions][0] ?? `order_book.${first}.deltas`;
      // A book update whose seq_no is a string and whose price is a number.
      client.send({
        jsonrpc: '2.0',
        method: 'subscription',
        params: {
          channel,
          data: { seq_no: 'not-a-number', market: first, last_updated_at: this.options.clock.now(), update_type: 'd', inserts: [{ side: 'BUY', price: 12345.6, size: '1' }], updates: [], deletes: [] },
        },
      });
    }
  }

  stall(ms: number): void {
    this.host.stall(ms);
  }

  // --- WebSocket --------------------------------------------------------------------------

  private get symbols(): ReadonlySet<string> {
    return new Set(this.markets.keys());
  }

  private onConnection(client: ClientSocket): void {
    client.ws.on('ping', (data: Buffer) => client.pong(data));
    client.onMessage((text) => {
      const message = parseJson(text);
      if (!isRecord(message) || message['jsonrpc'] !== '2.0' || typeof message['method'] !== 'string') {
        client.send(rpcError(isRecord(message) ? message['id'] : null, -32700, 'parse error', 'invalid json-rpc request'));
        return;
      }
      const request: RpcRequest = { id: message['id'], method: message['method'], params: isRecord(message['params']) ? message['params'] : {} };
      const method = this.methods[request.method];
      if (!method) return client.send(rpcError(request.id, -32601, 'method not found', request.method));
      method(client, request);
    });
  }

  private subscribe(client: ClientSocket, request: RpcRequest): void {
    const name = request.params['channel'];
    const channel = typeof name === 'string' ? parseChannel(name, this.symbols) : undefined;
    const encoding = this.sessions.wire(client);
    const refusal = encoding.kind === 'sbe' && typeof name === 'string' ? sbeRefusal(name, channel) : undefined;
    if (refusal) return client.send(rpcError(request.id, -32600, 'invalid subscribe request', refusal));
    if (typeof name === 'string' && !channel && this.trading.subscribe(client, request, name)) return;
    if (typeof name !== 'string' || !channel) {
      return client.send(rpcError(request.id, -32600, 'invalid subscribe request', 'invalid channel'));
    }
    if (encoding.kind === 'no-sbe') {
      // Docs: SBE is required for public channels; what the venue answers a client without the
      // parameters is not published, so the simulator refuses loudly (private channels still work).
      return client.send(rpcError(request.id, -32600, 'invalid subscribe request', 'public channels require SBE: connect with ?sbeSchemaId=1&sbeSchemaVersion=1'));
    }
    // Docs: subscribing to the same channel twice is an error.
    if (client.subscriptions.has(name)) {
      return client.send(rpcError(request.id, -32600, 'invalid subscribe request', 'already subscribed'));
    }
    client.subscriptions.add(name);
    client.send(rpcResult(request.id, { channel: name }));
    this.sendInitial(client, name, channel);
  }

  private unsubscribe(client: ClientSocket, request: RpcRequest): void {
    const name = request.params['channel'];
    if (typeof name !== 'string' || !client.subscriptions.delete(name)) {
      return client.send(rpcError(request.id, -32600, 'invalid unsubscribe request', 'not subscribed'));
    }
    client.send(rpcResult(request.id, { channel: name }));
  }

  private sendInitial(client: ClientSocket, name: string, channel: ParadexChannel): void {
    const now = this.options.clock.now();
    if (channel.kind === 'book') {
      const market = this.market(channel.market);
      const seq = this.currentSeqNo(channel.market);
      this.push(client, name, new PublicPush(wire.snapshotUpdate(market, seq, now), (v) => sbe.bookSnapshotFrame(market, seq, now, v)));
    } else if (channel.kind === 'bbo') {
      const market = this.market(channel.market);
      const seq = this.currentSeqNo(channel.market);
      this.push(client, name, new PublicPush(wire.bbo(market, seq, now), (v) => sbe.bboFrame(market, seq, now, v)));
    } else if (channel.kind === 'funding') {
      this.pushFunding(client, name);
    }
  }

  private pushFunding(client: ClientSocket, name: string): void {
    const channel = parseChannel(name, this.symbols);
    if (channel?.kind !== 'funding') return;
    const now = this.options.clock.now();
    const markets = channel.market ? [this.market(channel.market)] : [...this.markets.values()];
    for (const m of markets) {
      const premium = this.premiumPpm(m);
      // seq: the simulator's step count (what the venue's funding seq counts is not published).
      const push = new PublicPush(wire.funding(m.instrument, premium, now), (v) => sbe.fundingFrame(m.instrument, premium, wire.FUNDING_PERIOD_HOURS, this.steps, now, v));
      this.push(client, name, push);
    }
  }

  /** A public push in the connection's encoding: JSON-RPC subscription text or an SBE frame. */
  private push(client: ClientSocket, name: string, push: PublicPush): void {
    const encoding = this.sessions.wire(client);
    if (encoding.kind === 'sbe') this.sessions.sendFrame(client, push.frame(encoding.version));
    else if (encoding.kind === 'json') client.send(subscription(name, push.json));
  }

  private publishDelta(market: VenueMarket, changes: readonly LevelChange[]): void {
    const symbol = market.instrument.symbol;
    const seq = this.currentSeqNo(symbol) + 1;
    this.seqNo.set(symbol, seq);
    if (this.skipNext.delete(symbol)) return; // lost on the way: clients see seq jump by 2
    const now = this.options.clock.now();
    const update = new PublicPush(wire.deltaUpdate(market.instrument, changes, seq, now), (v) => sbe.bookDeltaFrame(market.instrument, changes, seq, now, v));
    for (const client of this.host.clients) {
      for (const name of client.subscriptions) {
        const ch = parseChannel(name, this.symbols);
        if (ch?.kind === 'book' && ch.feed === 'deltas' && ch.market === symbol) this.push(client, name, update);
      }
    }
  }

  // --- REST ------------------------------------------------------------------------------

  private routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/v1\/markets$/, handle: (r) => this.restMarkets(r) },
      { method: 'GET', pattern: /^\/v1\/markets\/summary$/, handle: (r) => this.restSummary(r) },
      { method: 'GET', pattern: /^\/v1\/system\/config$/, handle: () => json(200, wire.SYSTEM_CONFIG) },
      { method: 'GET', pattern: /^\/v1\/orderbook\/([^/]+)$/, handle: (r) => this.restOrderBook(r) },
      { method: 'GET', pattern: /^\/v1\/bbo\/([^/]+)$/, handle: (r) => this.restBbo(r) },
      ...this.trading.routes(),
    ];
  }

  private restMarkets(r: RestRequest) {
    const only = r.query.get('market');
    const list = [...this.markets.values()].filter((m) => !only || m.instrument.symbol === only);
    return json(200, { results: list.map((m) => wire.marketInfo(m.instrument)) });
  }

  private restSummary(r: RestRequest) {
    const which = r.query.get('market');
    if (!which) return notFound('market query parameter is required (a symbol or ALL)');
    const list = [...this.markets.values()].filter((m) => which === 'ALL' || m.instrument.symbol === which);
    if (list.length === 0) return notFound(`market ${which} not found`);
    const now = this.options.clock.now();
    return json(200, {
      results: list.map((m) => {
        const i = m.instrument;
        const mid = this.options.model.venueMidUnits(i.venue, i.base);
        const top = wire.bbo(m, this.currentSeqNo(i.symbol), now);
        const fund = wire.funding(i, this.premiumPpm(m), now);
        return {
          symbol: i.symbol,
          mark_price: wire.onGrid(i, mid),
          underlying_price: wire.onGrid(i, this.options.model.fairUnits(i.base)),
          last_traded_price: wire.onGrid(i, mid),
          bid: top.bid,
          ask: top.ask,
          volume_24h: '0',
          total_volume: '0',
          open_interest: wire.size(i, i.touchSizeUnits * 200),
          funding_rate: fund.funding_rate,
          future_funding_rate: fund.funding_rate,
          price_change_rate_24h: '0',
          created_at: now,
        };
      }),
    });
  }

  private restOrderBook(r: RestRequest) {
    const symbol = r.params[0] ?? '';
    const market = this.markets.get(symbol);
    if (!market) return notFound(`market ${symbol} not found`);
    const depthText = r.query.get('depth');
    const depth = depthText === null ? 20 : Number.parseInt(depthText, 10);
    if (!Number.isInteger(depth) || depth <= 0) return json(400, { error: 'VALIDATION_ERROR', message: `invalid depth ${depthText}` });
    return json(200, wire.restOrderBook(market, this.currentSeqNo(symbol), this.options.clock.now(), depth));
  }

  private restBbo(r: RestRequest) {
    const symbol = r.params[0] ?? '';
    const market = this.markets.get(symbol);
    if (!market) return notFound(`market ${symbol} not found`);
    return json(200, wire.bbo(market, this.currentSeqNo(symbol), this.options.clock.now()));
  }

  private market(symbol: string): VenueMarket {
    const m = this.markets.get(symbol);
    if (!m) throw new Error(`paradex simulator: unknown market ${symbol}`);
    return m;
  }

  private premiumPpm(m: VenueMarket): number {
    return this.options.model.fundingPremiumPpm(m.instrument.venue, m.instrument.base);
  }
}

function subscription(channel: string, data: unknown) {
  return { jsonrpc: '2.0', method: 'subscription', params: { channel, data } };
}

function rpcResult(id: unknown, result: unknown) {
  const usIn = Date.now() * 1000;
  return { jsonrpc: '2.0', result, usIn, usDiff: 150, id };
}

function rpcError(id: unknown, code: number, message: string, data: string) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message, data } };
}

function notFound(message: string) {
  return json(404, { error: 'NOT_FOUND', message });
}
