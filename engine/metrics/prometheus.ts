/**
 * Prometheus text exposition (version 0.0.4), written by hand: a handful of families does not
 * need a client library. Label values are escaped as the format requires.
 */

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
  /** Histograms: sample names carry their own suffix (_bucket, _sum, _count). */
  raw?: { suffix: string; labels: Labels; value: number }[];
}

export function exposition(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) out.push(`${f.name}${labelText(s.labels)} ${num(s.value)}`);
    for (const r of f.raw ?? []) out.push(`${f.name}${r.suffix}${labelText(r.labels)} ${num(r.value)}`);
  }
  return out.join('\n') + '\n';
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Cumulative histogram with fixed upper bounds (seconds for latencies, as Prometheus expects). */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) {
      if (v <= this.bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  family(name: string, help: string): Family {
    const raw: Family['raw'] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      raw.push({ suffix: '_bucket', labels: { le: String(this.bounds[i]) }, value: cumulative });
    }
    raw.push({ suffix: '_bucket', labels: { le: '+Inf' }, value: this.count });
    raw.push({ suffix: '_sum', labels: {}, value: this.sum });
    raw.push({ suffix: '_count', labels: {}, value: this.count });
    return { name, help, type: 'histogram', samples: [], raw };
  }
}

/** Events per second over the last `windowSec` seconds, in one-second buckets of engine time. */
export class RateMeter {
  private readonly buckets: number[];
  private second = -1;

  constructor(private readonly windowSec = 10) {
    this.buckets = new Array<number>(windowSec).fill(0);
  }

  mark(nowMs: number): void {
    this.advance(nowMs);
    this.buckets[this.second % this.windowSec]!++;
  }

  perSecond(nowMs: number): number {
    this.advance(nowMs);
    return this.buckets.reduce((a, b) => a + b, 0) / this.windowSec;
  }

  private advance(nowMs: number): void {
    const s = Math.floor(nowMs / 1000);
    if (this.second < 0) this.second = s;
    if (s <= this.second) return;
    for (let k = this.second + 1; k <= Math.min(s, this.second + this.windowSec); k++) this.buckets[k % this.windowSec] = 0;
    this.second = s;
  }
}
