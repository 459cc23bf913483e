/**
 * Prices an arbitrage intent as if both legs were sent now as taker (IOC) orders:
 * gross edge at top of book, minus taker fees on each leg's expected notional, minus the
 * slippage of walking each book for the size, minus gas per chain; plus desync risk.
 * Dry-run stops here; live mode passes accepted judgments on to the risk gate.
 */
import { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';
import type { ArbIntent } from '../strategy/intent.ts';
import { assessDesync, type DesyncAssessment, type DesyncThresholds } from './desync.ts';
import type { FeeSchedule } from './fee-schedule.ts';

export type Decision = 'accept' | 'reject-unprofitable' | 'skip-high-risk';

export interface CostBreakdown {
  trading: Decimal;
  gas: Decimal;
  slippage: Decimal;
  /**
   * The later close of the pair, when priced (SimulatorSettings.includeCloseCosts): taker fees on
   * both legs at the entry prices (a converged close trades near them) plus each venue's gas again.
   */
  close: Decimal;
  total: Decimal;
  /** Costs the fee model says it leaves out, per venue traded (FeeRates.unmodelled); empty when none. */
  unmodelled?: string[];
}

export interface Judgment {
  intent: ArbIntent;
  /** Notional of the buy leg at top of book. */
  notional: Decimal;
  gross: Decimal;
  costs: CostBreakdown;
  net: Decimal;
  profitable: boolean;
  desync: DesyncAssessment;
  decision: Decision;
  /** Medium desync risk: traded (in live) but flagged. */
  flagged: boolean;
  judgedAt: number;
}

export interface SimulatorSettings {
  /** USD per order, by chain name. */
  gasUsd: Record<string, Decimal>;
  desync: DesyncThresholds;
  minNetProfitUsd: Decimal;
  /** Add the close's fees and gas to the costs (a spread trade's profit exists only once closed). Default off. */
  includeCloseCosts?: boolean;
  /**
   * Per venue, how long a taker order waits before it reaches the book (speed bump), ms: the
   * book it trades against is that much older than it looks now. Absent venues add nothing.
   */
  takerDelayMs?: Readonly<Record<string, number>>;
}

export class UnknownGasChainError extends Error {
  constructor(chain: string, venue: VenueId) {
    super(`no gas cost configured for chain "${chain}" (venue ${venue}): set simulation.gasUsd.${chain}`);
    this.name = 'UnknownGasChainError';
  }
}

export class ExecutionSimulator {
  constructor(
    private readonly fees: FeeSchedule,
    private readonly chainOf: (venue: VenueId) => string,
    private readonly settings: SimulatorSettings,
  ) {}

  judge(intent: ArbIntent, now: number): Judgment {
    const { buy, sell, size } = intent;
    const notional = buy.topPrice.mul(size);
    const gross = sell.topPrice.minus(buy.topPrice).mul(size);

    const buyRates = this.fees.rates(buy.venue, buy.symbol);
    const sellRates = this.fees.rates(sell.venue, sell.symbol);
    const trading = buy.expectedPrice.mul(size).mul(buyRates.taker).plus(sell.expectedPrice.mul(size).mul(sellRates.taker));
    const slippage = buy.expectedPrice.minus(buy.topPrice).plus(sell.topPrice.minus(sell.expectedPrice)).mul(size);
    const gas = this.gas(buy.venue).plus(this.gas(sell.venue));
    // Closing sells the long at about the entry buy price and buys the short back at about the entry sell price.
    const close = this.settings.includeCloseCosts ? trading.plus(gas) : new Decimal(0);
    const total = trading.plus(slippage).plus(gas).plus(close);
    const net = gross.minus(total);

    const desync = assessDesync(
      now,
      { receivedAt: buy.bookReceivedAt - this.takerDelay(buy.venue), venueTime: buy.bookVenueTime },
      { receivedAt: sell.bookReceivedAt - this.takerDelay(sell.venue), venueTime: sell.bookVenueTime },
      this.settings.desync,
    );
    const profitable = net.gt(this.settings.minNetProfitUsd);
    const decision: Decision = desync.level === 'High' ? 'skip-high-risk' : profitable ? 'accept' : 'reject-unprofitable';
    return {
      intent,
      notional,
      gross,
      costs: { trading, gas, slippage, close, total, unmodelled: [...new Set([buyRates.unmodelled, sellRates.unmodelled].filter((u): u is string => !!u))] },
      net,
      profitable,
      desync,
      decision,
      flagged: desync.level === 'Medium',
      judgedAt: now,
    };
  }

  private takerDelay(venue: VenueId): number {
    return this.settings.takerDelayMs?.[venue] ?? 0;
  }

  private gas(venue: VenueId): Decimal {
    const chain = this.chainOf(venue);
    const g = this.settings.gasUsd[chain];
    if (!g) throw new UnknownGasChainError(chain, venue);
    return g;
  }
}
