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
  /** Where lines go; defaults to stderr so stdout stays the trader's console. */
  destination?: NodeJS.WritableStream | { write(line: string): void };
  /** 'json' (default): one pino JSON object per line, for files and log shippers; 'human': one readable line. */
  format?: 'json' | 'human';
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const dest = options.destination ?? process.stderr;
  const human = options.format === 'human';
  // Scrub first, then format: a secret never reaches the formatter's output either.
  const stream = { write: (line: string) => void dest.write(human ? humanLine(scrub(line)) : scrub(line)) };
  return new PinoAdapter(pino({ level: options.level ?? 'info', base: undefined }, stream));
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Who said it, first: the venue, strategy, component or plugin a line is about. */
const WHO = ['venue', 'strategy', 'component', 'plugin'];

/** A pino JSON line as a person reads it: `17:34:40 WARN lighter: order outcome unknown (clientId=.., error=..)`. */
export function humanLine(jsonLine: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time, msg, ...rest } = o;
  const who = WHO.filter((k) => rest[k] !== undefined).map((k) => String(rest[k]));
  for (const k of WHO) delete rest[k];
  const at = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const details = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  const name = LEVEL_NAMES[Number(level)] ?? String(level);
  return `${at} ${name.padEnd(5)} ${who.length ? `${who.join(' ')}: ` : ''}${String(msg ?? '')}${details ? ` (${details})` : ''}\n`;
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
