import { describe, expect, it } from 'vitest';
import { parseLighterOptions } from '../../../../plugins/exchanges/lighter/config.ts';

describe('lighter options', () => {
  it('defaults to mainnet and a ping well under the 2-minute limit', () => {
    const o = parseLighterOptions({});
    expect(o.wsUrl).toBe('wss://mainnet.zklighter.elliot.ai/stream');
    expect(o.restUrl).toBe('https://mainnet.zklighter.elliot.ai');
    expect(o.heartbeatIntervalMs).toBeLessThan(120_000);
  });

  it('names the field that breaks the venue limit', () => {
    expect(() => parseLighterOptions({ heartbeatIntervalMs: 150_000, stallTimeoutMs: 200_000 }, 'venues.lighter')).toThrow(
      /venues\.lighter\.heartbeatIntervalMs: must be under 120000/,
    );
    expect(() => parseLighterOptions({ fundingRateUnit: 'bps' }, 'venues.lighter')).toThrow(/venues\.lighter\.fundingRateUnit/);
  });
});
