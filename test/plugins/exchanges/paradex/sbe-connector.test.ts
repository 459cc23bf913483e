/**
 * The Paradex connector on an SBE socket (test WebSocket server serving stored binary frames): the
 * negotiation parameters on the URL, the bare deltas channel, books built through the hub, a gap
 * resynced, heartbeats, skipped templates, a truncated frame counted, HTTP 400 at connect explained.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import { parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { ParadexConnector } from '../../../../plugins/exchanges/paradex/market-data.ts';
import { recordingSink, startTestVenue, type TestVenue } from '../shared/ws-server.ts';
import { BTC, Frame, capture, fundingFrame, sbeTxt } from './sbe-fixtures.ts';

let venue: TestVenue | undefined;
let http: Server | undefined;
let connector: ParadexConnector | undefined;
afterEach(async () => {
  await connector?.stop();
  connector = undefined;
  await venue?.close();
  venue = undefined;
  http?.closeAllConnections();
  await new Promise((r) => (http ? http.close(r) : r(undefined)));
  http = undefined;
});

const timing = { connectTimeoutMs: 2_000, resyncTimeoutMs: 2_000, reconnect: { minMs: 20, maxMs: 50 } };
const ack = (id: number, channel: string) => JSON.stringify({ jsonrpc: '2.0', id, result: { channel } });

async function sbeVenue(query = '') {
  venue = await startTestVenue('/v1');
  const urls: string[] = [];
  venue.wss.on('connection', (_ws, req) => urls.push(req.url ?? ''));
  const hub = new MarketDataHub(systemClock, silentLogger, { maxBookAgeMs: 60_000 });
  const sink = recordingSink();
  connector = new ParadexConnector(parseParadexOptions({ wsUrl: venue.url + query, ...timing }), { logger: silentLogger, clock: systemClock });
  const c = connector;
  hub.addVenue('paradex', [BTC.info], (symbol) => c.resync(symbol));
  const both = {
    onBook: (e: Parameters<typeof hub.onBook>[0]) => (sink.onBook(e), hub.onBook(e)),
    onStatus: (e: Parameters<typeof hub.onStatus>[0]) => (sink.onStatus(e), hub.onStatus(e)),
    onFunding: (e: Parameters<typeof hub.onFunding>[0]) => (sink.onFunding(e), hub.onFunding(e)),
  };
  await c.startMarketData([BTC.info], both);
  await venue.waitFor(() => venue!.received[0]?.length === 2);
  return { venue, urls, hub, sink, connector: c, ws: venue.sockets[0]! };
}

const side = (hub: MarketDataHub, which: 'bids' | 'asks') => {
  const s = hub.book('paradex', 'BTC-USD-PERP')![which];
  return s.prices.map((p, i) => [p, s.sizes[i]]);
};

describe('ParadexConnector over SBE', () => {
  it('negotiates SBE on the URL it was given (keeping its parameters) and subscribes the bare deltas channel', async () => {
    const { urls, venue: v } = await sbeVenue('?region=tokyo');
    expect(urls).toEqual(['/v1?region=tokyo&sbeSchemaId=1&sbeSchemaVersion=1']);
    expect(v.received[0]!.map((t) => JSON.parse(t).params.channel)).toEqual(['order_book.BTC-USD-PERP.deltas', 'funding_data.BTC-USD-PERP']);
  });

  it('builds the book from binary frames; a seq gap resyncs by unsubscribe + subscribe and the fresh snapshot restores it', async () => {
    const { ws, hub, sink, connector: c, venue: v } = await sbeVenue();
    ws.send(ack(1, 'order_book.BTC-USD-PERP.deltas')); // acks stay JSON text frames
    for (const f of ['book-snapshot', 'book-delta-1001', 'book-delta-1002']) ws.send(sbeTxt(`${f}.sbe.txt`), { binary: true });
    await v.waitFor(() => sink.books.length === 3);
    expect(side(hub, 'bids')).toEqual([
      [620006, 50000],
      [620005, 25000],
    ]);
    expect(side(hub, 'asks')).toEqual([
      [620010, 125000],
      [620015, 200000],
    ]);
    expect(hub.book('paradex', 'BTC-USD-PERP')!.venueTime).toBe(1_759_500_000_123);

    ws.send(sbeTxt('book-delta-1004.sbe.txt'), { binary: true }); // 1003 never came
    await v.waitFor(() => v.received[0]!.length >= 4);
    expect(v.received[0]!.slice(2).map((t) => [JSON.parse(t).method, JSON.parse(t).params.channel])).toEqual([
      ['unsubscribe', 'order_book.BTC-USD-PERP.deltas'],
      ['subscribe', 'order_book.BTC-USD-PERP.deltas'],
    ]);
    expect(hub.counters.gaps).toBe(1);
    ws.send(sbeTxt('book15-snapshot-2000.sbe.txt'), { binary: true });
    await v.waitFor(() => hub.book('paradex', 'BTC-USD-PERP')!.seq === 2000);
    expect(hub.book('paradex', 'BTC-USD-PERP')!.bids.prices).toHaveLength(15);
    expect(c.malformedFrames).toBe(0);
  });

  it('replays the captured production session into a book with no gap', async () => {
    const { ws, hub, venue: v } = await sbeVenue();
    const frames = capture('btc-order-book-deltas-2026-10-08.head.jsonl');
    for (const f of frames) ws.send('text' in f ? f.text : f.binary, { binary: !('text' in f) });
    await v.waitFor(() => hub.book('paradex', 'BTC-USD-PERP')?.seq === 7_687_289_284);
    expect(hub.counters).toMatchObject({ snapshots: 1, deltas: 50, gaps: 0, crossed: 0 });
    expect(hub.book('paradex', 'BTC-USD-PERP')!.bids.prices[0]).toBeGreaterThan(0);
  });

  it('heartbeats and unknown templates are neither books nor malformed frames; a truncated frame is counted and the feed goes on', async () => {
    const { ws, sink, connector: c, venue: v } = await sbeVenue();
    ws.send(sbeTxt('book-snapshot.sbe.txt'), { binary: true });
    ws.send(sbeTxt('heartbeat.sbe.txt'), { binary: true });
    ws.send(new Frame().header(16, 99, 3).i64(1).i64(2).build(), { binary: true });
    ws.send(sbeTxt('book-delta-1001.sbe.txt').subarray(0, 100), { binary: true });
    ws.send(fundingFrame({ rate: 1234, hours: 8, createdAtUs: 1_759_500_000_000_000 }), { binary: true });
    await v.waitFor(() => sink.funding.length === 1);
    expect(sink.funding[0]).toMatchObject({ symbol: 'BTC-USD-PERP', rate: '0.00001234', intervalHours: 8, venueTime: 1_759_500_000_000 });
    expect(sink.books).toHaveLength(1);
    expect(c.malformedFrames).toBe(1);
    expect([...c.skippedTemplates]).toEqual([[99, 1]]);
  });

  it('names a refused SBE negotiation (HTTP 400 at connect) in the feed status', async () => {
    http = createServer((_req, res) => res.end());
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    const sink = recordingSink();
    connector = new ParadexConnector(
      parseParadexOptions({ wsUrl: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1`, sbeSchemaVersion: 7, ...timing, connectTimeoutMs: 100 }),
      { logger: silentLogger, clock: systemClock },
    );
    await connector.startMarketData([BTC.info], sink);
    const start = Date.now();
    while (!sink.statuses.some((s) => s.state === 'disconnected') && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 10));
    const refused = sink.statuses.find((s) => s.state === 'disconnected');
    expect(refused?.reason).toMatch(/HTTP 400: SBE negotiation sbeSchemaId=1&sbeSchemaVersion=7 not accepted/);
  });
});
