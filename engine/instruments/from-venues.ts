/**
 * Runs discovery at start: asks each configured venue for its whole market list (the
 * connector's listMarkets, the same request loadMarkets makes), then maps the shared perpetuals.
 * A venue that cannot list is named; one unreachable right now is left out of discovery with a
 * warning (its typed entries still trade once it joins), since one venue down must not stop the rest.
 */
import type { Logger } from '../core/logger.ts';
import type { ExchangeConnector } from '../exchange/connector.ts';
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { InstrumentDiscoveryConfig } from './config.ts';
import { discoverInstruments, type DiscoveryReport, type InstrumentTable } from './discovery.ts';

export class DiscoveryUnsupportedError extends Error {
  constructor(venues: VenueId[]) {
    super(
      `instruments.auto: ${venues.join(', ')} cannot list ${venues.length === 1 ? 'its' : 'their'} markets (the exchange plugin has no listMarkets); ` +
        `map ${venues.length === 1 ? 'its' : 'their'} instruments explicitly under instruments, or remove the plugin`,
    );
    this.name = 'DiscoveryUnsupportedError';
  }
}

export async function discoverFromVenues(
  connectors: readonly ExchangeConnector[],
  config: InstrumentDiscoveryConfig,
  explicit: InstrumentTable,
  logger: Logger,
): Promise<DiscoveryReport & { unreachable: Array<{ venue: VenueId; error: string }> }> {
  const unsupported = connectors.filter((c) => !c.listMarkets).map((c) => c.venue);
  if (unsupported.length > 0) throw new DiscoveryUnsupportedError(unsupported);
  const lists = new Map<VenueId, MarketInfo[]>();
  const unreachable: Array<{ venue: VenueId; error: string }> = [];
  await Promise.all(
    connectors.map(async (c) => {
      try {
        lists.set(c.venue, await c.listMarkets!());
      } catch (err) {
        unreachable.push({ venue: c.venue, error: (err as Error).message });
        logger.warn('instrument discovery: venue market list unavailable, left out of discovery', { venue: c.venue, error: (err as Error).message });
      }
    }),
  );
  // Venue order as configured, so the table (and the session row) reads the same every start.
  const ordered = new Map(connectors.filter((c) => lists.has(c.venue)).map((c) => [c.venue, lists.get(c.venue)!]));
  return { ...discoverInstruments(ordered, config, explicit), unreachable };
}
