/**
 * FundingRateComparisonEvent (templateId 6, since 1:1, channel `funding_rate_comparison.ALL@{refresh_rate}`)
 * -> one venue's hourly funding rate for a market, as an exact 12-decimal string (Rate12: "8dp loses real
 * precision"). paradex_1_0.xml says an unknown FundingRateSource "MUST" map to UNSPECIFIED and an unknown
 * AssetKind must not be fatal, so both fall back to 'unspecified' instead of refusing the frame.
 */
import { fromUnits } from '../../../../engine/market/units.ts';
import type { SbeHeader } from './header.ts';
import { int64, int64BigOrNull, microsToMillis, sbeFail, u8 } from './reader.ts';
import { DECIMALS_12, FUNDING_RATE_COMPARISON, MESSAGE_HEADER_BYTES } from './schema.ts';

export type AssetKind = 'unspecified' | 'perpetual_future' | 'option' | 'spot';
export type FundingRateSource =
  | 'unspecified'
  | 'paradex'
  | 'binance'
  | 'bybit'
  | 'okx'
  | 'deribit'
  | 'derive'
  | 'hyperliquid'
  | 'lighter'
  | 'databento'
  | 'publisher'
  | 'pyth'
  | 'stork';

const ASSET_KINDS: readonly AssetKind[] = ['unspecified', 'perpetual_future', 'option', 'spot'];
const SOURCES: readonly FundingRateSource[] = [
  'unspecified',
  'paradex',
  'binance',
  'bybit',
  'okx',
  'deribit',
  'derive',
  'hyperliquid',
  'lighter',
  'databento',
  'publisher',
  'pyth',
  'stork',
];

export interface FundingRateComparison {
  symbol: string;
  hourlyFundingRate: string;
  assetKind: AssetKind;
  source: FundingRateSource;
  /** The source's own update time (lastUpdatedAt) in ms. */
  venueTime: number;
  /** Feed publish time (ts) in ms. */
  publishedAt: number;
  receivedAt: number;
}

export function decodeFundingRateComparison(buf: Buffer, header: SbeHeader, symbol: string, receivedAt: number): FundingRateComparison {
  const F = FUNDING_RATE_COMPARISON;
  if (header.blockLength < F.requiredBlock) sbeFail('header.blockLength', `is ${header.blockLength}; a FundingRateComparisonEvent needs ${F.requiredBlock}`);
  const root = MESSAGE_HEADER_BYTES;
  const rate = int64BigOrNull(buf, root + F.hourlyFundingRate, 'hourlyFundingRate');
  if (rate === null) sbeFail('hourlyFundingRate', 'is null (INT64_MIN) but the schema makes it required');
  return {
    symbol,
    hourlyFundingRate: fromUnits(rate, DECIMALS_12),
    assetKind: ASSET_KINDS[u8(buf, root + F.assetKind, 'assetKind')] ?? 'unspecified',
    source: SOURCES[u8(buf, root + F.source, 'source')] ?? 'unspecified',
    venueTime: microsToMillis(int64(buf, root + F.lastUpdatedAt, 'lastUpdatedAt')),
    publishedAt: microsToMillis(int64(buf, root + F.ts, 'ts')),
    receivedAt,
  };
}
