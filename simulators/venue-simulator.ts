/**
 * What index.ts needs from each venue simulator: start, stop, hear about each market step,
 * and take faults. The stepping itself (model, then every venue's books) lives in index.ts.
 */
import type { Clock } from '../engine/core/clock.ts';
import type { FaultTarget } from './faults.ts';
import type { MarketModel } from './market-model.ts';
import type { VenueMarket } from './venue-market.ts';

export interface VenueSimulator extends FaultTarget {
  start(): Promise<void>;
  close(): Promise<void>;
  /** Called after every market step, once all book changes of the step were published. */
  afterStep(): void;
}

export interface VenueServerOptions {
  readonly host: string;
  readonly port: number;
  /** Ms added before each WebSocket push. */
  readonly latencyMs: number;
  readonly markets: readonly VenueMarket[];
  readonly model: MarketModel;
  readonly clock: Clock;
  readonly seed: number;
  /** Server-initiated keepalive interval; 0 turns it off. */
  readonly pingIntervalMs: number;
}

/** Parse a JSON frame from a client, or undefined for junk. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first text of a non-JSON garbage frame every venue sends on `sendGarbage`. */
export const NON_JSON_FRAME = '{"garbage": tru';
