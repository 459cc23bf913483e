/**
 * `arb deploy`: declare and deploy the FlashArb contract from scarb's artifacts with starknet.js.
 * The deploying account comes from the environment, never from flags (flags end up in shell
 * history). Mainnet needs `--confirm-mainnet` and a typed confirmation.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { registerSecret } from '../core/logger.ts';

export interface DeployCommandOptions {
  network: string;
  rpcUrl?: string;
  artifacts: string;
  accountEnv: string;
  keyEnv: string;
  owner?: string;
  confirmMainnet?: boolean;
  yes?: boolean;
}

export class DeployCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployCommandError';
  }
}

const NETWORKS = ['devnet', 'sepolia', 'mainnet'] as const;

export async function deployCommand(opts: DeployCommandOptions, out: (line: string) => void = console.log): Promise<void> {
  const network = opts.network as (typeof NETWORKS)[number];
  if (!NETWORKS.includes(network)) throw new DeployCommandError(`--network must be one of ${NETWORKS.join(', ')}, got "${opts.network}"`);
  if (network === 'mainnet') {
    if (!opts.confirmMainnet) throw new DeployCommandError('mainnet deploy refused: add --confirm-mainnet (this spends real funds)');
    if (!opts.yes) await confirmTyped(out);
  }
  const accountAddress = process.env[opts.accountEnv];
  const privateKey = process.env[opts.keyEnv];
  if (!accountAddress) throw new DeployCommandError(`environment variable ${opts.accountEnv} (the deploying account address) is not set`);
  if (!privateKey) throw new DeployCommandError(`environment variable ${opts.keyEnv} (the deploying account's private key) is not set`);
  registerSecret(privateKey);
  const { deployArbContract } = await import('../../devnet/deploy.ts');
  out(`Deploying FlashArb to ${network} from ${resolve(opts.artifacts)} ...`);
  const result = await deployArbContract({
    network,
    rpcUrl: opts.rpcUrl,
    accountAddress,
    privateKey,
    artifactsDir: resolve(opts.artifacts),
    confirmMainnet: opts.confirmMainnet === true,
    owner: opts.owner,
  });
  out(`  class hash:       ${result.classHash}${result.declareTxHash ? ` (declared in ${result.declareTxHash})` : ' (already declared)'}`);
  out(`  contract address: ${result.contractAddress}`);
  out(`  owner:            ${result.owner}`);
  out(`  deploy tx:        ${result.deployTxHash}`);
  out(`Put the contract address in strategies.flash-loan.contract to trade it live.`);
}

async function confirmTyped(out: (line: string) => void): Promise<void> {
  if (!process.stdin.isTTY) throw new DeployCommandError('mainnet deploy needs a typed confirmation on a terminal, or --yes for supervised automation');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  out('You are about to deploy to Starknet MAINNET with real funds.');
  const answer = await rl.question('Type "deploy mainnet" to continue: ');
  rl.close();
  if (answer.trim() !== 'deploy mainnet') throw new DeployCommandError('mainnet deploy cancelled');
}
