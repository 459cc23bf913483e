/**
 * Config errors that name the exact field path, the bad value and what was expected,
 * without ever printing a secret back.
 */
import type { ZodError } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super(`invalid config${file ? ' in ' + file : ''}:\n` + problems.map((p) => '  - ' + p).join('\n'));
    this.name = 'ConfigError';
  }
}

const SECRET_FIELD = /(key|secret|token|password|mnemonic|seed)$/i;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += (out ? '.' : '') + String(p);
  }
  return out || '(root)';
}

/** Show a value in an error, unless the field looks like it holds a secret. */
export function describeValue(path: readonly PropertyKey[], value: unknown): string {
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_FIELD.test(last)) return '(hidden)';
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text && text.length > 80 ? text.slice(0, 77) + '...' : String(text);
}

export function zodProblems(error: ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const got = 'input' in issue ? `got ${describeValue(path, issue.input)}` : '';
    return `${formatPath(path)}: ${issue.message}${got ? ` (${got})` : ''}`;
  });
}

/** Parse plugin options with a zod schema; errors carry the plugin's config path. */
export function parseOptions<T>(schema: import('zod').ZodType<T>, value: unknown, path: string): T {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (r.success) return r.data;
  throw new ConfigError(zodProblems(r.error, path.split('.')));
}
