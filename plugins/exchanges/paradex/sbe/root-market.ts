/**
 * The `market` varString8 of a message with no repeating groups (BboEvent, TradeEvent,
 * MarketSummaryEvent, FundingRateComparisonEvent): it starts right after the root block as the
 * header's blockLength gives it, so a newer version's appended fixed fields are stepped over, and var
 * data a newer version appends after `market` is ignored (paradex_1_0.xml versioning policy).
 */
import type { SbeHeader } from './header.ts';
import { varString8 } from './reader.ts';
import { MESSAGE_HEADER_BYTES } from './schema.ts';

export function rootMarket(buf: Buffer, header: SbeHeader): string {
  return varString8(buf, MESSAGE_HEADER_BYTES + header.blockLength, 'market').text;
}
