/**
 * Bench: book deltas across 3 venues x 20 markets through the hub, the cross-exchange strategy,
 * the execution simulator and the journal queue, timing each delta from its arrival at the hub
 * to the strategy's decision returning.
 */
import { Decimal } from 'decimal.js';
import { ManualClock } from '../engine/core/clock.ts';
import { silentLogger } from '../engine/core/logger.ts';
import { OpportunityFlow } from '../engine/core/opportunity-flow.ts';
import { Journal } from '../engine/journal/journal.ts';
import { MarketDataHub } from '../engine/market/hub.ts';
import { InstrumentMap } from '../engine/market/instruments.ts';
import { DEFAULT_DESYNC } from '../engine/simulation/desync.ts';
import { ExecutionSimulator } from '../engine/simulation/execution-simulator.ts';
import { FeeSchedule } from '../engine/simulation/fee-schedule.ts';
import { CrossExchangeStrategy } from '../plugins/strategies/cross-exchange/strategy.ts';
import { parseCrossExchangeOptions } from '../plugins/strategies/cross-exchange/options.ts';
import { syntheticStream } from './synthetic-books.ts';
import { percentile } from './stats.ts';

export interface MarketPathResult {
  events: number;
  updatesPerSec: number;
  p50Us: number;
  p99Us: number;
  judged: number;
  /** Time to write one batch of queued journal rows (off the market-data path). */
  journalFlushP99Ms: number;
  journalRowsPerFlushMax: number;
}

export function benchMarketPath(deltas = 300_000): MarketPathResult {
  const stream = syntheticStream(3, 20, deltas, 42);
  const clock = new ManualClock(0);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  for (let v = 0; v < 3; v++) {
    const venue = `venue${v}`;
    hub.addVenue(venue, stream.markets.filter((m) => m.venue === venue), () => {});
  }
  const instruments = new InstrumentMap(stream.instruments);
  const fees = new FeeSchedule([{ name: 'flat', rates: () => ({ maker: new Decimal('0.0001'), taker: new Decimal('0.0004') }) }]);
  const simulator = new ExecutionSimulator(fees, (v) => v, {
    gasUsd: { venue0: new Decimal('0.05'), venue1: new Decimal('0.1'), venue2: new Decimal(0) },
    desync: DEFAULT_DESYNC,
    minNetProfitUsd: new Decimal(0),
  });
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 250 });
  journal.startSession('bench', 'dry-run', '{}', 0);
  const flow = new OpportunityFlow(simulator, journal, clock, silentLogger);
  let judged = 0;
  flow.onJudgment(() => judged++);
  const strategy = new CrossExchangeStrategy(
    { options: {}, optionsPath: 'bench', clock, logger: silentLogger, books: hub, instruments, submit: (i) => flow.submit(i) },
    parseCrossExchangeOptions({ cooldownMs: 1000 }, 'bench'),
  );
  hub.onBookUpdate((venue, symbol) => {
    const instrument = instruments.instrumentOf(venue, symbol);
    if (instrument !== undefined) strategy.onBookUpdate(venue, symbol, instrument);
  });

  const samples = new Float64Array(stream.events.length);
  const flushes: number[] = [];
  let maxBatch = 0;
  const flush = () => {
    const before = journal.written;
    const t0 = process.hrtime.bigint();
    journal.flush();
    flushes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    maxBatch = Math.max(maxBatch, journal.written - before);
  };
  const start = process.hrtime.bigint();
  for (let i = 0; i < stream.events.length; i++) {
    const e = stream.events[i]!;
    clock.set(e.receivedAt);
    const t0 = process.hrtime.bigint();
    hub.onBook(e);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if ((i & 0xfff) === 0) flush(); // the timer's job, kept out of the timed section
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  journal.close(0);
  return {
    events: stream.events.length,
    updatesPerSec: stream.events.length / (elapsedNs / 1e9),
    p50Us: percentile(samples, 0.5),
    p99Us: percentile(samples, 0.99),
    judged,
    journalFlushP99Ms: percentile(flushes, 0.99),
    journalRowsPerFlushMax: maxBatch,
  };
}
