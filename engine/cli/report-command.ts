/**
 * `arb report`: read a journal (live, dry-run or replay), print the summary, write the HTML
 * report with its charts.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { redactUrl } from '../journal/open.ts';
import { buildReport } from '../report/model.ts';
import { readJournal } from '../report/journal-rows.ts';
import { renderHtml } from '../report/html.ts';
import { renderTerminal } from '../report/terminal.ts';
import { Progress } from './progress.ts';

export interface ReportCommandOptions {
  journal?: string;
  since?: string;
  out?: string;
  /** Seconds between judgments that still belong to the same episode. */
  episodeGap?: number;
  quiet?: boolean;
}

export const DEFAULT_REPORT_JOURNAL = 'data/journal.sqlite';

export async function reportCommand(
  opts: ReportCommandOptions,
  out: (line: string) => void = console.log,
  now: number = Date.now(),
): Promise<{ html: string | undefined }> {
  const journal = opts.journal ?? defaultJournal(out);
  // A postgres:// journal (every engine's sessions in that database) is shown with its password masked.
  const shown = redactUrl(journal);
  const sinceMs = opts.since ? parseSince(opts.since, now) : undefined;
  const progress = opts.quiet ? undefined : new Progress({ label: 'report: reading journal', unit: 'rows' });
  const extract = readJournal(journal, sinceMs, (done, total) => progress?.update(done, total, done));
  progress?.finish();
  const model = buildReport(extract, { episodeGapMs: Math.round((opts.episodeGap ?? 10) * 1000) });
  if (model.totals.judged === 0 && sinceMs !== undefined) out(`No judged opportunities since ${new Date(sinceMs).toISOString()} in ${shown}.`);
  out(renderTerminal(model));
  if (!opts.out) return { html: undefined };
  const path = resolve(opts.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderHtml(model, { journal: shown, generatedAt: now }));
  out(`  HTML report: ${path}`);
  return { html: path };
}

/**
 * Without --journal: the most recently written journal under data/ (the demo writes
 * data/demo-journal.sqlite, a live demo a time-stamped one, a replay wherever --journal put it),
 * always said on the console so the reader knows which run the report is about. "Most recently
 * written" counts the -wal beside a file: a running engine in WAL mode appends there and the main
 * file's time can be hours old. Files that are not journals (no sessions table) are passed over,
 * so another tool's .sqlite in data/ is never reported on.
 */
export function defaultJournal(out: (line: string) => void, preferred = DEFAULT_REPORT_JOURNAL): string {
  const dir = dirname(preferred);
  if (!existsSync(dir)) return preferred;
  const newest = sqliteFiles(dir, 3)
    .map((path) => ({ path, at: writtenAt(path) }))
    .sort((a, b) => b.at - a.at)
    .find((f) => isJournal(f.path));
  if (!newest) return preferred;
  out(`No --journal given: reading the most recently written journal under ${dir}/, ${newest.path}.`);
  return newest.path;
}

function sqliteFiles(dir: string, depth: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth > 1) found.push(...sqliteFiles(path, depth - 1));
    else if (entry.isFile() && entry.name.endsWith('.sqlite')) found.push(path);
  }
  return found;
}

function writtenAt(path: string): number {
  const wal = `${path}-wal`;
  return Math.max(statSync(path).mtimeMs, existsSync(wal) ? statSync(wal).mtimeMs : 0);
}

function isJournal(path: string): boolean {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/** "90m", "12h", "7d", "2w", or an ISO date/time. */
export function parseSince(text: string, now: number): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(text.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
    return now - Math.round(Number(m[1]) * unit);
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--since "${text}": expected a duration like 30m, 12h, 7d, 2w, or a date like 2025-01-06T09:00Z`);
  return t;
}
