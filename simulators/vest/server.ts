/**
 * Vest simulator (public market data): REST under /v2 and the WebSocket at /ws-api, as the
 * Vest API docs describe them. Every REST call must carry `xrestservermm: restserver{N}` and
 * every socket `?version=1.0&xwebsocketserver=restserver{N}`, or the venue refuses it.
 * Depth pushes carry no sequence: each is the whole top of book.
 *
 * As a community client saw the live venue (autopilotaitech/BookDepthIQ-Vest, commit a600a319,
 * src/vest/ws.ts, src/vest/types.ts, tests/fixtures/): every push carries the venue's clock as
 * `tsMs`; `{SYMBOL}@ticker` pushes one ticker object (the `tickers` channel an array); a stream the
 * venue will not serve is answered `{"subscription_outcomes":[{"requested","status":"rejected",
 * "reason"}]}` ("registered" for the others). Controls: refuseSubscriptions() and venueClockSkew().
 * Orders off the published tick grid are rejected by the matching engine (priceUnits % tickUnits).
 */
import type { IncomingMessage } from 'node:http';
import type { VenueMarket } from '../venue-market.ts';
import { ClientSocket, json, VenueHost, type RestRequest, type RestReply, type Route } from '../venue-host.ts';
import { isRecord, NON_JSON_FRAME, parseJson, type VenueServerOptions, type VenueSimulator } from '../venue-simulator.ts';
import { VestPrivate } from './private.ts';
import * as wire from './wire.ts';

const ACCOUNT_GROUP_RE = /^restserver(\d+)$/;
/** Close codes from the docs' WS error list. */
const WRONG_VERSION = 4000;
const ACCOUNT_GROUP_INVALID = 4002;
/** Depth the WS push carries (not documented; the REST default is 20). */
const PUSH_DEPTH = 20;

type VestMethod = (client: ClientSocket, id: unknown, params: unknown[]) => void;

export interface VestServerOptions extends VenueServerOptions {
  readonly accountGroup: number;
}

export class VestSimulator implements VenueSimulator {
  private readonly host: VenueHost;
  private readonly markets: Map<string, VenueMarket>;
  private readonly skipNext = new Set<string>();
  /** Streams this venue refuses, with the reason it gives (test control). */
  private readonly refusing = new Map<string, string>();
  /** Added to the clock for `tsMs`: the venue's clock running ahead (+) or behind (-). */
  private clockSkewMs = 0;
  /** Client methods; the private side's listenKey flow plugs in beside these. */
  private readonly methods: Record<string, VestMethod> = {
    SUBSCRIBE: (c, id, p) => this.subscribe(c, id, p),
    UNSUBSCRIBE: (c, id, p) => this.unsubscribe(c, id, p),
    PING: (c) => c.send({ data: 'PONG' }),
  };
  /** The private side: registration, signed orders, account, listenKey stream. */
  readonly trading: VestPrivate;

  constructor(private readonly options: VestServerOptions) {
    this.markets = new Map(options.markets.map((m) => [m.instrument.symbol, m]));
    this.trading = new VestPrivate({ markets: options.markets, clock: options.clock, accountGroup: options.accountGroup, clients: () => this.host.clients });
    this.host = new VenueHost({
      name: 'vest',
      host: options.host,
      port: options.port,
      wsPath: '/ws-api',
      latencyMs: options.latencyMs,
      routes: this.routes(),
      guard: (r) => requireAccountGroup(r) ?? this.trading.guard(r),
      onConnection: (client, req) => this.onConnection(client, req),
    });
  }

  get accountGroup(): number {
    return this.options.accountGroup;
  }

  get restUrl(): string {
    return `${this.host.httpOrigin}/v2`;
  }

  /** Ready to connect: version and account group already in the query, as the venue wants. */
  get wsUrl(): string {
    return `${this.host.wsOrigin}/ws-api?version=1.0&xwebsocketserver=restserver${this.options.accountGroup}`;
  }

  async start(): Promise<void> {
    await this.host.start();
  }

  async close(): Promise<void> {
    this.trading.close();
    await this.host.close();
  }

