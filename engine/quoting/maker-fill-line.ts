/**
 * The console line of one hedged maker fill, e.g.
 *   [LIVE] 🎯 maker fill ETH-USD-PERP lighter buy 0.05 @ 3499.10 → hedged sell paradex 0.05 @ 3505.40 in 38 ms | edge 0.16% | PnL est $0.29
 * Display only: the journal keeps the exact figures.
 */
import { Decimal } from 'decimal.js';
import type { QuoteSide } from './quote-price.ts';

export interface MakerFillEvent {
  label: string;
  instrument: string;
  makerVenue: string;
  side: QuoteSide;
  size: Decimal;
  makerPrice: Decimal;
  /** How it ended: hedged on the taker venue, or closed on the maker venue. */
  outcome: 'hedged' | 'unwound' | 'stopped-out' | 'failed-unresolved';
  closeVenue: string;
  closeSize: Decimal;
  closePrice?: Decimal;
  ms: number;
  /** Cash flow of both sides, fees included. */
  pnl?: Decimal;
}

export function formatMakerFill(e: MakerFillEvent): string {
  const closeSide = e.side === 'buy' ? 'sell' : 'buy';
  const head = `[${e.label}] 🎯 maker fill ${e.instrument} ${e.makerVenue} ${e.side} ${e.size.toString()} @ ${price(e.makerPrice)}`;
  const close = e.closePrice ? `${e.closeSize.toString()} @ ${price(e.closePrice)}` : e.closeSize.toString();
  const verb = e.outcome === 'hedged' ? 'hedged' : e.outcome === 'failed-unresolved' ? 'HEDGE UNRESOLVED' : `hedge failed, ${e.outcome}`;
  let line = `${head} → ${verb} ${closeSide} ${e.closeVenue} ${close} in ${Math.round(e.ms)} ms`;
  if (e.closePrice && e.outcome === 'hedged') {
    const edge = e.side === 'buy' ? e.closePrice.minus(e.makerPrice) : e.makerPrice.minus(e.closePrice);
    line += ` | edge ${edge.div(e.makerPrice).mul(100).toFixed(2)}%`;
  }
  if (e.pnl) line += ` | PnL est ${usd(e.pnl)}`;
  return line;
}

function price(p: Decimal): string {
  return p.decimalPlaces() <= 2 ? p.toFixed(2) : p.toDecimalPlaces(6).toString();
}

function usd(d: Decimal): string {
  const c = d.toDecimalPlaces(2);
  return c.isNegative() && !c.isZero() ? `-$${c.abs().toFixed(2)}` : `$${c.abs().toFixed(2)}`;
}
