/**
 * The transport every venue simulator shares: one node:http server on loopback serving a
 * routing table of REST endpoints plus one WebSocket path, per-client outlets that add the
 * venue's latency and hold everything back during a stall, and the socket-level faults.
 * Venue servers only speak their wire format on top of it.
 */
import { createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Capture groups of the route's pattern. */
  readonly params: readonly string[];
  /** The raw request body ("" when none). */
  readonly body: string;
}

export interface RestReply {
  readonly status: number;
  readonly body: unknown;
  /** Answer nothing and destroy the connection (a lost reply, as a client sees a timeout or reset). */
  readonly destroy?: boolean;
  /** Extra response headers (Retry-After on a 429). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One row of a venue's routing table; the first matching row answers. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: RegExp;
  /** A promise lets a private route hold its answer back (stalled acks). */
  handle(request: RestRequest): RestReply | Promise<RestReply>;
}

export interface VenueHostOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly wsPath: string;
  readonly routes: readonly Route[];
  /** Ms added before each WebSocket push. */
  readonly latencyMs: number;
  /** Checked before routing, e.g. a header every call must carry; a reply rejects. */
  readonly guard?: (request: RestRequest) => RestReply | undefined;
  /**
   * Checked before a WebSocket upgrade on `wsPath`; a reply refuses it with that HTTP status
   * (Paradex answers an unsupported SBE schema with HTTP 400 at connect).
   */
  readonly refuseUpgrade?: (request: IncomingMessage) => RestReply | undefined;
  readonly onConnection: (client: ClientSocket, request: IncomingMessage) => void;
}

export function json(status: number, body: unknown): RestReply {
  return { status, body };
}

type Outgoing = { kind: 'text'; data: string } | { kind: 'binary'; data: Uint8Array } | { kind: 'ping' } | { kind: 'pong'; data: Buffer };

/** Holds the whole venue silent until a time; shared by REST and every socket. */
class StallGate {
  private until = 0;
  stall(ms: number): void {
    this.until = Math.max(this.until, Date.now() + ms);
  }
  remainingMs(): number {
    return Math.max(0, this.until - Date.now());
  }
}

/** A connected client with an ordered outlet (latency, then the stall gate). */
export class ClientSocket {
  private readonly queue: Outgoing[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Venue-specific per-connection state (subscriptions). */
  readonly subscriptions = new Set<string>();

  constructor(
    readonly ws: WebSocket,
    private readonly gate: StallGate,
    private readonly latencyMs: number,
  ) {
    ws.on('close', () => this.dispose());
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Send a JSON message (objects are serialized; strings go as they are). */
  send(message: unknown): void {
    this.push({ kind: 'text', data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  /** A binary frame (Paradex SBE market data), through the same ordered outlet as text. */
  sendBinary(frame: Uint8Array): void {
    this.push({ kind: 'binary', data: frame });
  }

  /** Protocol-level ping (Paradex keeps connections alive this way). */
  ping(): void {
    this.push({ kind: 'ping' });
  }

  pong(data: Buffer): void {
    this.push({ kind: 'pong', data });
  }

  onMessage(handler: (text: string) => void): void {
    this.ws.on('message', (raw: RawData) => handler(rawToText(raw)));
  }

  /** Abrupt close: no close frame, like a dropped TCP connection. */
  terminate(): void {
    this.ws.terminate();
    this.dispose();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private push(item: Outgoing): void {
    if (!this.open) return;
    if (this.latencyMs <= 0) return this.enqueue(item);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(item);
    }, this.latencyMs);
    this.timers.add(timer);
  }

  private enqueue(item: Outgoing): void {
    this.queue.push(item);
    this.flush();
  }

  private flush(): void {
    if (!this.open) {
      this.queue.length = 0;
      return;
    }
    const wait = this.gate.remainingMs();
    if (wait > 0) {
      // Everything waits behind the stall, in order, like bytes stuck in a frozen TCP stream.
      if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          this.flush();
        }, wait);
      }
      return;
    }
    for (const item of this.queue.splice(0)) {
      if (item.kind === 'text') this.ws.send(item.data);
      else if (item.kind === 'binary') this.ws.send(item.data, { binary: true });
      else if (item.kind === 'ping') this.ws.ping();
      else this.ws.pong(item.data);
    }
  }

  private dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.queue.length = 0;
  }
}

function rawToText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}

export class VenueHost {
  readonly clients = new Set<ClientSocket>();
  private readonly gate = new StallGate();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly pendingReplies = new Set<NodeJS.Timeout>();

  constructor(private readonly options: VenueHostOptions) {
    this.server = createServer((req, res) => this.serveRest(req, res));
    // autoPong off: pongs go through the outlet so a stall silences them too.
    this.wss = new WebSocketServer({ noServer: true, autoPong: false });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== options.wsPath) {
        socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      const refused = options.refuseUpgrade?.(req);
      if (refused) {
        const body = JSON.stringify(refused.body ?? {});
        socket.end(`HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, () => socket.destroy());
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** "http://127.0.0.1:port" */
  get httpOrigin(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${this.options.host}:${address.port}`;
  }

  /** "ws://127.0.0.1:port" */
  get wsOrigin(): string {
    return this.httpOrigin.replace(/^http/, 'ws');
  }

  /** Push to every open client (each through its own outlet). */
  broadcast(select: (client: ClientSocket) => unknown | undefined): void {
    for (const client of this.clients) {
      const message = select(client);
      if (message !== undefined) client.send(message);
    }
  }

  stall(ms: number): void {
    this.gate.stall(ms);
  }

  dropSockets(): void {
    for (const client of [...this.clients]) client.terminate();
    this.clients.clear();
  }

  async close(): Promise<void> {
    this.dropSockets();
    for (const t of this.pendingReplies) clearTimeout(t);
    this.pendingReplies.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const client = new ClientSocket(ws, this.gate, this.options.latencyMs);
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => this.clients.delete(client));
    this.options.onConnection(client, req);
  }

  private serveRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    const answer = async (): Promise<void> => {
      let reply: RestReply;
      try {
        reply = await this.route(method, url, req.headers, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        reply = { status: 500, body: { error: 'INTERNAL_ERROR', message: `${this.options.name} simulator: ${String(error)}` } };
      }
      if (res.destroyed) return;
      if (reply.destroy) {
        res.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    };
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const wait = this.gate.remainingMs();
      if (wait <= 0) return void answer();
      const timer = setTimeout(() => {
        this.pendingReplies.delete(timer);
        void answer();
      }, wait);
      this.pendingReplies.add(timer);
    });
  }

  private async route(method: string, url: URL, headers: IncomingHttpHeaders, body: string): Promise<RestReply> {
    const base = { method, path: url.pathname, query: url.searchParams, headers, params: [] as string[], body };
    const rejected = this.options.guard?.(base);
    if (rejected) return rejected;
    for (const route of this.options.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      try {
        return route.handle({ ...base, params: m.slice(1).map((p) => decodeURIComponent(p)) });
      } catch (error) {
        // A simulator bug must show up as a failed call, not kill the process under test.
        return { status: 500, body: { error: 'INTERNAL_ERROR', message: `${this.options.name} simulator: ${String(error)}` } };
      }
    }
    return { status: 404, body: { error: 'NOT_FOUND', message: `${this.options.name} simulator: no route ${method} ${url.pathname}` } };
  }
}
