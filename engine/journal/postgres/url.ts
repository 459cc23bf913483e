/** PostgreSQL journal URLs: recognised by scheme, and shown only with the password masked. */
import { registerSecret } from '../../core/logger.ts';

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** The URL as it may appear in a log line, an error or a report: password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not parseable: mask whatever sits between "user:" and "@".
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/**
 * The password of a journal URL goes to the logger's scrubber (which ignores values under 8
 * characters: shorter ones are masked by redactUrl wherever this code prints the URL).
 */
export function registerUrlSecret(url: string): void {
  try {
    const p = decodeURIComponent(new URL(url).password);
    if (p) registerSecret(p);
  } catch {
    // unparseable URL: the driver refuses it with its own error, which redactUrl masks
  }
}
