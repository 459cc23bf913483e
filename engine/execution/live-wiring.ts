/**
 * Builds LiveTrading from the engine's parts in live mode: the connectors' order gateways, the
 * hub's market metadata (tick and size steps) and depth (for the less-liquid-first policy).
 * A connector without a gateway in live mode is a configuration error, not a silent skip.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import { ConfigError } from '../core/config-errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ExchangeConnector } from '../exchange/connector.ts';
import type { OrderGateway } from '../exchange/orders.ts';
import type { Journal } from '../journal/journal.ts';
import type { BookReader } from '../market/hub.ts';
import type { InstrumentMap } from '../market/instruments.ts';
import { fromUnits, toUnits } from '../market/units.ts';
import type { VenueId } from '../market/types.ts';
import type { RiskConfig } from '../risk/config.ts';
import type { IntentLeg } from '../strategy/strategy.ts';
import type { ExecutionConfig } from './config.ts';
import { LiveTrading } from './live-trading.ts';

export interface LiveWiringInput {
  execution: ExecutionConfig;
  risk: RiskConfig;
  connectors: ExchangeConnector[];
  journal: Journal;
  books: BookReader;
  instruments: InstrumentMap;
  clock: Clock;
  logger: Logger;
}

export function createLiveTrading(input: LiveWiringInput): LiveTrading {
  const gateways = new Map<VenueId, OrderGateway>();
  const missing: string[] = [];
  for (const c of input.connectors) {
    if (c.orders) gateways.set(c.venue, c.orders);
    else missing.push(`venues.${c.venue}: the exchange plugin provides no order gateway in live mode; it cannot trade (check its credentials section)`);
  }
  if (missing.length) throw new ConfigError(missing);
  const symbols = new Map<VenueId, Set<string>>();
  for (const c of input.connectors) symbols.set(c.venue, new Set(input.instruments.symbolsFor(c.venue)));
  return new LiveTrading({
    execution: input.execution,
    risk: input.risk,
    gateways,
    journal: input.journal,
    clock: input.clock,
    logger: input.logger,
    symbols,
    markets: (venue, symbol) => input.books.book(venue, symbol)?.market,
    liquidity: (leg) => depthUpTo(input.books, leg),
  });
}

/** Size on the side a leg takes from, at prices no worse than its worst price. */
function depthUpTo(books: BookReader, leg: IntentLeg): Decimal | undefined {
  const book = books.book(leg.venue, leg.symbol);
  if (!book) return undefined;
  const { priceDecimals, sizeDecimals } = book.market;
  const side = leg.side === 'buy' ? book.asks : book.bids;
  let limit: number;
  try {
    limit = toUnits(leg.worstPrice.toFixed(priceDecimals), priceDecimals);
  } catch {
    return undefined;
  }
  let units = 0;
  for (let i = 0; i < side.prices.length; i++) {
    const p = side.prices[i]!;
    if (leg.side === 'buy' ? p > limit : p < limit) break;
    units += side.sizes[i]!;
  }
  return new Decimal(fromUnits(units, sizeDecimals));
}
