/**
 * Config schema for a credential: a reference to where the secret lives (`{ env: NAME }` or
 * `{ file: path }`), never the secret itself. A plain string is refused with a message that names
 * the field (parseOptions prefixes the config path) and says what to write instead; the message
 * never repeats the value, since a key pasted into the config must not reach a log either.
 */
import { z } from 'zod';
import type { SecretRef } from '../../../engine/exchange/connector.ts';

const HOW = 'use { env: VARIABLE_NAME } or { file: /path/to/key } so the key stays out of the config';

export const secretRefSchema = z.unknown().transform((value, ctx): SecretRef => {
  if (typeof value === 'string' || typeof value === 'number') {
    ctx.addIssue({ code: 'custom', message: `must be a secret reference, not the secret itself: ${HOW}` });
    return z.NEVER;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const v = value as Record<string, unknown>;
    if (keys.length === 1 && typeof v['env'] === 'string' && v['env'].length > 0) return { env: v['env'] };
    if (keys.length === 1 && typeof v['file'] === 'string' && v['file'].length > 0) return { file: v['file'] };
  }
  ctx.addIssue({ code: 'custom', message: `must be exactly one of { env: NAME } or { file: path }: ${HOW}` });
  return z.NEVER;
});

/** Replace every secret (and its 0x-less form) in `text`; for error messages built from venue replies. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    for (const form of [s, s.replace(/^0x/i, '')]) {
      if (form.length >= 8 && out.includes(form)) out = out.split(form).join('[REDACTED]');
    }
  }
  return out;
}
