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
  RateLimitedError,
  VenueRejectError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type SignedOrder,
  type VenueOrderRef,
} from '../exchange/orders.ts';
import type { OrderRole, TradeJournal } from '../journal/trade-journal.ts';
import type { ExecutionConfig } from './config.ts';
import { fillFromPosition } from './position-fill.ts';
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
  /**
   * Unresolved only: the venue's last answer was "no such order" and the order could still
   * execute (before its executableUntil). Not a disagreement: wait it out with the instrument quarantined.
   */
  awaitingExpiry?: boolean;
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
  // The venue keys (Vest nonce, Lighter tx hash) are journaled before the send: a restart must
  // be able to find this order even if the process dies while it is on the wire.
  journal.recordSend(tradeId, role, req, times, { venueRef: signed.venueRef, executableUntil: signed.executableUntil });
  const t0 = deps.monotonic();
  const sending = gateway.send(signed);
  // The send is never abandoned: until it settles the venue may still receive the order, so
  // verification must not believe "not found" before then.
  const track: SendTracking = { inFlight: true, venueRef: signed.venueRef, executableUntil: signed.executableUntil };
  void sending.then(
    () => (track.inFlight = false),
    () => (track.inFlight = false),
  );
  try {
    await wait.time(() => withTimeout(sending, config.ackTimeoutMs, `${req.venue} send ${req.clientId}`));
    track.inFlight = false;
    times.ackedAt = clock.now();
    times.ackMono = deps.monotonic();
    times.waitAtAckMs = wait.ms;
    times.ackMs = times.ackMono - t0;
    health?.recordAck(req.venue, times.ackMs);
  } catch (err) {
    if (err instanceof VenueRejectError) {
      // "Slow down" is the venue protecting itself, not a sign the venue is unhealthy: it must not bench it.
      if (!(err instanceof RateLimitedError)) health?.recordReject(req.venue, err.code);
      journal.recordResult(req.clientId, { outcome: 'rejected', rejectReason: `${err.code}: ${err.message}` });
      return { request: req, outcome: 'rejected', filled: new Decimal(0), fills: [], times, reason: err.message };
    }
    // Timeout or transport error: the venue may or may not have the order. Ask it.
    health?.recordTimeout(req.venue);
    journal.recordResult(req.clientId, { outcome: 'unresolved', rejectReason: (err as Error).message });
    deps.logger.warn('order outcome unknown: reconciling by client id', { venue: req.venue, clientId: req.clientId, error: (err as Error).message });
  }
  return verifyOrder(deps, gateway, tradeId, req, times, wait, track);
}

/** What verification knows about the send: whether it is still on the wire, and how to find the order. */
export interface SendTracking {
  inFlight: boolean;
  venueRef?: VenueOrderRef;
  /** See SignedOrder.executableUntil. */
  executableUntil?: number;
}

/**
 * Ask the venue until the order is final and its fills add up to its filled size, or the
 * reconcile deadline passes. Also the path a restart takes for orders a crashed run left open.
 *
 * - Polls back off (pollIntervalMs growing to maxPollIntervalMs) and wake early when the gateway's
 *   private stream pushes news of the order (waitForUpdate).
 * - Time spent waiting for the venue's rate limit (pacing.ready, a 429's Retry-After) does not
 *   count against the deadline: "slow down" slows verification, it never makes an order unresolved.
 * - "Not placed" only once the venue can no longer execute the order: the send has settled, the
 *   venue's indexing grace has passed, and so has the order's executableUntil (or the venue said
 *   so definitively).
 */
export async function verifyOrder(
  deps: CommandDeps,
  gateway: OrderGateway,
  tradeId: string,
  req: OrderRequest,
  times: OrderTimesMs,
  wait: VenueWait = new VenueWait(deps.monotonic),
  track: SendTracking = { inFlight: false },
): Promise<PlacedOrder> {
  const { journal, clock, config } = deps;
  const locator: OrderLocator = { symbol: req.symbol, clientId: req.clientId, ...(track.venueRef ? { venueRef: track.venueRef } : {}) };
  const grace = Math.max(config.notFoundGraceMs, gateway.notFoundGraceMs ?? 0);
  let deadline = deps.monotonic() + config.reconcileTimeoutMs;
  let interval = config.pollIntervalMs;
  let lastError = '';
  let report: OrderReport | undefined;
  let lastNotFound = false;
  for (let first = true; ; first = false) {
    if (!first) {
      if (deps.monotonic() >= deadline) break;
      await (gateway.waitForUpdate ? gateway.waitForUpdate(req.clientId, interval) : sleep(interval));
      interval = Math.min(config.maxPollIntervalMs, Math.ceil(interval * 1.5));
    }
    if (gateway.pacing) {
      const t = deps.monotonic();
      await gateway.pacing.ready('reconcile');
      deadline += deps.monotonic() - t;
    }
    // A lookup answers for the moment it was asked: a send still on the wire then may have landed
    // while the answer travelled back (found by the chaos campaign: a venue freeze released the
    // POST and the GETs together, the GETs were answered first, the send settled before their
    // "not found" arrived, and a filled leg 2 was journaled not-placed).
    const asked = { inFlight: track.inFlight, at: clock.now() };
    try {
      report = await wait.time(() => withTimeout(gateway.report(locator), config.ackTimeoutMs, `${req.venue} report ${req.clientId}`));
    } catch (err) {
      report = undefined;
      lastError = (err as Error).message;
      lastNotFound = err instanceof OrderNotFoundError;
      if (err instanceof OrderNotFoundError && notPlaced(err, { ...track, inFlight: asked.inFlight }, times, grace, asked.at)) {
        journal.recordResult(req.clientId, { outcome: 'not-placed', rejectReason: `venue has no record of the order: ${err.message}`, verifiedAt: clock.now() });
        return { request: req, outcome: 'not-placed', filled: new Decimal(0), fills: [], times, reason: err.message };
      }
      continue;
    }
    lastNotFound = false;
    if (report.fillUnknown && isFinalOrderStatus(report.fillUnknown.finalStatus)) {
      // Over at the venue, and it will never say how much filled: read it from the position.
      const read = await fillFromPosition(deps, gateway, tradeId, req, { ...report, fillUnknown: report.fillUnknown }, wait);
      if (!read.ok) {
        lastError = read.why;
        continue;
      }
      report = read.report;
    }
    const { state, fills } = report;
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
  const state: OrderState | undefined = report?.state;
  const fills: Fill[] = report?.fills ?? [];
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
    ...(lastNotFound && track.executableUntil !== undefined && clock.now() < track.executableUntil ? { awaitingExpiry: true } : {}),
  };
}

/** The venue has no record of the order, and can no longer execute it if it arrives late. */
function notPlaced(err: OrderNotFoundError, track: SendTracking, times: OrderTimesMs, graceMs: number, now: number): boolean {
  if (err.definitive) return true;
  if (track.inFlight) return false;
  if (now - times.sentAt < graceMs) return false;
  return track.executableUntil === undefined || now >= track.executableUntil;
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
