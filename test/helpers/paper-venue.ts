/**
 * An in-process venue that implements OrderGateway with real matching: it holds a book per
 * symbol, matches IOC (and market) orders against it level by level within the limit price,
 * rests GTC remainders, tracks signed positions, and enforces reduce-only. Every call crosses
 * an async boundary (a timer or setImmediate), like a socket would.
 *
 * Faults are scripted per send, in order: reject, stall (the order is matched but the ack never
 * comes; status can be made to hang too until released), lose the ack (matched, then a transport
 * error), drop (never reaches the venue), cap (fill at most this size, as if the book thinned).
 * Resting GTC orders sit on the book (for cancel tests) but are never matched against.
 */
import { Decimal } from 'decimal.js';
import {
  OrderNotFoundError,
  VenueRejectError,
  type Fill,
  type OrderGateway,
  type OrderLocator,
  type OrderReport,
  type OrderRequest,
  type OrderState,
  type Position,
  type SignedOrder,
} from '../../engine/exchange/orders.ts';

export interface PaperLevel {
  price: Decimal;
  size: Decimal;
}

export type SendFault =
  | { kind: 'reject'; code?: string }
  | { kind: 'stall' }
  | { kind: 'lose-ack' }
  | { kind: 'drop' }
  | { kind: 'cap'; size: string };

export interface PaperVenueOptions {
  /** Latency per call, ms; 0 means one setImmediate hop. */
  latencyMs?: number;
  /** Taker fee as a fraction of notional. */
  takerFee?: string;
  /** Shared across venues to check ordering: "venue:sign:clientId", "venue:send:clientId". */
  events?: string[];
}

interface PaperOrder {
  request: OrderRequest;
  state: OrderState;
  fills: Fill[];
}

export class PaperVenue implements OrderGateway {
  private readonly books = new Map<string, { bids: PaperLevel[]; asks: PaperLevel[] }>();
  private readonly orders = new Map<string, PaperOrder>();
  private readonly position = new Map<string, Decimal>();
  private readonly faults: SendFault[] = [];
  private statusGate: Promise<void> | undefined;
  private releaseStatusGate: (() => void) | undefined;
  private fillSeq = 0;
  readonly sent: OrderRequest[] = [];
  readonly signed: OrderRequest[] = [];
  readonly cancels: string[] = [];
  /** Wall time spent inside this venue's own logic, ms (to subtract in benches). */
  busyMs = 0;

  constructor(
    readonly venue: string,
    private readonly options: PaperVenueOptions = {},
  ) {}

  setBook(symbol: string, bids: [string, string][], asks: [string, string][]): void {
    const lv = (pairs: [string, string][]) => pairs.map(([p, s]) => ({ price: new Decimal(p), size: new Decimal(s) }));
    this.books.set(symbol, {
      bids: lv(bids).sort((a, b) => b.price.cmp(a.price)),
      asks: lv(asks).sort((a, b) => a.price.cmp(b.price)),
    });
  }

  book(symbol: string): { bids: PaperLevel[]; asks: PaperLevel[] } {
    return this.books.get(symbol) ?? { bids: [], asks: [] };
  }

  /** Queue faults for the next sends, in order. */
  script(...faults: SendFault[]): void {
    this.faults.push(...faults);
  }

  /** Make status/fills/positions hang until releaseStatus(). */
  holdStatus(): void {
    this.statusGate = new Promise((r) => (this.releaseStatusGate = r));
  }

  releaseStatus(): void {
    this.releaseStatusGate?.();
    this.statusGate = undefined;
  }

  positionOf(symbol: string): Decimal {
    return this.position.get(symbol) ?? new Decimal(0);
  }

  /** Seed a position the account already holds (for reconciliation tests). */
  setPosition(symbol: string, size: string): void {
    this.position.set(symbol, new Decimal(size));
  }

  async sign(request: OrderRequest): Promise<SignedOrder> {
    await this.hop();
    this.signed.push(request);
    this.options.events?.push(`${this.venue}:sign:${request.clientId}`);
    return { request, wire: { ...request, size: request.size.toString(), price: request.price?.toString() }, signedAt: Date.now() };
  }

  async send(order: SignedOrder): Promise<OrderState> {
    await this.hop();
    const fault = this.faults.shift();
    const req = order.request;
    this.options.events?.push(`${this.venue}:send:${req.clientId}`);
    if (fault?.kind === 'drop') throw new Error(`${this.venue}: connection reset`);
    if (fault?.kind === 'reject') throw new VenueRejectError(this.venue, fault.code ?? 'REJECTED', `order ${req.clientId} refused`);
    if (this.orders.has(req.clientId)) throw new VenueRejectError(this.venue, 'DUPLICATE_CLIENT_ID', `client id ${req.clientId} already used`);
    this.sent.push(req);
    const t0 = performance.now();
    const placed = this.match(req, fault?.kind === 'cap' ? new Decimal(fault.size) : undefined);
    this.busyMs += performance.now() - t0;
    if (fault?.kind === 'stall') return new Promise<OrderState>(() => undefined);
    if (fault?.kind === 'lose-ack') throw new Error(`${this.venue}: socket closed before the ack`);
    return { ...placed.state };
  }

