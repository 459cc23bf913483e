/**
 * The market-data hub: one book per (venue, market), continuity checks, staleness, and the
 * fan-out to strategies. Connectors push normalized events in; strategies read books out.
 *
 * Continuity rule: a delta applies only when the book's last seq equals the delta's prevSeq.
 * On a gap the book goes stale and the connector is asked for a fresh snapshot; deltas that
 * arrive before it are dropped, so a gapped book is never traded on.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { OrderBook } from './book.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent, MarketDataSink, MarketInfo, VenueId } from './types.ts';

export interface BookReader {
  book(venue: VenueId, symbol: string): OrderBook | undefined;
  /** Live, uncrossed and younger than maxAgeMs. */
  isTradable(book: OrderBook, now: number): boolean;
}

export interface HubCounters {
  snapshots: number;
  deltas: number;
  gaps: number;
  crossed: number;
  droppedWhileStale: number;
  /** Book or funding listeners that threw (logged; the other listeners still ran). */
  listenerErrors: number;
}

export type BookListener = (venue: VenueId, symbol: string, book: OrderBook) => void;
export type FundingListener = (event: FundingEvent) => void;

export interface HubOptions {
  /** A book older than this is not traded on (ms). */
  maxBookAgeMs: number;
}

type Resync = (symbol: string) => void;

export class MarketDataHub implements MarketDataSink, BookReader {
  /** venue -> symbol -> book: two lookups on strings whose hashes are cached, no key string built per event. */
  private readonly byVenue = new Map<VenueId, Map<string, OrderBook>>();
  private readonly books: OrderBook[] = [];
  private readonly resyncers = new Map<VenueId, Resync>();
  private readonly listeners: BookListener[] = [];
  private readonly fundingListeners: FundingListener[] = [];
  readonly counters: HubCounters = { snapshots: 0, deltas: 0, gaps: 0, crossed: 0, droppedWhileStale: 0, listenerErrors: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: HubOptions,
  ) {}

  /** Declare the markets a venue will stream and how to ask it for a fresh snapshot. */
  addVenue(venue: VenueId, markets: MarketInfo[], resync: Resync): void {
    this.resyncers.set(venue, resync);
    let symbols = this.byVenue.get(venue);
    if (!symbols) this.byVenue.set(venue, (symbols = new Map()));
    for (const m of markets) {
      const existing = symbols.get(m.symbol);
      const book = new OrderBook(m);
      if (existing) this.books[this.books.indexOf(existing)] = book;
      else this.books.push(book);
      symbols.set(m.symbol, book);
    }
  }

  onBookUpdate(listener: BookListener): void {
    this.listeners.push(listener);
  }

  onFundingUpdate(listener: FundingListener): void {
    this.fundingListeners.push(listener);
  }

  book(venue: VenueId, symbol: string): OrderBook | undefined {
    return this.byVenue.get(venue)?.get(symbol);
  }

  allBooks(): IterableIterator<OrderBook> {
    return this.books.values();
  }

  isTradable(book: OrderBook, now: number): boolean {
    return !book.stale && now - book.receivedAt <= this.options.maxBookAgeMs;
  }

  onBook(e: BookEvent): void {
    const book = this.byVenue.get(e.venue)?.get(e.symbol);
    if (!book) return; // a market nobody asked for (e.g. a shared subscription): ignore
    if (e.type === 'snapshot') {
      book.applySnapshot(e);
      this.counters.snapshots++;
      book.stale = false;
      book.staleReason = undefined;
    } else {
      if (book.stale) {
        // Waiting for a snapshot after a gap or reconnect: a delta cannot repair the book.
        this.counters.droppedWhileStale++;
        return;
      }
      // A book whose snapshot carried no sequence accepts the first delta and adopts its seq.
      if (e.prevSeq !== undefined && book.seq !== undefined && book.seq !== e.prevSeq) {
        this.counters.gaps++;
        this.resync(book, `sequence gap: had ${book.seq}, delta follows ${e.prevSeq}`);
        return;
      }
      book.applyDelta(e);
      this.counters.deltas++;
    }
    if (book.isCrossed()) {
      this.counters.crossed++;
      this.resync(book, 'crossed book');
      return;
    }
    // One failing listener (a strategy, the portfolio) must not starve the others of this update.
    for (let i = 0; i < this.listeners.length; i++) {
      try {
        this.listeners[i]!(e.venue, e.symbol, book);
      } catch (err) {
        this.listenerFailed('book update', e.venue, e.symbol, err);
      }
    }
  }

  private listenerFailed(what: string, venue: string, symbol: string, err: unknown): void {
    this.counters.listenerErrors++;
    this.logger.error(`${what} listener failed`, { venue, symbol, error: err instanceof Error ? err.message : String(err) });
  }

  onStatus(e: FeedStatusEvent): void {
    if (e.state === 'live') return; // books turn live again with their next snapshot
    const reason = `${e.venue} feed ${e.state}${e.reason ? ': ' + e.reason : ''}`;
    for (const book of this.books) {
      if (book.market.venue !== e.venue) continue;
      if (e.symbols.length > 0 && !e.symbols.includes(book.market.symbol)) continue;
      book.markStale(reason);
    }
    if (e.state === 'resyncing') this.logger.warn('book resync requested by connector', { venue: e.venue, symbols: e.symbols, reason: e.reason });
  }

  onFunding(e: FundingEvent): void {
    for (const l of this.fundingListeners) {
      try {
        l(e);
      } catch (err) {
        this.listenerFailed('funding', e.venue, e.symbol, err);
      }
    }
  }

  private resync(book: OrderBook, reason: string): void {
    book.markStale(reason);
    const { venue, symbol } = book.market;
    this.logger.warn('book stale, resyncing', { venue, symbol, reason, at: this.clock.now() });
    this.resyncers.get(venue)?.(symbol);
  }
}
