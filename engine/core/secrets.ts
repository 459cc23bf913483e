/**
 * Secrets come from the environment or key files named in the config, never from the config
 * itself. Every secret read is registered with the logger's scrubber so no log line carries it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SecretRef, SecretSource } from '../exchange/connector.ts';
import { registerSecret } from './logger.ts';

export class SecretError extends Error {
  constructor(field: string, problem: string) {
    super(`secret ${field}: ${problem}`);
    this.name = 'SecretError';
  }
}

export class EnvironmentSecrets implements SecretSource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  read(ref: SecretRef, field: string): string {
    let value: string | undefined;
    if ('env' in ref) {
      value = this.env[ref.env];
      if (!value) throw new SecretError(field, `environment variable ${ref.env} is not set; export it before starting in live mode`);
    } else {
      const file = expandHome(ref.file);
      try {
        value = readFileSync(file, 'utf8').trim();
      } catch (err) {
        throw new SecretError(field, `cannot read key file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (!value) throw new SecretError(field, `key file ${file} is empty`);
    }
    registerSecret(value);
    return value;
  }
}

/** `~/x` is the user's home, as a shell would read it (the README writes key files that way). */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}
