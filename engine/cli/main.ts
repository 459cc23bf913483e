/**
 * `arb` command line. Each command lives in its own module; this file only declares them.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/config-errors.ts';
// Commands are imported when run, so `arb --help` and `arb deploy` do not load the whole engine.

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

export function buildProgram(): Command {
  const program = new Command('arb')
    .description('Arbitrage engine for perpetual-futures DEXs (Paradex, Vest, Lighter). Dry-run unless --live.')
    .showHelpAfterError();

  program
    .command('run')
    .description('Stream books from the configured venues, detect cross-venue spreads and judge them (dry-run by default)')
    .option('-c, --config <file>', 'config file (YAML or JSON); without it, the built-in demo on local venue simulators')
    .option('--live', 'send real orders: needs mode "live" in the config and a confirmation (not in dry-run)')
    .option('-y, --yes', 'skip the live-mode confirmation prompt (for supervised automation only)')
    .option('-d, --duration <seconds>', 'stop by itself after this many seconds', positiveNumber('--duration'))
    .option('-q, --quiet', 'do not print the periodic summary line')
    .option('--record', 'record the market data received (config `recording`; default dir beside the journal)')
    .option('--log-json', 'log lines on stderr as JSON objects (pino) instead of readable lines')
    .addHelpText(
      'after',
      '\nExamples:\n  arb run                               # demo: simulators on loopback, dry-run\n  arb run --config my.yaml              # dry-run on the venues in my.yaml\n  arb run --config my.yaml --live       # live trading after a confirmation',
    )
    .action(async (opts) => (await import('./run-command.ts')).runCommand(opts));

  program
    .command('replay')
    .description('Feed a market-data recording through the engine (hub, strategy, simulator, journal) into a journal of its own')
    .requiredOption('--from <path>', 'recording directory or one segment file (md-*.ndjson.gz)')
    .option('-c, --config <file>', 'what-if config (thresholds, sizes, fee preset); default: the config the recording was made with')
    .option('--speed <x>', 'replay at x times recorded speed', positiveNumber('--speed'))
    .option('--fast', 'as fast as the engine goes (the default)')
    .option('-j, --journal <path>', 'journal to write (replaced if it holds only replays)', 'data/replay-journal.sqlite')
    .option('-q, --quiet', 'no progress bar')
    .option('--log-json', 'log lines on stderr as JSON objects (pino) instead of readable lines')
    .addHelpText('after', '\nExamples:\n  arb replay --from data/recordings\n  arb replay --from data/recordings --config what-if.yaml --journal data/what-if.sqlite\n  arb report --journal data/what-if.sqlite --out what-if.html')
    .action(async (opts) => (await import('./replay-command.ts')).replayCommand(opts));

  program
    .command('report')
    .description('Summarize a journal in the terminal and, with --out, as an HTML report with charts (works offline)')
    .option('-j, --journal <path>', 'journal to read (default: data/journal.sqlite, else the newest journal in data/)')
    .option('--since <when>', 'only judgments since: 30m, 12h, 7d, 2w or an ISO date')
    .option('-o, --out <file>', 'write the HTML report here')
    .option('--episode-gap <seconds>', 'judgments further apart than this start a new episode', positiveNumber('--episode-gap'), 10)
    .option('-q, --quiet', 'no progress bar')
    .action(async (opts) => void (await (await import('./report-command.ts')).reportCommand(opts)));

  program
    .command('deploy')
    .description('Declare and deploy the FlashArb Cairo contract from scarb artifacts (run `scarb build` first)')
    .requiredOption('-n, --network <network>', 'devnet, sepolia or mainnet')
    .option('--rpc-url <url>', 'Starknet JSON-RPC URL (required for sepolia and mainnet; devnet defaults to http://127.0.0.1:5050)')
    .option('--artifacts <dir>', "scarb's output directory", 'target/dev')
    .option('--account-env <name>', 'environment variable holding the deploying account address', 'STARKNET_ACCOUNT_ADDRESS')
    .option('--key-env <name>', "environment variable holding that account's private key", 'STARKNET_PRIVATE_KEY')
    .option('--owner <address>', 'owner of the contract (default: the deploying account)')
    .option('--confirm-mainnet', 'required to deploy to mainnet')
    .option('-y, --yes', 'skip the typed mainnet confirmation (supervised automation only)')
    .addHelpText('after', '\nExample:\n  scarb build && STARKNET_ACCOUNT_ADDRESS=0x.. STARKNET_PRIVATE_KEY=0x.. arb deploy --network sepolia --rpc-url https://your-node/rpc')
    .action(async (opts) => (await import('./deploy-command.ts')).deployCommand(opts));

  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`;
    console.error(message);
    process.exitCode = 1;
    // Backstop: an error path must end the process within a second even if a socket or timer a
    // failed start left behind would keep it alive (unref: a clean exit does not wait for it).
    setTimeout(() => process.exit(1), 1_000).unref();
  }
}

await main();
