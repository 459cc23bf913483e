/**
 * One entry point for the public templates the connector does not route yet (BBO, trades, market
 * summaries, funding rate comparisons), for a consumer that subscribes those channels: the frame's
 * market picks the market's decimals, errors after that carry the market's symbol (as
 * frame-decoder.ts does for books), and every other template is reported, not decoded.
 */
import { WireFormatError } from '../../shared/errors.ts';
import type { ParadexMarket } from '../codec.ts';
import { decodeBbo, type BestBidOffer } from './bbo.ts';
import { decodeFundingRateComparison, type FundingRateComparison } from './funding-rate-comparison.ts';
import { readHeader } from './header.ts';
import { decodeMarketSummary, type MarketSummary } from './market-summary.ts';
import { rootMarket } from './root-market.ts';
import { TEMPLATE } from './schema.ts';
import { decodeTrade, type PublicTrade } from './trade.ts';

export type PublicFrame =
  | { kind: 'bbo'; bbo: BestBidOffer }
  | { kind: 'trade'; trade: PublicTrade }
  | { kind: 'marketSummary'; summary: MarketSummary }
  | { kind: 'fundingRateComparison'; comparison: FundingRateComparison }
  /** A BBO or trade for a market the caller has no decimals for. */
  | { kind: 'unknownMarket'; templateId: number; market: string }
  /** Books, funding, heartbeats (frame-decoder.ts) and templates a newer version adds. */
  | { kind: 'other'; templateId: number };

export function decodePublicFrame(buf: Buffer, marketFor: (symbol: string) => ParadexMarket | undefined, receivedAt: number): PublicFrame {
  const header = readHeader(buf);
  const id = header.templateId;
  if (id !== TEMPLATE.bbo && id !== TEMPLATE.trade && id !== TEMPLATE.marketSummary && id !== TEMPLATE.fundingRateComparison) return { kind: 'other', templateId: id };
  const symbol = rootMarket(buf, header);
  try {
    if (id === TEMPLATE.marketSummary) return { kind: 'marketSummary', summary: decodeMarketSummary(buf, header, symbol, receivedAt) };
    if (id === TEMPLATE.fundingRateComparison) return { kind: 'fundingRateComparison', comparison: decodeFundingRateComparison(buf, header, symbol, receivedAt) };
    const market = marketFor(symbol);
    if (!market) return { kind: 'unknownMarket', templateId: id, market: symbol };
    return id === TEMPLATE.bbo ? { kind: 'bbo', bbo: decodeBbo(buf, header, market, receivedAt) } : { kind: 'trade', trade: decodeTrade(buf, header, market, receivedAt) };
  } catch (err) {
    throw err instanceof WireFormatError ? err.withSymbol(symbol) : err;
  }
}
