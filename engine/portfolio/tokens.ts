/** Container tokens for the portfolio's services, bound by attachPortfolio(). */
export const PORTFOLIO_TOKENS = {
  PairBook: Symbol.for('arb.portfolio.PairBook'),
  FundingTracker: Symbol.for('arb.portfolio.FundingTracker'),
  MarginGuard: Symbol.for('arb.portfolio.MarginGuard'),
} as const;
