/**
 * Funding payments on a venue's schedule. The rate of each settlement is, in order of
 * preference: the next scripted rate for the market (tests script a path), else the rate the
 * venue's public feed publishes now (the synthetic premium, funding.ts), so the private side
 * pays what the public side shows unless told otherwise.
 *
 * Periods: Paradex funding_period_hours 8 (its /markets), Vest and Lighter hourly. Settlement
 * runs on a timer only when started (`start`), or on demand (`settle`), since tests cannot wait
 * an hour.
 */
import { FUNDING_DECIMALS, fundingRateUnits } from '../funding.ts';
import type { MarketModel } from '../market-model.ts';
import type { MatchingEngine, FundingPayment } from './engine.ts';
import { Money, unitsToMoney } from './money.ts';

export interface FundingScheduleOptions {
  readonly engine: MatchingEngine;
  readonly model: MarketModel;
  /** The venue's funding period in hours (what its public data says). */
  readonly periodHours: number;
}

export class FundingSchedule {
  private readonly scripted = new Map<string, Money[]>();
  private timer: NodeJS.Timeout | undefined;
  readonly history: FundingPayment[] = [];

  constructor(private readonly options: FundingScheduleOptions) {}

  get periodMs(): number {
    return this.options.periodHours * 3_600_000;
  }

  /** Rates (per period, decimal strings) the next settlements of `symbol` use, in order. */
  script(symbol: string, rates: readonly string[]): void {
    this.scripted.set(symbol, [...(this.scripted.get(symbol) ?? []), ...rates.map((r) => new Money(r))]);
  }

  /** The rate the next settlement of `symbol` would use. */
  nextRate(symbol: string): Money {
    const queued = this.scripted.get(symbol)?.[0];
    if (queued) return queued;
    const market = this.options.engine.market(symbol);
    if (!market) throw new Error(`funding: unknown market ${symbol}`);
    const i = market.instrument;
    const premium = this.options.model.fundingPremiumPpm(i.venue, i.base);
    return unitsToMoney(fundingRateUnits(premium, this.options.periodHours), FUNDING_DECIMALS);
  }

  /** Settle one period now, for one market or all; returns the payments made. */
  settle(symbol?: string): FundingPayment[] {
    const symbols = symbol ? [symbol] : this.options.engine.symbols;
    const payments: FundingPayment[] = [];
    for (const s of symbols) {
      const rate = this.nextRate(s);
      this.scripted.get(s)?.shift();
      payments.push(...this.options.engine.applyFunding(s, rate));
    }
    this.history.push(...payments);
    return payments;
  }

  /** Settle every `periodMs` (default the venue's period) until stopped. */
  start(periodMs = this.periodMs): void {
    this.stop();
    this.timer = setInterval(() => this.settle(), periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
