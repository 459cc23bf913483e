import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../../engine/core/logger.ts';
import { ReconnectingSocket, type SocketState } from '../../../../plugins/exchanges/shared/reconnecting-socket.ts';
import { startTestVenue, type TestVenue } from './ws-server.ts';

let venue: TestVenue | undefined;
let socket: ReconnectingSocket | undefined;
afterEach(async () => {
  await socket?.stop();
  await venue?.close();
  socket = undefined;
  venue = undefined;
});

function open(url: string, overrides: Partial<ConstructorParameters<typeof ReconnectingSocket>[0]> = {}) {
  const states: Array<[SocketState, string | undefined]> = [];
  const messages: string[] = [];
  const s: ReconnectingSocket = new ReconnectingSocket({
    name: 'test',
    url,
    backoff: { minMs: 40, maxMs: 400 },
    connectTimeoutMs: 1000,
    stallTimeoutMs: 5000,
    logger: silentLogger,
    random: () => 1,
    onOpen: () => s.send('{"subscribe":"book"}'),
    onMessage: (data) => void messages.push(String(data)),
    onState: (state, reason) => void states.push([state, reason]),
    ...overrides,
  });
  socket = s;
  s.start();
  return { s, states, messages };
}

describe('ReconnectingSocket', () => {
  it('reconnects after the venue drops it, backing off more each time, and resubscribes', async () => {
    venue = await startTestVenue();
    // Drop every connection right after it subscribes, four times over.
    venue.onFrame((ws, _text, index) => {
      if (index < 4) ws.terminate();
    });
    const delays: number[] = [];
    const logger: Logger = {
      ...silentLogger,
      info: (msg, fields) => void (msg === 'reconnect scheduled' && delays.push(fields?.['delayMs'] as number)),
    };
    const { states } = open(venue.url, { logger });
    await venue.waitFor(() => venue!.received.length >= 5 && venue!.received[4]!.length > 0);
    // Every connection, the first and each reconnect, subscribed again.
    expect(venue.received.slice(0, 5).every((frames) => frames[0] === '{"subscribe":"book"}')).toBe(true);
    // random = 1: delays 40, 80, 160, 320 (the venue never spoke, so no reset between drops).
    expect(delays.slice(0, 4)).toEqual([40, 80, 160, 320]);
    // Timers never fire early, so each reconnect really waited at least its delay.
    const gaps = venue.connectedAt.slice(1).map((t, i) => t - venue!.connectedAt[i]!);
    gaps.slice(0, 4).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(delays[i]! - 2));
    expect(states.filter(([s]) => s === 'closed')).toHaveLength(4);
    expect(states.map(([s]) => s).slice(0, 4)).toEqual(['connecting', 'open', 'closed', 'connecting']);
  });

  it('declares a silent socket stalled and reconnects', async () => {
    venue = await startTestVenue();
    const { states, s } = open(venue.url, { stallTimeoutMs: 150 });
    // The server accepts and never speaks.
    await venue.waitFor(() => s.connections >= 2, 3000);
    expect(states.some(([state]) => state === 'closed')).toBe(true);
    expect(s.connections).toBeGreaterThanOrEqual(2);
  });

  it('keeps a quiet socket alive with its heartbeat answers', async () => {
    venue = await startTestVenue();
    venue.onFrame((ws, text) => {
      if (text === 'PING') ws.send('PONG');
    });
    const { s, messages } = open(venue.url, { stallTimeoutMs: 400, heartbeat: { intervalMs: 50, message: () => 'PING' } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(venue.sockets).toHaveLength(1);
    expect(s.connections).toBe(1);
    expect(messages.filter((m) => m === 'PONG').length).toBeGreaterThan(5);
  });

  it('counts protocol pongs as liveness when the heartbeat is a ping frame', async () => {
    venue = await startTestVenue();
    open(venue.url, { stallTimeoutMs: 400, heartbeat: { intervalMs: 50 } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(venue.sockets).toHaveLength(1);
  });

  it('stops for good: no reconnect after stop()', async () => {
    venue = await startTestVenue();
    const { s, states } = open(venue.url);
    await venue.waitFor(() => venue!.sockets.length === 1 && s.isOpen);
    await s.stop();
    await new Promise((r) => setTimeout(r, 150));
    expect(venue.sockets).toHaveLength(1);
    expect(states.at(-1)?.[0]).toBe('stopped');
  });
});
