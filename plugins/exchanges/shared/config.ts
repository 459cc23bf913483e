/**
 * Option pieces every exchange plugin shares (connection timing), and the parser that turns
 * zod issues into one error naming each offending field by its config path
 * (`venues.paradex.wsUrl: ...`).
 */
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`invalid config at ${path}:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const ms = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number of milliseconds` })
    .int(`${label} must be a whole number of milliseconds`)
    .min(min, `${label} must be at least ${min} ms`)
    .max(max, `${label} must be at most ${max} ms`);

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
export const wsUrl = z.url({ protocol: /^wss?$/, error: 'must be a ws(s) URL' });

/**
 * Connection timing. stallTimeoutMs must exceed the heartbeat interval: the heartbeat's answer
 * is what keeps a quiet but healthy socket from being declared stalled.
 */
export function connectionShape(defaults: { heartbeatIntervalMs: number; stallTimeoutMs: number }) {
  return {
    requestTimeoutMs: ms('requestTimeoutMs', 100, 120_000).default(10_000),
    connectTimeoutMs: ms('connectTimeoutMs', 100, 120_000).default(10_000),
    reconnect: z
      .object({
        minMs: ms('reconnect.minMs', 1, 60_000).default(500),
        maxMs: ms('reconnect.maxMs', 1, 600_000).default(30_000),
      })
      .refine((r) => r.maxMs >= r.minMs, { message: 'maxMs must be >= minMs', path: ['maxMs'] })
      .default({ minMs: 500, maxMs: 30_000 }),
    heartbeatIntervalMs: ms('heartbeatIntervalMs', 10, 600_000).default(defaults.heartbeatIntervalMs),
    stallTimeoutMs: ms('stallTimeoutMs', 20, 600_000).default(defaults.stallTimeoutMs),
    /** How long a resync may wait for its snapshot before the whole socket is reconnected. */
    resyncTimeoutMs: ms('resyncTimeoutMs', 10, 600_000).default(15_000),
  };
}

export interface ConnectionOptions {
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  reconnect: { minMs: number; maxMs: number };
  heartbeatIntervalMs: number;
  stallTimeoutMs: number;
  resyncTimeoutMs: number;
}

/** Cross-field check shared by all venues; add with `.superRefine(checkConnection)`. */
export function checkConnection(value: ConnectionOptions, ctx: z.RefinementCtx): void {
  if (value.stallTimeoutMs <= value.heartbeatIntervalMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['stallTimeoutMs'],
      message: `must exceed heartbeatIntervalMs (${value.heartbeatIntervalMs} ms), or a quiet healthy socket looks stalled`,
    });
  }
}

/** Parse `input` with `schema`; on failure throw a ConfigError naming every bad field's path. */
export function parseOptions<T extends z.ZodType>(schema: T, input: unknown, path: string): z.output<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = [path, ...issue.path.map(String)].join('.');
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError(path, problems);
}
