/**
 * "Kappa": a small venue of this test's own, on loopback (issue 13, "a fourth venue"). It is
 * not one of our simulators and shares no code with them: an HTTP API for markets, orders and
 * positions, and a WebSocket that pushes book snapshots. The wire format is made up here and
 * documented only here, as a real venue's would be in its API docs; the plugin in ./kappa/
 * speaks it.
 *
 *   GET    /v1/markets                    -> { markets: [{ symbol, tick, step }] }
 *   POST   /v1/orders     (x-kappa-key)   { clientId, symbol, side, size, price, tif } -> { order }
 *   GET    /v1/orders/:clientId           -> { order, fills } | 404 { error: { code: "NOT_FOUND" } }
 *   DELETE /v1/orders/:clientId           -> { order }
 *   GET    /v1/orders?status=open         -> { orders }
 *   GET    /v1/positions                  -> { positions: [{ symbol, size }] }
 *   GET    /v1/account                    -> { equity }
 *   WS     /v1/stream  { op: "subscribe", symbols } -> { ch: "book", symbol, seq, ts, bids, asks } every pushMs
 *                      { op: "snapshot", symbol }   -> one book message at once
 *
 * IOC orders match against the quote the test sets (one level a side, replenished after each
 * fill); anything else is refused. Amounts are decimal strings on the wire and Decimal here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from 'decimal.js';
import { WebSocketServer, type WebSocket } from 'ws';

export interface KappaQuote {
  bid: string;
  ask: string;
  /** Size on each side, base units. */
  size: string;
}

export interface KappaOrder {
  clientId: string;
  id: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: string;
  price: string;
  tif: string;
  status: 'filled' | 'partially_filled' | 'cancelled' | 'rejected';
  filled: string;
  avgPrice?: string;
}

export interface KappaFill {
  id: string;
  clientId: string;
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: string;
  size: string;
  fee: string;
  time: number;
}

export interface KappaVenueOptions {
  apiKey: string;
  /** Markets: symbol -> tick and step. */
  markets: Record<string, { tick: string; step: string }>;
  takerFee?: string;
  pushMs?: number;
}

export class KappaVenue {
  /** Every order request that reached the venue, accepted or not, in arrival order. */
  readonly received: Array<{ key: string | undefined; body: Record<string, unknown> }> = [];
  readonly orders = new Map<string, { order: KappaOrder; fills: KappaFill[] }>();
  readonly positions = new Map<string, Decimal>();
  private readonly quotes = new Map<string, KappaQuote>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private seq = 0;
  private nextId = 1;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subscribers = new Map<WebSocket, Set<string>>();
  restUrl = '';
  wsUrl = '';

  constructor(private readonly options: KappaVenueOptions) {
    this.http = createServer((req, res) => void this.route(req, res));
    this.wss = new WebSocketServer({ server: this.http, path: '/v1/stream' });
    this.wss.on('connection', (socket) => this.onSocket(socket));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    const { port } = this.http.address() as AddressInfo;
    this.restUrl = `http://127.0.0.1:${port}/v1`;
    this.wsUrl = `ws://127.0.0.1:${port}/v1/stream`;
    this.timer = setInterval(() => this.pushAll(), this.options.pushMs ?? 250);
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.wss.clients) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  setQuote(symbol: string, quote: KappaQuote): void {
    this.quotes.set(symbol, quote);
    this.pushAll();
  }

  private onSocket(socket: WebSocket): void {
    this.subscribers.set(socket, new Set());
    socket.on('close', () => this.subscribers.delete(socket));
    socket.on('message', (data) => {
      let msg: { op?: unknown; symbols?: unknown; symbol?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        socket.send(JSON.stringify({ ch: 'error', message: 'not JSON' }));
        return;
      }
      if (msg.op === 'subscribe' && Array.isArray(msg.symbols)) {
        for (const s of msg.symbols) if (typeof s === 'string') this.subscribers.get(socket)?.add(s);
        for (const s of msg.symbols) if (typeof s === 'string') this.push(socket, s);
      } else if (msg.op === 'snapshot' && typeof msg.symbol === 'string') this.push(socket, msg.symbol);
    });
  }

