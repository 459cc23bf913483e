/** Wires a recorder into an engine before start(), from the config's `recording` section. */
import { dirname, join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import type { EngineConfig } from '../core/config.ts';
import type { Engine } from '../core/engine.ts';
import type { Logger } from '../core/logger.ts';
import { MarketDataRecorder } from './recorder.ts';

const MB = 1024 * 1024;

/** Default directory: `recordings` beside the journal, so one folder holds a run's evidence. */
export function recordingDir(config: EngineConfig): string {
  return config.recording.dir ?? join(dirname(config.journal.path), 'recordings');
}

export function attachRecorder(engine: Engine, config: EngineConfig, clock: Clock, logger: Logger): MarketDataRecorder {
  const recorder = new MarketDataRecorder({
    dir: recordingDir(config),
    rotateBytes: config.recording.rotateMb * MB,
    maxTotalBytes: config.recording.maxTotalMb * MB,
    clock,
    logger: logger.child({ component: 'recorder' }),
    books: () => engine.hub.allBooks(),
    config,
  });
  engine.tapMarketData(recorder);
  return recorder;
}
