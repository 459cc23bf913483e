/**
 * Fuzzing the JSON decoders of the three venues, public and private, WebSocket and REST: every
 * frame of the corpus (test/fixtures/venues/**) mutated (hostile.ts) must decode to a value with
 * no NaN, negative size or float money, or fail with a WireFormatError naming the field. A
 * TypeError, RangeError or a Decimal error escaping a decoder is the bug this finds: the
 * connector counts only named errors as malformed frames.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../engine/market/types.ts';
import { decodeFrameText as lighterFrame, decodeOrderBookDetails, type LighterDecodeContext } from '../../plugins/exchanges/lighter/codec.ts';
import { decodeLighterFills, decodeLighterOrder, decodeLighterOrderFills, decodeLighterPositions, decodeLighterTx } from '../../plugins/exchanges/lighter/order-codec.ts';
import { decodeLighterPrivateFrame } from '../../plugins/exchanges/lighter/stream-codec.ts';
import { decodeMarkets as paradexMarkets, jsonFrameDecoder, type ParadexMarket, type ParadexRoute } from '../../plugins/exchanges/paradex/codec.ts';
import { decodeParadexFill, decodeParadexOrder, decodeParadexPosition, decodeParadexPrivateFrame } from '../../plugins/exchanges/paradex/order-codec.ts';
import { decodeDepthBody, decodeExchangeInfo, decodeFrameText as vestFrame } from '../../plugins/exchanges/vest/codec.ts';
import { decodeVestOrder, decodeVestPositions, decodeVestPrivateFrame } from '../../plugins/exchanges/vest/order-codec.ts';
import { fixtureText, listFixtures } from '../fixtures/venues/corpus.ts';
import { attempt, bookProblems, judge, mutatedJson, mutatedText, positionProblems, RUNS, valueProblems } from './hostile.ts';

/** Each corpus file's frames (a .jsonl holds one per line) as JSON values and as their texts. */
function corpus(venue: string, dirs: readonly string[]): { values: unknown[]; texts: string[] } {
  const texts = listFixtures(venue)
    .filter((f) => dirs.some((d) => f.startsWith(`${d}/`)))
    .flatMap((f) => (f.endsWith('.jsonl') ? fixtureText(venue, f).split('\n').filter((l) => l.trim() !== '') : [fixtureText(venue, f)]));
  const values = texts.flatMap((t) => {
    try {
      return [JSON.parse(t) as unknown];
    } catch {
      return [];
    }
  });
  return { values, texts };
}

/** Generous decimals so the corpus frames decode and the mutations reach past the happy path. */
const info = (venue: string, symbol: string): MarketInfo => ({ venue, symbol, priceDecimals: 4, sizeDecimals: 5, tickSize: '0.0001', sizeIncrement: '0.00001', minSize: '0.00001' });

/** Every `channel` string anywhere in the frames (the routes a connector would have subscribed). */
function channels(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === 'channel' && typeof x === 'string') out.add(x);
        walk(x);
      }
  };
  values.forEach(walk);
  return [...out];
}

const NOW = 1_764_000_000_000;

/**
 * Runs hostile input through `decode` and lists every broken property with its input (the first
 * few distinct ones). WebSocket decoders take the frame's text, so they also get mangled texts;
 * REST decoders take the parsed body (the REST layer answers bad JSON with its own named error).
 */
function fuzz<T>(name: string, seeds: { values: unknown[]; texts: string[] }, decode: (input: string | unknown) => T, problems: (v: T) => string[], kind: 'text' | 'value' = 'text'): void {
  it(`${name}: ${RUNS} mutated frames${kind === 'text' ? ` and ${RUNS} mangled texts` : ''}: named errors or clean values`, () => {
    expect(seeds.values.length, `${name}: no corpus frames`).toBeGreaterThan(0);
    const failures = new Map<string, string>();
    const check = (input: unknown) => {
      const found = judge(attempt(() => decode(input)), problems);
      const key = found.map((f) => f.replace(/-?\d[\d.e+-]*/g, 'N')).join('; ');
      if (found.length > 0 && !failures.has(key) && failures.size < 6) failures.set(key, `${found.join('; ')} <- ${(typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 240)}`);
      return true;
    };
    const asInput = (v: unknown) => (kind === 'text' ? (JSON.stringify(v) ?? 'null') : v);
    fc.assert(fc.property(mutatedJson(seeds.values), (v) => check(asInput(v))), { numRuns: RUNS, seed: 12 });
    if (kind === 'text') fc.assert(fc.property(mutatedText(seeds.texts), check), { numRuns: RUNS, seed: 13 });
    // The unmutated corpus passes too (a named error is allowed: some fixtures are error frames).
    for (const v of seeds.values) check(asInput(v));
    expect([...failures.values()]).toEqual([]);
  });
}

