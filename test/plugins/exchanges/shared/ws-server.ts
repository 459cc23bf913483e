/** A tiny loopback WebSocket server for connector tests: records connections and frames. */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface TestVenue {
  url: string;
  wss: WebSocketServer;
  sockets: WebSocket[];
  /** Text frames received, per connection index. */
  received: string[][];
  connectedAt: number[];
  onConnection(handler: (ws: WebSocket, index: number) => void): void;
  onFrame(handler: (ws: WebSocket, text: string, index: number) => void): void;
  waitFor(check: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestVenue(path = '/'): Promise<TestVenue> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as AddressInfo).port;
  const venue: TestVenue = {
    url: `ws://127.0.0.1:${port}${path}`,
    wss,
    sockets: [],
    received: [],
    connectedAt: [],
    onConnection: () => {},
    onFrame: () => {},
    async waitFor(check, timeoutMs = 5000) {
      const start = Date.now();
      while (!check()) {
        if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const s of venue.sockets) s.terminate();
      await new Promise((r) => wss.close(() => r(undefined)));
    },
  };
  let connectionHandler: (ws: WebSocket, index: number) => void = () => {};
  let frameHandler: (ws: WebSocket, text: string, index: number) => void = () => {};
  venue.onConnection = (h) => (connectionHandler = h);
  venue.onFrame = (h) => (frameHandler = h);
  wss.on('connection', (ws) => {
    const index = venue.sockets.length;
    venue.sockets.push(ws);
    venue.received.push([]);
    venue.connectedAt.push(Date.now());
    ws.on('message', (data) => {
      const text = data.toString();
      venue.received[index]!.push(text);
      frameHandler(ws, text, index);
    });
    connectionHandler(ws, index);
  });
  return venue;
}

/** A sink that records everything the connector delivers. */
export function recordingSink() {
  const books: import('../../../../engine/market/types.ts').BookEvent[] = [];
  const statuses: import('../../../../engine/market/types.ts').FeedStatusEvent[] = [];
  const funding: import('../../../../engine/market/types.ts').FundingEvent[] = [];
  return {
    books,
    statuses,
    funding,
    onBook: (e: (typeof books)[number]) => void books.push(e),
    onStatus: (e: (typeof statuses)[number]) => void statuses.push(e),
    onFunding: (e: (typeof funding)[number]) => void funding.push(e),
  };
}
