/**
 * The parts of Paradex's SBE schema the simulator publishes, as data. Source:
 * tradeparadex/paradex-py `paradex_py/api/sbe/paradex_1_0.xml` @ 486647e10758e1232e30c57c00ebedc5bb7aaae9
 * (copy with provenance in /work/shared/sources/paradex-sbe/) (schema id 1; the file is at
 * version 2 but its header says "every environment still caps negotiation at 1:1"), read
 * independently of the connector's decoder. Everything is little-endian
 * (`byteOrder="littleEndian"`), fixed fields in XML order with no padding, then repeating
 * groups, then var strings.
 *
 * Layout notes from the schema:
 * - messageHeader: blockLength, templateId, schemaId, version, each uint16 (8 bytes).
 * - groupSizeEncoding: blockLength uint16, numInGroup uint16 (4 bytes).
 * - varString8: uint8 length then UTF-8 bytes (max 255).
 * - Price8/Qty8/Rate8/Value8 (and their NULL forms): an int64 mantissa with a constant
 *   exponent of -8 that is not on the wire; Rate12: exponent -12. Null = INT64_MIN.
 * - Timestamp: int64 microseconds since the Unix epoch.
 * - Fields marked `sinceVersion="1"` are absent from a version-0 block.
 */

export const SCHEMA_ID = 1;

/**
 * Versions a client may negotiate. docs.paradex.trade "Binary Encoding (SBE)": sbeSchemaVersion
 * "0 or 1. Use 1"; the schema file: 1:2 "Not yet negotiable: every environment still caps
 * negotiation at 1:1".
 */
export const NEGOTIABLE_VERSIONS: readonly number[] = [0, 1];

export const HEADER_LENGTH = 8;
export const GROUP_HEADER_LENGTH = 4;

/** INT64_MIN: the schema's nullValue for every optional int64 mantissa. */
export const INT64_NULL = -(2n ** 63n);

/** Exponent of Price8, Qty8, Rate8, Value8: prices, sizes and most rates are value x 1e8. */
export const DECIMAL_EXPONENT = -8;

export const TEMPLATE = {
  BboEvent: 2,
  BookEvent: 3,
  FundingDataEvent: 5,
  HeartbeatEvent: 40,
} as const;

/** BookEvent `pkgType` (PkgType enum, uint8). */
export const PKG_TYPE = { SNAPSHOT: 0, DELTA: 1 } as const;

/**
 * Root block lengths. BookEvent: ts, seq (int64), pkgType (uint8), then nine nullable int64s
 * (bestBid/Ask price and size, relativeSpread, bestBid/AskApi price and size) = 89 bytes; the
 * schema's history note: "An 89-byte block is what every client has always received as version
 * 0". FundingDataEvent: ts, seq, fundingRate, fundingIndex, createdAt, fundingPremium,
 * fundingRate8h (int64 each) and fundingPeriodHours (int16) = 58, plus impactPremiumRate
 * (Rate8NULL, sinceVersion 1) = 66. BboEvent: ts, seq and four nullable int64s = 48.
 * HeartbeatEvent: ts, seq = 16.
 */
export function blockLength(template: number, version: number): number {
  switch (template) {
    case TEMPLATE.BookEvent:
      return 89;
    case TEMPLATE.BboEvent:
      return 48;
    case TEMPLATE.FundingDataEvent:
      return version >= 1 ? 66 : 58;
    case TEMPLATE.HeartbeatEvent:
      return 16;
    default:
      throw new RangeError(`paradex sbe: no layout for template ${template}`);
  }
}

/** BookEvent bids/asks entry: price (Price8) and size (Qty8), 16 bytes; size 0 removes the level. */
export const BOOK_ENTRY_LENGTH = 16;
