/**
 * The specs of the exchange plugins a config names (VenueSpec, engine/core/venue-spec.ts),
 * read before the engine starts: the simulators must be listening before the connectors dial.
 * Loading a manifest runs no plugin code beyond its module's top level; register() runs later.
 */
import { importManifest } from '../core/plugin-loader.ts';
import { registerVenueSpec, type VenueSpec } from '../core/venue-spec.ts';

export async function loadVenueSpecs(plugins: readonly string[], baseDir: string): Promise<VenueSpec[]> {
  const specs: VenueSpec[] = [];
  for (const [i, ref] of plugins.entries()) {
    const manifest = await importManifest(ref, `plugins[${i}]`, baseDir);
    if (manifest.kind !== 'exchange' || !manifest.spec) continue;
    registerVenueSpec(manifest.spec);
    specs.push(manifest.spec);
  }
  return specs;
}
