import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ARB = join(process.cwd(), 'bin', 'arb.js');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [ARB, 'deploy', ...args], { encoding: 'utf8', env: { ...process.env, STARKNET_ACCOUNT_ADDRESS: '', STARKNET_PRIVATE_KEY: '', ...env } });

describe('arb deploy', () => {
  it('refuses mainnet without --confirm-mainnet, before touching anything', () => {
    const r = run(['--network', 'mainnet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mainnet deploy refused: add --confirm-mainnet/);
  });

  it('refuses mainnet without a typed confirmation when not on a terminal', () => {
    const r = run(['--network', 'mainnet', '--confirm-mainnet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/typed confirmation/);
  });

  it('names the missing environment variable and an unknown network', () => {
    expect(run(['--network', 'devnet']).stderr).toMatch(/STARKNET_ACCOUNT_ADDRESS/);
    expect(run(['--network', 'devnet'], { STARKNET_ACCOUNT_ADDRESS: '0x1' }).stderr).toMatch(/STARKNET_PRIVATE_KEY/);
    expect(run(['--network', 'goerli']).stderr).toMatch(/--network must be one of devnet, sepolia, mainnet/);
  });

  it('asks for scarb artifacts before any network call, and never prints the key', () => {
    const key = '0x1234567890abcdef1234567890abcdef';
    const r = run(['--network', 'devnet', '--artifacts', mkdtempSync(join(tmpdir(), 'no-artifacts-'))], { STARKNET_ACCOUNT_ADDRESS: '0xabc', STARKNET_PRIVATE_KEY: key });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Run `scarb build`/);
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('an unreachable node is named by its origin (never the URL path or query, which carry keys) with what to check', () => {
    // Artifacts present (contents do not matter: the first network call fails before they are used).
    const artifacts = mkdtempSync(join(tmpdir(), 'fake-artifacts-'));
    for (const f of ['flash_arb_FlashArb.contract_class.json', 'flash_arb_FlashArb.compiled_contract_class.json']) writeFileSync(join(artifacts, f), '{}');
    const env = { STARKNET_ACCOUNT_ADDRESS: '0xabc', STARKNET_PRIVATE_KEY: '0x1234' };
    const r = run(['--network', 'sepolia', '--rpc-url', 'http://127.0.0.1:9/v0_8/APIKEY123', '--artifacts', artifacts], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the Starknet node at http:\/\/127\.0\.0\.1:9 did not answer \([^)]+\); nothing was declared or deployed\. Check --rpc-url/);
    expect(r.stderr).not.toContain('APIKEY123');
    expect(r.stderr.trim()).not.toBe('error: fetch failed');
  });
});
