/**
 * `arb report`: read a journal (live, dry-run or replay), print the summary, write the HTML
 * report with its charts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  const journal = opts.journal ?? DEFAULT_REPORT_JOURNAL;
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
