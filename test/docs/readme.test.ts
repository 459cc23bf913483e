/**
 * Documentation as tests: the README's runnable snippets are extracted from README.md itself and
 * run as a user would run them, on the loopback simulators (issue 16). Change a snippet into
 * something that no longer runs and this fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ARB = join(ROOT, 'bin', 'arb.js');

/** The fenced block of `lang` whose first line is `firstLine` (how the README names its files). */
function snippet(lang: string, firstLine: string): string {
  const blocks = [...README.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
  const hit = blocks.find(([, l, body]) => l === lang && body!.split('\n')[0]!.trim().startsWith(firstLine));
  if (!hit) throw new Error(`README.md has no \`\`\`${lang} block starting with "${firstLine}"`);
  return hit[2]!;
}

// Inside the package folder, so `import 'perp-arb-engine/...'` resolves as it does for a plugin
// written in a clone (the package's exports map); .doc-test-* is git-ignored.
const dir = mkdtempSync(join(ROOT, '.doc-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(config: string, seconds: number): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, [ARB, 'run', '--config', config, '--duration', String(seconds)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function judged(out: string): number {
  const m = /opportunities judged: (\d+)/.exec(out);
  return m ? Number(m[1]) : -1;
}

describe('README snippets run as printed', () => {
  it('"Writing an exchange plugin": the plugin and its config trade a spread against the Paradex simulator', () => {
    const plugin = snippet('ts', '// my-venue.ts');
    const config = snippet('yaml', '# my-venue');
    // The README copy and examples/my-venue/ are the same files (the README's command runs the latter).
    expect(plugin).toBe(readFileSync(join(ROOT, 'examples/my-venue/my-venue.ts'), 'utf8'));
    expect(config).toBe(readFileSync(join(ROOT, 'examples/my-venue/config.yaml'), 'utf8'));
    writeFileSync(join(dir, 'my-venue.ts'), plugin);
    writeFileSync(join(dir, 'config.yaml'), config);
    const r = run(join(dir, 'config.yaml'), 7);
    expect(r.err).not.toMatch(/error|Cannot find/i);
    expect(r.status).toBe(0);
    expect(r.out).toContain('books live 2/2');
    expect(judged(r.out)).toBeGreaterThan(0);
    expect(r.out).not.toContain('no gas cost configured');
  });

  it('"Enabling a strategy": the whole config runs on the simulators', () => {
    const config = snippet('yaml', '# cross.yaml');
    writeFileSync(join(dir, 'cross.yaml'), config);
    const r = run(join(dir, 'cross.yaml'), 4);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const updates = /ran [\d.]+ s, (\d+) book updates/.exec(r.out);
    expect(Number(updates?.[1] ?? 0)).toBeGreaterThan(0);
    expect(r.out).toContain('Mode: DRY-RUN');
  });

  it('"Example configs": every command of the block runs on the simulators and does its strategy\'s job', () => {
    const lines = snippet('sh', '# example configs').split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      // `npm start [-- args]` is `arb run [args]` (package.json); `npx arb <args>` is bin/arb.js.
      const args = line.startsWith('npm start') ? ['run', ...line.replace(/^npm start( --)?/, '').trim().split(/\s+/).filter(Boolean)] : line.replace(/^npx arb /, '').split(/\s+/);
      const live = args.includes('--live');
      // Config paths as from the clone's root; run in the temp dir so each run has a fresh journal.
      const rooted = args.map((a) => (a.startsWith('config/') ? join(ROOT, a) : a));
      const r = spawnSync(process.execPath, [ARB, ...rooted, '--duration', live ? '8' : '6', ...(live ? ['--yes'] : [])], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${line}: ${r.stderr}`).toBe(0);
      expect(r.stderr, line).not.toMatch(/ERROR|error/);
      expect(r.stdout, line).toContain('── Session summary ──');
      if (line.includes('funding-arb')) {
        const carry = /funding-arb carry judged: (\d+)/.exec(r.stdout);
        expect(Number(carry?.[1] ?? 0), line).toBeGreaterThan(0);
      } else if (line.includes('flash-loan')) {
        const cycles = /flash-loan flash cycle judged: (\d+) {2}accepted: (\d+)/.exec(r.stdout);
        expect(Number(cycles?.[2] ?? 0), line).toBeGreaterThan(0);
      } else if (line.includes('maker-taker')) {
        const desk = /maker-taker: (\d+) quotes placed.*; (\d+) maker fills, (\d+) hedged/.exec(r.stdout);
        expect(Number(desk?.[1] ?? 0), line).toBeGreaterThan(0);
        expect(Number(desk?.[3] ?? 0), line).toBeGreaterThan(0);
      } else if (live) {
        expect(r.stdout, line).toMatch(/live trades: [1-9]/);
      } else {
        expect(judged(r.stdout), line).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it('"Configuration": each documented error example is exactly what that mistake prints, with exit code 1', () => {
    const cross = snippet('yaml', '# cross.yaml');
    const cases: Array<[string, string]> = [
      ['with mode: yolo', cross.replace('plugins:', 'mode: yolo\nplugins:')],
      ['with strategies.cross-exchange.thresholdPct: abc', cross.replace('thresholdPct: 0.15', 'thresholdPct: abc')],
    ];
    for (const [mistake, body] of cases) {
      const documented = exampleFor(mistake);
      writeFileSync(join(dir, 'my.yaml'), body);
      const r = run('my.yaml', 30);
      expect(r.status, mistake).toBe(1);
      expect(r.err.trim(), mistake).toBe(documented.trim());
    }
  });
});

/** The printed output under the README's `$ npx arb run --config my.yaml   # <mistake>` line. */
function exampleFor(mistake: string): string {
  const blocks = [...README.matchAll(/```\n\$ npx arb run --config my\.yaml +# ([^\n]+)\n([\s\S]*?)```/g)];
  const hit = blocks.find(([, m]) => m === mistake);
  if (!hit) throw new Error(`README.md has no error example "# ${mistake}"`);
  return hit[2]!;
}
