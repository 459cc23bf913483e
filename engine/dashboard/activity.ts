/**
 * What happened, as the page lists it: the latest judgments, strategies' verdicts, live trades
 * and pair closes, each a plain row of strings (money exact, from decimal.js), kept to the last
 * few dozen; and running totals, so the page's counts match the console's.
 */
import { tradeKind, type TradeKind } from '../portfolio/trade-kind.ts';
import { Decimal } from 'decimal.js';
import type { TradeResult } from '../execution/trade-result.ts';
import type { PairPosition } from '../portfolio/pair-position.ts';
import type { Judgment } from '../simulation/execution-simulator.ts';
import type { StrategyVerdict } from '../strategy/verdicts.ts';

export const KEEP = 50;

export interface JudgmentRow {
  at: number;
  instrument: string;
  buyVenue: string;
  sellVenue: string;
  size: string;
  executableSpreadPct: string;
  netUsd: string;
  decision: string;
  desync: string;
}

export interface VerdictRow {
  strategy: string;
  kind: string;
  instrument: string;
  decision: string;
  summary: string;
  netUsd?: string;
}

export interface TradeRow {
  at: number;
  tradeId: string;
  instrument: string;
  buyVenue: string;
  sellVenue: string;
  state: string;
  /** What the trade left behind (engine/portfolio/trade-kind.ts): it decides what cashUsd means. */
  kind: TradeKind;
  /** The trade's fills' cash flow, USD: an entry for 'pair-open', the pair's for 'pair-close', realized for 'flat'. */
  cashUsd?: string;
  /** Set for trades that ended flat only: their cash flow is realized. */
  realizedPnl?: string;
  residual: string;
  note?: string;
}

export interface ClosedPairRow {
  at: number;
  id: string;
  instrument: string;
  reason?: string;
  realizedPnl?: string;
}

export interface ActivityTotals {
  judgments: number;
  accepted: number;
  verdicts: number;
  verdictsAccepted: number;
  trades: number;
  /** Sum of the realized PnL of trades that ended flat (unwound, stopped out), USD. */
  tradesRealizedUsd: string;
  pairsClosed: number;
  /** Sum of closed pairs' realized PnL this run, USD. */
  pairsRealizedUsd: string;
}

function push<T>(list: T[], row: T): void {
  list.unshift(row);
  if (list.length > KEEP) list.length = KEEP;
}

export class Activity {
  readonly judgments: JudgmentRow[] = [];
  readonly verdicts: VerdictRow[] = [];
  readonly trades: TradeRow[] = [];
  readonly closedPairs: ClosedPairRow[] = [];
  private counts = { judgments: 0, accepted: 0, verdicts: 0, verdictsAccepted: 0, trades: 0, pairsClosed: 0 };
  private tradesRealized = new Decimal(0);
  private pairsRealized = new Decimal(0);

  constructor(private readonly now: () => number) {}

  onJudgment = (j: Judgment): void => {
    this.counts.judgments++;
    if (j.decision === 'accept') this.counts.accepted++;
    push(this.judgments, {
      at: j.judgedAt,
      instrument: j.intent.instrument,
      buyVenue: j.intent.buy.venue,
      sellVenue: j.intent.sell.venue,
      size: j.intent.size.toFixed(),
      executableSpreadPct: j.intent.executableSpread.mul(100).toSignificantDigits(8).toFixed(),
      netUsd: j.net.toFixed(),
      decision: j.decision,
      desync: j.desync.level,
    });
  };

  onVerdict = (v: StrategyVerdict): void => {
    this.counts.verdicts++;
    if (v.decision === 'accept') this.counts.verdictsAccepted++;
    push(this.verdicts, {
      strategy: v.strategy,
      kind: v.kind,
      instrument: v.instrument,
      decision: v.decision,
      summary: v.summary,
      ...(v.netUsd ? { netUsd: v.netUsd.toFixed() } : {}),
    });
  };

  onTrade = (r: TradeResult, plan: { intent: { buy: { venue: string }; sell: { venue: string } } }): void => {
    this.counts.trades++;
    const kind = tradeKind(r);
    // Only a flat trade's cash is realized: a pair's entry and close are booked by the pair.
    if (kind === 'flat' && r.realizedPnl) this.tradesRealized = this.tradesRealized.plus(r.realizedPnl);
    push(this.trades, {
      at: this.now(),
      tradeId: r.tradeId,
      instrument: r.instrument,
      buyVenue: plan.intent.buy.venue,
      sellVenue: plan.intent.sell.venue,
      state: r.state,
      residual: r.residual.toFixed(),
      kind,
      ...(r.realizedPnl ? { cashUsd: r.realizedPnl.toFixed() } : {}),
      ...(kind === 'flat' && r.realizedPnl ? { realizedPnl: r.realizedPnl.toFixed() } : {}),
      ...(r.note ? { note: r.note } : {}),
    });
  };

  onPairClose = (p: PairPosition): void => {
    this.counts.pairsClosed++;
    if (p.exit) this.pairsRealized = this.pairsRealized.plus(p.exit.realizedPnl);
    push(this.closedPairs, {
      at: p.exit?.at ?? this.now(),
      id: p.id,
      instrument: p.instrument,
      ...(p.exit ? { reason: p.exit.reason, realizedPnl: p.exit.realizedPnl.toFixed() } : {}),
    });
  };

  totals(): ActivityTotals {
    return { ...this.counts, tradesRealizedUsd: this.tradesRealized.toFixed(), pairsRealizedUsd: this.pairsRealized.toFixed() };
  }
}
