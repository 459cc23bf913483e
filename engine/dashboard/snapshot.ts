/**
 * One snapshot of the engine for the page: venues and books, spreads against the threshold,
 * what was judged and traded, open pairs with their unrealized PnL, and the risk state. Plain
 * JSON; every money figure an exact decimal string (the browser formats it). Nothing from the
 * config, the credentials or the gateways goes in: only the fields listed here.
 */
import { Decimal } from 'decimal.js';
import type { LiveTrading } from '../execution/live-trading.ts';
import type { MarketDataHub } from '../market/hub.ts';
import type { InstrumentMap } from '../market/instruments.ts';
import { exitQuote } from '../portfolio/book-prices.ts';
import type { Portfolio } from '../portfolio/attach.ts';
import { imrOf, requiredMargin } from '../portfolio/margin.ts';
import { openSize, pricePnl, type PairPosition } from '../portfolio/pair-position.ts';
import type { VenueReachability } from '../risk/venue-reachability.ts';
import type { Activity, ActivityTotals, ClosedPairRow, JudgmentRow, TradeRow, VerdictRow } from './activity.ts';
import { directionSpreads, type DirectionSpread } from './spreads.ts';
import type { VenueGaps } from './venue-gaps.ts';

export interface DashboardSources {
  mode: 'live' | 'dry-run';
  startedAt: number;
  hub: MarketDataHub;
  instruments: InstrumentMap;
  venues: VenueReachability;
  venueIds: readonly string[];
  live?: LiveTrading;
  portfolio: Portfolio;
  activity: Activity;
  gaps: VenueGaps;
  /** strategies.cross-exchange.thresholdPct, when that strategy runs. */
  thresholdPct?: string;
  /** Size the spreads are walked for, USD at the buy top. */
  notionalUsd: Decimal;
  dailyLossLimitUsd: string;
}

export interface BookRow {
  symbol: string;
  /** The engine-wide name (Lighter's symbols are market ids). */
  instrument?: string;
  ageMs: number;
  tradable: boolean;
  stale?: string;
}

export interface VenueRow {
  venue: string;
  up: boolean;
  down?: string;
  gaps: number;
  booksLive: number;
  books: BookRow[];
}

export interface PairRow {
  id: string;
  instrument: string;
  state: string;
  longVenue: string;
  shortVenue: string;
  size: string;
  entrySpreadPct: string;
  fundingUsd: string;
  entryFeesUsd: string;
  /** Both legs closed into the books now (depth walked), less entry fees, plus funding; before exit fees. */
  unrealizedUsd?: string;
  openedAt: number;
  ageMs: number;
}

export interface MarginRow {
  venue: string;
  collateralUsd: string;
  requiredUsd: string;
  usePct: string;
}

export interface RiskState {
  killSwitch: { armed: boolean; tripped?: string };
  halted?: string;
  accepting: boolean;
  benched: Array<{ venue: string; reason: string }>;
  notTradable: Array<{ venue: string; reason: string }>;
  margin: MarginRow[];
  realizedTodayUsd?: string;
  dailyLossLimitUsd: string;
}

export interface DashboardSnapshot {
  seq: number;
  at: number;
  mode: 'live' | 'dry-run';
  startedAt: number;
  feed: { booksLive: number; booksTotal: number; updates: number; gaps: number };
  venues: VenueRow[];
  thresholdPct?: string;
  spreads: DirectionSpread[];
  totals: ActivityTotals;
  judgments: JudgmentRow[];
  verdicts: VerdictRow[];
  trades: TradeRow[];
  closedPairs: ClosedPairRow[];
  pairs: PairRow[];
  /** Sum of the open pairs' unrealized PnL (those with a quote), USD. */
  unrealizedUsd: string;
  risk: RiskState;
}

export function unrealizedPnl(s: Pick<DashboardSources, 'hub'>, pair: PairPosition, now: number): Decimal | undefined {
  const q = exitQuote(s.hub, pair, now);
  if (!q) return undefined;
  const p = pricePnl({ size: openSize(pair), long: pair.long, short: pair.short }, q.longExit, q.shortExit);
  return p.long.plus(p.short).minus(pair.entryFees).plus(pair.funding);
}

