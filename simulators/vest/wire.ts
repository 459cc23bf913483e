/**
 * Vest wire payloads: every decimal a string padded to the symbol's decimals, depth as
 * [price, size] string pairs, timestamps as numbers (the API docs' "Format Conversions").
 *
 * Beyond the docs' examples, as a community client captured the live venue (2026-10-07,
 * autopilotaitech/BookDepthIQ-Vest tests/market.test.ts, tests/fixtures/*.json): exchangeInfo
 * publishes the price grid as `minTickSize` / `defaultTickSize` / `tickSizes` beside
 * `priceDecimals` (NDX-USD-PERP: 2 decimals, tick 0.25, groupings 0.25 / 2.5 / 25), and every
 * push carries the venue's clock as a top-level `tsMs`.
 */
import { fromUnits } from '../../engine/market/units.ts';
import type { BookLevel } from '../book.ts';
import { FUNDING_DECIMALS, fundingRateUnits } from '../funding.ts';
import type { VenueInstrument } from '../instruments.ts';
import type { VenueMarket } from '../venue-market.ts';
import { fixedDecimal } from '../wire-decimal.ts';

/** Vest quotes an hourly funding rate. */
export const FUNDING_PERIOD_HOURS = 1;

export const price = (i: VenueInstrument, units: number): string => fixedDecimal(units, i.priceDecimals);
export const size = (i: VenueInstrument, units: number): string => fixedDecimal(units, i.sizeDecimals);

export function depth(market: VenueMarket, limit: number) {
  const i = market.instrument;
  const pair = (l: BookLevel) => [price(i, l.price), size(i, l.size)];
  const { bids, asks } = market.book.snapshot(limit);
  return { bids: bids.map(pair), asks: asks.map(pair) };
}

export function symbolInfo(i: VenueInstrument) {
  return {
    symbol: i.symbol,
    displayName: i.symbol,
    base: i.base,
    quote: 'USDC',
    sizeDecimals: i.sizeDecimals,
    priceDecimals: i.priceDecimals,
    // The grid orders must sit on; the book-grouping choices are 1x, 10x and 100x of it.
    minTickSize: tick(i, 1),
    defaultTickSize: tick(i, 1),
    tickSizes: [tick(i, 1), tick(i, 10), tick(i, 100)],
    initMarginRatio: '0.1',
    maintMarginRatio: '0.05',
    takerFee: '0.0001',
    isolated: false,
  };
}

/** `multiple` ticks as exact text without trailing zeros ("0.25", "2.5", "25"). */
function tick(i: VenueInstrument, multiple: number): string {
  return fromUnits(i.tickUnits * multiple, i.priceDecimals);
}

export function oneHourFundingRate(premiumPpm: number): string {
  return fixedDecimal(fundingRateUnits(premiumPpm, FUNDING_PERIOD_HOURS), FUNDING_DECIMALS);
}

/** A price in 1e-8 USD on the symbol's grid. */
export function onGrid(i: VenueInstrument, fairUnits: number): string {
  const perTick = i.tickUnits * 10 ** (8 - i.priceDecimals);
  return price(i, Math.round(fairUnits / perTick) * i.tickUnits);
}

export interface TickerInput {
  readonly instrument: VenueInstrument;
  readonly fairUnits: number;
  readonly midUnits: number;
  readonly premiumPpm: number;
}

export function ticker(t: TickerInput) {
  return {
    symbol: t.instrument.symbol,
    markPrice: onGrid(t.instrument, t.midUnits),
    indexPrice: onGrid(t.instrument, t.fairUnits),
    imbalance: '0',
    oneHrFundingRate: oneHourFundingRate(t.premiumPpm),
    cumFunding: '0.000000000000',
    status: 'TRADING',
  };
}
