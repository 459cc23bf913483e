/**
 * MarketSummaryEvent (templateId 4, channel `markets_summary.{market}`) -> the market's ticker as exact
 * decimal strings (mantissa / 10^8, or / 10^12 for Rate12), never floats: these values (24h volume,
 * lifetime volume, open interest, rates, greeks) are not on the book's tick grid, so strings, not units.
 *
 * paradex_1_0.xml: a 216-byte block at version 0; version 1 appends forwardRate, riskFreeRate and
 * fundingRatePrecise (Rate12NULL, 240 bytes). "Version 1 clients should prefer [fundingRatePrecise]
 * and fall back to field 13 only when this one is null": `fundingRate` below is that choice, the two
 * wire fields stay available. Which fields exist is read off the header's blockLength, not its version.
 */
import { fromUnits } from '../../../../engine/market/units.ts';
import type { SbeHeader } from './header.ts';
import { int64, int64BigOrNull, microsToMillis, sbeFail } from './reader.ts';
import { DECIMALS_12, DECIMALS_8, MARKET_SUMMARY, MESSAGE_HEADER_BYTES } from './schema.ts';

export interface MarketSummary {
  symbol: string;
  seq: number;
  /** Feed publish time (ts) in ms. */
  venueTime: number;
  receivedAt: number;
  markPrice: string;
  indexPrice: string;
  lastPrice: string;
  volumeUsd24h: string;
  openInterest: string;
  /** fundingRatePrecise (12 dp) when the frame has it and it is set, else the 8 dp fundingRate. */
  fundingRate: string;
  fundingRate8dp: string;
  /** Absent before version 1 or null on the wire. */
  fundingRatePrecise: string | null;
  bid: string | null;
  ask: string | null;
  bidSize: string | null;
  askSize: string | null;
  totalVolume: string;
  priceChangeRate24h: string;
  externalFairPrice: string | null;
  /** Options-only fields, null for perpetuals (schema: "null for non-option markets"). */
  options: {
    markIv: string | null;
    bidIv: string | null;
    askIv: string | null;
    lastIv: string | null;
    delta: string | null;
    gamma: string | null;
    vega: string | null;
    theta: string | null;
    rho: string | null;
    volga: string | null;
    vanna: string | null;
    futureFundingRate: string | null;
    forwardRate: string | null;
    riskFreeRate: string | null;
  };
}

type Field = Exclude<keyof typeof MARKET_SUMMARY, 'requiredBlock' | 'blockSinceV1'>;

export function decodeMarketSummary(buf: Buffer, header: SbeHeader, symbol: string, receivedAt: number): MarketSummary {
  if (header.blockLength < MARKET_SUMMARY.requiredBlock) {
    sbeFail('header.blockLength', `is ${header.blockLength}; a MarketSummaryEvent needs ${MARKET_SUMMARY.requiredBlock}`);
  }
  const root = MESSAGE_HEADER_BYTES;
  const hasV1 = header.blockLength >= MARKET_SUMMARY.blockSinceV1;
  const optional = (name: Field, decimals = DECIMALS_8): string | null => {
    const m = int64BigOrNull(buf, root + MARKET_SUMMARY[name], name);
    return m === null ? null : fromUnits(m, decimals);
  };
  const required = (name: Field): string => optional(name) ?? sbeFail(name, 'is null (INT64_MIN) but the schema makes it required');
  const sinceV1 = (name: Field, decimals = DECIMALS_8): string | null => (hasV1 ? optional(name, decimals) : null);
  const fundingRate8dp = required('fundingRate');
  const fundingRatePrecise = sinceV1('fundingRatePrecise', DECIMALS_12);
  return {
    symbol,
    seq: int64(buf, root + MARKET_SUMMARY.seq, 'seq'),
    venueTime: microsToMillis(int64(buf, root + MARKET_SUMMARY.ts, 'ts')),
    receivedAt,
    markPrice: required('markPrice'),
    indexPrice: required('indexPrice'),
    lastPrice: required('lastPrice'),
    volumeUsd24h: required('volumeUsd24h'),
    openInterest: required('openInterest'),
    fundingRate: fundingRatePrecise ?? fundingRate8dp,
    fundingRate8dp,
    fundingRatePrecise,
    bid: optional('bid'),
    ask: optional('ask'),
    bidSize: optional('bidSize'),
    askSize: optional('askSize'),
    totalVolume: required('totalVolume'),
    priceChangeRate24h: required('priceChangeRate24h'),
    externalFairPrice: optional('externalFairPrice'),
    options: {
      markIv: optional('markIv'),
      bidIv: optional('bidIv'),
      askIv: optional('askIv'),
      lastIv: optional('lastIv'),
      delta: optional('delta'),
      gamma: optional('gamma'),
      vega: optional('vega'),
      theta: optional('theta'),
      rho: optional('rho'),
      volga: optional('volga'),
      vanna: optional('vanna'),
      futureFundingRate: optional('futureFundingRate'),
      forwardRate: sinceV1('forwardRate'),
      riskFreeRate: sinceV1('riskFreeRate'),
    },
  };
}
