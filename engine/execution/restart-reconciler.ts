/**
 * On start (and after a crash), before any trade: settle every order a previous run left
 * without an outcome (status and fills by clientId), close what those trades left exposed
 * (unwind only: the prices a hedge would have used are stale by now), then compare the venues'
 * open orders and positions with what the journal's fills imply. Any disagreement is a problem
 * the caller must refuse to trade through.
 */
import { Decimal } from 'decimal.js';
import type { OrderRequest, VenueOrderRef } from '../exchange/orders.ts';
import { positionKey, type FillRow, type OrderRow, type TradeEndState, type TradeRow } from '../journal/trade-journal.ts';
import type { VenueId } from '../market/types.ts';
import type { InstrumentLocks } from './instrument-lock.ts';
import { repairLoneLeg, type RepairDeps } from './leg-repair.ts';
import { verifyOrder, type SendTracking } from './order-command.ts';
import { readsAllowed, VenueWait, withTimeout } from './venue-wait.ts';

export interface ReconcileReport {
  /** Orders whose outcome was learned now. */
  settledOrders: number;
  /** Trades a previous run left open, and how each ended now. */
  closedTrades: { tradeId: string; state: TradeEndState }[];
  /** Disagreements between journal and venues; trading must stay off while any remain. */
  problems: string[];
}

export interface ReconcileScope {
  /** Venue symbols the engine trades: positions and orders elsewhere on the account are not ours. */
  symbols: ReadonlyMap<VenueId, ReadonlySet<string>>;
  locks: InstrumentLocks;
  /**
   * Work a running part of this engine still manages (a maker-taker desk's resting quotes and
   * the trades it is hedging), in a reconciliation mid-run (a venue that rejoined): its orders
   * are not settled, its trades not closed, its resting orders not strays. Settling them here
   * would unwind fills the desk is hedging at the same moment.
   */
  active?: ActiveWork;
}

export interface ActiveWork {
  tradeIds: ReadonlySet<string>;
  /** Client ids of orders meant to rest (post-only quotes). */
  restingClientIds: ReadonlySet<string>;
}

export async function reconcileWithVenues(deps: RepairDeps, scope: ReconcileScope): Promise<ReconcileReport> {
  const { journal } = deps;
  const report: ReconcileReport = { settledOrders: 0, closedTrades: [], problems: [] };
  const unresolvedTrades = new Set<string>();

  const activeTrade = (id: string): boolean => scope.active?.tradeIds.has(id) ?? false;
  for (const row of journal.unsettledOrders()) {
    if (activeTrade(row.trade_id)) continue;
    const gw = deps.gateways.get(row.venue);
    if (!gw) {
      report.problems.push(`order ${row.client_id} on ${row.venue}: no gateway for that venue to ask about it`);
      unresolvedTrades.add(row.trade_id);
      continue;
    }
    const placed = await verifyOrder(deps, gw, row.trade_id, requestOf(row), { sentAt: row.sent_at }, undefined, trackingOf(row));
    if (placed.outcome === 'unresolved') {
      unresolvedTrades.add(row.trade_id);
      if (placed.awaitingExpiry) {
        // Not found, and still executable (a Lighter tx until its ExpiredAt): its instrument stays
        // quarantined until the venue shows it or it can no longer execute (the quarantine retry asks
        // again); halting every instrument for that long would stop trades it cannot touch (chaos seed
        // 2392586442: a dropped Lighter sendTx halted a restarted engine for its 10-minute ExpiredAt).
        deps.logger.warn('order unknown to the venue but still executable: its instrument stays quarantined', { clientId: row.client_id, venue: row.venue, executableUntil: row.executable_until });
        continue;
      }
      report.problems.push(`order ${row.client_id} on ${row.venue}: still no answer from the venue (${placed.reason ?? ''})`);
    } else report.settledOrders++;
  }

  for (const trade of journal.openTrades()) {
    if (activeTrade(trade.id)) continue;
    if (unresolvedTrades.has(trade.id)) {
      scope.locks.quarantine(trade.instrument, `trade ${trade.id} has an order the venue will not confirm`);
      // As the executor ends a trade with an order of unknown fate; a later reconciliation takes it up again.
      if (trade.state === 'open') {
        const fills = journal.fillsOf(trade.id);
        const exposure = net(fills, trade.buy_venue, trade.buy_symbol).plus(net(fills, trade.sell_venue, trade.sell_symbol));
        journal.endTrade(trade.id, { state: 'failed-unresolved', residual: exposure.abs(), note: 'restart: an order of unknown fate (see its order row)', endedAt: deps.clock.now() });
      }
      continue;
    }
    const state = await closeLeftover(deps, trade);
    report.closedTrades.push({ tradeId: trade.id, state });
    if (state === 'failed-unresolved') {
      report.problems.push(`trade ${trade.id} (${trade.instrument}) still has an exposed leg after unwind and stop-loss`);
      scope.locks.quarantine(trade.instrument, `trade ${trade.id} left exposed`);
    } else scope.locks.lift(trade.instrument);
  }

  report.problems.push(...(await compareWithVenues(deps, scope)));
  return report;
}

