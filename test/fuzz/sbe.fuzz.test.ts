/**
 * Fuzzing the Paradex SBE decoders (plugins/exchanges/paradex/sbe/): every stored frame
 * (test/fixtures/venues/paradex/sbe/*.sbe.txt and the binary frames of the captured session)
 * with bytes flipped or overwritten, truncated, extended, its header's template/version/block
 * length changed, or plain random bytes. decodeBinary (what the connector routes) and
 * decodePublicFrame (BBO, trades, summaries) must answer a WireFormatError or a clean value:
 * books in positive integer units, no NaN, no float money.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinary } from '../../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { decodePublicFrame } from '../../plugins/exchanges/paradex/sbe/public-frame.ts';
import { BTC, ETH, capture, routesFor, sbeTxt } from '../plugins/exchanges/paradex/sbe-fixtures.ts';
import { attempt, bookProblems, judge, RUNS, valueProblems } from './hostile.ts';

const dir = new URL('../fixtures/venues/paradex/sbe/', import.meta.url);
const seeds: Buffer[] = [
  ...readdirSync(dir).filter((f) => f.endsWith('.sbe.txt')).sort().map((f) => sbeTxt(f)),
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => capture(f).flatMap((c) => ('binary' in c ? [c.binary] : [])))
    .slice(0, 40),
];

const mutatedFrame: fc.Arbitrary<Buffer> = fc.oneof(
  // Flip or overwrite a few bytes.
  fc.tuple(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([s, edits]) => {
    const b = Buffer.from(seeds[s]!);
    for (const [at, v] of edits) b[at % b.length] = v;
    return b;
  }),
  // Truncate.
  fc.tuple(fc.nat(seeds.length - 1), fc.nat()).map(([s, n]) => seeds[s]!.subarray(0, n % (seeds[s]!.length + 1))),
  // Extend with junk.
  fc.tuple(fc.nat(seeds.length - 1), fc.uint8Array({ maxLength: 32 })).map(([s, junk]) => Buffer.concat([seeds[s]!, Buffer.from(junk)])),
  // Header fields: blockLength, templateId, schemaId, version (uint16 each).
  fc.tuple(fc.nat(seeds.length - 1), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff })).map(([s, field, v]) => {
    const b = Buffer.from(seeds[s]!);
    if (b.length >= 2 * field + 2) b.writeUInt16LE(v, 2 * field);
    return b;
  }),
  // Junk from scratch.
  fc.uint8Array({ maxLength: 128 }).map((a) => Buffer.from(a)),
);

const routes = routesFor(BTC, ETH);
const markets = new Map([BTC, ETH].map((m) => [m.info.symbol, m]));

function fuzzDecoder(name: string, decode: (b: Buffer) => unknown, problems: (v: unknown) => string[]): void {
  it(`${name}: ${RUNS * 3} mutated frames: named errors or clean values`, () => {
    expect(seeds.length).toBeGreaterThan(10);
    const failures = new Map<string, string>();
    const check = (b: Buffer) => {
      const found = judge(attempt(() => decode(b)), problems);
      const key = found.map((f) => f.replace(/-?\d[\d.e+-]*/g, 'N')).join('; ');
      if (found.length > 0 && !failures.has(key) && failures.size < 6) failures.set(key, `${found.join('; ')} <- ${b.toString('hex').slice(0, 200)}`);
      return true;
    };
    fc.assert(fc.property(mutatedFrame, check), { numRuns: RUNS * 3, seed: 21 });
    for (const s of seeds) check(s);
    expect([...failures.values()]).toEqual([]);
  });
}

describe('Paradex SBE decoders', () => {
  fuzzDecoder('decodeBinary (books, funding, heartbeats)', (b) => decodeBinary(b, routes, 0), (m) => {
    const msg = m as { kind?: string; event?: Parameters<typeof bookProblems>[0] };
    return [...valueProblems(m), ...(msg.kind === 'book' && msg.event ? bookProblems(msg.event) : [])];
  });
  fuzzDecoder('decodePublicFrame (BBO, trades, summaries, funding comparison)', (b) => decodePublicFrame(b, (s) => markets.get(s), 0), valueProblems);
});
