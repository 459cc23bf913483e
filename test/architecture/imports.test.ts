/**
 * The import graph has no circles (issue 13): checked with madge over the engine, the plugins and
 * the simulators, type-only imports included (a type circle is still a layering knot).
 */
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

describe('import graph', () => {
  it('has no circular imports under engine/, plugins/ and simulators/', async () => {
    const graph = await madge(['engine', 'plugins', 'simulators'].map((d) => join(ROOT, d)), {
      baseDir: ROOT,
      fileExtensions: ['ts'],
      tsConfig: join(ROOT, 'tsconfig.json'),
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(150);
    expect(graph.circular().map((cycle) => cycle.join(' -> '))).toEqual([]);
  }, 60_000);
});