  private pushAll(): void {
    for (const [socket, symbols] of this.subscribers) for (const s of symbols) this.push(socket, s);
  }

  private push(socket: WebSocket, symbol: string): void {
    const q = this.quotes.get(symbol);
    if (!q || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify({ ch: 'book', symbol, seq: ++this.seq, ts: Date.now(), bids: [[q.bid, q.size]], asks: [[q.ask, q.size]] }));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    if (req.method === 'GET' && path === '/v1/markets') {
      return send(200, { markets: Object.entries(this.options.markets).map(([symbol, m]) => ({ symbol, ...m })) });
    }
    if (req.headers['x-kappa-key'] !== this.options.apiKey && !(req.method === 'GET' && path === '/v1/markets')) {
      if (req.method === 'POST') this.received.push({ key: req.headers['x-kappa-key'] as string | undefined, body: await readJson(req) });
      return error(401, 'BAD_KEY', 'unknown API key');
    }
    const byId = /^\/v1\/orders\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && path === '/v1/orders') {
      const body = await readJson(req);
      this.received.push({ key: req.headers['x-kappa-key'] as string, body });
      const refused = this.place(body);
      return typeof refused === 'string' ? error(400, 'INVALID_ORDER', refused) : send(200, { order: refused });
    }
    if (req.method === 'GET' && byId) {
      const o = this.orders.get(decodeURIComponent(byId[1]!));
      return o ? send(200, o) : error(404, 'NOT_FOUND', 'no such order');
    }
    if (req.method === 'DELETE' && byId) {
      const o = this.orders.get(decodeURIComponent(byId[1]!));
      return o ? send(200, { order: o.order }) : error(404, 'NOT_FOUND', 'no such order');
    }
    // IOC orders never rest: nothing is ever open.
    if (req.method === 'GET' && path === '/v1/orders') return send(200, { orders: [] });
    if (req.method === 'GET' && path === '/v1/positions') {
      return send(200, { positions: [...this.positions].filter(([, s]) => !s.isZero()).map(([symbol, size]) => ({ symbol, size: size.toString() })) });
    }
    if (req.method === 'GET' && path === '/v1/account') return send(200, { equity: '100000' });
    return error(404, 'NO_ROUTE', `${req.method} ${path}`);
  }

  /** The order as placed, or why it was refused. */
  private place(body: Record<string, unknown>): KappaOrder | string {
    const { clientId, symbol, side, size, price, tif } = body;
    if (typeof clientId !== 'string' || !clientId) return 'clientId: required';
    if (this.orders.has(clientId)) return `clientId: ${clientId} already used`;
    if (typeof symbol !== 'string' || !this.options.markets[symbol]) return `symbol: unknown market ${String(symbol)}`;
    if (side !== 'buy' && side !== 'sell') return 'side: buy or sell';
    if (tif !== 'IOC') return 'tif: only IOC';
    if (typeof size !== 'string' || typeof price !== 'string') return 'size, price: decimal strings';
    const quote = this.quotes.get(symbol);
    const want = new Decimal(size);
    const limit = new Decimal(price);
    const id = `k${this.nextId++}`;
    const order: KappaOrder = { clientId, id, symbol, side, size, price, tif, status: 'cancelled', filled: '0' };
    const fills: KappaFill[] = [];
    const touch = quote && new Decimal(side === 'buy' ? quote.ask : quote.bid);
    if (quote && touch && (side === 'buy' ? limit.gte(touch) : limit.lte(touch))) {
      const qty = Decimal.min(want, new Decimal(quote.size));
      const fee = qty.mul(touch).mul(this.options.takerFee ?? '0.0004');
      fills.push({ id: `f${this.nextId++}`, clientId, orderId: id, symbol, side, price: touch.toString(), size: qty.toString(), fee: fee.toString(), time: Date.now() });
      order.filled = qty.toString();
      order.avgPrice = touch.toString();
      order.status = qty.eq(want) ? 'filled' : 'cancelled';
      const held = this.positions.get(symbol) ?? new Decimal(0);
      this.positions.set(symbol, side === 'buy' ? held.add(qty) : held.sub(qty));
    }
    this.orders.set(clientId, { order, fills });
    return order;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
