/**
 * Paradex SBE schema 1, as published in tradeparadex/paradex-py `paradex_py/api/sbe/paradex_1_0.xml`
 * (read at commit 486647e1, "Schema ID 1, Version 2"; copy with provenance in
 * /work/shared/sources/paradex-sbe/). Layout facts this decoder relies on, all read off that XML:
 *
 * - byteOrder="littleEndian"; fixed fields in XML order with no padding (so BookEvent's int64s after
 *   the 1-byte pkgType sit at odd offsets).
 * - messageHeader: blockLength, templateId, schemaId, version, uint16 each (8 bytes).
 * - groupSizeEncoding: blockLength uint16, numInGroup uint16 (4 bytes); groups after the root block.
 * - varString8: uint8 length + UTF-8; every `data` field comes last.
 * - Decimals: int64 mantissa, exponent a schema constant never on the wire: -8 for Price8/Qty8/Rate8/
 *   Value8, -12 for Rate12 (MarketSummaryEvent.fundingRatePrecise, FundingRateComparisonEvent).
 *   FundingDataEvent.fundingRate is Rate8 (-8). Optional fields: null = INT64_MIN.
 * - Timestamps: int64 microseconds since the Unix epoch.
 * - Versioning: a version bump only appends (fields with sinceVersion, new templates); "unknown
 *   templateIds must be skipped". So every read uses the header's blockLength and the group's own
 *   blockLength, never the compiled size, and trailing bytes after the fields we know are ignored.
 */

export const SBE_SCHEMA_ID = 1;
/** Newest version this decoder understands (XML version="2"); venues cap negotiation at 1 for now. */
export const SBE_SCHEMA_VERSION_KNOWN = 2;

export const MESSAGE_HEADER_BYTES = 8;
export const GROUP_HEADER_BYTES = 4;

export const TEMPLATE = {
  trade: 1,
  bbo: 2,
  book: 3,
  marketSummary: 4,
  fundingData: 5,
  fundingRateComparison: 6,
  heartbeat: 40,
  subscribed: 41,
} as const;

/** BookEvent (templateId 3) root block: 89 bytes in versions 0-2 ("An 89-byte block is what every client has always received"). */
export const BOOK = {
  ts: 0,
  seq: 8,
  pkgType: 16,
  /** ts, seq and pkgType are all the decoder needs; the 9 nullable best-price fields follow. */
  requiredBlock: 17,
  /** group entry: price Price8 @0, size Qty8 @8 (size 0 = remove the level). */
  entryPrice: 0,
  entrySize: 8,
  entryBlock: 16,
  snapshot: 0,
  delta: 1,
} as const;

/** FundingDataEvent (templateId 5): 7 int64 then fundingPeriodHours int16 = 58 bytes (v0); impactPremiumRate @58 since v1. */
export const FUNDING_DATA = {
  ts: 0,
  seq: 8,
  fundingRate: 16,
  fundingIndex: 24,
  createdAt: 32,
  fundingPremium: 40,
  fundingRate8h: 48,
  fundingPeriodHours: 56,
  requiredBlock: 58,
} as const;

/** HeartbeatEvent (templateId 40): ts, seq; "Server sends every 20s on idle connections". */
export const HEARTBEAT = { ts: 0, seq: 8, requiredBlock: 16 } as const;

/** Every Price8/Qty8/Rate8 mantissa is value x 10^8. */
export const DECIMALS_8 = 8;

/**
 * TradeEvent (templateId 1): ts, seq, tradeId int64, side uint8 @24, price Price8 @25, size Qty8 @33,
 * createdAt @41, tradeType (FillType) uint8 @49 = 50 bytes; then market varString8.
 */
export const TRADE = {
  ts: 0,
  seq: 8,
  tradeId: 16,
  side: 24,
  price: 25,
  size: 33,
  createdAt: 41,
  tradeType: 49,
  requiredBlock: 50,
} as const;

/** BboEvent (templateId 2): ts, seq, bidPrice, bidSize, askPrice, askSize (nullable int64 each) = 48 bytes; then market. */
export const BBO = {
  ts: 0,
  seq: 8,
  bidPrice: 16,
  bidSize: 24,
  askPrice: 32,
  askSize: 40,
  requiredBlock: 48,
} as const;

/**
 * MarketSummaryEvent (templateId 4): 27 int64 fields = 216 bytes at version 0; forwardRate,
 * riskFreeRate and fundingRatePrecise (Rate12NULL) appended since version 1 = 240 bytes. Offsets in XML
 * order (the XML's field ids are not in offset order: ids 31-34 sit before 26).
 */
export const MARKET_SUMMARY = {
  ts: 0,
  seq: 8,
  markPrice: 16,
  indexPrice: 24,
  lastPrice: 32,
  volumeUsd24h: 40,
  openInterest: 48,
  fundingRate: 56,
  bid: 64,
  ask: 72,
  totalVolume: 80,
  priceChangeRate24h: 88,
  markIv: 96,
  bidIv: 104,
  askIv: 112,
  lastIv: 120,
  delta: 128,
  gamma: 136,
  vega: 144,
  theta: 152,
  rho: 160,
  volga: 168,
  vanna: 176,
  futureFundingRate: 184,
  externalFairPrice: 192,
  bidSize: 200,
  askSize: 208,
  requiredBlock: 216,
  forwardRate: 216,
  riskFreeRate: 224,
  fundingRatePrecise: 232,
  blockSinceV1: 240,
} as const;

/**
 * FundingRateComparisonEvent (templateId 6, since 1:1): ts, lastUpdatedAt, hourlyFundingRate Rate12,
 * assetKind uint8 @24, source uint8 @25 = 26 bytes; then market.
 */
export const FUNDING_RATE_COMPARISON = {
  ts: 0,
  lastUpdatedAt: 8,
  hourlyFundingRate: 16,
  assetKind: 24,
  source: 25,
  requiredBlock: 26,
} as const;

/** Rate12 / Rate12NULL mantissas are value x 10^12. */
export const DECIMALS_12 = 12;
