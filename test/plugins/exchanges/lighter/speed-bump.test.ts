/**
 * Lighter's taker speed bump in the engine's latency expectation: a Standard account's taker
 * order waits 300 ms before it reaches the book (https://apidocs.lighter.xyz/docs/account-types),
 * so the book it trades against is 300 ms older than it looks. The connector says so
 * (takerDelayMs) and the execution simulator ages that venue's book by it. Without the handling
 * a Lighter book 800 ms old judged Low desync risk; with it, 1.1 s at execution is Medium.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { DEFAULT_DESYNC } from '../../../../engine/simulation/desync.ts';
import { ExecutionSimulator } from '../../../../engine/simulation/execution-simulator.ts';
import { FeeSchedule } from '../../../../engine/simulation/fee-schedule.ts';
import type { ArbIntent } from '../../../../engine/strategy/strategy.ts';
import { parseLighterOptions } from '../../../../plugins/exchanges/lighter/config.ts';
import { LighterConnector } from '../../../../plugins/exchanges/lighter/market-data.ts';
import { createTableFeeModel } from '../../../../plugins/fees/table/index.ts';

const D = (v: string) => new Decimal(v);
const intent: ArbIntent = {
  id: 't1',
  strategy: 'cross-exchange',
  instrument: 'BTC',
  size: D('1'),
  buy: { venue: 'lighter', symbol: '1', side: 'buy', topPrice: D('100'), expectedPrice: D('100'), worstPrice: D('100'), bookReceivedAt: 9_200, bookVenueTime: 9_200 },
  sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', topPrice: D('101'), expectedPrice: D('101'), worstPrice: D('101'), bookReceivedAt: 9_900, bookVenueTime: 9_300 },
  spread: D('0.01'),
  executableSpread: D('0.01'),
  detectedAt: 10_000,
};

function judge(takerDelayMs?: Record<string, number>) {
  const fees = new FeeSchedule([createTableFeeModel({ preset: 'seed', overrides: {} })]);
  const sim = new ExecutionSimulator(fees, (v) => v, { gasUsd: { lighter: D('0'), paradex: D('0') }, desync: DEFAULT_DESYNC, minNetProfitUsd: D('0'), ...(takerDelayMs ? { takerDelayMs } : {}) });
  return sim.judge(intent, 10_000).desync;
}

describe('lighter taker speed bump in the latency expectation', () => {
  it('the connector states the tier\'s taker delay (Standard 300 ms, Premium 200 ms)', () => {
    const input = { logger: silentLogger, clock: new ManualClock(0) };
    expect(new LighterConnector(parseLighterOptions({}), input).takerDelayMs).toBe(300);
    expect(new LighterConnector(parseLighterOptions({ accountTier: 'premium' }), input).takerDelayMs).toBe(200);
  });

  it('ages the Lighter book by it: 800 ms old is Low without, 1100 ms at execution is Medium with', () => {
    expect(judge()).toMatchObject({ level: 'Low', maxAgeMs: 800 });
    const delay = new LighterConnector(parseLighterOptions({}), { logger: silentLogger, clock: new ManualClock(0) }).takerDelayMs;
    expect(judge({ lighter: delay })).toMatchObject({ level: 'Medium', maxAgeMs: 1100 });
  });
});
