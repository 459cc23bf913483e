/**
 * A lone or partial leg: the first leg filled more than the second. Like r2's single-leg
 * handler, two bounded moves: hedge (send the missing size on the second venue, within a band
 * beyond its walk's worst price: r2's "proceed") or unwind (close the excess on its own venue,
 * reduce-only, within a band of its fill price: r2's "reverse"). Each is retried a bounded number
 * of times; what is still open after both goes to a stop-loss close. An answer we cannot get
 * (unresolved) stops the repair at once: sending more on top of an unknown is how losses grow.
 */
import { Decimal } from 'decimal.js';
import type { OrderGateway, OrderRequest, OrderSide } from '../exchange/orders.ts';
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { OrderRole } from '../journal/trade-journal.ts';
import { placeOrder, type CommandDeps, type PlacedOrder } from './order-command.ts';
import { bandedLimit, roundSizeDown } from './price-band.ts';
import { heldOn, isReduceOnlyRefusal, reduceOnlyRoom } from './reduce-only.ts';
import { withTimeout, type VenueWait } from './venue-wait.ts';

export type RepairAction = 'hedge' | 'unwind';

export interface ExposedLeg {
  venue: VenueId;
  symbol: string;
  /** Side of the fill that is not matched by the other venue. */
  side: OrderSide;
  averagePrice: Decimal;
}

export interface MissingLeg {
  venue: VenueId;
  symbol: string;
  side: OrderSide;
  worstPrice: Decimal;
}

export interface RepairJob {
  tradeId: string;
  residual: Decimal;
  exposed: ExposedLeg;
  /** Absent when a hedge makes no sense (after a restart the walk's prices are stale). */
  missing?: MissingLeg;
  prefer: RepairAction;
  /**
   * A pair's close: the hedge (finishing the close on the other venue) is reduce-only too,
   * strictly, so a position that shrank behind the engine's back is never flipped.
   */
  reduceOnly?: boolean;
}

export interface RepairResult {
  state: 'hedged' | 'unwound' | 'stopped-out' | 'failed-unresolved';
  residual: Decimal;
  orders: PlacedOrder[];
}

export interface RepairDeps extends CommandDeps {
  gateways: ReadonlyMap<VenueId, OrderGateway>;
  markets?: (venue: VenueId, symbol: string) => MarketInfo | undefined;
  clientId(tradeId: string, role: OrderRole, attempt: number): string;
}

const opposite = (s: OrderSide): OrderSide => (s === 'buy' ? 'sell' : 'buy');

export async function repairLoneLeg(deps: RepairDeps, job: RepairJob, wait: VenueWait): Promise<RepairResult> {
  const { config } = deps;
  const orders: PlacedOrder[] = [];
  let residual = job.residual;
  let closedBy: RepairResult['state'] | undefined;
  const actions: RepairAction[] = job.prefer === 'hedge' ? ['hedge', 'unwind'] : ['unwind', 'hedge'];
  // Numbered after the trade's existing orders: a repair resumed after a restart must not reuse a client id.
  let n = deps.journal.ordersOf(job.tradeId).length;
  // After a reduce-only refusal: what the venue's re-read position lets this action's reduce-only order take.
  let room: Decimal | undefined;
  // The venue refused a reduce-only close of the exposed leg: its netted position does not hold
  // the residual on that side, so the next close reverses exactly the residual without the flag
  // (as reduceOnlyFits decides when the position can be read), never the same refused order again.
  let closeRefused = false;
  const attempt = async (role: OrderRole, build: (size: Decimal) => Omit<OrderRequest, 'clientId' | 'size'>): Promise<'done' | 'unresolved' | 'retry' | 'untradable'> => {
    const base = build(residual);
    const wanted = room !== undefined && base.reduceOnly ? Decimal.min(residual, room) : residual;
    const size = roundSizeDown(wanted, deps.markets?.(base.venue, base.symbol)?.sizeIncrement);
    // A residual below this venue's size step cannot be traded here: another move must close it.
    if (size.lte(0)) return 'untradable';
    if (role !== 'hedge' && base.reduceOnly && (closeRefused || !(await reduceOnlyFits(deps, job.exposed, residual, wait)))) base.reduceOnly = false;
    const gateway = deps.gateways.get(base.venue);
    if (!gateway) return 'retry';
    const request: OrderRequest = { ...base, size, clientId: deps.clientId(job.tradeId, role, ++n) };
    let placed: PlacedOrder;
    try {
      const t0 = deps.monotonic();
      const signed = await wait.time(() => gateway.sign(request));
      placed = await placeOrder(deps, gateway, job.tradeId, role, signed, wait, deps.monotonic() - t0);
    } catch (err) {
      deps.logger.error('repair order could not be signed or sent', { tradeId: job.tradeId, role, error: (err as Error).message });
      return 'retry';
    }
    orders.push(placed);
    residual = residual.minus(placed.filled);
    if (room !== undefined && request.reduceOnly) room = Decimal.max(0, room.minus(placed.filled));
    if (placed.outcome === 'unresolved') return 'unresolved';
    if (residual.lte(0)) return 'done';
    if (placed.outcome === 'rejected' && request.reduceOnly && isReduceOnlyRefusal(placed.reason)) {
      // The venue's netted position does not hold what this order would reduce: sending the same
      // order again would be refused again, so the next one is re-planned.
      if (role !== 'hedge') {
        closeRefused = true;
        deps.logger.warn('reduce-only close of the lone leg refused: reversing exactly the residual without the flag', { tradeId: job.tradeId, role, venue: base.venue });
        return 'retry';
      }
      // A strict reduce-only hedge (a pair's close) is capped at what the re-read position allows;
      // without an answer, or with no room, the hedge is given up rather than retried blind.
      const held = await readHeld(deps, base.venue, base.symbol, wait);
      if (held === undefined) return 'untradable';
      room = reduceOnlyRoom(held, base.side);
      deps.logger.warn('reduce-only hedge refused: re-planned from the venue position', { tradeId: job.tradeId, venue: base.venue, held: held.toString(), room: room.toString() });
      if (room.isZero()) return 'untradable';
    }
    return 'retry';
  };

  for (const action of actions) {
    if (action === 'hedge' && !job.missing) continue;
    room = undefined;
    for (let i = 0; i < config.repairAttempts && residual.gt(0); i++) {
      const r =
        action === 'hedge'
          ? await attempt('hedge', () => hedgeOrder(job.missing!, config.hedgeBandBps, deps, job.reduceOnly))
          : await attempt('unwind', () => closeOrder(job.exposed, 'limit', config.unwindBandBps, deps));
      if (r === 'unresolved') return { state: 'failed-unresolved', residual, orders };
      if (r === 'untradable') break;
      if (r === 'done') closedBy = action === 'hedge' ? 'hedged' : 'unwound';
    }
    if (closedBy) return { state: closedBy, residual, orders };
  }
  room = undefined;
  for (let i = 0; i < config.stopLoss.attempts && residual.gt(0); i++) {
    const r = await attempt('stop-loss', () => closeOrder(job.exposed, config.stopLoss.orderType, config.stopLoss.bandBps, deps));
    if (r === 'unresolved') return { state: 'failed-unresolved', residual, orders };
    if (r === 'untradable') break;
    if (r === 'done') return { state: 'stopped-out', residual, orders };
  }
  deps.logger.error('lone leg still open after hedge, unwind and stop-loss', {
    tradeId: job.tradeId,
    venue: job.exposed.venue,
    residual: residual.toString(),
  });
  return { state: 'failed-unresolved', residual, orders };
}

