/**
 * The import graph (issue 13), checked with madge over the engine, the plugins and the
 * simulators, type-only and dynamic imports included (a type circle is still a layering knot):
 * no circles, and the engine reaches no venue folder.
 */
import { join } from 'node:path';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = process.cwd();
let graph: Awaited<ReturnType<typeof madge>>;

beforeAll(async () => {
  graph = await madge(['engine', 'plugins', 'simulators'].map((d) => join(ROOT, d)), {
    baseDir: ROOT,
    fileExtensions: ['ts'],
    tsConfig: join(ROOT, 'tsconfig.json'),
  });
}, 60_000);

/** A venue's own code: its plugin folder, or its simulator (simulators/<venue>/). */
const VENUE_FOLDER = /^(plugins\/exchanges\/|simulators\/[^/]+\/)/;

describe('import graph', () => {
  it('has no circular imports under engine/, plugins/ and simulators/', () => {
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(150);
    expect(graph.circular().map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('nothing under engine/ imports a venue folder (venues come in through plugins/index.ts and their VenueSpec)', () => {
    const edges = Object.entries(graph.obj()).flatMap(([from, deps]) => deps.map((to) => [from, to] as const));
    // The graph does see edges into venue folders (from the plugins' own list): the check can fail.
    expect(edges.some(([from, to]) => from === 'plugins/index.ts' && VENUE_FOLDER.test(to))).toBe(true);
    // The benches measure the venues' codecs and signers themselves: they live in bench/, outside engine/.
    const offenders = edges.filter(([from, to]) => from.startsWith('engine/') && VENUE_FOLDER.test(to));
    expect(offenders.map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
  });
});
