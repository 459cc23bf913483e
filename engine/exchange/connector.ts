/**
 * The one interface an exchange plugin implements. The core talks to venues only through it.
 * See README "Writing an exchange plugin".
 */
import type { MarketDataSink, MarketInfo, VenueId } from '../market/types.ts';
import type { OrderGateway } from './orders.ts';

export interface ExchangeConnector {
  readonly venue: VenueId;
  /** Chain whose gas a trade on this venue pays, as named in the config's `gas` table. */
  readonly chain: string;
  /**
   * How long the venue holds a taker order before it reaches the book (a speed bump: Lighter
   * Standard 300 ms), ms. The execution simulator counts it in the books' age. Absent means none.
   */
  readonly takerDelayMs?: number;
  /** Market metadata (tick, size step, decimals) for the venue symbols the engine trades. */
  loadMarkets(symbols: string[]): Promise<MarketInfo[]>;
  /**
   * Every market the venue lists (the same request as loadMarkets, unfiltered), with base, quote
   * and kind filled where the venue says them: `instruments: { auto }` discovers shared markets
   * from it. A market the codec cannot read is left out, not fatal. Optional.
   */
  listMarkets?(): Promise<MarketInfo[]>;
  /**
   * Subscribe to L2 books (and funding, where the venue streams it) for these markets and
   * deliver normalized events to the sink until stop(). Reconnects with backoff by itself.
   */
  startMarketData(markets: MarketInfo[], sink: MarketDataSink): Promise<void>;
  /** Fetch a fresh snapshot for one market: the hub calls this after a sequence gap. */
  resync(symbol: string): void;
  stop(): Promise<void>;
  /**
   * Order placement. Bound only in live mode: in dry-run the plugin is asked for none,
   * so no code path can send an order.
   */
  readonly orders?: OrderGateway;
}

/** What an exchange plugin's factory receives. */
export interface ExchangeFactoryInput {
  /** The plugin's section of the config (`venues.<name>`), already parsed by the plugin. */
  options: unknown;
  live: boolean;
  /** Reads secrets named in the config from the environment or key files. */
  secrets: SecretSource;
  logger: import('../core/logger.ts').Logger;
  clock: import('../core/clock.ts').Clock;
}

export interface SecretSource {
  /** Resolve `{ env: NAME }` or `{ file: path }`; throws a clear error naming `field`. */
  read(ref: SecretRef, field: string): string;
}

export type SecretRef = { env: string } | { file: string };