  async cancel({ clientId }: OrderLocator): Promise<void> {
    await this.hop();
    const o = this.orders.get(clientId);
    if (!o) throw new OrderNotFoundError(this.venue, clientId);
    this.cancels.push(clientId);
    if (o.state.status === 'open' || o.state.status === 'partially_filled') {
      o.state.status = 'cancelled';
      this.unrest(o);
    }
  }

  /** Counts report() calls, so tests can see how hard a poller leans on the venue. */
  reports = 0;

  async report({ clientId }: OrderLocator): Promise<OrderReport> {
    this.reports += 1;
    await this.hop();
    if (this.statusGate) await this.statusGate;
    const o = this.orders.get(clientId);
    if (!o) throw new OrderNotFoundError(this.venue, clientId);
    return { state: { ...o.state }, fills: [...o.fills] };
  }

  async positions(): Promise<Position[]> {
    await this.hop();
    if (this.statusGate) await this.statusGate;
    return [...this.position].map(([symbol, size]) => ({ venue: this.venue, symbol, size }));
  }

  async openOrders(): Promise<OrderState[]> {
    await this.hop();
    return [...this.orders.values()].filter((o) => o.state.status === 'open' || o.state.status === 'partially_filled').map((o) => ({ ...o.state }));
  }

  private hop(): Promise<void> {
    const ms = this.options.latencyMs ?? 0;
    return new Promise((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));
  }

  private match(req: OrderRequest, cap?: Decimal): PaperOrder {
    const book = this.books.get(req.symbol) ?? { bids: [], asks: [] };
    const levels = req.side === 'buy' ? book.asks : book.bids;
    const pos = this.positionOf(req.symbol);
    let wanted = req.size;
    if (req.reduceOnly) {
      // Reduce-only may only shrink the position: cap at it, refuse if it would open one.
      const reducible = req.side === 'sell' ? Decimal.max(pos, 0) : Decimal.max(pos.neg(), 0);
      if (reducible.isZero()) return this.finish(req, 'rejected', [], 'reduce-only order would open a position');
      wanted = Decimal.min(wanted, reducible);
    }
    if (cap) wanted = Decimal.min(wanted, cap);
    const fills: Fill[] = [];
    let left = wanted;
    const fee = new Decimal(this.options.takerFee ?? '0');
    while (left.gt(0) && levels.length) {
      const top = levels[0]!;
      const crosses = req.type === 'market' || !req.price || (req.side === 'buy' ? top.price.lte(req.price) : top.price.gte(req.price));
      if (!crosses) break;
      const take = Decimal.min(left, top.size);
      fills.push({
        venue: this.venue,
        symbol: req.symbol,
        clientId: req.clientId,
        venueOrderId: `${this.venue}-${req.clientId}`,
        fillId: `${this.venue}-f${++this.fillSeq}`,
        side: req.side,
        price: top.price,
        size: take,
        fee: top.price.mul(take).mul(fee),
        liquidity: 'taker',
        time: Date.now(),
      });
      top.size = top.size.minus(take);
      if (top.size.isZero()) levels.shift();
      left = left.minus(take);
    }
    const filled = wanted.minus(left);
    this.position.set(req.symbol, req.side === 'buy' ? pos.plus(filled) : pos.minus(filled));
    if (req.timeInForce === 'GTC' && left.gt(0) && req.price) {
      const o = this.finish(req, filled.gt(0) ? 'partially_filled' : 'open', fills);
      const own = req.side === 'buy' ? book.bids : book.asks;
      own.push({ price: req.price, size: left });
      own.sort((a, b) => (req.side === 'buy' ? b.price.cmp(a.price) : a.price.cmp(b.price)));
      return o;
    }
    return this.finish(req, filled.eq(req.size) ? 'filled' : 'cancelled', fills);
  }

  private finish(req: OrderRequest, status: OrderState['status'], fills: Fill[], rejectReason?: string): PaperOrder {
    let filled = new Decimal(0);
    let notional = new Decimal(0);
    for (const f of fills) {
      filled = filled.plus(f.size);
      notional = notional.plus(f.price.mul(f.size));
    }
    const o: PaperOrder = {
      request: req,
      state: {
        clientId: req.clientId,
        symbol: req.symbol,
        venueOrderId: `${this.venue}-${req.clientId}`,
        status,
        filledSize: filled,
        averagePrice: filled.isZero() ? undefined : notional.div(filled),
        rejectReason,
      },
      fills,
    };
    this.orders.set(req.clientId, o);
    return o;
  }

  private unrest(o: PaperOrder): void {
    const book = this.books.get(o.request.symbol);
    if (!book || !o.request.price) return;
    const own = o.request.side === 'buy' ? book.bids : book.asks;
    const i = own.findIndex((l) => l.price.eq(o.request.price!));
    if (i >= 0) own.splice(i, 1);
  }

}
