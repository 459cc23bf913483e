import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { ParadexConnector } from '../../../../plugins/exchanges/paradex/market-data.ts';
import { recordingSink, startTestVenue, type TestVenue } from '../shared/ws-server.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const channel = 'order_book.BTC-USD-PERP.deltas@15@50ms';
const push = (seq: number, type: 's' | 'd', inserts: unknown[] = []) =>
  JSON.stringify({
    jsonrpc: '2.0',
    method: 'subscription',
    params: { channel, data: { seq_no: seq, market: 'BTC-USD-PERP', last_updated_at: 7, update_type: type, inserts, updates: [], deletes: [] } },
  });

let venue: TestVenue | undefined;
let rest: Server | undefined;
let connector: ParadexConnector | undefined;
afterEach(async () => {
  await connector?.stop();
  await venue?.close();
  rest?.closeAllConnections();
  await new Promise((r) => (rest ? rest.close(r) : r(undefined)));
  rest = undefined;
});

describe('ParadexConnector', () => {
  it('loads markets, subscribes book and funding, drops deltas until the snapshot, resyncs by unsubscribe+subscribe', async () => {
    rest = createServer((_req, res) =>
      res.end(JSON.stringify({ results: [{ symbol: 'BTC-USD-PERP', price_tick_size: '0.1', order_size_increment: '0.001', min_notional: '10', funding_period_hours: 8 }] })),
    );
    await new Promise<void>((r) => rest!.listen(0, '127.0.0.1', r));
    venue = await startTestVenue('/v1');
    const sink = recordingSink();
    connector = new ParadexConnector(
      parseParadexOptions({ restUrl: `http://127.0.0.1:${(rest.address() as AddressInfo).port}/v1`, wsUrl: venue.url, encoding: 'json' }),
      { logger: silentLogger, clock: systemClock },
    );
    const markets = await connector.loadMarkets(['BTC-USD-PERP']);
    await expect(connector.loadMarkets(['DOGE-USD-PERP'])).rejects.toThrow(/does not list DOGE-USD-PERP/);
    await connector.startMarketData(markets, sink);
    await venue.waitFor(() => venue!.received[0]?.length === 2);
    const subscribed = venue.received[0]!.map((t) => JSON.parse(t).params.channel);
    expect(subscribed).toEqual([channel, 'funding_data.BTC-USD-PERP']);

    const ws = venue.sockets[0]!;
    ws.send(push(9, 'd', [{ side: 'BUY', price: '1.0', size: '1' }])); // stale stream: dropped
    ws.send(push(10, 's', [{ side: 'BUY', price: '1.0', size: '2' }]));
    ws.send(push(11, 'd'));
    await venue.waitFor(() => sink.books.length === 2);
    expect(sink.books.map((b) => [b.type, b.seq, b.prevSeq])).toEqual([
      ['snapshot', 10, undefined],
      ['delta', 11, 10],
    ]);

    connector.resync('BTC-USD-PERP');
    connector.resync('BTC-USD-PERP'); // a burst of gaps costs one resubscribe
    await venue.waitFor(() => venue!.received[0]!.length >= 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(venue.received[0]!.slice(2).map((t) => JSON.parse(t).method)).toEqual(['unsubscribe', 'subscribe']);
    ws.send(push(40, 'd')); // before the fresh snapshot: dropped
    ws.send(push(50, 's'));
    await venue.waitFor(() => sink.books.length === 3);
    expect(sink.books[2]).toMatchObject({ type: 'snapshot', seq: 50 });
    expect(sink.statuses.filter((s) => s.state === 'resyncing')).toHaveLength(1);
  });
});
