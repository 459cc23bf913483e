/**
 * `arb report`: read a journal (live, dry-run or replay), print the summary, write the HTML
 * report with its charts.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  const sinceMs = opts.since ? parseSince(opts.since, now) : undefined;
  const progress = opts.quiet ? undefined : new Progress({ label: 'report: reading journal', unit: 'rows' });
  const extract = readJournal(journal, sinceMs, (done, total) => progress?.update(done, total, done));
  progress?.finish();
  const model = buildReport(extract, { episodeGapMs: Math.round((opts.episodeGap ?? 10) * 1000) });
  if (model.totals.judged === 0 && sinceMs !== undefined) out(`No judged opportunities since ${new Date(sinceMs).toISOString()} in ${journal}.`);
  out(renderTerminal(model));
  if (!opts.out) return { html: undefined };
  const path = resolve(opts.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderHtml(model, { journal, generatedAt: now }));
  out(`  HTML report: ${path}`);
  return { html: path };
}

/**
 * Without --journal: data/journal.sqlite, else the newest journal in data/ (the demo writes
 * data/demo-journal.sqlite, a live demo a time-stamped one), said on the console so the reader
 * knows which run the report is about.
 */
export function defaultJournal(out: (line: string) => void, preferred = DEFAULT_REPORT_JOURNAL): string {
  const dir = dirname(preferred);
  if (existsSync(preferred) || !existsSync(dir)) return preferred;
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => ({ path: join(dir, f), at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at)[0];
  if (!newest) return preferred;
  out(`No --journal given and no ${preferred}: reading the newest journal, ${newest.path}.`);
  return newest.path;
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
