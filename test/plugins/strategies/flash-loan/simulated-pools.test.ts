/**
 * `strategies.flash-loan.simulator`: the dry-run demo on a loopback pool node, read through the
 * real JSON-RPC pool reader; refused in live before anything starts; `rpcUrl` required without it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { ConfigError } from '../../../../engine/core/config-errors.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { Journal } from '../../../../engine/journal/journal.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../../engine/market/instruments.ts';
import plugin from '../../../../plugins/strategies/flash-loan/index.ts';
import { parseFlashLoanOptions } from '../../../../plugins/strategies/flash-loan/options.ts';
import { SimulatedPools } from '../../../../plugins/strategies/flash-loan/simulated-pools.ts';
import { FlashLoanStrategy } from '../../../../plugins/strategies/flash-loan/strategy.ts';
import type { StrategyVerdict } from '../../../../engine/strategy/verdicts.ts';
import { market, snapshot } from '../../../helpers/books.ts';

const base = {
  lender: { kind: 'vesu', address: '0x10', maxBorrow: '20' },
  token: { address: '0x11', symbol: 'ETH', decimals: 18 },
  midToken: { address: '0x12', symbol: 'USDC', decimals: 6 },
  pools: [
    { name: 'jedi', router: '0x21' },
    { name: 'tenk', router: '0x22', reserveOrder: 'mid-token' },
  ],
  reference: { instrument: 'ETH-USD-PERP' },
};
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('flash-loan on simulated pools', () => {
  it('rpcUrl is required unless simulator is set, and the error says both', () => {
    expect(() => parseFlashLoanOptions(base, 'strategies.flash-loan')).toThrow(/strategies\.flash-loan\.rpcUrl: required .* or set strategies\.flash-loan\.simulator: \{\}/);
    expect(parseFlashLoanOptions({ ...base, simulator: {} }, 'strategies.flash-loan').simulator).toEqual({ seed: 1, dislocationPct: 1.5, everyMs: 8000, depthTokens: 100 });
  });

  it('live with simulator is refused at registration, before any strategy, node or prompt', () => {
    const ctx = { options: { ...base, simulator: {} }, optionsPath: 'strategies.flash-loan', live: true, provideStrategy: () => { throw new Error('must not get this far'); } };
    expect(() => plugin.register(ctx as never)).toThrow(ConfigError);
    expect(() => plugin.register(ctx as never)).toThrow(/simulator: loopback pools are for dry-run only/);
  });

  it('a dislocated pool is judged a profitable cycle through the JSON-RPC reader, and reported as a verdict', async () => {
    const clock = new ManualClock(50_000);
    const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
    const m = market('paradex', 'ETH-USD-PERP', 1, 3);
    hub.addVenue('paradex', [m], () => {});
    hub.onBook(snapshot(m, [['2999.9', '10']], [['3000.1', '10']], { seq: 1, receivedAt: 50_000 }));
    const instruments = new InstrumentMap({ 'ETH-USD-PERP': { paradex: 'ETH-USD-PERP' } });
    // everyMs huge: the node is in the first (dislocated) half of window 0 for the whole test.
    const options = parseFlashLoanOptions({ ...base, simulator: { seed: 2, everyMs: 3_600_000, dislocationPct: 2 } }, 'strategies.flash-loan');
    const pools = new SimulatedPools({ books: hub, instruments }, options);
    stops.push(() => pools.stop());
    const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
    journal.startSession('s', 'dry-run', '{}', 0);
    const verdicts: StrategyVerdict[] = [];
    const deps = { options: {}, optionsPath: 'strategies.flash-loan', clock, logger: silentLogger, books: hub, instruments, submit: () => {}, live: false, journal, verdict: (v: StrategyVerdict) => verdicts.push(v) };
    const strategy = new FlashLoanStrategy(deps, options, pools, journal, undefined, false);
    const j = (await strategy.poll())!;
    expect(j.decision).toBe('accept');
    expect(j.referencePrice).toBe('3000');
    // One pool at the reference (3000), the other 2% above (spread 2%) or below it (2/98).
    expect([0.02, 0.02 / 0.98].some((s) => Math.abs(Number(j.poolSpread) - s) < 1e-9)).toBe(true);
    expect((await pools.node).calls['get_reserves']).toBe(2);
    expect(verdicts.map((v) => [v.strategy, v.kind, v.instrument, v.decision])).toEqual([['flash-loan', 'flash cycle', 'ETH-USD-PERP', 'accept']]);
    expect(verdicts[0]!.summary).toMatch(/^Pool spread: 2\.0[04]% \| sell on (jedi|tenk) → buy on (tenk|jedi) \| Borrow [\d.]+ ETH \| Net profit: \$[\d.]+ \| Paradex ref \$3000\.00$/);
    const rows = journal.db.prepare('SELECT decision FROM flash_opportunities').all();
    expect(rows).toEqual([{ decision: 'accept' }]);
    journal.close(clock.now());
  });
});
