/**
 * Progress for long work (replay, report): a redrawn bar with rate and ETA on a terminal,
 * a plain line every few seconds when output goes to a file or CI log (no escape codes there).
 */

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  label: string;
  /** What `count` counts, for the rate: "events", "rows". */
  unit: string;
  stream?: ProgressSink;
  /** Plain-line interval when not a TTY. */
  lineEveryMs?: number;
  now?: () => number;
}

export interface ProgressFrame {
  /** Fraction done, 0..1, or undefined when the total is unknown. */
  fraction: number | undefined;
  count: number;
  elapsedMs: number;
}

export class Progress {
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly stream: ProgressSink;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** `done` of `total` (any unit, e.g. bytes read) and `count` of the unit the rate is in. */
  update(done: number, total: number | undefined, count: number): void {
    const t = this.now();
    const tty = this.stream.isTTY === true;
    if (t - this.lastDraw < (tty ? 100 : (this.o.lineEveryMs ?? 5000))) return;
    this.lastDraw = t;
    const frame: ProgressFrame = { fraction: total ? Math.min(1, done / total) : undefined, count, elapsedMs: t - this.started };
    if (tty) {
      this.stream.write('\r' + renderBar(this.o.label, this.o.unit, frame) + '\x1b[K');
      this.drawn = true;
    } else this.stream.write(renderLine(this.o.label, this.o.unit, frame) + '\n');
  }

  /** Clear the bar (TTY) so the caller's summary starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
  }
}

export function renderBar(label: string, unit: string, f: ProgressFrame, width = 28): string {
  const filled = f.fraction === undefined ? 0 : Math.round(f.fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const pct = f.fraction === undefined ? '  ?%' : `${(f.fraction * 100).toFixed(0).padStart(3)}%`;
  return `${label} [${bar}] ${pct} ${rateText(unit, f)} ETA ${eta(f)}`;
}

export function renderLine(label: string, unit: string, f: ProgressFrame): string {
  const pct = f.fraction === undefined ? '' : `${(f.fraction * 100).toFixed(1)}% `;
  return `${label}: ${pct}${f.count} ${unit}, ${rateText(unit, f)}, ETA ${eta(f)}`;
}

function rateText(unit: string, f: ProgressFrame): string {
  const perSec = f.elapsedMs > 0 ? (f.count * 1000) / f.elapsedMs : 0;
  const text = perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)}M` : perSec >= 1e3 ? `${(perSec / 1e3).toFixed(1)}k` : perSec.toFixed(0);
  return `${text} ${unit}/s`;
}

/** Remaining time from the fraction done so far; "--:--" until there is something to go on. */
export function eta(f: ProgressFrame): string {
  if (f.fraction === undefined || f.fraction <= 0 || f.elapsedMs <= 0) return '--:--';
  const remainingSec = Math.round((f.elapsedMs * (1 - f.fraction)) / f.fraction / 1000);
  const h = Math.floor(remainingSec / 3600);
  const m = Math.floor((remainingSec % 3600) / 60);
  const s = remainingSec % 60;
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}
