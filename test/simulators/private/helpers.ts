/**
 * Test helpers for the private side: put an exact book in place (so VWAPs can be computed by
 * hand), plain HTTP calls. Nothing here comes from plugins/: requests are built from the
 * venues' documented shapes.
 */
import { toUnits } from '../../../engine/market/units.ts';
import type { VenueMarket } from '../../../simulators/index.ts';

/** Replace a market's whole book with these [price, size] decimal levels. */
export function setBook(market: VenueMarket, bids: Array<[string, string]>, asks: Array<[string, string]>): void {
  const i = market.instrument;
  const level = ([p, s]: [string, string]) => ({ price: toUnits(p, i.priceDecimals), size: toUnits(s, i.sizeDecimals) });
  market.apply(market.book.diff({ bids: bids.map(level), asks: asks.map(level) }));
}

export interface HttpReply {
  status: number;
  body: any;
}

export async function http(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown; form?: Record<string, string> } = {}): Promise<HttpReply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
