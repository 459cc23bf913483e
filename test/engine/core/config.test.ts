import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../../engine/core/config.ts';
import { ConfigError, parseOptions } from '../../../engine/core/config-errors.ts';
import { z } from 'zod';

const minimal = { plugins: ['exchange:paradex'], instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP' } } };

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('defaults to dry-run and fills defaults', () => {
    const c = parseConfig(minimal);
    expect(c.mode).toBe('dry-run');
    expect(c.simulation.desync).toEqual({ lowAgeMs: 1000, highAgeMs: 5000, lowGapMs: 500, highGapMs: 2000 });
    expect(c.market.maxBookAgeMs).toBe(5000);
  });

  it('names the exact field path, the bad value and the expectation', () => {
    const p = problems({ ...minimal, mode: 'yolo', simulation: { desync: { lowAgeMs: -1 } } });
    expect(p.find((x) => x.startsWith('mode:'))).toMatch(/"dry-run"\|"live"|dry-run.*live/);
    expect(p.find((x) => x.startsWith('mode:'))).toContain('"yolo"');
    expect(p.some((x) => x.startsWith('simulation.desync.lowAgeMs:') && x.includes('-1'))).toBe(true);
  });

  it('names unknown keys and array positions', () => {
    expect(problems({ ...minimal, modee: 'live' }).join('\n')).toMatch(/modee/);
    expect(problems({ ...minimal, plugins: ['ok', 42] }).join('\n')).toMatch(/plugins\[1\]/);
    expect(problems({ ...minimal, instruments: {} }).join('\n')).toMatch(/instruments/);
  });

  it('never prints a secret back', () => {
    const schema = z.object({ privateKey: z.object({ env: z.string() }) });
    try {
      parseOptions(schema, { privateKey: '0xdeadbeefcafebabe1234' }, 'venues.paradex');
      throw new Error('expected failure');
    } catch (err) {
      expect((err as Error).message).toContain('venues.paradex.privateKey');
      expect((err as Error).message).not.toContain('deadbeef');
      expect((err as Error).message).toContain('(hidden)');
    }
  });

  it('shows a token address (it printed "(got (hidden))" for midToken), hides bearer tokens and keys', () => {
    const schema = z.object({ midToken: z.number(), token: z.number(), apiToken: z.number(), listenToken: z.number(), signingKey: z.number() });
    const bad = { midToken: '0x49d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7', token: 'abc.def.ghi', apiToken: 'tok-123', listenToken: 'lk-9', signingKey: '0xfeed' };
    const text = (() => {
      try {
        parseOptions(schema, bad, 'strategies.flash-loan');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(text).toContain('strategies.flash-loan.midToken: Invalid input: expected number, received string (got "0x49d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7")');
    for (const secret of ['abc.def.ghi', 'tok-123', 'lk-9', '0xfeed']) expect(text).not.toContain(secret);
    expect(text.match(/\(hidden\)/g)).toHaveLength(4);
    // A bare `token` holding a hex address is an ERC-20, shown.
    expect(() => parseOptions(schema, { ...bad, token: '0x1234' }, 'x')).toThrow(/x\.token: .*\(got "0x1234"\)/);
  });

  it('a missing field reads "required", whatever its name (a missing token printed "(got (hidden))")', () => {
    const schema = z.object({ token: z.object({ address: z.string() }), maxBorrow: z.union([z.string(), z.number()]), name: z.string() });
    let text = '';
    try {
      parseOptions(schema, {}, 'strategies.flash-loan');
    } catch (err) {
      text = (err as Error).message;
    }
    expect(text.split('\n').slice(1)).toEqual([
      '  - strategies.flash-loan.token: required (missing)',
      '  - strategies.flash-loan.maxBorrow: required (missing)',
      '  - strategies.flash-loan.name: required (missing)',
    ]);
  });

  it('reads YAML and JSON files and reports parse errors with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-config-'));
    writeFileSync(join(dir, 'a.yaml'), 'plugins: [exchange:paradex]\ninstruments:\n  X: { paradex: X }\n');
    expect(loadConfigFile(join(dir, 'a.yaml')).plugins).toEqual(['exchange:paradex']);
    writeFileSync(join(dir, 'b.json'), JSON.stringify(minimal));
    expect(loadConfigFile(join(dir, 'b.json')).mode).toBe('dry-run');
    writeFileSync(join(dir, 'c.yaml'), 'plugins: [\n');
    expect(() => loadConfigFile(join(dir, 'c.yaml'))).toThrow(/c\.yaml[\s\S]*not valid YAML/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read config file/);
  });
});
