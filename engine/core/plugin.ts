/**
 * Plugin manifest: what every plugin module exports (as `default` or `plugin`).
 *
 * The config's `plugins` list names what loads: built-ins by name ("exchange:paradex"),
 * others by file path or package name. A plugin registers what it provides through the
 * context; the loader refuses duplicates and names the plugin and config path in every error.
 */
import type { Container } from 'inversify';
import type { ExchangeConnector, ExchangeFactoryInput } from '../exchange/connector.ts';
import type { Logger } from './logger.ts';
import type { VenueSpec } from './venue-spec.ts';

export type * from './venue-spec.ts';

export type PluginKind = 'exchange' | 'fee-model' | 'strategy' | 'lender' | (string & {});

export interface PluginManifest {
  kind: PluginKind;
  /** Unique within its kind; for exchanges it is the venue id used in config (`venues.<name>`). */
  name: string;
  description?: string;
  /** Exchanges: the venue described as data (engine/core/venue-spec.ts); the loader registers it. */
  spec?: VenueSpec;
  register(ctx: PluginContext): void | Promise<void>;
}

export interface PluginContext {
  /** The engine's container, for plugins that bind their own services. */
  readonly container: Container;
  readonly logger: Logger;
  readonly live: boolean;
  /** This plugin's options: `venues.<name>` for exchanges, `strategies.<name>` for strategies, etc. */
  readonly options: unknown;
  /** Path of those options in the config file, for error messages ("venues.paradex"). */
  readonly optionsPath: string;
  provideExchange(factory: (input: ExchangeFactoryInput) => ExchangeConnector): void;
  provideFeeModel(model: import('../simulation/fees.ts').FeeModel): void;
  provideStrategy(factory: import('../strategy/strategy.ts').StrategyFactory): void;
}

export function definePlugin(manifest: PluginManifest): PluginManifest {
  return manifest;
}
