/**
 * strategy:flash-loan — atomic flash-loan cycles between Starknet pools, Paradex as reference.
 * Options: `strategies.flash-loan` (see options.ts and the README's flash-loan section).
 */
import { ConfigError } from '../../../engine/core/config-errors.ts';
import { definePlugin } from '../../../engine/core/plugin.ts';
import { EnvironmentSecrets } from '../../../engine/core/secrets.ts';
import type { OnChainGate } from '../../../engine/risk/on-chain-gate.ts';
import { RISK_TOKENS } from '../../../engine/risk/tokens.ts';
import { StarknetCycleSender } from './cycle-sender.ts';
import { parseFlashLoanOptions } from './options.ts';
import { RpcPoolSource } from './pool-reader.ts';
import { SimulatedPools, withSimulatedPools } from './simulated-pools.ts';
import { FlashLoanStrategy } from './strategy.ts';

export default definePlugin({
  kind: 'strategy',
  name: 'flash-loan',
  description: 'Flash-loan arbitrage between Starknet pools through the FlashArb contract (Ekubo lock, Vesu V2 or zkLend-shaped lender)',
  register(ctx) {
    const options = parseFlashLoanOptions(ctx.options, ctx.optionsPath);
    // Loopback pools are a dry-run demo: no contract or lender stands behind them. Said at
    // registration, so a live run stops before its confirmation prompt.
    if (options.simulator && ctx.live) throw new ConfigError([`${ctx.optionsPath}.simulator: loopback pools are for dry-run only; remove it and set rpcUrl to trade live`]);
    ctx.provideStrategy({
      name: 'flash-loan',
      create(deps) {
        if (!deps.journal) throw new Error('strategy:flash-loan needs the engine journal');
        let sender;
        if (deps.live) {
          if (!options.contract || !options.account) {
            throw new ConfigError([`${ctx.optionsPath}: live flash-loan trading needs "contract" (npx arb deploy) and "account" { address, privateKey: { env | file } }`]);
          }
          if (options.strkUsd === undefined) {
            // Each cycle is simulated and min_profit must cover the simulated fee, paid in STRK.
            throw new ConfigError([`${ctx.optionsPath}.strkUsd: required to trade live (the STRK price in USD: min_profit covers the simulated fee, paid in STRK)`]);
          }
          const key = new EnvironmentSecrets().read(options.account.privateKey, `${ctx.optionsPath}.account.privateKey`);
          sender = new StarknetCycleSender(options, options.contract, options.account.address, key);
        }
        // start_cycle goes through the engine's on-chain risk gate, bound when the engine starts live.
        const gate = () => (ctx.container.isBound(RISK_TOKENS.OnChainGate) ? ctx.container.get<OnChainGate>(RISK_TOKENS.OnChainGate) : undefined);
        if (options.simulator) {
          const pools = new SimulatedPools(deps, options);
          return withSimulatedPools(new FlashLoanStrategy(deps, options, pools, deps.journal, sender, true, gate), pools);
        }
        return new FlashLoanStrategy(deps, options, new RpcPoolSource(options.rpcUrl), deps.journal, sender, true, gate);
      },
    });
  },
});
