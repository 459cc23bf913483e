/**
 * A stand-in exchange connector for one recorded venue: it declares the recorded markets and
 * hands the replay the sink the engine gives it, so recorded events enter the engine exactly
 * where a live connector's do. It has no order gateway: a replay can never send.
 */
import type { ExchangeConnector } from '../exchange/connector.ts';
import type { MarketDataSink, MarketInfo, VenueId } from '../market/types.ts';

export class ReplayVenue implements ExchangeConnector {
  sink: MarketDataSink | undefined;
  private readonly markets: Map<string, MarketInfo>;

  constructor(
    readonly venue: VenueId,
    readonly chain: string,
    markets: MarketInfo[],
    private readonly onMissing: (venue: VenueId, symbols: string[]) => void = () => {},
    /** The recorded connector's taker delay (engine/simulation judges takers against books this much older). */
    readonly takerDelayMs?: number,
  ) {
    this.markets = new Map(markets.map((m) => [m.symbol, m]));
  }

  async loadMarkets(symbols: string[]): Promise<MarketInfo[]> {
    const missing = symbols.filter((s) => !this.markets.has(s));
    if (missing.length) this.onMissing(this.venue, missing);
    return symbols.flatMap((s) => this.markets.get(s) ?? []);
  }

  async startMarketData(_markets: MarketInfo[], sink: MarketDataSink): Promise<void> {
    this.sink = sink;
  }

  /** The recording already holds the snapshot the live connector fetched after a gap. */
  resync(): void {}

  async stop(): Promise<void> {
    this.sink = undefined;
  }
}
