/** Container tokens for the core's services. Plugins may resolve these from ctx.container. */
export const TOKENS = {
  Config: Symbol.for('arb.Config'),
  Logger: Symbol.for('arb.Logger'),
  Clock: Symbol.for('arb.Clock'),
  Secrets: Symbol.for('arb.Secrets'),
  Instruments: Symbol.for('arb.Instruments'),
  MarketDataHub: Symbol.for('arb.MarketDataHub'),
  FeeSchedule: Symbol.for('arb.FeeSchedule'),
  ExecutionSimulator: Symbol.for('arb.ExecutionSimulator'),
  Journal: Symbol.for('arb.Journal'),
  Plugins: Symbol.for('arb.Plugins'),
} as const;