  afterStep(): void {
    this.trading.afterStep();
    const pushes = new Map<string, unknown>();
    const tsMs = this.venueNow();
    const tickerList = this.tickers([...this.markets.values()]);
    for (const [symbol, market] of this.markets) {
      const ticker = tickerList.find((t) => t.symbol === symbol);
      pushes.set(`${symbol}@ticker`, { channel: `${symbol}@ticker`, data: ticker, tsMs });
      if (this.skipNext.delete(symbol)) continue; // this push is lost
      pushes.set(`${symbol}@depth`, { channel: `${symbol}@depth`, data: wire.depth(market, PUSH_DEPTH), tsMs });
    }
    const tickers = { channel: 'tickers', data: tickerList, tsMs };
    for (const client of this.host.clients) {
      for (const name of client.subscriptions) {
        if (name === 'tickers') client.send(tickers);
        else if (pushes.has(name)) client.send(pushes.get(name));
      }
    }
  }

  // --- faults ---------------------------------------------------------------------------

  dropSockets(): void {
    this.host.dropSockets();
  }

  /** Vest depth has no sequence; the closest fault is one lost depth push. */
  skipSequence(market: string | number): void {
    const symbol = String(market);
    if (!this.markets.has(symbol)) throw new Error(`vest simulator: unknown symbol "${symbol}"`);
    this.skipNext.add(symbol);
  }

  sendGarbage(): void {
    const symbol = [...this.markets.keys()][0] ?? 'BTC-PERP';
    for (const client of this.host.clients) {
      client.send(NON_JSON_FRAME);
      // A depth push whose price is a number and whose asks are not an array.
      client.send({ channel: `${symbol}@depth`, data: { bids: [[65000.1, '1.0000']], asks: 'not-an-array' } });
    }
  }

  stall(ms: number): void {
    this.host.stall(ms);
  }

  /** Refuse these streams from now on (subscription_outcomes `rejected`); [] serves all again. */
  refuseSubscriptions(channels: readonly string[], reason = 'invalid_stream'): void {
    this.refusing.clear();
    for (const c of channels) this.refusing.set(c, reason);
    for (const client of this.host.clients) for (const c of channels) client.subscriptions.delete(c);
  }

  /** Run the venue's clock (`tsMs`) this many ms ahead of the simulation clock. */
  venueClockSkew(ms: number): void {
    this.clockSkewMs = ms;
  }

  private venueNow(): number {
    return this.options.clock.now() + this.clockSkewMs;
  }

  // --- WebSocket --------------------------------------------------------------------------

  private onConnection(client: ClientSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (query.get('version') !== '1.0') return client.close(WRONG_VERSION, 'WRONG_VERSION');
    if (!ACCOUNT_GROUP_RE.test(query.get('xwebsocketserver') ?? '')) return client.close(ACCOUNT_GROUP_INVALID, 'ACCOUNT_GROUP_INVALID');
    if (!this.trading.onConnection(client, query)) return;
    client.onMessage((text) => {
      const message = parseJson(text);
      const method = isRecord(message) && typeof message['method'] === 'string' ? this.methods[message['method']] : undefined;
      const id = isRecord(message) ? message['id'] : null;
      if (!isRecord(message) || !method) return client.send({ error: { code: 1130, msg: 'INVALID_PARAMETER: unknown method' }, id: id ?? null });
      method(client, id, Array.isArray(message['params']) ? message['params'] : []);
    });
  }

  private subscribe(client: ClientSocket, id: unknown, params: unknown[]): void {
    const bad = params.find((p) => typeof p !== 'string' || !(this.isChannel(p) || this.trading.isChannel(client, p)));
    if (bad !== undefined || params.length === 0) {
      return client.send({ error: { code: 1130, msg: `INVALID_PARAMETER: unknown channel ${JSON.stringify(bad ?? null)}` }, id });
    }
    const served = (params as string[]).filter((p) => !this.refusing.has(p));
    for (const p of served) client.subscriptions.add(p);
    client.send({ result: null, id });
    if (served.length < params.length) {
      client.send({
        subscription_outcomes: (params as string[]).map((p) =>
          this.refusing.has(p) ? { requested: p, status: 'rejected', reason: this.refusing.get(p) } : { requested: p, status: 'registered' },
        ),
      });
    }
    // The current state right away, so a fresh subscriber need not wait a step (a guess).
    for (const p of served) {
      const market = this.markets.get(p.replace(/@depth$/, ''));
      if (p.endsWith('@depth') && market) client.send({ channel: p, data: wire.depth(market, PUSH_DEPTH), tsMs: this.venueNow() });
    }
  }

