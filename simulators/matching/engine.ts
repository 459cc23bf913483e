/**
 * A venue-agnostic matching engine for the simulators' private side.
 *
 * It matches one venue's simulated accounts against that venue's simulated books: the
 * synthetic depth every public feed already publishes. A taker fill consumes book liquidity
 * through `VenueMarket.apply`, so the public feeds show it and a later order sees less (the
 * depth generator refills a level only when it re-draws it, as a market maker would).
 *
 * Orders of simulated accounts that rest (GTC/GTT) are kept here, not in the public book: the
 * synthetic depth is re-drawn every step and would erase them. A resting order fills as maker,
 * at its own limit price, when a later step's book crosses it.
 *
 * Prices and sizes are integer units on the market's grid; money is Decimal (see money.ts).
 * Wire formats, signatures and error codes belong to the venue layers on top.
 */
import type { Clock } from '../../engine/core/clock.ts';
import type { BookSide, LevelChange } from '../book.ts';
import type { VenueMarket } from '../venue-market.ts';
import { Money, unitsToMoney, ZERO } from './money.ts';

export type Side = 'buy' | 'sell';
export type OrderKind = 'limit' | 'market';
/** GTC rests until cancelled; GTT rests until `expiresAt`; IOC never rests; FOK fills in full or not at all. */
export type TimeInForce = 'GTC' | 'GTT' | 'IOC' | 'FOK';
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

/** Why the engine refused or closed an order; each venue maps these to its own words. */
export type EngineReason =
  | 'UNKNOWN_ACCOUNT'
  | 'UNKNOWN_MARKET'
  | 'INVALID_SIZE'
  | 'INVALID_PRICE'
  | 'POST_ONLY_WOULD_CROSS'
  | 'REDUCE_ONLY_INCREASES'
  | 'REDUCE_ONLY_EXCEEDS'
  | 'INSUFFICIENT_MARGIN'
  | 'NO_LIQUIDITY'
  | 'IOC_REMAINDER'
  | 'USER_CANCELED'
  | 'EXPIRED'
  | 'FAULT_INJECTED';

export interface OrderRequest {
  readonly account: string;
  /** The venue symbol (Paradex "BTC-USD-PERP", Vest "BTC-PERP", Lighter "BTC"). */
  readonly symbol: string;
  readonly side: Side;
  readonly kind: OrderKind;
  /** Size in integer size units, > 0. */
  readonly sizeUnits: number;
  /** Limit price in integer price units; for a market order an optional worst price. */
  readonly priceUnits?: number;
  readonly timeInForce: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** For GTT, clock ms. */
  readonly expiresAt?: number;
  readonly clientId?: string;
  /** The venue's own id if it assigns one; otherwise the engine numbers orders. */
  readonly id?: string;
}

export interface SubmitOptions {
  /** Fault: fill at most this many size units in total (the rest is treated by time in force). */
  readonly maxFillUnits?: number;
  /** Fault: refuse the order with this reason before anything else. */
  readonly reject?: EngineReason;
}

export interface Order {
  readonly id: string;
  readonly clientId: string | undefined;
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly kind: OrderKind;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** Size after any reduce-only trim. */
  sizeUnits: number;
  readonly requestedSizeUnits: number;
  readonly priceUnits: number | undefined;
  readonly expiresAt: number | undefined;
  filledUnits: number;
  /** Sum of price x size over fills (quote currency). */
  filledNotional: Money;
  fees: Money;
  status: OrderStatus;
  reason: EngineReason | undefined;
  readonly createdAt: number;
  updatedAt: number;
  /** Engine-wide sequence of the order's last change. */
  seq: number;
}

export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly clientId: string | undefined;
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly priceUnits: number;
  readonly sizeUnits: number;
  readonly price: Money;
  readonly size: Money;
  /** Positive = paid. */
  readonly fee: Money;
  readonly liquidity: 'maker' | 'taker';
  /** PnL this fill realized on the position it reduced. */
  readonly realizedPnl: Money;
  readonly createdAt: number;
}

export interface Position {
  readonly symbol: string;
  /** Signed: > 0 long, < 0 short, in size units. */
  sizeUnits: number;
  /** Average entry price of the open size; zero when flat. */
  entryPrice: Money;
  realizedPnl: Money;
  /** Funding received (> 0) or paid (< 0) over the position's life. */
  funding: Money;
  updatedAt: number;
}

