/**
 * Fee presets: `current` carries each venue's published 2026 rates (sources in presets.ts), `seed`
 * and `paradex-current` keep their figures, and what a preset leaves out is named per venue.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../engine/core/logger.ts';
import tablePlugin, { createTableFeeModel, feeModelCaveats } from '../../../../plugins/fees/table/index.ts';
import { CURRENT_FEES_READ_ON, FEE_PRESETS } from '../../../../plugins/fees/table/presets.ts';

const rates = (preset: string, venue: string) => {
  const r = createTableFeeModel({ preset, overrides: {} }).rates(venue, 'X');
  return r && { maker: r.maker.toString(), taker: r.taker.toString() };
};

describe('fee presets', () => {
  it('current: Paradex Pro 0 0.003%/0.045%, Vest 0.01%/0.01%, Lighter Standard 0%/0%', () => {
    // seed had Paradex 0.02%/0.05%, Vest taker 0.04%, Lighter taker 0.03%: 2-5x too dear on some pairs.
    expect(rates('current', 'paradex')).toEqual({ maker: '0.00003', taker: '0.00045' });
    expect(rates('current', 'vest')).toEqual({ maker: '0.0001', taker: '0.0001' });
    expect(rates('current', 'lighter')).toEqual({ maker: '0', taker: '0' });
    expect(CURRENT_FEES_READ_ON).toBe('2026-12-02');
  });

  it('current-lighter-premium: Lighter Premium at 0 LIT, 0.004%/0.028%', () => {
    expect(rates('current-lighter-premium', 'lighter')).toEqual({ maker: '0.00004', taker: '0.00028' });
    expect(rates('current-lighter-premium', 'paradex')).toEqual(rates('current', 'paradex'));
  });

  it('keeps seed (the default) and paradex-current as they were', () => {
    expect(FEE_PRESETS['seed']).toEqual({
      paradex: { maker: '0.0002', taker: '0.0005' },
      vest: { maker: '0.0001', taker: '0.0004' },
      lighter: { maker: '0', taker: '0.0003' },
    });
    expect(rates('paradex-current', 'paradex')).toEqual({ maker: '0.00003', taker: '0.00045' });
    expect(rates('paradex-current', 'vest')).toEqual({ maker: '0.0001', taker: '0.0004' });
  });

  it('names what a preset leaves out (Vest risk premium), unless the venue is overridden', () => {
    expect(feeModelCaveats({ preset: 'current', overrides: {} })['vest']).toMatch(/risk premium .* not modelled/);
    expect(feeModelCaveats({ preset: 'current', overrides: { vest: { maker: '0', taker: '0.0002' } } })).not.toHaveProperty('vest');
    expect(feeModelCaveats({ preset: 'seed', overrides: {} })).toEqual({});
  });

  it('the plugin picks presets by fees.table.preset, defaulting to current (the published rates), and logs the caveats', () => {
    const provided: Array<{ name: string }> = [];
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { ...silentLogger, info: (_msg: string, fields?: Record<string, unknown>) => void warnings.push(fields ?? {}) };
    const ctx = (options: unknown) =>
      ({ options, optionsPath: 'fees.table', logger, provideFeeModel: (m: { name: string }) => provided.push(m) }) as unknown as Parameters<typeof tablePlugin.register>[0];
    tablePlugin.register(ctx({}));
    tablePlugin.register(ctx({ preset: 'seed' }));
    expect(provided.map((m) => m.name)).toEqual(['table:current', 'table:seed']);
    // The caveats of `current` (seed has none recorded), once per venue.
    expect(warnings.map((w) => w['venue']).sort()).toEqual(['lighter', 'paradex', 'vest']);
    expect(() => tablePlugin.register(ctx({ preset: 'latest' }))).toThrow(/fees\.table\.preset/);
  });
});

describe('costs a preset leaves out reach the judgment line', () => {
  it('current flags the Vest risk premium on Vest rates only, and an override clears it', async () => {
    const { createTableFeeModel } = await import('../../../../plugins/fees/table/index.ts');
    const model = createTableFeeModel({ preset: 'current', overrides: {} });
    expect(model.rates('vest', 'BTC-PERP')?.unmodelled).toBe('Vest risk premium');
    expect(model.rates('paradex', 'BTC-USD-PERP')?.unmodelled).toBeUndefined();
    const overridden = createTableFeeModel({ preset: 'current', overrides: { vest: { maker: '0.0001', taker: '0.0003' } } });
    expect(overridden.rates('vest', 'BTC-PERP')?.unmodelled).toBeUndefined();
  });

  it('a judgment trading Vest says the premium is not modelled', async () => {
    const { Decimal } = await import('decimal.js');
    const { createTableFeeModel } = await import('../../../../plugins/fees/table/index.ts');
    const { FeeSchedule } = await import('../../../../engine/simulation/fee-schedule.ts');
    const { ExecutionSimulator } = await import('../../../../engine/simulation/execution-simulator.ts');
    const { formatJudgment } = await import('../../../../engine/cli/console-reporter.ts');
    const sim = new ExecutionSimulator(new FeeSchedule([createTableFeeModel({ preset: 'current', overrides: {} })]), (v) => v, {
      gasUsd: { vest: new Decimal('0.01'), paradex: new Decimal('0.01') },
      desync: { lowMaxMs: 1000, highMinMs: 5000, lowMaxSkewMs: 500, highMinSkewMs: 2000 } as never,
      minNetProfitUsd: new Decimal(0),
    });
    const leg = (venue: string, symbol: string, price: string) => ({ venue, symbol, topPrice: new Decimal(price), expectedPrice: new Decimal(price), bookReceivedAt: 1000, bookVenueTime: 1000 });
    const j = sim.judge({ instrument: 'BTC-USD-PERP', buy: leg('paradex', 'BTC-USD-PERP', '65000'), sell: leg('vest', 'BTC-PERP', '65200'), size: new Decimal('0.01'), spread: new Decimal('0.003') } as never, 1000);
    expect(formatJudgment(j)).toContain('| not modelled: Vest risk premium');
  });
});
