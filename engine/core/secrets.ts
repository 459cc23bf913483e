/**
 * Secrets come from the environment or key files named in the config, never from the config
 * itself. Every secret read is registered with the logger's scrubber so no log line carries it.
 */
import { readFileSync } from 'node:fs';
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
      try {
        value = readFileSync(ref.file, 'utf8').trim();
      } catch (err) {
        throw new SecretError(field, `cannot read key file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      if (!value) throw new SecretError(field, `key file ${ref.file} is empty`);
    }
    registerSecret(value);
    return value;
  }
}
