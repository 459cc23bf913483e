/**
 * A venue described as data (issue 13 part 3): the core's venue defaults (gas, funding style,
 * fees, simulator latency) come from the loaded venues' specs, a config entry overrides them, and
 * the built-in specs say what their folders do.
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../engine/core/config.ts';
import { DEFAULT_VENUE_GAS_USD, registerVenueSpec, venueSpec, venueSpecs, type VenueSpec } from '../../../engine/core/venue-spec.ts';
import { simulatorLatencyMs } from '../../../engine/cli/simulated-venues.ts';
import { loadVenueSpecs } from '../../../engine/cli/venue-specs.ts';
import { DEFAULT_GAS_USD } from '../../../engine/simulation/gas.ts';
import { FeeSchedule, MissingFeeModelError } from '../../../engine/simulation/fee-schedule.ts';
import { PortfolioConfigSchema, portfolioSettings } from '../../../engine/portfolio/config.ts';
import { BUILTIN_PLUGINS } from '../../../plugins/index.ts';
import { PARADEX_COST } from '../../../plugins/exchanges/paradex/limits.ts';
import { VEST_COST } from '../../../plugins/exchanges/vest/limits.ts';
import { LIGHTER_WEIGHTS } from '../../../plugins/exchanges/lighter/limits.ts';

const MIN = { plugins: ['fee-model:table'], instruments: { X: { eta: 'X' } } };

const spec = (name: string, over: Partial<VenueSpec> = {}): VenueSpec => ({
  name,
  urls: { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1' },
  channels: {},
  endpoints: {},
  gasUsd: '0.07',
  fundingStyle: 'continuous',
  fees: { maker: '0.00015', taker: '0.00035' },
  simulatorLatencyMs: 9,
  instrumentSymbol: (base) => `${base}/USD`,
  ...over,
});

describe('venue spec registry and the defaults that read it', () => {
  it('an unknown venue has no gas, pays discrete funding, and has no fees until its spec registers', () => {
    expect(venueSpec('zeta')).toBeUndefined();
    expect(DEFAULT_GAS_USD['zeta']).toBeUndefined();
    const settings = portfolioSettings();
    expect(settings.fundingStyle('zeta')).toBe('discrete');
    expect(() => new FeeSchedule([]).rates('zeta', 'BTC/USD')).toThrow(MissingFeeModelError);

    registerVenueSpec(spec('zeta'));
    expect(venueSpec('zeta')?.name).toBe('zeta');
    expect(venueSpecs().map((s) => s.name)).toContain('zeta');
    // gas.ts's record is the registry's live view: the engine spreads it after plugins load.
    expect(DEFAULT_GAS_USD['zeta']).toBe('0.07');
    expect(DEFAULT_VENUE_GAS_USD['zeta']).toBe('0.07');
    expect(DEFAULT_GAS_USD['starknet']).toBe('0.05');
    expect(settings.fundingStyle('zeta')).toBe('continuous');
    const rates = new FeeSchedule([]).rates('zeta', 'BTC/USD');
    expect(rates.maker.eq(new Decimal('0.00015')) && rates.taker.eq(new Decimal('0.00035'))).toBe(true);
  });

  it('config overrides the spec: portfolio.fundingStyle, a fee model that covers the venue, simulators.latencyMs', () => {
    const s = spec('eta');
    registerVenueSpec(s);
    expect(portfolioSettings(PortfolioConfigSchema.parse({ fundingStyle: { eta: 'discrete' } })).fundingStyle('eta')).toBe('discrete');
    const model = { name: 'm', rates: (v: string) => (v === 'eta' ? { maker: new Decimal(0), taker: new Decimal('0.001') } : undefined) };
    expect(new FeeSchedule([model]).rates('eta', 'X').taker.toString()).toBe('0.001');
    const config = parseConfig({ ...MIN, simulators: { latencyMs: { eta: 3 } } });
    expect(simulatorLatencyMs(config, s)).toBe(3);
    expect(simulatorLatencyMs(parseConfig(MIN), s)).toBe(9);
  });

  it('a spec without fees still falls through to the missing-fee-model error naming the venue', () => {
    registerVenueSpec(spec('theta', { fees: undefined }));
    expect(() => new FeeSchedule([]).rates('theta', 'X')).toThrow(/venue "theta"/);
  });
});

describe('built-in venue specs', () => {
  it('each built-in exchange manifest carries a spec under its own name; loadVenueSpecs registers only exchanges', async () => {
    const specs = await loadVenueSpecs(['exchange:paradex', 'exchange:vest', 'exchange:lighter', 'fee-model:table', 'strategy:cross-exchange'], process.cwd());
    expect(specs.map((s) => s.name)).toEqual(['paradex', 'vest', 'lighter']);
    for (const ref of ['exchange:paradex', 'exchange:vest', 'exchange:lighter']) {
      const m = (await BUILTIN_PLUGINS[ref]!()).default!;
      expect(m.spec?.name).toBe(m.name);
      expect(venueSpec(m.name)).toBe(m.spec);
      expect(m.spec?.simulator?.builtIn).toBe(true);
    }
    // The figures that used to sit in the core (gas.ts, portfolio/config.ts, core/config.ts).
    expect(specs.map((s) => [s.name, s.gasUsd, s.fundingStyle, s.simulatorLatencyMs])).toEqual([
      ['paradex', '0.05', 'continuous', 25],
      ['vest', '0.10', 'discrete', 60],
      ['lighter', '0.00', 'discrete', 15],
    ]);
    expect(specs.map((s) => s.instrumentSymbol('BTC'))).toEqual(['BTC-USD-PERP', 'BTC-PERP', 1]);
  });

  it("every endpoint's rate class is a bucket of that venue's limiter", async () => {
    const [paradex, vest, lighter] = await loadVenueSpecs(['exchange:paradex', 'exchange:vest', 'exchange:lighter'], process.cwd());
    const classes: Array<[VenueSpec, object]> = [[paradex!, PARADEX_COST], [vest!, VEST_COST], [lighter!, LIGHTER_WEIGHTS]];
    for (const [s, table] of classes) {
      expect(Object.keys(s.endpoints).length).toBeGreaterThan(3);
      for (const [name, e] of Object.entries(s.endpoints)) expect(Object.keys(table), `${s.name}.${name}`).toContain(e.rateClass);
    }
  });
});
