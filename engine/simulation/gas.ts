/**
 * Default gas per order in USD, by chain. A venue's default comes from its spec (`gasUsd` in
 * plugins/exchanges/<venue>/spec.ts), entered here when its plugin loads; chains that are not
 * a venue are listed below. Set simulation.gasUsd to your own figures.
 *
 * A live record: read (spread) it after the plugins have loaded.
 */
import { DEFAULT_VENUE_GAS_USD } from '../core/venue-spec.ts';

export const DEFAULT_GAS_USD: Record<string, string> = DEFAULT_VENUE_GAS_USD;

// Starknet: the flash-loan path's chain; the first design's conservative allowance per call.
DEFAULT_GAS_USD['starknet'] ??= '0.05';
