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
