/**
 * FundingDataEvent (templateId 5) -> FundingEvent. fundingRate is Rate8 (exponent -8) in
 * paradex_1_0.xml, i.e. the JSON funding_rate cut to 8 decimals; the rate string is the exact
 * mantissa / 10^8 (no float). fundingPeriodHours is a plain int16; createdAt (µs) is the venue time,
 * as created_at is for the JSON feed (codec.ts decodeFunding).
 */
import { fromUnits } from '../../../../engine/market/units.ts';
import type { FundingEvent } from '../../../../engine/market/types.ts';
import { PARADEX, type ParadexMarket } from '../codec.ts';
import type { SbeHeader } from './header.ts';
import { i16, int64, int64BigOrNull, microsToMillis, sbeFail, varString8 } from './reader.ts';
import { DECIMALS_8, FUNDING_DATA, MESSAGE_HEADER_BYTES } from './schema.ts';

export function fundingMarket(buf: Buffer, header: SbeHeader): string {
  return varString8(buf, MESSAGE_HEADER_BYTES + header.blockLength, 'market').text;
}

export function decodeFunding(buf: Buffer, header: SbeHeader, market: ParadexMarket, receivedAt: number): FundingEvent {
  if (header.blockLength < FUNDING_DATA.requiredBlock) {
    sbeFail('header.blockLength', `is ${header.blockLength}; a FundingDataEvent needs ${FUNDING_DATA.requiredBlock}`);
  }
  const root = MESSAGE_HEADER_BYTES;
  const mantissa = int64BigOrNull(buf, root + FUNDING_DATA.fundingRate, 'fundingRate');
  if (mantissa === null) sbeFail('fundingRate', 'is null (INT64_MIN) but the schema makes it required');
  const hours = i16(buf, root + FUNDING_DATA.fundingPeriodHours, 'fundingPeriodHours');
  const intervalHours = hours > 0 ? hours : market.fundingPeriodHours ?? sbeFail('fundingPeriodHours', `is ${hours} here and /markets has none`);
  const createdAt = int64(buf, root + FUNDING_DATA.createdAt, 'createdAt');
  return {
    venue: PARADEX,
    symbol: market.info.symbol,
    rate: fromUnits(mantissa, DECIMALS_8),
    intervalHours,
    venueTime: microsToMillis(createdAt),
    receivedAt,
  };
}
