/**
 * Normalized market-data events: what every exchange connector emits and the market-data hub
 * consumes. Nothing above a connector knows a venue's wire format.
 */

/** A venue's name as plugins register it, e.g. "paradex". */
export type VenueId = string;

/** Static facts about one market on one venue, from the venue's metadata endpoint. */
export interface MarketInfo {
  venue: VenueId;
  /** The venue's own symbol: "BTC-USD-PERP" (Paradex), "BTC-PERP" (Vest), "1" (Lighter market id). */
  symbol: string;
  /** Decimals of the integer price units used in book events for this market. */
  priceDecimals: number;
  /** Decimals of the integer size units used in book events for this market. */
  sizeDecimals: number;
  /** Smallest price step and size step the venue accepts, as decimal strings. */
  tickSize: string;
  sizeIncrement: string;
  minSize?: string;
  minNotional?: string;
  /**
   * What the contract is on, as the venue's market list names it (instrument discovery matches
   * venues by it): base asset ("BTC"), quote currency ("USD", "USDC"; absent where the venue's
   * list names none), and contract kind. Optional: a connector that does not know leaves them out.
   */
  base?: string;
  quote?: string;
  kind?: 'perp' | 'option' | 'spot' | 'other';
}

/** One price level change; size 0 removes the level. Integers in the market's units. */
export interface LevelChange {
  price: number;
  size: number;
}

/**
 * A book snapshot or delta. Continuity: a delta applies only if the book's last `seq` equals
 * this event's `prevSeq` (the codec derives prevSeq from the venue's scheme: Paradex seq_no-1,
 * Lighter begin_nonce). Venues without sequence numbers (Vest) send snapshots only.
 */
export interface BookEvent {
  type: 'snapshot' | 'delta';
  venue: VenueId;
  symbol: string;
  seq?: number;
  prevSeq?: number;
  bids: LevelChange[];
  asks: LevelChange[];
  /** Venue timestamp, ms since epoch (the venue's clock). */
  venueTime: number;
  /** Local receive time, ms since epoch from the engine's clock. */
  receivedAt: number;
}

export type FeedState = 'connecting' | 'live' | 'resyncing' | 'disconnected' | 'stopped';

export interface FeedStatusEvent {
  venue: VenueId;
  state: FeedState;
  /** Markets affected; empty means the whole connection. */
  symbols: string[];
  reason?: string;
}

/**
 * Funding data as a venue publishes it (rate per interval, exact decimal string). The `next*`
 * fields are optional: set only when the venue's own data says them, never filled with a guess
 * (a plugin that does not know them leaves them out and still compiles).
 */
export interface FundingEvent {
  venue: VenueId;
  symbol: string;
  /** Rate for the interval in progress, as a decimal string (0.0001 = 0.01%). */
  rate: string;
  intervalHours: number;
  venueTime: number;
  receivedAt: number;
  /**
   * The venue's own figure for the rate its next settlement (at `nextFundingAt`) will apply,
   * per interval, as a decimal string. Where the running estimate for the interval in progress
   * is what settles next (Lighter), it equals `rate`. Absent when the venue publishes no such
   * figure (Paradex accrues continuously; Vest documents none).
   */
  nextRate?: string;
  /** Ms since epoch of the venue's next settlement, when its data pins it. Absent for continuous venues. */
  nextFundingAt?: number;
}

/** Where a connector delivers what it decodes. Implemented by the market-data hub. */
export interface MarketDataSink {
  onBook(event: BookEvent): void;
  onStatus(event: FeedStatusEvent): void;
  onFunding?(event: FundingEvent): void;
}
