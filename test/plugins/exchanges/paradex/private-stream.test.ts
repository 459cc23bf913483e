/**
 * Paradex private stream against a loopback socket that speaks the documented JSON-RPC: auth
 * with the bearer JWT, then `orders.ALL` and `fills.ALL`, pushes in the `subscription` envelope
 * with REST-shaped data (docs.paradex.trade WS authentication, subscription channels, error
 * handling; paradex-py ws_client.py). Frames are hand-written from those shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { ParadexPrivateStream, privateStreamUrl } from '../../../../plugins/exchanges/paradex/private-stream.ts';
import { PushedOrders } from '../../../../plugins/exchanges/shared/pushed-orders.ts';
import { startTestVenue, type TestVenue } from '../shared/ws-server.ts';

const CONNECTION = { reconnect: { minMs: 20, maxMs: 50 }, connectTimeoutMs: 2_000, stallTimeoutMs: 5_000, heartbeatIntervalMs: 1_000 };

const order = (over: Record<string, unknown> = {}) => ({
  id: '1681462103821101699438490000', client_id: 'leg-1', account: '0xabc', market: 'BTC-USD-PERP', side: 'BUY', type: 'LIMIT',
  size: '0.2', remaining_size: '0', price: '65005', avg_fill_price: '65001', status: 'CLOSED', instruction: 'IOC', cancel_reason: '',
  created_at: 1_760_000_000_000, last_updated_at: 1_760_000_000_003, seq_no: 7, ...over,
});
const fill = (id: string, size: string, price: string, clientId = 'leg-1') => ({
  id, order_id: '1681462103821101699438490000', client_id: clientId, market: 'BTC-USD-PERP', side: 'BUY', price, size,
  fee: '0.5', fee_currency: 'USDC', liquidity: 'TAKER', fill_type: 'FILL', created_at: 1_760_000_000_002,
});
const push = (channel: string, data: unknown) => JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });

let venue: TestVenue;
let stream: ParadexPrivateStream | undefined;
let tokens: string[];
let invalidated: string[];
let pushed: PushedOrders;

/** Answers auth (refusing bearers in `refuse`) and subscribes as the docs show. */
function behave(refuse: Set<string> = new Set()): void {
  venue.onFrame((ws: WebSocket, text: string) => {
    const m = JSON.parse(text) as { id: number; method: string; params: Record<string, string> };
    if (m.method === 'auth') {
      if (refuse.has(m.params['bearer']!)) ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code: 40111, message: 'Invalid Bearer Token' }, usIn: 1, usOut: 2, usDiff: 1, id: m.id }));
      else ws.send(JSON.stringify({ jsonrpc: '2.0', result: { node_id: 'n1' }, usIn: 1, usDiff: 1, id: m.id }));
    } else if (m.method === 'subscribe') {
      ws.send(JSON.stringify({ jsonrpc: '2.0', result: { channel: m.params['channel'] }, usIn: 1, usDiff: 1, id: m.id }));
    }
  });
}

function start(url = venue.url): ParadexPrivateStream {
  let n = 0;
  stream = new ParadexPrivateStream({
    url,
    connection: CONNECTION,
    token: async () => {
      const jwt = `jwt-${++n}`;
      tokens.push(jwt);
      return jwt;
    },
    invalidate: (jwt) => invalidated.push(jwt),
    pushed,
    logger: silentLogger,
    random: () => 0.5,
  });
  stream.start();
  return stream;
}

beforeEach(async () => {
  venue = await startTestVenue('/v1');
  tokens = [];
  invalidated = [];
  pushed = new PushedOrders();
});
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await venue.close();
});

describe('paradex private stream', () => {
  it('connects without the SBE parameters: private payloads are JSON', () => {
    expect(privateStreamUrl('wss://ws.api.prod.paradex.trade/v1?sbeSchemaId=1&sbeSchemaVersion=1')).toBe('wss://ws.api.prod.paradex.trade/v1');
    expect(privateStreamUrl('ws://127.0.0.1:9/v1?sbeSchemaVersion=1&x=2')).toBe('ws://127.0.0.1:9/v1?x=2');
  });

  it('authenticates first, subscribes orders.ALL and fills.ALL after the ack, and turns pushes into a complete report', async () => {
    behave();
    const s = start();
    await venue.waitFor(() => s.live);
    const frames = venue.received[0]!.map((t) => JSON.parse(t) as { method: string; params: Record<string, string> });
    expect(frames.map((f) => [f.method, f.params['bearer'] ?? f.params['channel']])).toEqual([
      ['auth', 'jwt-1'],
      ['subscribe', 'orders.ALL'],
      ['subscribe', 'fills.ALL'],
    ]);
    const ws = venue.sockets[0]!;
    ws.send(push('orders.ALL', order({ status: 'NEW', remaining_size: '0.2', avg_fill_price: '' })));
    ws.send(push('fills.ALL', fill('f-1', '0.1', '65000')));
    // A fill pushed without its client id is matched through the order id of an earlier order push.
    ws.send(push('fills.ALL', fill('f-2', '0.1', '65002', '')));
    ws.send('{"jsonrpc":"2.0","method":"subscription","params":{"channel":"fills.ALL","data":{"id":"bad","price":65000}}}');
    ws.send(Buffer.from([0x10, 0x00, 0x14, 0x00]), { binary: true });
    ws.send(push('orders.ALL', order({ client_id: '' , id: 'not-ours' })));
    ws.send(push('orders.ALL', order()));
    await venue.waitFor(() => pushed.complete('leg-1') !== undefined);
    const report = pushed.complete('leg-1')!;
    expect(report.state).toMatchObject({ clientId: 'leg-1', status: 'filled', venueOrderId: '1681462103821101699438490000' });
    expect(report.state.filledSize.toFixed()).toBe('0.2');
    expect(report.fills.map((f) => [f.fillId, f.clientId, f.price.toFixed(), f.liquidity])).toEqual([
      ['f-1', 'leg-1', '65000', 'taker'],
      ['f-2', 'leg-1', '65002', 'taker'],
    ]);
    expect(s.malformedFrames).toBe(1);
    expect(s.binaryFrames).toBe(1);
    expect(s.pushes).toBe(4);
  });

  it('a refused bearer (40111) drops that JWT and reconnects with a fresh one', async () => {
    behave(new Set(['jwt-1']));
    const s = start();
    await venue.waitFor(() => s.live);
    expect(invalidated).toEqual(['jwt-1']);
    expect(venue.sockets).toHaveLength(2);
    expect(JSON.parse(venue.received[1]![0]!)).toMatchObject({ method: 'auth', params: { bearer: 'jwt-2' } });
  });

  it('authenticates again on every reconnect and keeps pushing', async () => {
    behave();
    const s = start();
    await venue.waitFor(() => s.live);
    venue.sockets[0]!.terminate();
    await venue.waitFor(() => venue.sockets.length === 2 && s.live);
    expect(tokens).toEqual(['jwt-1', 'jwt-2']);
    venue.sockets[1]!.send(push('orders.ALL', order({ remaining_size: '0.2', cancel_reason: 'IOC_CANCEL', avg_fill_price: '' })));
    await venue.waitFor(() => pushed.complete('leg-1') !== undefined);
    expect(pushed.complete('leg-1')!.state.status).toBe('cancelled');
  });
});
