/** strategy:funding-arb — delta-neutral funding-rate carry across venues. Options: `strategies.funding-arb`. */
import { definePlugin } from '../../../engine/core/plugin.ts';
import { TOKENS } from '../../../engine/core/tokens.ts';
import type { Journal } from '../../../engine/journal/journal.ts';
import type { MarketDataHub } from '../../../engine/market/hub.ts';
import { CarryJournal } from '../../../engine/portfolio/carry-journal.ts';
import { FundingTracker } from '../../../engine/portfolio/funding-tracker.ts';
import type { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PORTFOLIO_TOKENS } from '../../../engine/portfolio/tokens.ts';
import type { FeeSchedule } from '../../../engine/simulation/fee-schedule.ts';
import { parseFundingArbOptions } from './options.ts';
import { FundingArbStrategy } from './strategy.ts';

export default definePlugin({
  kind: 'strategy',
  name: 'funding-arb',
  description: 'Long where funding is cheap, short where it is rich; hold while the differential pays after costs',
  register(ctx) {
    const options = parseFundingArbOptions(ctx.options, ctx.optionsPath);
    const { container } = ctx;
    ctx.provideStrategy({
      name: 'funding-arb',
      create: (deps) => {
        // The hub, fees and journal are bound before strategies are created; the PairBook is
        // bound later by attachPortfolio(), so it is looked up on use.
        const hub = container.get<MarketDataHub>(TOKENS.MarketDataHub);
        const journal = container.get<Journal>(TOKENS.Journal);
        const funding = container.isBound(PORTFOLIO_TOKENS.FundingTracker)
          ? container.get<FundingTracker>(PORTFOLIO_TOKENS.FundingTracker)
          : new FundingTracker();
        const carryJournal = new CarryJournal(journal.db, () => journal.sessionId);
        const strategy = new FundingArbStrategy(
          {
            ...deps,
            funding,
            fees: container.get<FeeSchedule>(TOKENS.FeeSchedule),
            holds: (instrument) => container.isBound(PORTFOLIO_TOKENS.PairBook) && container.get<PairBook>(PORTFOLIO_TOKENS.PairBook).holds(instrument),
            recordCarry: (c) => carryJournal.record(c),
          },
          options,
        );
        hub.onFundingUpdate(funding.onFunding);
        funding.onRate((r) => strategy.onFundingRate(r));
        return strategy;
      },
    });
  },
});