/** End a trade a crashed run left open: from its journaled fills, unwind whatever is unmatched. */
async function closeLeftover(deps: RepairDeps, trade: TradeRow): Promise<TradeEndState> {
  const { journal, clock } = deps;
  const fills = journal.fillsOf(trade.id);
  const orders = journal.ordersOf(trade.id);
  const buyNet = net(fills, trade.buy_venue, trade.buy_symbol);
  const sellNet = net(fills, trade.sell_venue, trade.sell_symbol);
  const exposure = buyNet.plus(sellNet);
  let state: TradeEndState;
  let residual = new Decimal(0);
  let note = 'closed on restart';
  if (fills.length === 0) state = 'no-fill';
  else if (exposure.isZero()) state = endStateOf(orders);
  else {
    // The excess sits where the net has the exposure's sign (normally the leg that filled alone).
    const onBuyVenue = exposure.gt(0) ? buyNet.gt(0) : buyNet.lt(0);
    const venue = onBuyVenue ? trade.buy_venue : trade.sell_venue;
    const symbol = onBuyVenue ? trade.buy_symbol : trade.sell_symbol;
    const venueFills = fills.filter((f) => f.venue === venue && f.symbol === symbol);
    const repair = await repairLoneLeg(
      deps,
      {
        tradeId: trade.id,
        residual: exposure.abs(),
        exposed: { venue, symbol, side: exposure.gt(0) ? 'buy' : 'sell', averagePrice: average(venueFills) },
        prefer: 'unwind',
      },
      new VenueWait(deps.monotonic),
    );
    state = repair.state;
    residual = repair.residual;
    note = `restart found ${exposure.toString()} unmatched on ${venue}; ${repair.state}`;
  }
  const allFills = journal.fillsOf(trade.id);
  const pnl = state === 'failed-unresolved' ? undefined : cashFlow(allFills);
  journal.endTrade(trade.id, { state, residual, realizedPnl: pnl, note, endedAt: clock.now() });
  deps.logger.warn('trade left open by a previous run is closed', { tradeId: trade.id, state, note });
  return state;
}

async function compareWithVenues(deps: RepairDeps, scope: ReconcileScope): Promise<string[]> {
  const problems: string[] = [];
  const expected = deps.journal.expectedPositions();
  for (const [venue, gw] of deps.gateways) {
    const ours = scope.symbols.get(venue) ?? new Set<string>();
    try {
      // Positions are a background read, open orders a reconcile read (both gateways' priorities).
      await readsAllowed(gw, ['reconcile', 'background']);
      const [positions, open] = await withTimeout(Promise.all([gw.positions(), gw.openOrders()]), deps.config.ackTimeoutMs, `${venue} positions and open orders`);
      const seen = new Set<string>();
      for (const p of positions) {
        if (!ours.has(p.symbol)) continue;
        const k = positionKey(venue, p.symbol);
        seen.add(k);
        const want = expected.get(k)?.size ?? new Decimal(0);
        if (!p.size.eq(want)) problems.push(`${venue} ${p.symbol}: venue position ${p.size.toString()}, journal implies ${want.toString()}`);
      }
      for (const [k, e] of expected) {
        if (e.venue === venue && !seen.has(k) && !e.size.isZero() && ours.has(e.symbol)) {
          problems.push(`${venue} ${e.symbol}: venue reports no position, journal implies ${e.size.toString()}`);
        }
      }
      // The executor only sends IOC orders, so a resting order on our markets is not ours or is stuck.
      for (const o of open) {
        if (scope.active?.restingClientIds.has(o.clientId)) continue;
        problems.push(`${venue}: open order ${o.clientId} (${o.status}) the executor did not leave resting; cancel it or check the account`);
      }
    } catch (err) {
      problems.push(`${venue}: cannot read positions or open orders (${(err as Error).message})`);
    }
  }
  return problems;
}

function requestOf(row: OrderRow): OrderRequest {
  return {
    venue: row.venue,
    symbol: row.symbol,
    side: row.side,
    type: 'limit',
    size: new Decimal(row.size),
    price: row.price === null ? undefined : new Decimal(row.price),
    timeInForce: 'IOC',
    reduceOnly: row.reduce_only === 1,
    clientId: row.client_id,
  };
}

/** The journaled lookup keys: a restarted gateway has none of its in-memory links (Vest nonce -> order). */
function trackingOf(row: OrderRow): SendTracking {
  let venueRef: VenueOrderRef | undefined;
  if (row.venue_ref) {
    try {
      venueRef = JSON.parse(row.venue_ref) as VenueOrderRef;
    } catch {
      venueRef = undefined; // a corrupt column must not stop reconciliation; the clientId still finds most orders
    }
  }
  return { inFlight: false, ...(venueRef ? { venueRef } : {}), ...(row.executable_until !== null ? { executableUntil: row.executable_until } : {}) };
}

function net(fills: FillRow[], venue: string, symbol: string): Decimal {
  let n = new Decimal(0);
  for (const f of fills) if (f.venue === venue && f.symbol === symbol) n = f.side === 'buy' ? n.plus(f.size) : n.minus(f.size);
  return n;
}

function average(fills: FillRow[]): Decimal {
  let size = new Decimal(0);
  let notional = new Decimal(0);
  for (const f of fills) {
    size = size.plus(f.size);
    notional = notional.plus(new Decimal(f.price).mul(f.size));
  }
  return size.isZero() ? new Decimal(0) : notional.div(size);
}

function cashFlow(fills: FillRow[]): Decimal {
  let pnl = new Decimal(0);
  for (const f of fills) {
    const n = new Decimal(f.price).mul(f.size);
    pnl = (f.side === 'sell' ? pnl.plus(n) : pnl.minus(n)).minus(f.fee);
  }
  return pnl;
}

function endStateOf(orders: OrderRow[]): TradeEndState {
  const filled = (role: string) => orders.some((o) => o.role === role && o.filled_size !== null && new Decimal(o.filled_size).gt(0));
  if (filled('stop-loss')) return 'stopped-out';
  if (filled('unwind')) return 'unwound';
  if (filled('hedge')) return 'hedged';
  return 'completed';
}
