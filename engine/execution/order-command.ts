/**
 * One order command, start to end: journal it, send it, and learn what really happened from
 * the venue (status and fills by clientId, never the ack alone). Every command ends
 * `confirmed` (with its verified fill, possibly zero), `rejected`, `not-placed` (the venue never
 * got it), or `unresolved` (the venue would not say in time: the caller must quarantine).
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import {
  isFinalOrderStatus,
  OrderNotFoundError,
  VenueRejectError,
  type Fill,
  type OrderGateway,
  type OrderRequest,
  type OrderState,
  type SignedOrder,
} from '../exchange/orders.ts';
import type { OrderRole, TradeJournal } from '../journal/trade-journal.ts';
import type { ExecutionConfig } from './config.ts';
import { sleep, VenueWait, withTimeout, type Monotonic } from './venue-wait.ts';

export interface VenueHealthSink {
  recordAck(venue: string, ms: number): void;
  recordReject(venue: string, code: string): void;
  recordTimeout(venue: string): void;
}

export interface CommandDeps {
  journal: TradeJournal;
  clock: Clock;
  monotonic: Monotonic;
  config: ExecutionConfig;
  logger: Logger;
  health?: VenueHealthSink;
}

export interface OrderTimesMs {
  signedAt?: number;
  sentAt: number;
  ackedAt?: number;
  verifiedAt?: number;
  signMs?: number;
  ackMs?: number;
  /** Monotonic time of the ack and the trade's venue wait at that moment, for overhead accounting. */
  ackMono?: number;
  waitAtAckMs?: number;
}

export interface PlacedOrder {
  request: OrderRequest;
  outcome: 'confirmed' | 'rejected' | 'not-placed' | 'unresolved';
  /** Verified from the venue's fills; zero unless confirmed. */
  filled: Decimal;
  averagePrice?: Decimal;
  fills: Fill[];
  times: OrderTimesMs;
  reason?: string;
}

export async function placeOrder(
  deps: CommandDeps,
  gateway: OrderGateway,
  tradeId: string,
  role: OrderRole,
  signed: SignedOrder,
  wait: VenueWait,
  signMs?: number,
): Promise<PlacedOrder> {
  const { journal, clock, config, health } = deps;
  const req = signed.request;
  const times: OrderTimesMs = { signedAt: signed.signedAt, sentAt: clock.now(), signMs };
  journal.recordSend(tradeId, role, req, times);
  const t0 = deps.monotonic();
  try {
    await wait.time(() => withTimeout(gateway.send(signed), config.ackTimeoutMs, `${req.venue} send ${req.clientId}`));
    times.ackedAt = clock.now();
    times.ackMono = deps.monotonic();
    times.waitAtAckMs = wait.ms;
    times.ackMs = times.ackMono - t0;
    health?.recordAck(req.venue, times.ackMs);
  } catch (err) {
    if (err instanceof VenueRejectError) {
      health?.recordReject(req.venue, err.code);
      journal.recordResult(req.clientId, { outcome: 'rejected', rejectReason: `${err.code}: ${err.message}` });
      return { request: req, outcome: 'rejected', filled: new Decimal(0), fills: [], times, reason: err.message };
    }
    // Timeout or transport error: the venue may or may not have the order. Ask it.
    health?.recordTimeout(req.venue);
    journal.recordResult(req.clientId, { outcome: 'unresolved', rejectReason: (err as Error).message });
    deps.logger.warn('order outcome unknown: reconciling by client id', { venue: req.venue, clientId: req.clientId, error: (err as Error).message });
  }
  return verifyOrder(deps, gateway, tradeId, req, times, wait);
}

/**
 * Ask the venue until the order is final and its fills add up to its filled size, or the
 * reconcile deadline passes. Also the path a restart takes for orders a crashed run left open.
 */
export async function verifyOrder(
  deps: CommandDeps,
  gateway: OrderGateway,
  tradeId: string,
  req: OrderRequest,
  times: OrderTimesMs,
  wait: VenueWait = new VenueWait(deps.monotonic),
): Promise<PlacedOrder> {
  const { journal, clock, config } = deps;
  const deadline = deps.monotonic() + config.reconcileTimeoutMs;
  let lastError = '';
  let state: OrderState | undefined;
  let fills: Fill[] = [];
  for (let first = true; ; first = false) {
    if (!first) {
      if (deps.monotonic() >= deadline) break;
      await sleep(config.pollIntervalMs);
    }
    try {
      [state, fills] = await wait.time(() =>
        withTimeout(
          Promise.all([gateway.status(req.symbol, req.clientId), gateway.fills(req.symbol, req.clientId)]),
          config.ackTimeoutMs,
          `${req.venue} status ${req.clientId}`,
        ),
      );
    } catch (err) {
      state = undefined;
      lastError = (err as Error).message;
      if (err instanceof OrderNotFoundError && clock.now() - times.sentAt >= config.notFoundGraceMs) {
        journal.recordResult(req.clientId, { outcome: 'not-placed', rejectReason: 'venue has no record of the order', verifiedAt: clock.now() });
        return { request: req, outcome: 'not-placed', filled: new Decimal(0), fills: [], times, reason: err.message };
      }
      continue;
    }
    if (state.status === 'rejected') {
      journal.recordResult(req.clientId, { outcome: 'rejected', state, verifiedAt: clock.now() });
      return { request: req, outcome: 'rejected', filled: new Decimal(0), fills: [], times, reason: state.rejectReason };
    }
    // Fills can trail the order's status on some venues: wait for them to add up.
    if (isFinalOrderStatus(state.status) && sumSizes(fills).eq(state.filledSize)) {
      times.verifiedAt = clock.now();
      journal.recordFills(tradeId, fills);
      journal.recordResult(req.clientId, { outcome: 'confirmed', state, ackedAt: times.ackedAt, verifiedAt: times.verifiedAt, ackMs: times.ackMs });
      return { request: req, outcome: 'confirmed', filled: state.filledSize, averagePrice: averagePrice(fills), fills, times };
    }
    lastError = `status ${state.status}, filled ${state.filledSize.toString()}, fills add to ${sumSizes(fills).toString()}`;
  }
  journal.recordFills(tradeId, fills);
  journal.recordResult(req.clientId, { outcome: 'unresolved', state, rejectReason: `reconcile timed out: ${lastError}` });
  return {
    request: req,
    outcome: 'unresolved',
    // What we know so far is a lower bound; the caller must not trade on top of it.
    filled: state ? state.filledSize : sumSizes(fills),
    averagePrice: averagePrice(fills),
    fills,
    times,
    reason: lastError,
  };
}

export function sumSizes(fills: Fill[]): Decimal {
  let s = new Decimal(0);
  for (const f of fills) s = s.plus(f.size);
  return s;
}

export function averagePrice(fills: Fill[]): Decimal | undefined {
  const size = sumSizes(fills);
  if (size.isZero()) return undefined;
  let notional = new Decimal(0);
  for (const f of fills) notional = notional.plus(f.price.mul(f.size));
  return notional.div(size);
}
