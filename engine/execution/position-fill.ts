/**
 * A fill the venue will never itemize, read from its position instead.
 *
 * Vest lists no fills: an order that filled in part and was then cancelled shows only its fees
 * in GET /orders ("null if status != FILLED"), and the account stream that carried its executions
 * may have been reconnecting when it executed (chaos seeds 3418607986, 1684210834, 413492099).
 * Its gateway then marks the report `fillUnknown` (plugins/exchanges/vest/orders.ts names what the
 * venue's API offers and why the position is what is left). Waiting cannot help: nothing will
 * ever say more. Left unresolved, the instrument stayed quarantined for good with the partial
 * fill open.
 *
 * Why the position answers it: the order is over at the venue (nothing more can fill), and the
 * venue position on that market moves only by our orders' fills. The journal holds every other
 * fill there (the same sum the restart reconciliation compares with the venue), so
 *   filled = (venue position now - journal position without this order), signed by the side.
 * That holds only when no other order on that market is still unsettled: its unknown fill would
 * be in the same difference. So the journal is checked before and after the read, and an answer
 * that no fill of this order can explain (the wrong way, nothing, or more than its size: a
 * liquidation, a manual trade, a journal that was already off) is not taken: the order stays
 * unresolved and the instrument quarantined, as before. Assumed: once GET /orders shows the order
 * CANCELLED, GET /account already holds its fills (one server answers both; the docs mention no
 * lag). A read that lagged would show less, never the wrong way, and only the next reconciliation
 * (a restart, a quarantine retry, a venue rejoining) would see venue and journal disagree.
 *
 * The price: a position this order opened from flat was entered at this order's fill price (the
 * venue's entryPrice). Otherwise the venue does not say it, and the IOC's limit is used: the worst
 * price the venue could have filled it at, so the booked PnL is never better than the real one.
 * An IOC never rests, so the fill took liquidity (taker).
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderGateway, OrderReport, OrderRequest, OrderState, Position } from '../exchange/orders.ts';
import { positionKey } from '../journal/trade-journal.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { TradeJournal } from '../journal/trade-journal.ts';
import type { ExecutionConfig } from './config.ts';
import { heldOn } from './reduce-only.ts';
import { withTimeout, type VenueWait } from './venue-wait.ts';

/** What the read needs of the order command's dependencies (declared here: order-command imports this file). */
export interface PositionFillDeps {
  journal: TradeJournal;
  clock: Clock;
  config: ExecutionConfig;
  logger: Logger;
}

export type PositionFill = { ok: true; report: OrderReport } | { ok: false; why: string };

export async function fillFromPosition(
  deps: PositionFillDeps,
  gateway: OrderGateway,
  tradeId: string,
  req: OrderRequest,
  report: OrderReport & { fillUnknown: NonNullable<OrderReport['fillUnknown']> },
  wait: VenueWait,
): Promise<PositionFill> {
  const { journal, clock, config } = deps;
  const busy = otherUnsettled(deps, req);
  if (busy) return { ok: false, why: `fill size unknown; position not read: ${busy}` };
  let positions: Position[];
  try {
    positions = await wait.time(() => withTimeout(gateway.positions(), config.ackTimeoutMs, `${req.venue} positions`));
  } catch (err) {
    return { ok: false, why: `fill size unknown; position unreadable: ${(err as Error).message}` };
  }
  const busyAfter = otherUnsettled(deps, req);
  if (busyAfter) return { ok: false, why: `fill size unknown; position not used: ${busyAfter}` };

  const journaled = journal.expectedPositions().get(positionKey(req.venue, req.symbol))?.size ?? new Decimal(0);
  let own = new Decimal(0);
  for (const f of journal.fillsOf(tradeId)) if (f.client_id === req.clientId) own = f.side === 'buy' ? own.plus(f.size) : own.minus(f.size);
  const before = journaled.minus(own);
  const held = heldOn(positions, req.symbol);
  const moved = held.minus(before);
  const filled = req.side === 'buy' ? moved : moved.neg();
  if (filled.lte(0) || filled.gt(req.size)) {
    return { ok: false, why: `fill size unknown; venue position ${held.toString()} against ${before.toString()} in the journal is no ${req.side} of at most ${req.size.toString()}` };
  }
  const entry = positions.find((p) => p.symbol === req.symbol)?.entryPrice;
  const price = before.isZero() && entry ? entry : (req.price ?? entry);
  if (!price) return { ok: false, why: 'fill size read from the position, but no price: neither a limit nor an entry price' };

  const state: OrderState = { ...report.state, status: report.fillUnknown.finalStatus, filledSize: filled, averagePrice: price };
  const fill: Fill = {
    venue: req.venue,
    symbol: req.symbol,
    clientId: req.clientId,
    ...(state.venueOrderId ? { venueOrderId: state.venueOrderId } : {}),
    fillId: `${state.venueOrderId ?? req.clientId}:position`,
    side: req.side,
    price,
    size: filled,
    fee: report.fillUnknown.fee,
    liquidity: 'taker',
    time: clock.now(),
  };
  deps.logger.warn('fill size read from the venue position (the venue lists no fills of this order)', {
    venue: req.venue,
    clientId: req.clientId,
    held: held.toString(),
    journalBefore: before.toString(),
    filled: filled.toString(),
    price: price.toString(),
    priceFrom: price === entry ? 'entry price' : 'limit',
  });
  return { ok: true, report: { state, fills: [fill] } };
}

/** Another order on this venue and market whose outcome is not known yet, by client id (or undefined). */
function otherUnsettled(deps: PositionFillDeps, req: OrderRequest): string | undefined {
  const other = deps.journal.unsettledOrders().find((o) => o.venue === req.venue && o.symbol === req.symbol && o.client_id !== req.clientId);
  return other ? `order ${other.client_id} on the same market is also unsettled` : undefined;
}
