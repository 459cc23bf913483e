/**
 * Loads the plugins the config names, in order, and collects what each provides.
 * Every error names the plugin as written in the config and its position (`plugins[2]`).
 */
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container } from 'inversify';
import type { ExchangeConnector, ExchangeFactoryInput } from '../exchange/connector.ts';
import type { FeeModel } from '../simulation/fees.ts';
import type { StrategyFactory } from '../strategy/strategy.ts';
import { BUILTIN_PLUGINS } from './builtins.ts';
import type { Logger } from './logger.ts';
import type { PluginContext, PluginManifest } from './plugin.ts';
import { registerVenueSpec } from './venue-spec.ts';

export class PluginLoadError extends Error {
  constructor(
    readonly plugin: string,
    readonly configPath: string,
    reason: string,
  ) {
    super(`plugin "${plugin}" (config ${configPath}): ${reason}`);
    this.name = 'PluginLoadError';
  }
}

export type ExchangeFactory = (input: ExchangeFactoryInput) => ExchangeConnector;

export interface LoadedPlugins {
  manifests: PluginManifest[];
  exchanges: Map<string, { factory: ExchangeFactory; options: unknown; optionsPath: string }>;
  feeModels: FeeModel[];
  strategies: Map<string, { factory: StrategyFactory; options: unknown; optionsPath: string }>;
}

export interface LoaderInput {
  plugins: string[];
  /** Config sections plugins read their options from. */
  sections: { venues: Record<string, unknown>; strategies: Record<string, unknown>; fees: Record<string, unknown> };
  container: Container;
  logger: Logger;
  live: boolean;
  /** Directory relative plugin paths are resolved against (the config file's). */
  baseDir: string;
}

const SECTION_OF_KIND: Record<string, keyof LoaderInput['sections']> = {
  exchange: 'venues',
  strategy: 'strategies',
  'fee-model': 'fees',
};

export async function loadPlugins(input: LoaderInput): Promise<LoadedPlugins> {
  const loaded: LoadedPlugins = { manifests: [], exchanges: new Map(), feeModels: [], strategies: new Map() };
  const seen = new Set<string>();
  for (const [i, ref] of input.plugins.entries()) {
    const at = `plugins[${i}]`;
    const manifest = await importManifest(ref, at, input.baseDir);
    const id = `${manifest.kind}:${manifest.name}`;
    if (seen.has(id)) throw new PluginLoadError(ref, at, `duplicate: ${id} is already loaded; list it once`);
    seen.add(id);
    const section = SECTION_OF_KIND[manifest.kind];
    const options = section ? input.sections[section][manifest.name] : undefined;
    const optionsPath = section ? `${section}.${manifest.name}` : `(${id} takes no options)`;
    const ctx: PluginContext = {
      container: input.container,
      logger: input.logger.child({ plugin: id }),
      live: input.live,
      options,
      optionsPath,
      provideExchange(factory) {
        if (loaded.exchanges.has(manifest.name)) {
          throw new PluginLoadError(ref, at, `duplicate binding: an exchange named "${manifest.name}" is already provided`);
        }
        loaded.exchanges.set(manifest.name, { factory, options, optionsPath });
      },
      provideFeeModel(model) {
        if (loaded.feeModels.some((m) => m.name === model.name)) {
          throw new PluginLoadError(ref, at, `duplicate binding: a fee model named "${model.name}" is already provided`);
        }
        loaded.feeModels.push(model);
      },
      provideStrategy(factory) {
        if (loaded.strategies.has(factory.name)) {
          throw new PluginLoadError(ref, at, `duplicate binding: a strategy named "${factory.name}" is already provided`);
        }
        loaded.strategies.set(factory.name, { factory, options, optionsPath });
      },
    };
    // A venue described as data: the core's venue defaults (gas, funding style, fees) read it.
    if (manifest.kind === 'exchange' && manifest.spec) registerVenueSpec(manifest.spec);
    try {
      await manifest.register(ctx);
    } catch (err) {
      if (err instanceof PluginLoadError) throw err;
      throw new PluginLoadError(ref, at, `failed while loading: ${(err as Error).message}`);
    }
    loaded.manifests.push(manifest);
  }
  return loaded;
}

export async function importManifest(ref: string, at: string, baseDir: string): Promise<PluginManifest> {
  let mod: { default?: unknown; plugin?: unknown };
  try {
    const builtin = BUILTIN_PLUGINS[ref];
    if (builtin) mod = await builtin();
    else if (/^[a-z-]+:[\w-]+$/.test(ref)) {
      const known = Object.keys(BUILTIN_PLUGINS).join(', ');
      throw new PluginLoadError(ref, at, `unknown built-in plugin; built-ins are: ${known}`);
    } else mod = await import(resolveRef(ref, baseDir));
  } catch (err) {
    if (err instanceof PluginLoadError) throw err;
    throw new PluginLoadError(ref, at, `cannot load: ${(err as Error).message}`);
  }
  const manifest = (mod.default ?? mod.plugin) as Partial<PluginManifest> | undefined;
  if (!manifest || typeof manifest !== 'object' || typeof manifest.register !== 'function' || !manifest.kind || !manifest.name) {
    throw new PluginLoadError(ref, at, 'does not export a plugin manifest ({ kind, name, register }) as default or `plugin`');
  }
  return manifest as PluginManifest;
}

function resolveRef(ref: string, baseDir: string): string {
  const isPath = ref.startsWith('.') || isAbsolute(ref) || /\.(ts|js|mjs)$/.test(ref);
  if (isPath) return pathToFileURL(isAbsolute(ref) ? ref : resolve(baseDir, ref)).href;
  // A package name: resolve from the user's project first, then from the engine.
  try {
    return pathToFileURL(createRequire(resolve(baseDir, 'package.json')).resolve(ref)).href;
  } catch {
    return ref;
  }
}