function hedgeOrder(missing: MissingLeg, bandBps: number, deps: RepairDeps, reduceOnly?: boolean): Omit<OrderRequest, 'clientId' | 'size'> {
  return {
    ...(reduceOnly ? { reduceOnly: true } : {}),
    venue: missing.venue,
    symbol: missing.symbol,
    side: missing.side,
    type: 'limit',
    price: bandedLimit(missing.worstPrice, missing.side, bandBps, deps.markets?.(missing.venue, missing.symbol)?.tickSize),
    timeInForce: 'IOC',
  };
}

/**
 * Whether a reduce-only close of `residual` would be accepted: the venue's position must lie on the
 * exposed side and cover it. A lone leg that netted against an older opposite position on that
 * venue (an arb account carries positions between trades) left nothing on its side to reduce,
 * and the venue refuses the reduce-only close; the close of exactly the residual is then sent
 * without the flag. When the venue cannot say, reduce-only stays (the conservative choice).
 */
async function reduceOnlyFits(deps: RepairDeps, exposed: ExposedLeg, residual: Decimal, wait: VenueWait): Promise<boolean> {
  const gateway = deps.gateways.get(exposed.venue);
  if (!gateway) return true;
  try {
    const positions = await wait.time(() => withTimeout(gateway.positions(), deps.config.ackTimeoutMs, `${exposed.venue} positions`));
    const held = positions.find((p) => p.symbol === exposed.symbol)?.size ?? new Decimal(0);
    const onSide = exposed.side === 'buy' ? held : held.neg();
    return onSide.gte(residual);
  } catch {
    return true;
  }
}

/** The venue's signed position on a market, or undefined when it does not answer in time. */
async function readHeld(deps: RepairDeps, venue: VenueId, symbol: string, wait: VenueWait): Promise<Decimal | undefined> {
  const gateway = deps.gateways.get(venue);
  if (!gateway) return undefined;
  try {
    return heldOn(await wait.time(() => withTimeout(gateway.positions(), deps.config.ackTimeoutMs, `${venue} positions`)), symbol);
  } catch {
    return undefined;
  }
}

/** Reduce-only, so a close can never open a position the other way (unless reduceOnlyFits says the venue would refuse it). */
function closeOrder(exposed: ExposedLeg, type: 'limit' | 'market', bandBps: number, deps: RepairDeps): Omit<OrderRequest, 'clientId' | 'size'> {
  const side = opposite(exposed.side);
  return {
    venue: exposed.venue,
    symbol: exposed.symbol,
    side,
    type,
    price: type === 'market' ? undefined : bandedLimit(exposed.averagePrice, side, bandBps, deps.markets?.(exposed.venue, exposed.symbol)?.tickSize),
    timeInForce: 'IOC',
    reduceOnly: true,
  };
}