export interface Account {
  readonly id: string;
  /** Deposits + realized PnL - fees + funding. */
  collateral: Money;
  readonly positions: Map<string, Position>;
  readonly orders: Map<string, Order>;
  readonly fills: Fill[];
}

export interface FundingPayment {
  readonly account: string;
  readonly symbol: string;
  readonly rate: Money;
  readonly markPrice: Money;
  /** Received (> 0) or paid (< 0). */
  readonly amount: Money;
  readonly createdAt: number;
}

export type EngineEvent =
  | { readonly type: 'order'; readonly order: Order }
  | { readonly type: 'fill'; readonly fill: Fill }
  | { readonly type: 'position'; readonly account: string; readonly position: Position }
  | { readonly type: 'funding'; readonly payment: FundingPayment }
  | { readonly type: 'account'; readonly account: Account };

export interface MatchingEngineOptions {
  readonly venue: string;
  readonly markets: readonly VenueMarket[];
  readonly clock: Clock;
  /** Fee rates as decimal strings ("0.00045"). */
  readonly makerFee: string;
  readonly takerFee: string;
  /** Default initial margin ratio per market ("0.1" = 10x). */
  readonly initialMarginRatio?: string;
  /** A reduce-only order larger than the position: trim it to the position, or reject it. */
  readonly reduceOnlyExceeds: 'trim' | 'reject';
}

export interface PositionView {
  readonly symbol: string;
  /** Signed size in base units. */
  readonly size: Money;
  readonly sizeUnits: number;
  readonly entryPrice: Money;
  readonly markPrice: Money;
  readonly unrealizedPnl: Money;
  readonly realizedPnl: Money;
  readonly funding: Money;
}

