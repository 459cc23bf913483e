/** A loopback HTTP server for order-gateway tests: records every request, answers from a handler. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** JSON body when it parses. */
  json: unknown;
  /** Arrival time, ms since epoch (wall clock). */
  at: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Never answer (to test timeouts). */
  hang?: boolean;
  /** Drop the connection without an answer. */
  destroy?: boolean;
}

export interface HttpVenue {
  url: string;
  requests: RecordedRequest[];
  handle(handler: (req: RecordedRequest) => Reply | Promise<Reply>): void;
  close(): Promise<void>;
}

export async function startHttpVenue(basePath = ''): Promise<HttpVenue> {
  let handler: (req: RecordedRequest) => Reply | Promise<Reply> = () => ({ status: 404, body: { error: 'NOT_FOUND' } });
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const path = u.pathname.startsWith(basePath) ? u.pathname.slice(basePath.length) : u.pathname;
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query: u.searchParams, headers: req.headers, body, json, at: Date.now() };
      requests.push(recorded);
      void Promise.resolve(handler(recorded)).then((reply) => {
        if (reply.hang) return;
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(text);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    handle: (h) => (handler = h),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A logger that keeps every line as text, to prove secrets never reach it. */
export function recordingLogger() {
  const lines: string[] = [];
  const make = (bindings: Record<string, unknown>): import('../../../../engine/core/logger.ts').Logger => {
    const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
      lines.push(JSON.stringify({ level, msg, ...bindings, ...fields }));
    };
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (b) => make({ ...bindings, ...b }) };
  };
  return { logger: make({}), lines };
}
