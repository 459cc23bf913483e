/**
 * Structured logging (pino) with secret scrubbing: every secret the engine reads is
 * registered here, and any log line containing one has it replaced before it is written.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

const secrets = new Set<string>();

/** Remember a secret so no log line can carry it. Short values are ignored (too many false hits). */
export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value);
}

export function scrub(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  return out;
}

class PinoAdapter implements Logger {
  constructor(private readonly p: PinoLogger) {}
  private write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
    if (!this.p.isLevelEnabled(level)) return;
    if (fields) this.p[level](fields, msg);
    else this.p[level](msg);
  }
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new PinoAdapter(this.p.child(bindings));
  }
}

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; defaults to stderr so stdout stays the trader's console. */
  destination?: NodeJS.WritableStream | { write(line: string): void };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const dest = options.destination ?? process.stderr;
  const stream = { write: (line: string) => void dest.write(scrub(line)) };
  return new PinoAdapter(pino({ level: options.level ?? 'info', base: undefined }, stream));
}

/** A logger that drops everything: for tests and benches. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
