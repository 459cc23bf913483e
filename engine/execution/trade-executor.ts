/**
 * The sequential two-leg executor. For each accepted judgment:
 *
 *   lock instrument -> journal trade -> sign both legs in parallel -> leg 1 (IOC, banded)
 *   -> verify leg 1 from the venue -> leg 2 sized to leg 1's verified fill (re-signed if the
 *   size changed) -> verify leg 2 -> any residual goes to the lone-leg repair
 *   -> end: completed | hedged | unwound | stopped-out | failed-unresolved | no-fill
 *
 * Leg 2 is never sent before leg 1's fill is known, so the executor never holds more than one
 * unknown at a time. A trade that ends failed-unresolved keeps its instrument quarantined.
 */
import { Decimal } from 'decimal.js';
import type { OrderGateway, OrderRequest, SignedOrder } from '../exchange/orders.ts';
import type { TradeEndState, TradeJournal } from '../journal/trade-journal.ts';
import type { MarketInfo, VenueId } from '../market/types.ts';
import type { ArbIntent, IntentLeg } from '../strategy/strategy.ts';
import { clientIdFor, newTradeId } from './client-ids.ts';
import type { InstrumentLocks } from './instrument-lock.ts';
import { chooseFirstLeg, type LiquidityProbe } from './leg-order.ts';
import { repairLoneLeg, type RepairAction, type RepairDeps, type RepairResult } from './leg-repair.ts';
import { placeOrder, type PlacedOrder } from './order-command.ts';
import { bandedLimit, roundSizeDown } from './price-band.ts';
import { realizedPnl, type TradeLatency, type TradeResult } from './trade-result.ts';
import { VenueWait } from './venue-wait.ts';

export interface TradeExecutorDeps extends Omit<RepairDeps, 'clientId'> {
  journal: TradeJournal;
  locks: InstrumentLocks;
  liquidity?: LiquidityProbe;
  sessionId?: () => string | undefined;
  clientId?: RepairDeps['clientId'];
  newTradeId?: (now: number) => string;
}

/**
 * What the executor trades: a judgment from the opportunity flow, or a pair's close (the
 * portfolio builds one with reduce-only legs). Only these fields of a Judgment are read.
 */
export interface TradePlan {
  intent: ArbIntent;
  /** Expected net USD, journaled with the trade. */
  net: Decimal;
  judgedAt: number;
  /** Both legs (and the repair's unwind) reduce-only: a close must never open a position. */
  reduceOnly?: boolean;
  /**
   * The repair's first move when leg 2 falls short. Default: hedge after a partial fill, unwind
   * after a refusal. A close hedges first (completing the close), since unwinding re-opens.
   */
  repairPrefer?: RepairAction;
}

export type TradeListener = (r: TradeResult, plan: TradePlan) => void;

export class TradeExecutor {
  private readonly inFlight = new Set<Promise<TradeResult | undefined>>();
  private readonly listeners: TradeListener[] = [];
  private accepting = true;
  private readonly repairDeps: RepairDeps;

  constructor(private readonly deps: TradeExecutorDeps) {
    this.repairDeps = { ...deps, clientId: deps.clientId ?? clientIdFor };
  }

  onTradeEnd(listener: TradeListener): void {
    this.listeners.push(listener);
  }

