/** Wires the metrics tap into an engine and serves it, from the config's `metrics` section. */
import type { Clock } from '../core/clock.ts';
import type { Engine } from '../core/engine.ts';
import type { MetricsConfig } from './config.ts';
import { EngineMetrics, type RecorderGauge } from './engine-metrics.ts';
import { makerTakerFamilies, type MeteredDesk } from './maker-taker-metrics.ts';
import { startMetricsServer, type MetricsServer } from './server.ts';

export async function attachMetrics(
  engine: Engine,
  config: MetricsConfig,
  clock: Clock,
  recorder?: RecorderGauge,
  /** The engine's quote desks (assemble's `quoting`): their counters join the endpoint. */
  quoting?: { desks: readonly MeteredDesk[] },
): Promise<{ metrics: EngineMetrics; server: MetricsServer }> {
  const metrics = new EngineMetrics(engine, clock);
  metrics.recorder = recorder;
  if (quoting) metrics.extra.push(() => makerTakerFamilies(quoting.desks));
  engine.tapMarketData(metrics);
  const server = await startMetricsServer(config.host, config.port, () => metrics.render());
  return { metrics, server };
}