  private unsubscribe(client: ClientSocket, id: unknown, params: unknown[]): void {
    for (const p of params) if (typeof p === 'string') client.subscriptions.delete(p);
    client.send({ result: null, id });
  }

  private isChannel(name: string): boolean {
    if (name === 'tickers') return true;
    const m = /^(.+)@(depth|trades|ticker)$/.exec(name);
    return m !== null && this.markets.has(m[1] ?? '');
  }

  // --- REST ------------------------------------------------------------------------------

  private routes(): Route[] {
    return [
      { method: 'GET', pattern: /^\/v2\/exchangeInfo$/, handle: (r) => this.restExchangeInfo(r) },
      { method: 'GET', pattern: /^\/v2\/depth$/, handle: (r) => this.restDepth(r) },
      { method: 'GET', pattern: /^\/v2\/ticker\/latest$/, handle: (r) => this.restTickers(r) },
      { method: 'GET', pattern: /^\/v2\/funding\/history$/, handle: (r) => this.restFundingHistory(r) },
      ...this.trading.routes(),
    ];
  }

  /** `symbols=A,B` filter; undefined when it names a symbol the venue does not list. */
  private selected(r: RestRequest): VenueMarket[] | undefined {
    const raw = r.query.get('symbols');
    if (!raw) return [...this.markets.values()];
    const list = raw.split(',').map((s) => this.markets.get(s.trim()));
    return list.every((m) => m !== undefined) ? (list as VenueMarket[]) : undefined;
  }

  private restExchangeInfo(r: RestRequest): RestReply {
    const list = this.selected(r);
    if (!list) return badSymbol(r.query.get('symbols'));
    return json(200, {
      symbols: list.map((m) => wire.symbolInfo(m.instrument)),
      exchange: { lp: '100000.000000', insurance: '10000000000.000000', collateralDecimals: 6 },
    });
  }

  private restDepth(r: RestRequest): RestReply {
    const market = this.markets.get(r.query.get('symbol') ?? '');
    if (!market) return badSymbol(r.query.get('symbol'));
    const limitText = r.query.get('limit');
    const limit = limitText === null ? 20 : Number.parseInt(limitText, 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return json(400, { code: 1130, msg: 'INVALID_PARAMETER: limit must be 1-100' });
    return json(200, wire.depth(market, limit));
  }

  private restTickers(r: RestRequest): RestReply {
    const list = this.selected(r);
    if (!list) return badSymbol(r.query.get('symbols'));
    return json(200, { tickers: this.tickers(list) });
  }

  private restFundingHistory(r: RestRequest): RestReply {
    const market = this.markets.get(r.query.get('symbol') ?? '');
    if (!market) return badSymbol(r.query.get('symbol'));
    const hour = 3_600_000;
    const end = Number(r.query.get('endTime') ?? this.options.clock.now());
    const limit = Math.min(1000, Math.max(1, Number.parseInt(r.query.get('limit') ?? '24', 10) || 24));
    const i = market.instrument;
    const premium = this.options.model.fundingPremiumPpm(i.venue, i.base);
    const last = Math.floor(end / hour) * hour;
    // No history is kept: past hours show the baseline rate, the latest the current premium.
    return json(
      200,
      Array.from({ length: limit }, (_, k) => ({ symbol: i.symbol, time: last - k * hour, oneHrFundingRate: wire.oneHourFundingRate(k === 0 ? premium : 0) })),
    );
  }

  private tickers(list: readonly VenueMarket[]) {
    const model = this.options.model;
    return list.map((m) => {
      const i = m.instrument;
      return wire.ticker({ instrument: i, fairUnits: model.fairUnits(i.base), midUnits: model.venueMidUnits(i.venue, i.base), premiumPpm: model.fundingPremiumPpm(i.venue, i.base) });
    });
  }
}

/** The docs: every request's header must contain `xrestservermm: restserver{account_group}`. */
function requireAccountGroup(r: RestRequest): RestReply | undefined {
  const header = r.headers['xrestservermm'];
  if (typeof header === 'string' && ACCOUNT_GROUP_RE.test(header)) return undefined;
  return json(400, { code: 1146, msg: 'INVALID_ACCOUNT_GROUP: header xrestservermm: restserver{accountGroup} is required' });
}

function badSymbol(symbol: string | null): RestReply {
  return json(400, { code: 1121, msg: `BAD_SYMBOL: ${symbol ?? '(missing)'}` });
}