  /** Start a trade unless stopped, the instrument is busy, or the intent was already traded. */
  run(j: TradePlan): Promise<TradeResult | undefined> {
    const p = this.trade(j).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  /** Ctrl-C and the kill switch: no new trades; those in flight finish their legs and repairs. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** False once stopped (Ctrl-C, kill switch): no new trade starts. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async trade(j: TradePlan): Promise<TradeResult | undefined> {
    const { deps } = this;
    const { intent } = j;
    const t0 = deps.monotonic();
    if (!this.accepting) return undefined;
    const buyGw = deps.gateways.get(intent.buy.venue);
    const sellGw = deps.gateways.get(intent.sell.venue);
    if (!buyGw || !sellGw) {
      deps.logger.error('no order gateway for a venue of this intent: not trading it', { intent: intent.id, buy: intent.buy.venue, sell: intent.sell.venue });
      return undefined;
    }
    const tradeId = (deps.newTradeId ?? newTradeId)(deps.clock.now());
    if (!deps.locks.tryAcquire(intent.instrument, tradeId)) return undefined;
    try {
      // A restarted engine may be handed an intent it already acted on: never trade it twice.
      if (deps.journal.hasIntent(intent.id)) return undefined;
      return await this.runLegs(j, tradeId, buyGw, sellGw, t0);
    } finally {
      deps.locks.release(intent.instrument, tradeId);
    }
  }

  private async runLegs(j: TradePlan, tradeId: string, buyGw: OrderGateway, sellGw: OrderGateway, t0: number): Promise<TradeResult> {
    const { deps } = this;
    const { intent } = j;
    const wait = new VenueWait(deps.monotonic);
    const firstSide = chooseFirstLeg(intent, deps.config.legOrder, deps.liquidity);
    const [first, second] = firstSide === 'buy' ? [intent.buy, intent.sell] : [intent.sell, intent.buy];
    const [firstGw, secondGw] = firstSide === 'buy' ? [buyGw, sellGw] : [sellGw, buyGw];
    const startedAt = deps.clock.now();
    deps.journal.openTrade({
      id: tradeId,
      intentId: intent.id,
      sessionId: deps.sessionId?.(),
      instrument: intent.instrument,
      buy: intent.buy,
      sell: intent.sell,
      size: intent.size,
      firstLeg: firstSide,
      expectedNet: j.net,
      detectedAt: intent.detectedAt,
      judgedAt: j.judgedAt,
      startedAt,
    });
    const latency: Partial<TradeLatency> = { detectedAt: intent.detectedAt, judgedAt: j.judgedAt, startedAt };
    const orders: PlacedOrder[] = [];
    const end = (state: TradeEndState, residual: Decimal, note?: string): TradeResult => {
      const totalMs = deps.monotonic() - t0;
      const flat = state !== 'failed-unresolved';
      const pnl = flat ? realizedPnl(orders.flatMap((o) => o.fills)) : undefined;
      const full: TradeLatency = { ...(latency as TradeLatency), endedAt: deps.clock.now(), totalMs, venueWaitMs: wait.ms, overheadMs: totalMs - wait.ms };
      deps.journal.endTrade(tradeId, { state, residual, realizedPnl: pnl, note, ...full });
      if (state === 'failed-unresolved') deps.locks.quarantine(intent.instrument, `trade ${tradeId}: ${note ?? 'unresolved'}`);
      const result: TradeResult = { tradeId, intentId: intent.id, instrument: intent.instrument, state, residual, orders, realizedPnl: pnl, latency: full, note };
      deps.logger.info('trade ended', { tradeId, intent: intent.id, state, residual: residual.toString(), pnl: pnl?.toString(), totalMs: Math.round(totalMs * 1000) / 1000 });
      for (const l of this.listeners) l(result, j);
      return result;
    };

    // Both signatures before anything is sent: key use is the slow part on some venues.
    const req1 = this.legRequest(first, intent.size, clientIdFor(tradeId, 'leg1', 1), j.reduceOnly);
    const req2 = this.legRequest(second, intent.size, clientIdFor(tradeId, 'leg2', 1), j.reduceOnly);
    let signed1: SignedOrder;
    let signed2: SignedOrder | undefined;
    const tSign = deps.monotonic();
    try {
      [signed1, signed2] = await wait.time(() => Promise.all([firstGw.sign(req1), secondGw.sign(req2)]));
    } catch (err) {
      return end('no-fill', new Decimal(0), `signing failed, nothing sent: ${(err as Error).message}`);
    }
    const signMs = deps.monotonic() - tSign;
    latency.signedAt = deps.clock.now();

    const leg1 = await placeOrder(deps, firstGw, tradeId, 'leg1', signed1, wait, signMs);
    orders.push(leg1);
    if (leg1.outcome === 'unresolved') return end('failed-unresolved', leg1.filled, `leg 1 outcome unknown: ${leg1.reason ?? ''}`);
    if (leg1.filled.isZero()) return end('no-fill', new Decimal(0), `leg 1 ${leg1.outcome} with no fill${leg1.reason ? `: ${leg1.reason}` : ''}`);

    // Leg 2 matches what leg 1 really filled, not what was asked.
    const size2 = roundSizeDown(leg1.filled, deps.markets?.(second.venue, second.symbol)?.sizeIncrement);
    let leg2: PlacedOrder | undefined;
    let leg2SignMs = signMs;
    if (size2.gt(0)) {
      // Re-signed when its size changed, or when the pre-signed order could no longer arrive inside
      // its executable window (Vest recvWindow 5 s: a leg 1 verified after a slow venue made the
      // pre-signed leg 2 arrive expired, refused 1132, and the lone leg open 2 s longer; chaos seed 283512020).
      const expiring = signed2?.executableUntil !== undefined && deps.clock.now() + deps.config.ackTimeoutMs >= signed2.executableUntil;
      if (!size2.eq(req2.size) || expiring) {
        try {
          const tResign = deps.monotonic();
          signed2 = await wait.time(() => secondGw.sign({ ...req2, size: size2 }));
          leg2SignMs = deps.monotonic() - tResign;
          latency.signedAt = deps.clock.now();
        } catch (err) {
          deps.logger.error('re-signing leg 2 failed: repairing leg 1', { tradeId, error: (err as Error).message });
          signed2 = undefined;
        }
      }
      if (signed2) {
        leg2 = await placeOrder(deps, secondGw, tradeId, 'leg2', signed2, wait, leg2SignMs);
        orders.push(leg2);
        if (leg2.times.ackMono !== undefined && leg2.times.waitAtAckMs !== undefined) {
          latency.ackOverheadMs = leg2.times.ackMono - t0 - leg2.times.waitAtAckMs;
        }
        latency.fillVerifiedAt = leg2.times.verifiedAt;
        if (leg2.outcome === 'unresolved') return end('failed-unresolved', leg1.filled.minus(leg2.filled), `leg 2 outcome unknown: ${leg2.reason ?? ''}`);
      }
    }

    const residual = leg1.filled.minus(leg2?.filled ?? 0);
    if (residual.lte(0)) return end('completed', new Decimal(0));

    // A venue that refused (or never answered) leg 2 is not retried first: close leg 1 instead.
    // A partial fill means the venue works but its book thinned: hedge the rest there.
    const prefer = j.repairPrefer ?? (leg2 && leg2.outcome === 'confirmed' && leg2.filled.gt(0) ? 'hedge' : 'unwind');
    const repair: RepairResult = await repairLoneLeg(
      this.repairDeps,
      {
        tradeId,
        residual,
        exposed: { venue: first.venue, symbol: first.symbol, side: first.side, averagePrice: leg1.averagePrice ?? first.expectedPrice },
        missing: { venue: second.venue, symbol: second.symbol, side: second.side, worstPrice: second.worstPrice },
        prefer,
        reduceOnly: j.reduceOnly,
      },
      wait,
    );
    orders.push(...repair.orders);
    const last = repair.orders.at(-1);
    if (last?.times.verifiedAt) latency.fillVerifiedAt = last.times.verifiedAt;
    return end(repair.state, repair.residual.gt(0) ? repair.residual : new Decimal(0), `leg 2 ${leg2 ? `${leg2.outcome}, filled ${leg2.filled.toString()}` : 'not sent'}; ${prefer} first`);
  }

  private legRequest(leg: IntentLeg, size: Decimal, clientId: string, reduceOnly?: boolean): OrderRequest {
    const m: MarketInfo | undefined = this.deps.markets?.(leg.venue, leg.symbol);
    return {
      ...(reduceOnly ? { reduceOnly: true } : {}),
      venue: leg.venue,
      symbol: leg.symbol,
      side: leg.side,
      type: 'limit',
      size: roundSizeDown(size, m?.sizeIncrement),
      price: bandedLimit(leg.worstPrice, leg.side, this.deps.config.priceBandBps, m?.tickSize),
      timeInForce: 'IOC',
      clientId,
    };
  }
}

export type GatewayMap = ReadonlyMap<VenueId, OrderGateway>;
