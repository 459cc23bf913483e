import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VenueHttpError, VenueRequestError, VenueTimeoutError } from '../../../../plugins/exchanges/shared/errors.ts';
import { getJson, joinUrl } from '../../../../plugins/exchanges/shared/rest.ts';

let server: Server;
let base: string;
let lastHeaders: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    if (req.url === '/ok') return void res.end('{"results":[1]}');
    if (req.url === '/missing') {
      res.statusCode = 404;
      return void res.end('{"error":"NOT_FOUND"}');
    }
    if (req.url === '/html') return void res.end('<html>maintenance</html>');
    // /slow never answers
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('getJson', () => {
  it('returns the parsed body and sends the venue headers', async () => {
    await expect(getJson(`${base}/ok`, { venue: 'vest', timeoutMs: 1000, headers: { xrestservermm: 'restserver0' } })).resolves.toEqual({ results: [1] });
    expect(lastHeaders['xrestservermm']).toBe('restserver0');
  });
  it('maps a non-2xx answer to VenueHttpError with status and body', async () => {
    const err = await getJson(`${base}/missing`, { venue: 'paradex', timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueHttpError);
    expect(err).toMatchObject({ status: 404, venue: 'paradex' });
    expect((err as Error).message).toContain('NOT_FOUND');
  });
  it('maps a silent server to VenueTimeoutError', async () => {
    await expect(getJson(`${base}/slow`, { venue: 'lighter', timeoutMs: 150 })).rejects.toBeInstanceOf(VenueTimeoutError);
  });
  it('maps a non-JSON body and a refused connection to VenueRequestError', async () => {
    await expect(getJson(`${base}/html`, { venue: 'lighter', timeoutMs: 1000 })).rejects.toThrow(/body is not JSON/);
    await expect(getJson('http://127.0.0.1:1/x', { venue: 'lighter', timeoutMs: 1000 })).rejects.toBeInstanceOf(VenueRequestError);
  });
  it('joins urls with exactly one slash', () => {
    expect(joinUrl('https://a/v1/', '/markets')).toBe('https://a/v1/markets');
    expect(joinUrl('https://a/v1', 'markets')).toBe('https://a/v1/markets');
  });
});
