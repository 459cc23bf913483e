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
  }).catch((err: Error) => {
    throw unreachableNode(err, network, opts.rpcUrl) ?? err;
  });
  out(`  class hash:       ${result.classHash}${result.declareTxHash ? ` (declared in ${result.declareTxHash})` : ' (already declared)'}`);
  out(`  contract address: ${result.contractAddress}`);
  out(`  owner:            ${result.owner}`);
  out(`  deploy tx:        ${result.deployTxHash}`);
  out(`Put the contract address in strategies.flash-loan.contract to trade it live.`);
}

/**
 * A node that does not answer surfaces from fetch as a bare "fetch failed" (the reason is in
 * `cause`). Say which node (its origin only: provider URLs often carry an API key in the path or
 * query) and what to check; other errors pass through unchanged.
 */
export function unreachableNode(err: Error, network: string, rpcUrl: string | undefined): DeployCommandError | undefined {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (err.message !== 'fetch failed' && !/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(err.message)) return undefined;
  let node = 'http://127.0.0.1:5050 (the devnet default)';
  if (rpcUrl) {
    try {
      node = new URL(rpcUrl).origin;
    } catch {
      node = '(the --rpc-url given)';
    }
  }
  // starknet.js drops fetch's cause: then all we know is that no answer came.
  const why = cause?.code ?? cause?.message ?? (err.message === 'fetch failed' ? 'connection refused, unknown host or timed out' : err.message);
  return new DeployCommandError(
    `the Starknet node at ${node} did not answer (${why}); nothing was declared or deployed. ` +
      (network === 'devnet' && !rpcUrl ? 'Start starknet-devnet (`starknet-devnet --seed 0`) or pass --rpc-url.' : 'Check --rpc-url and that the node is up and reachable from here.'),
  );
}

async function confirmTyped(out: (line: string) => void): Promise<void> {
  if (!process.stdin.isTTY) throw new DeployCommandError('mainnet deploy needs a typed confirmation on a terminal, or --yes for supervised automation');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  out('You are about to deploy to Starknet MAINNET with real funds.');
  const answer = await rl.question('Type "deploy mainnet" to continue: ');
  rl.close();
  if (answer.trim() !== 'deploy mainnet') throw new DeployCommandError('mainnet deploy cancelled');
}
