/**
 * `arb` command line. Each command lives in its own module; this file only declares them.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/config-errors.ts';
import { runCommand } from './run-command.ts';

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number of seconds, got "${value}"`);
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
    .addHelpText(
      'after',
      '\nExamples:\n  arb run                               # demo: simulators on loopback, dry-run\n  arb run --config my.yaml              # dry-run on the venues in my.yaml\n  arb run --config my.yaml --live       # live trading after a confirmation',
    )
    .action(async (opts) => runCommand(opts));

  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`;
    console.error(message);
    process.exitCode = 1;
  }
}

await main();
