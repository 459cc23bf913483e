import { describe, expect, it } from 'vitest';
import { channelFor, parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { ConfigError } from '../../../../plugins/exchanges/shared/config.ts';

describe('paradex options', () => {
  it('defaults to the public production endpoints, SBE schema 1:1 and the bare deltas channel the SBE socket accepts', () => {
    const o = parseParadexOptions(undefined);
    expect(o.restUrl).toBe('https://api.prod.paradex.trade/v1');
    expect(o.wsUrl).toBe('wss://ws.api.prod.paradex.trade/v1');
    expect(o.encoding).toBe('sbe');
    expect([o.sbeSchemaId, o.sbeSchemaVersion]).toEqual([1, 1]);
    expect(channelFor(o.bookChannel, 'BTC-USD-PERP')).toBe('order_book.BTC-USD-PERP.deltas');
    expect(o.reconnect).toEqual({ minMs: 500, maxMs: 30_000 });
  });

  it('keeps the documented JSON deltas channel for encoding json, and a configured channel over either default', () => {
    expect(channelFor(parseParadexOptions({ encoding: 'json' }).bookChannel, 'BTC-USD-PERP')).toBe('order_book.BTC-USD-PERP.deltas@15@50ms');
    expect(parseParadexOptions({ bookChannel: 'order_book.{market}.interactive_deltas' }).bookChannel).toBe('order_book.{market}.interactive_deltas');
    expect(() => parseParadexOptions({ encoding: 'protobuf' }, 'venues.paradex')).toThrow(/venues\.paradex\.encoding/);
  });

  it('keeps keys it does not own (the order gateway reads the same section)', () => {
    const o = parseParadexOptions({ account: { env: 'PARADEX_ACCOUNT' } });
    expect((o as Record<string, unknown>)['account']).toEqual({ env: 'PARADEX_ACCOUNT' });
  });

  it('names every bad field by its config path', () => {
    let err: unknown;
    try {
      parseParadexOptions({ wsUrl: 'https://not-a-socket', bookChannel: 'order_book.deltas', reconnect: { minMs: 5000, maxMs: 10 } }, 'venues.paradex');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as Error).message;
    expect(text).toMatch(/venues\.paradex\.wsUrl: must be a ws\(s\) URL/);
    expect(text).toMatch(/venues\.paradex\.bookChannel: must contain \{market\}/);
    expect(text).toMatch(/venues\.paradex\.reconnect\.maxMs: maxMs must be >= minMs/);
  });

  it('refuses a stall timeout the heartbeat cannot beat', () => {
    expect(() => parseParadexOptions({ heartbeatIntervalMs: 30_000, stallTimeoutMs: 20_000 }, 'venues.paradex')).toThrow(
      /venues\.paradex\.stallTimeoutMs: must exceed heartbeatIntervalMs/,
    );
  });
});