function venueRows(s: DashboardSources, now: number): VenueRow[] {
  const books = [...s.hub.allBooks()];
  return s.venueIds.map((venue) => {
    const mine = books.filter((b) => b.market.venue === venue);
    const rows: BookRow[] = mine.map((b) => ({
      symbol: b.market.symbol,
      ...(s.instruments.instrumentOf(venue, b.market.symbol) ? { instrument: s.instruments.instrumentOf(venue, b.market.symbol) } : {}),
      ageMs: b.receivedAt > 0 ? now - b.receivedAt : -1,
      tradable: s.hub.isTradable(b, now),
      ...(b.stale ? { stale: b.staleReason ?? 'no snapshot yet' } : {}),
    }));
    const down = s.venues.downReason(venue);
    return { venue, up: s.venues.isUp(venue), ...(down ? { down } : {}), gaps: s.gaps.of(venue), booksLive: rows.filter((r) => r.tradable).length, books: rows };
  });
}

function riskState(s: DashboardSources, now: number): RiskState {
  const live = s.live;
  const limits = s.portfolio.settings.margin;
  const margin = [...s.portfolio.margin.current().values()].map((a) => {
    const required = requiredMargin(a, imrOf(limits, a.venue));
    return {
      venue: a.venue,
      collateralUsd: a.collateral.toFixed(),
      requiredUsd: required.toFixed(),
      usePct: a.collateral.gt(0) ? required.div(a.collateral).mul(100).toSignificantDigits(6).toFixed() : required.isZero() ? '0' : 'Infinity',
    };
  });
  const benched = live ? s.venueIds.flatMap((v) => { const r = live.health.benchedFor(v); return r ? [{ venue: v, reason: r }] : []; }) : [];
  const notTradable = live ? s.venueIds.flatMap((v) => { const r = live.venueNotTradable(v); return r ? [{ venue: v, reason: r }] : []; }) : [];
  return {
    killSwitch: { armed: Boolean(live), ...(live?.killSwitch.tripped ? { tripped: live.killSwitch.tripped } : {}) },
    ...(live?.gate.halted ? { halted: live.gate.halted } : {}),
    accepting: live ? live.executor.isAccepting : false,
    benched,
    notTradable,
    margin,
    ...(live ? { realizedTodayUsd: live.exposure.realizedToday(now).toFixed() } : {}),
    dailyLossLimitUsd: s.dailyLossLimitUsd,
  };
}

export function buildSnapshot(s: DashboardSources, seq: number, now: number): DashboardSnapshot {
  const c = s.hub.counters;
  const venues = venueRows(s, now);
  let unrealized = new Decimal(0);
  const pairs: PairRow[] = s.portfolio.pairs.unclosed().map((p) => {
    const u = unrealizedPnl(s, p, now);
    if (u) unrealized = unrealized.plus(u);
    return {
      id: p.id,
      instrument: p.instrument,
      state: p.state,
      longVenue: p.long.venue,
      shortVenue: p.short.venue,
      size: openSize(p).toFixed(),
      entrySpreadPct: p.entrySpread.mul(100).toSignificantDigits(8).toFixed(),
      fundingUsd: p.funding.toFixed(),
      entryFeesUsd: p.entryFees.toFixed(),
      ...(u ? { unrealizedUsd: u.toFixed() } : {}),
      openedAt: p.openedAt,
      ageMs: now - p.openedAt,
    };
  });
  return {
    seq,
    at: now,
    mode: s.mode,
    startedAt: s.startedAt,
    feed: {
      booksLive: venues.reduce((n, v) => n + v.booksLive, 0),
      booksTotal: venues.reduce((n, v) => n + v.books.length, 0),
      updates: c.snapshots + c.deltas,
      gaps: c.gaps,
    },
    venues,
    ...(s.thresholdPct !== undefined ? { thresholdPct: s.thresholdPct } : {}),
    spreads: directionSpreads(s.hub, s.instruments, s.notionalUsd, now),
    totals: s.activity.totals(),
    judgments: s.activity.judgments,
    verdicts: s.activity.verdicts,
    trades: s.activity.trades,
    closedPairs: s.activity.closedPairs,
    pairs,
    unrealizedUsd: unrealized.toFixed(),
    risk: riskState(s, now),
  };
}
