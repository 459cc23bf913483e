import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import type { MarketInfo } from '../../../../engine/market/types.ts';
import { parseLighterOptions } from '../../../../plugins/exchanges/lighter/config.ts';
import { LighterConnector } from '../../../../plugins/exchanges/lighter/market-data.ts';
import { recordingSink, startTestVenue, type TestVenue } from '../shared/ws-server.ts';

const market: MarketInfo = { venue: 'lighter', symbol: '0', priceDecimals: 2, sizeDecimals: 4, tickSize: '0.01', sizeIncrement: '0.0001' };
const book = (type: string, ob: Record<string, unknown>) =>
  JSON.stringify({ channel: 'order_book:0', type, timestamp: 1000, order_book: { code: 0, asks: [], bids: [], ...ob } });

let venue: TestVenue | undefined;
let connector: LighterConnector | undefined;
afterEach(async () => {
  await connector?.stop();
  await venue?.close();
});

async function connect(options: Record<string, unknown> = {}) {
  venue = await startTestVenue('/stream');
  const sink = recordingSink();
  connector = new LighterConnector(
    parseLighterOptions({ wsUrl: venue.url, reconnect: { minMs: 20, maxMs: 100 }, subscribeFunding: false, ...options }),
    { logger: silentLogger, clock: new ManualClock(42) },
  );
  await connector.startMarketData([market], sink);
  await venue.waitFor(() => venue!.received[0]?.length === 1);
  return { sink, ws: venue.sockets[0]!, venue };
}

describe('LighterConnector', () => {
  it('subscribes per market, answers server pings and ignores unknown types', async () => {
    const { ws, venue, sink } = await connect();
    expect(JSON.parse(venue.received[0]![0]!)).toEqual({ type: 'subscribe', channel: 'order_book/0' });
    ws.send('{"type":"ping"}');
    ws.send('{"type":"update/height","height":1}');
    await venue.waitFor(() => venue.received[0]!.includes('{"type":"pong"}'));
    expect(connector!.malformedFrames).toBe(0);
    expect(sink.books).toHaveLength(0);
  });

  it('hands the first update after a nonce-less snapshot to the hub without prevSeq, then chains', async () => {
    const { ws, venue, sink } = await connect();
    ws.send(book('update/order_book', { nonce: 5, begin_nonce: 4, bids: [{ price: '1.00', size: '1' }] })); // before any snapshot: dropped
    ws.send(book('subscribed/order_book', { bids: [{ price: '1.00', size: '2' }] }));
    ws.send(book('update/order_book', { nonce: 11, begin_nonce: 10, bids: [{ price: '1.00', size: '0.0000' }] }));
    ws.send(book('update/order_book', { nonce: 12, begin_nonce: 11, asks: [{ price: '1.01', size: '3' }] }));
    await venue.waitFor(() => sink.books.length === 3);
    expect(sink.books.map((b) => [b.type, b.seq, b.prevSeq])).toEqual([
      ['snapshot', undefined, undefined],
      ['delta', 11, undefined],
      ['delta', 12, 11],
    ]);
    expect(sink.books[1]!.bids).toEqual([{ price: 100, size: 0 }]);
    expect(sink.books[0]!.receivedAt).toBe(42);
  });

  it('on a malformed book frame: counts it, marks that book resyncing and resubscribes it', async () => {
    const { ws, venue, sink } = await connect();
    ws.send(book('subscribed/order_book', { nonce: 1 }));
    ws.send(book('update/order_book', { nonce: 'x', begin_nonce: 1 }));
    await venue.waitFor(() => venue.received[0]!.length >= 3);
    expect(connector!.malformedFrames).toBe(1);
    expect(sink.statuses.at(-1)).toMatchObject({ venue: 'lighter', state: 'resyncing', symbols: ['0'] });
    expect(venue.received[0]!.slice(1).map((t) => JSON.parse(t))).toEqual([
      { type: 'unsubscribe', channel: 'order_book/0' },
      { type: 'subscribe', channel: 'order_book/0' },
    ]);
  });

  // Without the handling the update failed as a malformed frame (begin_nonce named as a bad field)
  // and counted against the feed's health; now it is a plain resync and never reaches the hub.
  it('an update without begin_nonce (ccxt capture) resyncs that book instead of being applied or counted malformed', async () => {
    const { ws, venue, sink } = await connect();
    ws.send(book('subscribed/order_book', { nonce: 3107818600, bids: [{ price: '2979.36', size: '1' }] }));
    ws.send(readFileSync(new URL('../../../fixtures/venues/lighter/ws/order-book-update-no-begin-nonce-ccxt.json', import.meta.url), 'utf8'));
    await venue.waitFor(() => venue.received[0]!.length >= 3);
    expect(sink.books.map((b) => b.type)).toEqual(['snapshot']);
    expect(connector!.malformedFrames).toBe(0);
    expect(connector!.unchainedUpdates).toBe(1);
    expect(sink.statuses.at(-1)).toMatchObject({ state: 'resyncing', symbols: ['0'] });
    expect(venue.received[0]!.slice(1).map((t) => JSON.parse(t))).toEqual([
      { type: 'unsubscribe', channel: 'order_book/0' },
      { type: 'subscribe', channel: 'order_book/0' },
    ]);
  });

  // Without the handling venueTime was the frame's send `timestamp` (ms), 17 ms after the book's own clock.
  it("takes venue time from last_updated_at (µs), not the frame's send timestamp (Nautilus capture)", async () => {
    const { ws, venue, sink } = await connect();
    ws.send(book('subscribed/order_book', { nonce: 9182389998 }));
    ws.send(readFileSync(new URL('../../../fixtures/venues/lighter/ws/order-book-update-nautilus.json', import.meta.url), 'utf8'));
    await venue.waitFor(() => sink.books.length === 2);
    expect(sink.books[1]).toMatchObject({ type: 'delta', seq: 9182390020, prevSeq: 9182389998, venueTime: 1774884082309 });
    expect(sink.books[0]!.venueTime).toBe(1000); // no last_updated_at: the frame timestamp
  });
});
