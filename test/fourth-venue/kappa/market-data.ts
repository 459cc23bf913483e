/**
 * Kappa market data: book snapshots over one WebSocket, decoded to the engine's BookEvent.
 * Every message is a full book (one level a side), so a gap needs no repair beyond the next one;
 * resync() asks for one at once. Reconnects after a drop.
 */
import WebSocket from 'ws';
import type { ExchangeConnector } from 'perp-arb-engine/engine/exchange/connector.ts';
import type { OrderGateway } from 'perp-arb-engine/engine/exchange/orders.ts';
import type { BookEvent, MarketDataSink, MarketInfo } from 'perp-arb-engine/engine/market/types.ts';
import type { Clock } from 'perp-arb-engine/engine/core/clock.ts';
import { toUnits } from 'perp-arb-engine/engine/market/units.ts';
import type { KappaOptions } from './config.ts';

const decimals = (step: string): number => (step.includes('.') ? step.split('.')[1]!.length : 0);

/** One `book` message to a snapshot, or undefined for anything else (errors name the field). */
export function decodeBook(raw: string, markets: ReadonlyMap<string, MarketInfo>, receivedAt: number): BookEvent | undefined {
  const msg = JSON.parse(raw) as { ch?: unknown; symbol?: unknown; seq?: unknown; ts?: unknown; bids?: unknown; asks?: unknown };
  if (msg.ch !== 'book') return undefined;
  const m = typeof msg.symbol === 'string' ? markets.get(msg.symbol) : undefined;
  if (!m) return undefined;
  const levels = (side: unknown, field: string) => {
    if (!Array.isArray(side)) throw new Error(`kappa book ${m.symbol}: ${field} is not a list`);
    return side.map(([p, s]: [string, string]) => ({ price: toUnits(p, m.priceDecimals), size: toUnits(s, m.sizeDecimals) }));
  };
  return {
    type: 'snapshot',
    venue: 'kappa',
    symbol: m.symbol,
    seq: Number(msg.seq),
    bids: levels(msg.bids, 'bids'),
    asks: levels(msg.asks, 'asks'),
    venueTime: Number(msg.ts),
    receivedAt,
  };
}

export class KappaConnector implements ExchangeConnector {
  readonly venue = 'kappa';
  readonly chain = 'kappa';
  private socket: WebSocket | undefined;
  private stopped = false;
  private readonly markets = new Map<string, MarketInfo>();

  constructor(
    private readonly options: KappaOptions,
    private readonly clock: Clock,
    readonly orders?: OrderGateway,
  ) {}

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const res = await fetch(`${this.options.restUrl}/markets`);
    const body = (await res.json()) as { markets: Array<{ symbol: string; tick: string; step: string }> };
    return symbols.map((symbol) => {
      const m = body.markets.find((x) => x.symbol === symbol);
      if (!m) throw new Error(`kappa: no market ${symbol} (instruments.*.kappa)`);
      const info: MarketInfo = { venue: 'kappa', symbol, priceDecimals: decimals(m.tick), sizeDecimals: decimals(m.step), tickSize: m.tick, sizeIncrement: m.step };
      this.markets.set(symbol, info);
      return info;
    });
  }

  async startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    const symbols = markets.map((m) => m.symbol);
    const connect = () => {
      sink.onStatus({ venue: 'kappa', state: 'connecting', symbols: [] });
      const ws = new WebSocket(this.options.wsUrl);
      this.socket = ws;
      ws.on('open', () => {
        ws.send(JSON.stringify({ op: 'subscribe', symbols }));
        sink.onStatus({ venue: 'kappa', state: 'live', symbols: [] });
      });
      ws.on('message', (data) => {
        const event = decodeBook(String(data), this.markets, this.clock.now());
        if (event) sink.onBook(event);
      });
      ws.on('error', () => ws.close());
      ws.on('close', () => {
        if (this.stopped) return;
        sink.onStatus({ venue: 'kappa', state: 'disconnected', symbols: [], reason: 'socket closed' });
        setTimeout(connect, 500);
      });
    };
    connect();
  }

  resync(symbol: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ op: 'snapshot', symbol }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.socket?.terminate();
  }
}