export class EngineError extends Error {
  constructor(
    readonly reason: EngineReason | 'ORDER_NOT_FOUND' | 'ORDER_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

const opposite = (side: Side): BookSide => (side === 'buy' ? 'ask' : 'bid');

export class MatchingEngine {
  private readonly markets: Map<string, VenueMarket>;
  private readonly accounts = new Map<string, Account>();
  private readonly marginRatios = new Map<string, Money>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private makerFee: Money;
  private takerFee: Money;
  private orderSeq = 0;
  private fillSeq = 0;
  private changeSeq = 0;

  constructor(private readonly options: MatchingEngineOptions) {
    this.markets = new Map(options.markets.map((m) => [m.instrument.symbol, m]));
    this.makerFee = new Money(options.makerFee);
    this.takerFee = new Money(options.takerFee);
    const imr = new Money(options.initialMarginRatio ?? '0.1');
    for (const symbol of this.markets.keys()) this.marginRatios.set(symbol, imr);
  }

  get venue(): string {
    return this.options.venue;
  }

  get symbols(): string[] {
    return [...this.markets.keys()];
  }

  market(symbol: string): VenueMarket | undefined {
    return this.markets.get(symbol);
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // --- accounts and settings (also the test-control surface) -----------------------------

  openAccount(id: string, collateral: string | Money = '0'): Account {
    let account = this.accounts.get(id);
    if (!account) {
      account = { id, collateral: ZERO, positions: new Map(), orders: new Map(), fills: [] };
      this.accounts.set(id, account);
    }
    if (!new Money(collateral).isZero()) this.fund(id, collateral);
    return account;
  }

  account(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  /** Add (or with a negative amount remove) collateral, creating the account if needed. */
  fund(id: string, amount: string | Money): Account {
    const account = this.openAccount(id);
    account.collateral = account.collateral.add(new Money(amount));
    this.emit({ type: 'account', account });
    return account;
  }

  setMarginRatio(symbol: string, ratio: string): void {
    if (!this.markets.has(symbol)) throw new EngineError('UNKNOWN_MARKET', `${this.venue}: unknown market ${symbol}`);
    const r = new Money(ratio);
    if (r.lte(0) || r.gt(1)) throw new RangeError(`${this.venue}: margin ratio must be in (0, 1], got ${ratio}`);
    this.marginRatios.set(symbol, r);
  }

  marginRatio(symbol: string): Money {
    return this.marginRatios.get(symbol) ?? new Money('0.1');
  }

  setFees(maker: string, taker: string): void {
    this.makerFee = new Money(maker);
    this.takerFee = new Money(taker);
  }

  fees(): { maker: Money; taker: Money } {
    return { maker: this.makerFee, taker: this.takerFee };
  }

  /** The position as a venue would report it, marked to the book mid. */
  position(accountId: string, symbol: string): PositionView {
    const market = this.requireMarket(symbol);
    const p = this.accounts.get(accountId)?.positions.get(symbol);
    const i = market.instrument;
    const sizeUnits = p?.sizeUnits ?? 0;
    const size = unitsToMoney(sizeUnits, i.sizeDecimals);
    const entryPrice = p?.entryPrice ?? ZERO;
    const markPrice = this.markPrice(symbol);
    return {
      symbol,
      size,
      sizeUnits,
      entryPrice,
      markPrice,
      unrealizedPnl: sizeUnits === 0 ? ZERO : markPrice.sub(entryPrice).mul(size),
      realizedPnl: p?.realizedPnl ?? ZERO,
      funding: p?.funding ?? ZERO,
    };
  }

  positions(accountId: string): PositionView[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    return [...account.positions.values()].map((p) => this.position(accountId, p.symbol));
  }

  /** Collateral plus unrealized PnL at the book mids. */
  equity(accountId: string): Money {
    const account = this.accounts.get(accountId);
    if (!account) return ZERO;
    return this.positions(accountId).reduce((sum, p) => sum.add(p.unrealizedPnl), account.collateral);
  }

  /** Initial margin the account's positions and resting orders need now. */
  initialMargin(accountId: string): Money {
    const account = this.accounts.get(accountId);
    if (!account) return ZERO;
    let total = ZERO;
    for (const p of account.positions.values()) {
      const view = this.position(accountId, p.symbol);
      total = total.add(view.size.abs().mul(view.markPrice).mul(this.marginRatio(p.symbol)));
    }
    for (const o of account.orders.values()) {
      if (o.status !== 'open') continue;
      const i = this.requireMarket(o.symbol).instrument;
      const remaining = unitsToMoney(o.sizeUnits - o.filledUnits, i.sizeDecimals);
      total = total.add(remaining.mul(unitsToMoney(o.priceUnits ?? 0, i.priceDecimals)).mul(this.marginRatio(o.symbol)));
    }
    return total;
  }

  /** Book mid (or the one side there is), as the mark price. */
  markPrice(symbol: string): Money {
    const market = this.requireMarket(symbol);
    const i = market.instrument;
    const bid = market.book.best('bid');
    const ask = market.book.best('ask');
    if (bid && ask) return unitsToMoney(bid.price + ask.price, i.priceDecimals).div(2);
    const one = bid ?? ask;
    return one ? unitsToMoney(one.price, i.priceDecimals) : ZERO;
  }

  order(accountId: string, orderId: string): Order | undefined {
    return this.accounts.get(accountId)?.orders.get(orderId);
  }

  orderByClientId(accountId: string, clientId: string): Order | undefined {
    const account = this.accounts.get(accountId);
    if (!account) return undefined;
    // The newest order with that client id: venues refuse duplicates among open orders only.
    return [...account.orders.values()].reverse().find((o) => o.clientId === clientId);
  }

  orders(accountId: string): Order[] {
    return [...(this.accounts.get(accountId)?.orders.values() ?? [])];
  }

  openOrders(accountId: string, symbol?: string): Order[] {
    return this.orders(accountId).filter((o) => o.status === 'open' && (!symbol || o.symbol === symbol));
  }

  fills(accountId: string, symbol?: string): Fill[] {
    return (this.accounts.get(accountId)?.fills ?? []).filter((f) => !symbol || f.symbol === symbol);
  }

  // --- orders ----------------------------------------------------------------------------

  /**
   * Validate, risk-check and match one order. Always returns the order record: a refused
   * order comes back with status "rejected" and a reason, so venues that acknowledge first
   * and reject later (Paradex, Vest) and venues that refuse up front can both be modelled.
   */
  submit(request: OrderRequest, options: SubmitOptions = {}): Order {
    const now = this.options.clock.now();
    const order: Order = {
      id: request.id ?? String(++this.orderSeq),
      clientId: request.clientId,
      account: request.account,
      symbol: request.symbol,
      side: request.side,
      kind: request.kind,
      timeInForce: request.kind === 'market' && request.timeInForce !== 'FOK' ? 'IOC' : request.timeInForce,
      postOnly: request.postOnly ?? false,
      reduceOnly: request.reduceOnly ?? false,
      sizeUnits: request.sizeUnits,
      requestedSizeUnits: request.sizeUnits,
      priceUnits: request.priceUnits,
      expiresAt: request.expiresAt,
      filledUnits: 0,
      filledNotional: ZERO,
      fees: ZERO,
      status: 'open',
      reason: undefined,
      createdAt: now,
      updatedAt: now,
      seq: 0,
    };
    const account = this.accounts.get(request.account);
    const market = this.markets.get(request.symbol);
    if (account) account.orders.set(order.id, order);

    const refusal = options.reject ?? this.precheck(order, account, market);
    if (refusal) return this.close(order, 'rejected', refusal);
    const m = market as VenueMarket;

    if (order.reduceOnly) {
      const pos = account?.positions.get(order.symbol)?.sizeUnits ?? 0;
      const reduces = (order.side === 'buy' && pos < 0) || (order.side === 'sell' && pos > 0);
      if (!reduces) return this.close(order, 'rejected', 'REDUCE_ONLY_INCREASES');
      if (order.sizeUnits > Math.abs(pos)) {
        if (this.options.reduceOnlyExceeds === 'reject') return this.close(order, 'rejected', 'REDUCE_ONLY_EXCEEDS');
        order.sizeUnits = Math.abs(pos);
      }
    }

    if (order.postOnly && order.priceUnits !== undefined) {
      const best = m.book.best(opposite(order.side));
      if (best && this.crosses(order.side, order.priceUnits, best.price)) return this.close(order, 'rejected', 'POST_ONLY_WOULD_CROSS');
    }

    if (!this.marginAllows(account as Account, order, m)) return this.close(order, 'rejected', 'INSUFFICIENT_MARGIN');

    if (order.timeInForce === 'FOK' && this.available(m, order) < Math.min(order.sizeUnits, options.maxFillUnits ?? Infinity)) {
      return this.close(order, 'cancelled', 'NO_LIQUIDITY');
    }

    this.touch(order);
    this.emit({ type: 'order', order });
    if (!order.postOnly) this.takeLiquidity(order, m, options.maxFillUnits);

    const remaining = order.sizeUnits - order.filledUnits;
    if (remaining === 0) return this.close(order, 'filled', undefined);
    const capped = options.maxFillUnits !== undefined && order.filledUnits >= options.maxFillUnits;
    if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') return this.close(order, 'cancelled', order.filledUnits === 0 && !capped ? 'NO_LIQUIDITY' : 'IOC_REMAINDER');
    return order; // rests
  }

  cancel(accountId: string, orderId: string): Order {
    const order = this.order(accountId, orderId);
    if (!order) throw new EngineError('ORDER_NOT_FOUND', `${this.venue}: no order ${orderId} for account ${accountId}`);
    if (order.status !== 'open') throw new EngineError('ORDER_CLOSED', `${this.venue}: order ${orderId} is ${order.status}`);
    return this.close(order, 'cancelled', 'USER_CANCELED');
  }

  cancelAll(accountId: string, symbol?: string): Order[] {
    return this.openOrders(accountId, symbol).map((o) => this.close(o, 'cancelled', 'USER_CANCELED'));
  }

  /**
   * After a market step: resting orders the new book crosses fill as maker at their own
   * price (consuming the crossing depth); GTT orders past their expiry close.
   */
  afterStep(): void {
    const now = this.options.clock.now();
    const resting = [...this.accounts.values()].flatMap((a) => [...a.orders.values()]).filter((o) => o.status === 'open');
    resting.sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
    for (const order of resting) {
      if (order.expiresAt !== undefined && order.expiresAt <= now) {
        this.close(order, 'cancelled', 'EXPIRED');
        continue;
      }
      const market = this.markets.get(order.symbol);
      if (!market || order.priceUnits === undefined) continue;
      this.restingFill(order, market);
    }
  }

  /**
   * Pay funding on every open position of one market: longs pay `rate x size x mark` when the
   * rate is positive, shorts receive it (and the reverse for a negative rate).
   */
  applyFunding(symbol: string, rate: string | Money, markPrice?: string | Money): FundingPayment[] {
    this.requireMarket(symbol);
    const r = new Money(rate);
    const mark = markPrice === undefined ? this.markPrice(symbol) : new Money(markPrice);
    const now = this.options.clock.now();
    const payments: FundingPayment[] = [];
    for (const account of this.accounts.values()) {
      const p = account.positions.get(symbol);
      if (!p || p.sizeUnits === 0) continue;
      const size = unitsToMoney(p.sizeUnits, this.requireMarket(symbol).instrument.sizeDecimals);
      const amount = size.mul(mark).mul(r).neg();
      account.collateral = account.collateral.add(amount);
      p.funding = p.funding.add(amount);
      p.updatedAt = now;
      const payment: FundingPayment = { account: account.id, symbol, rate: r, markPrice: mark, amount, createdAt: now };
      payments.push(payment);
      this.emit({ type: 'funding', payment });
      this.emit({ type: 'position', account: account.id, position: p });
      this.emit({ type: 'account', account });
    }
    return payments;
  }

  // --- internals ---------------------------------------------------------------------------

  private precheck(order: Order, account: Account | undefined, market: VenueMarket | undefined): EngineReason | undefined {
    if (!account) return 'UNKNOWN_ACCOUNT';
    if (!market) return 'UNKNOWN_MARKET';
    const i = market.instrument;
    if (!Number.isSafeInteger(order.sizeUnits) || order.sizeUnits <= 0 || order.sizeUnits % i.stepUnits !== 0) return 'INVALID_SIZE';
    if (order.kind === 'limit' && order.priceUnits === undefined) return 'INVALID_PRICE';
    if (order.priceUnits !== undefined) {
      if (!Number.isSafeInteger(order.priceUnits) || order.priceUnits <= 0 || order.priceUnits % i.tickUnits !== 0) return 'INVALID_PRICE';
    }
    return undefined;
  }

  /** Size the book offers within the order's price bound. */
  private available(market: VenueMarket, order: Order): number {
    let total = 0;
    for (const level of market.book.levels(opposite(order.side))) {
      if (order.priceUnits !== undefined && !this.crosses(order.side, order.priceUnits, level.price)) break;
      total += level.size;
    }
    return total;
  }

  private crosses(side: Side, limit: number, level: number): boolean {
    return side === 'buy' ? level <= limit : level >= limit;
  }

  /**
   * Would the account still meet initial margin if the order filled in full? Only orders that
   * grow the position are checked; a reducing order always passes (venues let you de-risk).
   */
  private marginAllows(account: Account, order: Order, market: VenueMarket): boolean {
    const i = market.instrument;
    const pos = account.positions.get(order.symbol)?.sizeUnits ?? 0;
    const signed = order.side === 'buy' ? order.sizeUnits : -order.sizeUnits;
    const grows = Math.abs(pos + signed) > Math.abs(pos);
    if (!grows) return true;
    const reference =
      order.priceUnits !== undefined
        ? unitsToMoney(order.priceUnits, i.priceDecimals)
        : (() => {
            const best = market.book.best(opposite(order.side));
            return best ? unitsToMoney(best.price, i.priceDecimals) : this.markPrice(order.symbol);
          })();
    const added = unitsToMoney(Math.abs(pos + signed) - Math.abs(pos), i.sizeDecimals).mul(reference).mul(this.marginRatio(order.symbol));
    return this.initialMargin(account.id).add(added).lte(this.equity(account.id));
  }

  private takeLiquidity(order: Order, market: VenueMarket, cap: number | undefined): void {
    const side = opposite(order.side);
    for (;;) {
      const remaining = Math.min(order.sizeUnits - order.filledUnits, cap === undefined ? Infinity : cap - order.filledUnits);
      if (remaining <= 0) return;
      const level = market.book.best(side);
      if (!level) return;
      if (order.priceUnits !== undefined && !this.crosses(order.side, order.priceUnits, level.price)) return;
      const qty = Math.min(remaining, level.size);
      this.consume(market, side, level.price, level.size - qty);
      this.fill(order, level.price, qty, 'taker');
    }
  }

  private restingFill(order: Order, market: VenueMarket): void {
    const side = opposite(order.side);
    const limit = order.priceUnits as number;
    for (;;) {
      const remaining = order.sizeUnits - order.filledUnits;
      if (remaining <= 0) break;
      const level = market.book.best(side);
      if (!level || !this.crosses(order.side, limit, level.price)) break;
      const qty = Math.min(remaining, level.size);
      this.consume(market, side, level.price, level.size - qty);
      this.fill(order, limit, qty, 'maker');
    }
    if (order.filledUnits === order.sizeUnits) this.close(order, 'filled', undefined);
  }

  private consume(market: VenueMarket, side: BookSide, price: number, left: number): void {
    const change: LevelChange = left === 0 ? { side, kind: 'delete', price, size: 0 } : { side, kind: 'update', price, size: left };
    market.apply([change]);
  }

  private fill(order: Order, priceUnits: number, sizeUnits: number, liquidity: 'maker' | 'taker'): void {
    const account = this.accounts.get(order.account) as Account;
    const i = this.requireMarket(order.symbol).instrument;
    const now = this.options.clock.now();
    const price = unitsToMoney(priceUnits, i.priceDecimals);
    const size = unitsToMoney(sizeUnits, i.sizeDecimals);
    const notional = price.mul(size);
    const fee = notional.mul(liquidity === 'maker' ? this.makerFee : this.takerFee);
    const realized = this.applyToPosition(account, order.symbol, order.side === 'buy' ? sizeUnits : -sizeUnits, price, i.sizeDecimals, now);
    account.collateral = account.collateral.add(realized).sub(fee);
    order.filledUnits += sizeUnits;
    order.filledNotional = order.filledNotional.add(notional);
    order.fees = order.fees.add(fee);
    this.touch(order);
    const fill: Fill = {
      id: String(++this.fillSeq),
      orderId: order.id,
      clientId: order.clientId,
      account: order.account,
      symbol: order.symbol,
      side: order.side,
      priceUnits,
      sizeUnits,
      price,
      size,
      fee,
      liquidity,
      realizedPnl: realized,
      createdAt: now,
    };
    account.fills.push(fill);
    this.emit({ type: 'fill', fill });
    this.emit({ type: 'order', order });
    this.emit({ type: 'position', account: account.id, position: account.positions.get(order.symbol) as Position });
    this.emit({ type: 'account', account });
  }

  /** Add a signed size at a price; returns the PnL realized by the part that reduced. */
  private applyToPosition(account: Account, symbol: string, signedUnits: number, price: Money, sizeDecimals: number, now: number): Money {
    let p = account.positions.get(symbol);
    if (!p) {
      p = { symbol, sizeUnits: 0, entryPrice: ZERO, realizedPnl: ZERO, funding: ZERO, updatedAt: now };
      account.positions.set(symbol, p);
    }
    const before = p.sizeUnits;
    const after = before + signedUnits;
    let realized = ZERO;
    if (before === 0 || Math.sign(before) === Math.sign(signedUnits)) {
      // Growing: the entry is the size-weighted average.
      const oldSize = unitsToMoney(Math.abs(before), sizeDecimals);
      const addSize = unitsToMoney(Math.abs(signedUnits), sizeDecimals);
      p.entryPrice = p.entryPrice.mul(oldSize).add(price.mul(addSize)).div(oldSize.add(addSize));
    } else {
      const closed = Math.min(Math.abs(signedUnits), Math.abs(before));
      const direction = before > 0 ? 1 : -1;
      realized = price.sub(p.entryPrice).mul(unitsToMoney(closed, sizeDecimals)).mul(direction);
      p.realizedPnl = p.realizedPnl.add(realized);
      if (after === 0) p.entryPrice = ZERO;
      else if (Math.sign(after) !== Math.sign(before)) p.entryPrice = price; // flipped: the rest opened here
    }
    p.sizeUnits = after;
    p.updatedAt = now;
    return realized;
  }

  private close(order: Order, status: OrderStatus, reason: EngineReason | undefined): Order {
    order.status = status;
    order.reason = reason;
    this.touch(order);
    this.emit({ type: 'order', order });
    return order;
  }

  private touch(order: Order): void {
    order.updatedAt = this.options.clock.now();
    order.seq = ++this.changeSeq;
  }

  private requireMarket(symbol: string): VenueMarket {
    const m = this.markets.get(symbol);
    if (!m) throw new EngineError('UNKNOWN_MARKET', `${this.venue}: unknown market ${symbol}`);
    return m;
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Average fill price of an order, or undefined before its first fill. */
export function averagePrice(order: Order, sizeDecimals: number): Money | undefined {
  if (order.filledUnits === 0) return undefined;
  return order.filledNotional.div(unitsToMoney(order.filledUnits, sizeDecimals));
}
