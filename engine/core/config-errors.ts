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

const SECRET_FIELD = /(key|secret|password|passphrase|mnemonic|seed)$/i;
/** Bearer-style credentials; a token *address* (`midToken`, the flash-loan `token`) is public. */
const SECRET_TOKEN_FIELD = /(auth|api|access|bearer|session|refresh|jwt|listen)token$/i;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{1,64}$/;

/** Hidden in errors: a field whose name says it holds a secret. */
function looksSecret(field: string, value: unknown): boolean {
  if (SECRET_FIELD.test(field) || SECRET_TOKEN_FIELD.test(field)) return true;
  // A bare `token` is an ERC-20 address in our configs, but could be a bearer token elsewhere:
  // shown only when it is one (hex address), hidden otherwise.
  if (/^token$/i.test(field)) return !(typeof value === 'string' && HEX_ADDRESS.test(value));
  return false;
}

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
  if (value === undefined) return 'nothing';
  if (typeof last === 'string' && looksSecret(last, value)) return '(hidden)';
  const text = JSON.stringify(value);
  return text && text.length > 80 ? text.slice(0, 77) + '...' : String(text);
}

export function zodProblems(error: ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const missing = 'input' in issue && issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union');
    // A missing field reads "required", not zod's "Invalid input: expected object, received undefined".
    if (missing) return `${formatPath(path)}: required (missing)`;
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
