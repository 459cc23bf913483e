/**
 * End-to-end harness on starknet-devnet: builds with scarb, starts devnet on loopback, declares
 * and deploys the mocks and FlashArb from target/dev, funds two pools with a price gap, and
 * runs a cycle through starknet.js with calldata from plugins/strategies/flash-loan/calldata.ts.
 */
import { execFileSync } from 'node:child_process';
import { Account, RpcProvider, type Call } from 'starknet';
import { Devnet } from 'starknet-devnet';
import { encodeStartCycle, routerRoute, toHexCalldata, type LenderKind } from '../plugins/strategies/flash-loan/calldata.ts';
import { readContractArtifacts } from './artifacts.ts';
import { startCycleCall } from './deploy.ts';

export function scarbBuild(scarb: string, repoRoot: string): void {
  execFileSync(scarb, ['build'], { cwd: repoRoot, stdio: 'pipe' });
}

export interface RunningDevnet {
  devnet: Devnet;
  provider: RpcProvider;
  account: Account;
  stop(): void;
}

/** Starts devnet on 127.0.0.1 (free port chosen by starknet-devnet) with one funded account. */
export async function startDevnet(devnetBinary: string): Promise<RunningDevnet> {
  const devnet = await Devnet.spawnCommand(devnetBinary, {
    args: ['--host', '127.0.0.1', '--seed', '0', '--accounts', '1'],
    stdout: 'ignore',
    stderr: 'ignore',
    maxStartupMillis: 20_000,
  });
  const [predeployed] = await devnet.provider.getPredeployedAccounts();
  if (!predeployed) throw new Error('starknet-devnet returned no predeployed account');
  const provider = new RpcProvider({ nodeUrl: `${devnet.provider.url}/rpc` });
  const account = new Account({ provider, address: predeployed.address, signer: predeployed.private_key });
  return { devnet, provider, account, stop: () => void devnet.kill() };
}

async function declareAndDeploy(
  run: RunningDevnet,
  artifactsDir: string,
  contract: string,
  constructorCalldata: string[],
): Promise<string> {
  const { sierra, casm } = readContractArtifacts(artifactsDir, contract);
  const declared = await run.account.declareIfNot({ contract: sierra, casm });
  if (declared.transaction_hash) await run.provider.waitForTransaction(declared.transaction_hash);
  const deployed = await run.account.deployContract({ classHash: declared.class_hash, constructorCalldata });
  await run.provider.waitForTransaction(deployed.transaction_hash);
  return deployed.contract_address;
}

async function execute(run: RunningDevnet, calls: Call[]): Promise<void> {
  const tx = await run.account.execute(calls);
  await run.provider.waitForTransaction(tx.transaction_hash);
}

const u256 = (v: bigint): string[] => ['0x' + (v % 2n ** 128n).toString(16), '0x' + (v / 2n ** 128n).toString(16)];

export interface DevnetMarket {
  token: string;
  mid: string;
  poolA: string;
  poolB: string;
  zklend: string;
  vesu: string;
  arb: string;
}

/** The same market as contracts/src/tests/setup.cairo, owned by the devnet account. */
export async function deployMarket(run: RunningDevnet, artifactsDir: string): Promise<DevnetMarket> {
  const token = await declareAndDeploy(run, artifactsDir, 'MockERC20', ['0x544b4e', '18']);
  const mid = await declareAndDeploy(run, artifactsDir, 'MockERC20', ['0x4d4944', '18']);
  const poolA = await declareAndDeploy(run, artifactsDir, 'MockConstantProductPool', [token, mid, ...u256(30n)]);
  const poolB = await declareAndDeploy(run, artifactsDir, 'MockConstantProductPool', [mid, token, ...u256(30n)]);
  const zklend = await declareAndDeploy(run, artifactsDir, 'MockZkLendMarket', [token, '0x' + (9n * 10n ** 23n).toString(16)]);
  const vesu = await declareAndDeploy(run, artifactsDir, 'MockVesuLender', []);
  const arb = await declareAndDeploy(run, artifactsDir, 'FlashArb', [run.account.address]);
  const mint = (tokenAddr: string, to: string, amount: bigint): Call => ({
    contractAddress: tokenAddr,
    entrypoint: 'mint',
    calldata: [to, ...u256(amount)],
  });
  await execute(run, [
    mint(token, poolA, 1_000_000n),
    mint(mid, poolA, 2_200_000n),
    mint(mid, poolB, 2_000_000n),
    mint(token, poolB, 1_000_000n),
    mint(token, zklend, 1_000_000n),
    mint(token, vesu, 1_000_000n),
  ]);
  return { token, mid, poolA, poolB, zklend, vesu, arb };
}

export async function tokenBalance(run: RunningDevnet, token: string, owner: string): Promise<bigint> {
  const [low = '0x0', high = '0x0'] = await run.provider.callContract({ contractAddress: token, entrypoint: 'balance_of', calldata: [owner] });
  return BigInt(low) + (BigInt(high) << 128n);
}

/** Runs one cycle as the owner; resolves when the transaction is accepted. */
export async function runCycle(
  run: RunningDevnet,
  market: DevnetMarket,
  lenderKind: LenderKind,
  amount: bigint,
  minProfit: bigint,
): Promise<void> {
  const felts = encodeStartCycle({
    lenderKind,
    lender: lenderKind === 'zkLend' ? market.zklend : market.vesu,
    token: market.token,
    amount,
    route: routerRoute(market.poolA, market.poolB, market.mid),
    minProfit,
  });
  await execute(run, [startCycleCall(market.arb, toHexCalldata(felts))]);
}