/** Book events get the book checks on top of the generic ones. */
function messageProblems(m: unknown): string[] {
  const out = valueProblems(m);
  const msg = m as { kind?: string; event?: Parameters<typeof bookProblems>[0] };
  if (msg.kind === 'book' && msg.event) out.push(...bookProblems(msg.event));
  return out;
}

describe('Paradex JSON decoders', () => {
  const pub = corpus('paradex', ['ws']);
  const market: ParadexMarket = { info: info('paradex', 'BTC-USD-PERP'), fundingPeriodHours: 8 };
  const routes = new Map<string, ParadexRoute>(channels(pub.values).map((c) => [c, { kind: c.startsWith('funding') ? 'funding' : 'book', market }]));
  fuzz('public WS frames', pub, (t) => jsonFrameDecoder.decode(t as string, routes, NOW), messageProblems);
  fuzz('private WS frames', corpus('paradex', ['private-ws']), (t) => decodeParadexPrivateFrame(t as string), valueProblems);
  fuzz('REST markets', corpus('paradex', ['rest']), (b) => paradexMarkets(b), valueProblems, 'value');
  const rest = corpus('paradex', ['private-rest']);
  const items = (b: unknown): unknown[] => {
    const body = b as { results?: unknown[] } | null;
    return Array.isArray(body?.results) ? body.results : [b];
  };
  fuzz('REST orders', rest, (b) => items(b).map((o) => decodeParadexOrder(o)), valueProblems, 'value');
  fuzz('REST fills', rest, (b) => items(b).map((o) => decodeParadexFill(o)), valueProblems, 'value');
  fuzz('REST positions', rest, (b) => items(b).map((o) => decodeParadexPosition(o)), positionProblems, 'value');
});

describe('Vest JSON decoders', () => {
  const pub = corpus('vest', ['ws']);
  const markets = new Map<string, MarketInfo>(channels(pub.values).map((c) => c.split('@')[0]!).map((s) => [s, info('vest', s)]));
  fuzz('public WS frames', pub, (t) => vestFrame(t as string, markets, NOW), messageProblems);
  fuzz('private WS frames', corpus('vest', ['private-ws']), (t) => decodeVestPrivateFrame(t as string), valueProblems);
  const rest = corpus('vest', ['rest']);
  fuzz('REST exchangeInfo', rest, (b) => decodeExchangeInfo(b), valueProblems, 'value');
  fuzz('REST depth', rest, (b) => decodeDepthBody(b, info('vest', 'BTC-PERP'), NOW), (e) => [...valueProblems(e), ...bookProblems(e)], 'value');
  const priv = corpus('vest', ['private-rest', 'private-ws']);
  const orders = (body: unknown): unknown[] => (Array.isArray(body) ? body : [(body as { data?: unknown } | null)?.data ?? body]);
  fuzz('REST/WS orders', priv, (b) => orders(b).map((o) => decodeVestOrder(o, 'c-1')), valueProblems, 'value');
  fuzz('REST positions', priv, (b) => decodeVestPositions(b), positionProblems, 'value');
});

describe('Lighter JSON decoders', () => {
  const pub = corpus('lighter', ['ws']);
  const ids = new Set(['0', '1', ...channels(pub.values).map((c) => c.split(/[/:]/)[1] ?? '0')]);
  const ctx: LighterDecodeContext = { markets: new Map([...ids].map((id) => [id, info('lighter', id)])), fundingRateUnit: 'percent', trustSnapshotNonce: true };
  fuzz('public WS frames', pub, (t) => lighterFrame(t as string, ctx, NOW), messageProblems);
  const privWs = corpus('lighter', ['private-ws']);
  const account = Number(/account_all_\w+[/:](\d+)/.exec(privWs.texts.join(' '))?.[1] ?? 0);
  fuzz('private WS frames', privWs, (t) => decodeLighterPrivateFrame(t as string, account), valueProblems);
  fuzz('REST orderBookDetails', corpus('lighter', ['rest']), (b) => decodeOrderBookDetails(b), valueProblems, 'value');
  const rest = corpus('lighter', ['private-rest']);
  const orders = (b: unknown): unknown[] => {
    const body = b as { orders?: unknown[] } | null;
    return Array.isArray(body?.orders) ? body.orders : [b];
  };
  fuzz('REST orders', rest, (b) => orders(b).map((o) => decodeLighterOrder(o, 'c-1')), valueProblems, 'value');
  fuzz('REST trades', rest, (b) => [decodeLighterFills(b, account, 1, 'c-1'), decodeLighterOrderFills(b, account, 1, 'c-1')], valueProblems, 'value');
  fuzz('REST positions', rest, (b) => decodeLighterPositions(b), positionProblems, 'value');
  fuzz('REST tx', rest, (b) => decodeLighterTx(b), valueProblems, 'value');
});
