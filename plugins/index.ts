/**
 * The built-in plugins, loaded by name from the config's `plugins` list ("exchange:paradex").
 * Imported lazily so a config that does not name a plugin never loads its dependencies.
 * The core knows none of these by name: it reads this list (engine/core/builtins.ts).
 */
import type { PluginManifest } from '../engine/core/plugin.ts';

export type PluginModuleLoader = () => Promise<{ default?: PluginManifest; plugin?: PluginManifest }>;

export const BUILTIN_PLUGINS: Readonly<Record<string, PluginModuleLoader>> = {
  'exchange:paradex': () => import('./exchanges/paradex/index.ts'),
  'exchange:vest': () => import('./exchanges/vest/index.ts'),
  'exchange:lighter': () => import('./exchanges/lighter/index.ts'),
  'fee-model:table': () => import('./fees/table/index.ts'),
  'strategy:cross-exchange': () => import('./strategies/cross-exchange/index.ts'),
  'strategy:flash-loan': () => import('./strategies/flash-loan/index.ts'),
  'strategy:funding-arb': () => import('./strategies/funding-arb/index.ts'),
  'strategy:maker-taker': () => import('./strategies/maker-taker/index.ts'),
};
