import { describe, expect, it } from 'vitest';
import { parseVestOptions, vestRestHeaders, vestSocketUrl } from '../../../../plugins/exchanges/vest/config.ts';

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
});
