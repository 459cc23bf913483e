import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findStarknetToolchain } from '../../devnet/toolchain.ts';
import {
  deployMarket,
  runCycle,
  scarbBuild,
  startDevnet,
  tokenBalance,
  type DevnetMarket,
  type RunningDevnet,
} from '../../devnet/harness.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolchain = findStarknetToolchain();
const missing = toolchain.missing.length > 0;
if (missing) {
  console.log(`devnet end-to-end skipped: missing ${toolchain.missing.join(' and ')} on PATH`);
}

describe.skipIf(missing)('flash-loan cycle on starknet-devnet', () => {
  let run: RunningDevnet;
  let market: DevnetMarket;

  beforeAll(async () => {
    scarbBuild(toolchain.scarb!, repoRoot);
    run = await startDevnet(toolchain.devnet!);
    market = await deployMarket(run, join(repoRoot, 'target', 'dev'));
  }, 300_000);

  afterAll(() => run?.stop());

  it('pays the owner 700 on the zkLend-shaped lender (10_709 back - 10_000 - fee 9)', async () => {
    const before = await tokenBalance(run, market.token, run.account.address);
    await runCycle(run, market, 'zkLend', 10_000n, 700n);
    expect(await tokenBalance(run, market.token, run.account.address)).toBe(before + 700n);
    expect(await tokenBalance(run, market.token, market.zklend)).toBe(1_000_009n);
  }, 120_000);

  it('rejects a cycle whose minimum profit is above what the pools give', async () => {
    await expect(runCycle(run, market, 'vesu', 10_000n, 10n ** 9n)).rejects.toThrow();
  }, 120_000);
});
