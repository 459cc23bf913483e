/** A real hub, simulator, flow and journal around two venues, for the portfolio tests. */
import { Decimal } from 'decimal.js';
import { ManualClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { OpportunityFlow } from '../../../engine/core/opportunity-flow.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { MarketDataHub } from '../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../engine/market/instruments.ts';
import type { FundingEvent } from '../../../engine/market/types.ts';
import type { ExitPolicy } from '../../../engine/portfolio/exit-policy.ts';
import { FundingTracker } from '../../../engine/portfolio/funding-tracker.ts';
import { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import { PairLifecycle } from '../../../engine/portfolio/pair-lifecycle.ts';
import { ExecutionSimulator } from '../../../engine/simulation/execution-simulator.ts';
import { FeeSchedule } from '../../../engine/simulation/fee-schedule.ts';
import { market } from '../../helpers/books.ts';

export const HOUR = 3_600_000;
/** Half past hour 1000 since the epoch: the first hourly boundary is 30 minutes away. */
export const T0 = 1000 * HOUR + 30 * 60_000;
export const INSTRUMENT = 'BTC-USD-PERP';

export const P = market('paradex', 'BTC-USD-PERP', 1, 5, '0.00001');
export const V = market('vest', 'BTC-PERP', 2, 4, '0.0001');

export const TAKER = { paradex: new Decimal('0.0005'), vest: new Decimal('0.0004') } as Record<string, Decimal>;

export function fees(): FeeSchedule {
  return new FeeSchedule([{ name: 'test', rates: (venue) => (TAKER[venue] ? { maker: new Decimal(0), taker: TAKER[venue]! } : undefined) }]);
}

export function funding(venue: string, symbol: string, rate: string, intervalHours: number, at: number): FundingEvent {
  return { venue, symbol, rate, intervalHours, venueTime: at, receivedAt: at };
}

/** One "process": hub, flow, journal, PairBook and lifecycle. A restart is a second world over the same journal file. */
export function world(journalPath: string, policy: ExitPolicy, clock = new ManualClock(T0)) {
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  hub.addVenue('paradex', [P], () => {});
  hub.addVenue('vest', [V], () => {});
  const instruments = new InstrumentMap({ [INSTRUMENT]: { paradex: P.symbol, vest: V.symbol } });
  const feeSchedule = fees();
  const simulator = new ExecutionSimulator(feeSchedule, (v) => v, {
    gasUsd: { paradex: new Decimal(0), vest: new Decimal(0) },
    desync: { lowAgeMs: 1000, highAgeMs: 5000, lowGapMs: 500, highGapMs: 2000 },
    minNetProfitUsd: new Decimal(0),
  });
  const journal = new Journal({ path: journalPath, flushIntervalMs: 60_000 });
  journal.startSession(`s-${clock.now()}`, 'dry-run', '{}', clock.now());
  const flow = new OpportunityFlow(simulator, journal, clock, silentLogger);
  const tracker = new FundingTracker();
  hub.onFundingUpdate(tracker.onFunding);
  const pairs = new PairBook(new PairJournal(journal.db, () => journal.sessionId));
  const lifecycle = new PairLifecycle({
    pairs,
    books: hub,
    funding: tracker,
    fees: feeSchedule,
    fundingStyle: (venue) => (venue === 'paradex' ? 'continuous' : 'discrete'),
    policyFor: () => policy,
    clock,
    logger: silentLogger,
    // Paradex's continuous funding is journaled only at close here, so the hand computation
    // has one continuous payment per pair (the default journals it every minute).
    continuousAccrualMs: 24 * HOUR,
  });
  return { clock, hub, instruments, feeSchedule, journal, flow, tracker, pairs, lifecycle };
}
