/**
 * Built-in plugins, loaded by name from the config's `plugins` list. Imported lazily so a
 * config that does not name a plugin never loads its dependencies.
 */
import type { PluginManifest } from './plugin.ts';

type ModuleLoader = () => Promise<{ default?: PluginManifest; plugin?: PluginManifest }>;

export const BUILTIN_PLUGINS: Record<string, ModuleLoader> = {
  'exchange:paradex': () => import('../../plugins/exchanges/paradex/index.ts'),
  'exchange:vest': () => import('../../plugins/exchanges/vest/index.ts'),
  'exchange:lighter': () => import('../../plugins/exchanges/lighter/index.ts'),
  'fee-model:table': () => import('../../plugins/fees/table/index.ts'),
  'strategy:cross-exchange': () => import('../../plugins/strategies/cross-exchange/index.ts'),
  'strategy:flash-loan': () => import('../../plugins/strategies/flash-loan/index.ts'),
  'strategy:funding-arb': () => import('../../plugins/strategies/funding-arb/index.ts'),
};
