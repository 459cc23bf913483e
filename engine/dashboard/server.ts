/**
 * The dashboard's HTTP server (node:http, no framework). Every request must carry the run's
 * token (`?token=` or `Authorization: Bearer`), or it gets 401 and nothing else: the page, its
 * scripts and the event stream alike. Actions are POST only and refuse a cross-site Origin, so a
 * page elsewhere in the operator's browser cannot press the kill switch even with a guessed URL.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StaticFile } from './static-files.ts';

export interface ActionResult {
  status: number;
  body: Record<string, unknown>;
}

export interface DashboardRoutes {
  files: ReadonlyMap<string, StaticFile>;
  /** The latest snapshot as JSON text (already scrubbed). */
  snapshot(): string;
  actions: Readonly<Record<string, () => ActionResult>>;
}

export interface DashboardServer {
  url: string;
  token: string;
  /** Send a snapshot (JSON text) to every open event stream. */
  broadcast(json: string): void;
  readonly clients: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The token is in the URL: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token') ?? undefined;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type }).end(body);
}

export async function startDashboardServer(host: string, port: number, routes: DashboardRoutes): Promise<DashboardServer> {
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  const index = routes.files.get('/index.html');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (!sameToken(tokenOf(req, url), token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'dashboard: this URL needs the access token printed at start (…/?token=…)\n');
      return;
    }
    const action = url.pathname.startsWith('/action/') ? routes.actions[url.pathname.slice('/action/'.length)] : undefined;
    if (action) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'actions are POST only\n');
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) return send(res, 403, 'text/plain; charset=utf-8', 'cross-origin action refused\n');
      const r = action();
      return send(res, r.status, 'application/json', JSON.stringify(r.body));
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'GET only here\n');
    if (url.pathname === '/events') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
      res.write(`retry: 2000\nevent: snapshot\ndata: ${routes.snapshot()}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/state') return send(res, 200, 'application/json', routes.snapshot());
    const file = routes.files.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    // The page's own links carry the token too (every request needs it); the token is already in its URL.
    send(res, 200, file.type, file === index ? Buffer.from(file.body.toString('utf8').replaceAll('__TOKEN__', token)) : file.body);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err) => fail(new Error(`dashboard.port ${port}: cannot listen on ${host}: ${err.message}`)));
    server.listen(port, host, () => ok());
  });
  server.unref();
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}/?token=${token}`,
    token,
    broadcast(json) {
      for (const s of streams) s.write(`event: snapshot\ndata: ${json}\n\n`);
    },
    get clients() {
      return streams.size;
    },
    close: () =>
      new Promise((done) => {
        for (const s of streams) s.end();
        streams.clear();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
