import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactsMissingError, readContractArtifacts } from '../../devnet/artifacts.ts';
import { deployArbContract, DeployRefusedError, resolveRpcUrl, startCycleCall, type DeployArbOptions } from '../../devnet/deploy.ts';

const emptyDir = mkdtempSync(join(tmpdir(), 'arb-artifacts-'));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

const options = (overrides: Partial<DeployArbOptions> = {}): DeployArbOptions => ({
  network: 'devnet',
  accountAddress: '0x64b48806902a367c8598f4f95c305e8c1a1acba5f082d294a43793113115691',
  privateKey: '0x71d7bb07b9a64f6f78ac4c816aff4da9',
  artifactsDir: emptyDir,
  confirmMainnet: false,
  ...overrides,
});

describe('deployArbContract guards (no network reached)', () => {
  it('refuses mainnet unless confirmMainnet is true', async () => {
    await expect(deployArbContract(options({ network: 'mainnet', rpcUrl: 'http://127.0.0.1:1' }))).rejects.toThrow(DeployRefusedError);
    await expect(deployArbContract(options({ network: 'mainnet', rpcUrl: 'http://127.0.0.1:1' }))).rejects.toThrow(/confirmMainnet/);
  });
  it('tells the user to run scarb build when artifacts are missing', async () => {
    await expect(deployArbContract(options())).rejects.toThrow(ArtifactsMissingError);
    await expect(deployArbContract(options())).rejects.toThrow(/scarb build/);
    await expect(deployArbContract(options({ network: 'mainnet', confirmMainnet: true, rpcUrl: 'http://127.0.0.1:1' }))).rejects.toThrow(/flash_arb_FlashArb\.contract_class\.json/);
  });
  it('names malformed account fields', async () => {
    await expect(deployArbContract(options({ accountAddress: 'alice' }))).rejects.toThrow(/accountAddress/);
    await expect(deployArbContract(options({ privateKey: '12' }))).rejects.toThrow(/privateKey/);
  });
  it('needs an RPC URL off devnet', () => {
    expect(resolveRpcUrl({ network: 'devnet' })).toBe('http://127.0.0.1:5050');
    expect(() => resolveRpcUrl({ network: 'sepolia' })).toThrow(/rpcUrl/);
  });
});

describe('artifacts', () => {
  it('reads scarb-named Sierra and CASM files', () => {
    writeFileSync(join(emptyDir, 'flash_arb_MockERC20.contract_class.json'), '{"sierra_program":[]}');
    writeFileSync(join(emptyDir, 'flash_arb_MockERC20.compiled_contract_class.json'), '{"bytecode":[]}');
    const a = readContractArtifacts(emptyDir, 'MockERC20');
    expect(a.sierra).toEqual({ sierra_program: [] });
    expect(a.casm).toEqual({ bytecode: [] });
  });
  it('builds a start_cycle call', () => {
    expect(startCycleCall('0x1', ['0x0', '0x2'])).toEqual({ contractAddress: '0x1', entrypoint: 'start_cycle', calldata: ['0x0', '0x2'] });
  });
});
