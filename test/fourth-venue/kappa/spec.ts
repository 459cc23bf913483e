/**
 * Kappa described as data (VenueSpec): what the engine knows about the venue without running
 * its code. The facts are Kappa's own (../loopback-venue.ts is its API documentation).
 */
import type { VenueSpec } from 'perp-arb-engine/engine/core/venue-spec.ts';

export const KAPPA_SPEC: VenueSpec = {
  name: 'kappa',
  // Defaults; `venues.kappa.restUrl` / `wsUrl` point elsewhere (the test's loopback venue).
  urls: { rest: 'http://127.0.0.1:7000/v1', ws: 'ws://127.0.0.1:7000/v1/stream' },
  channels: { book: 'book' },
  endpoints: {
    markets: { method: 'GET', path: '/markets', rateClass: 'public' },
    createOrder: { method: 'POST', path: '/orders', rateClass: 'orders' },
    order: { method: 'GET', path: '/orders/{clientId}', rateClass: 'private' },
    cancel: { method: 'DELETE', path: '/orders/{clientId}', rateClass: 'orders' },
    openOrders: { method: 'GET', path: '/orders?status=open', rateClass: 'private' },
    positions: { method: 'GET', path: '/positions', rateClass: 'private' },
    account: { method: 'GET', path: '/account', rateClass: 'private' },
  },
  errors: { BAD_KEY: 'unknown API key', INVALID_ORDER: 'order refused', NOT_FOUND: 'no such order' },
  // Kappa charges no gas; its taker fee is what the loopback venue charges.
  gasUsd: '0',
  fundingStyle: 'discrete',
  fees: { maker: '0.0002', taker: '0.0004' },
  simulatorLatencyMs: 0,
  instrumentSymbol: (base) => `${base}-USDC`,
};
