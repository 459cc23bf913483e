import { describe, expect, it } from 'vitest';
import { VEST_HOSTS, parseVestOptions, vestRestHeaders, vestSocketUrl } from '../../../../plugins/exchanges/vest/config.ts';

describe('vest options', () => {
  it('routes REST and WS by account group', () => {
    const o = parseVestOptions({ accountGroup: 3 });
    expect(vestRestHeaders(o)).toEqual({ xrestservermm: 'restserver3' });
    expect(vestSocketUrl(o)).toBe('wss://ws-prod.hz.vestmarkets.com/ws-api?version=1.0&xwebsocketserver=restserver3');
    expect(o.restUrl).toBe('https://server-prod.hz.vestmarkets.com/v2');
  });

  it('names bad fields by path', () => {
    expect(() => parseVestOptions({ accountGroup: -1, restUrl: 'ftp://x' }, 'venues.vest')).toThrow(
      /venues\.vest\.restUrl: must be an http\(s\) URL[\s\S]*venues\.vest\.accountGroup: must be >= 0|venues\.vest\.accountGroup: must be >= 0[\s\S]*venues\.vest\.restUrl/,
    );
  });

  it('caps depthLimit at the venue maximum of 100 (GET /depth)', () => {
    // Before: up to 1000 was accepted and every resync fetch would have been refused by the venue.
    expect(parseVestOptions({ depthLimit: 100 }).depthLimit).toBe(100);
    expect(() => parseVestOptions({ depthLimit: 500 }, 'venues.vest')).toThrow(/venues\.vest\.depthLimit: must be <= 100/);
  });

  it('knows the tick fallback policy and the funding channel, refusing other values by path', () => {
    const o = parseVestOptions({});
    expect(o.missingTickSize).toBeUndefined();
    expect(o.tickerChannel).toBe('tickers');
    expect(parseVestOptions({ missingTickSize: 'priceDecimals', tickerChannel: 'perSymbol' })).toMatchObject({ missingTickSize: 'priceDecimals', tickerChannel: 'perSymbol' });
    expect(() => parseVestOptions({ missingTickSize: 'guess' }, 'venues.vest')).toThrow(/venues\.vest\.missingTickSize/);
    expect(() => parseVestOptions({ tickerChannel: 'all' }, 'venues.vest')).toThrow(/venues\.vest\.tickerChannel/);
  });

  it('lists the published hosts, the default being the docs production pair', () => {
    expect(parseVestOptions({}).wsUrl).toBe(VEST_HOSTS.production.wsUrl);
    const dev = parseVestOptions({ ...VEST_HOSTS.development });
    expect(dev.restUrl).toBe('https://server-dev.hz.vestmarkets.com/v2');
    expect(vestSocketUrl(dev)).toBe('wss://ws-dev.hz.vestmarkets.com/ws-api?version=1.0&xwebsocketserver=restserver0');
  });
});
