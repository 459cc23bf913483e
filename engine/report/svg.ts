/**
 * Inline SVG charts, drawn in TypeScript: the report must open offline, with no script and
 * no CDN. Every chart is `<svg data-chart=NAME data-marks=N>` and every drawn value carries
 * `data-mark` (bar, point, line, threshold, empty), so a browser test can count what rendered.
 * Numbers here are screen geometry only; the money they come from stays exact in the model.
 */

const W = 720;
const H = 260;
const M = { top: 16, right: 16, bottom: 44, left: 64 };
export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Scale {
  (v: number): number;
  ticks: number[];
}

function linear(d0: number, d1: number, r0: number, r1: number, tickCount = 5): Scale {
  if (d0 === d1) {
    d0 -= 1;
    d1 += 1;
  }
  const step = niceTick((d1 - d0) / tickCount);
  const lo = Math.floor(d0 / step) * step;
  const hi = Math.ceil(d1 / step) * step;
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  f.ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) f.ticks.push(Number(v.toPrecision(12)));
  return f;
}

function niceTick(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function frame(name: string, title: string, marks: number, body: string, height = H): string {
  return (
    `<svg data-chart="${esc(name)}" data-marks="${marks}" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="${esc(title)}" ` +
    `xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">${body}</svg>`
  );
}

function yAxis(y: Scale, format: (v: number) => string, x0 = M.left, x1 = W - M.right): string {
  return y.ticks
    .map((v) => `<line x1="${x0}" x2="${x1}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/><text x="${x0 - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#6b7280">${esc(format(v))}</text>`)
    .join('');
}

function xLabels(labels: { x: number; text: string }[], height = H): string {
  return labels.map((l) => `<text x="${l.x.toFixed(1)}" y="${height - M.bottom + 16}" text-anchor="middle" fill="#6b7280">${esc(l.text)}</text>`).join('');
}

function legend(items: { label: string; color: string }[], x = M.left, y = 10): string {
  let cx = x;
  return items
    .map((it) => {
      const s = `<rect x="${cx}" y="${y - 8}" width="10" height="10" fill="${it.color}"/><text x="${cx + 14}" y="${y + 1}" fill="#374151">${esc(it.label)}</text>`;
      cx += 24 + it.label.length * 6.5;
      return s;
    })
    .join('');
}

export function emptyChart(name: string, message: string): string {
  return frame(name, message, 1, `<text data-mark="empty" x="${W / 2}" y="64" text-anchor="middle" font-size="16" fill="#6b7280">${esc(message)}</text>`, 120);
}

/** Vertical bars, optionally stacked by series: counts per hour, per bucket. */
export function barChart(
  name: string,
  title: string,
  categories: { label: string; values: number[]; tooltip?: string }[],
  series: { label: string; color: string }[],
  options: { labelEvery?: number; grouped?: boolean } = {},
): string {
  if (categories.length === 0) return emptyChart(name, `${title}: nothing in range`);
  const totals = categories.map((c) => (options.grouped ? Math.max(...c.values) : c.values.reduce((a, b) => a + b, 0)));
  const y = linear(0, Math.max(1, ...totals), H - M.bottom, M.top + 14);
  const band = (W - M.left - M.right) / categories.length;
  const every = options.labelEvery ?? Math.max(1, Math.ceil(categories.length / 12));
  let marks = 0;
  const bars = categories
    .map((c, i) => {
      let base = 0;
      return c.values
        .map((v, s) => {
          if (v <= 0) return '';
          const y0 = y(base);
          const y1 = y(base + v);
          if (!options.grouped) base += v;
          marks++;
          // Grouped: side by side within the band; stacked: one column.
          const width = options.grouped ? (band * 0.76) / c.values.length : band * 0.76;
          const x = M.left + i * band + band * 0.12 + (options.grouped ? s * width : 0);
          return `<rect data-mark="bar" data-value="${v}" x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${Math.max(1, width).toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${series[s]!.color}"><title>${esc(`${c.tooltip ?? c.label} · ${series[s]!.label}: ${v}`)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const labels = categories.flatMap((c, i) => (i % every === 0 ? [{ x: M.left + (i + 0.5) * band, text: c.label }] : []));
  const body = yAxis(y, (v) => String(v)) + bars + xLabels(labels) + (series.length > 1 ? legend(series) : '');
  return frame(name, title, marks, body);
}

/** Horizontal bars with a highlighted part: judged vs accepted per venue pair. */
export function hBarChart(name: string, title: string, rows: { label: string; total: number; part: number; note: string }[]): string {
  if (rows.length === 0) return emptyChart(name, `${title}: nothing in range`);
  const rowH = 26;
  const height = M.top + rows.length * rowH + 30;
  const left = 150;
  const x = linear(0, Math.max(1, ...rows.map((r) => r.total)), left, W - 170);
  let marks = 0;
  const body = rows
    .map((r, i) => {
      const yy = M.top + i * rowH;
      marks += r.part > 0 ? 2 : 1;
      return (
        `<text x="${left - 8}" y="${yy + 16}" text-anchor="end" fill="#111827">${esc(r.label)}</text>` +
        `<rect data-mark="bar" data-value="${r.total}" x="${left}" y="${yy + 4}" width="${Math.max(1, x(r.total) - left).toFixed(1)}" height="16" fill="#93c5fd"><title>${esc(`${r.label}: ${r.total} judged`)}</title></rect>` +
        (r.part > 0
          ? `<rect data-mark="bar" data-value="${r.part}" x="${left}" y="${yy + 4}" width="${Math.max(1, x(r.part) - left).toFixed(1)}" height="16" fill="#16a34a"><title>${esc(`${r.label}: ${r.part} profitable`)}</title></rect>`
          : '') +
        `<text x="${(x(r.total) + 6).toFixed(1)}" y="${yy + 16}" fill="#374151">${esc(r.note)}</text>`
      );
    })
    .join('');
  return frame(name, title, marks, body + legend([{ label: 'judged', color: '#93c5fd' }, { label: 'profitable', color: '#16a34a' }], left, height - 8), height);
}

/** Points: net profit against trade size, estimate against outcome. */
export function scatterChart(
  name: string,
  title: string,
  points: { x: number; y: number; group: number; tooltip: string }[],
  groups: { label: string; color: string }[],
  axes: { x: (v: number) => string; y: (v: number) => string; diagonal?: boolean; zeroLine?: boolean },
): string {
  if (points.length === 0) return emptyChart(name, `${title}: nothing in range`);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const lo = axes.diagonal ? Math.min(...xs, ...ys) : undefined;
  const hi = axes.diagonal ? Math.max(...xs, ...ys) : undefined;
  const x = linear(lo ?? Math.min(...xs), hi ?? Math.max(...xs), M.left, W - M.right);
  const y = linear(lo ?? Math.min(...ys, axes.zeroLine ? 0 : Infinity), hi ?? Math.max(...ys, axes.zeroLine ? 0 : -Infinity), H - M.bottom, M.top + 14);
  const dots = points
    .map((p) => `<circle data-mark="point" cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3" fill="${groups[p.group]!.color}" fill-opacity="0.7"><title>${esc(p.tooltip)}</title></circle>`)
    .join('');
  const extra =
    (axes.zeroLine ? `<line x1="${M.left}" x2="${W - M.right}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#111827" stroke-dasharray="4 3"/>` : '') +
    (axes.diagonal ? `<line x1="${x(lo!).toFixed(1)}" y1="${y(lo!).toFixed(1)}" x2="${x(hi!).toFixed(1)}" y2="${y(hi!).toFixed(1)}" stroke="#9ca3af" stroke-dasharray="4 3"/>` : '');
  const body = yAxis(y, axes.y) + xLabels(x.ticks.map((v) => ({ x: x(v), text: axes.x(v) }))) + extra + dots + legend(groups);
  return frame(name, title, points.length, body);
}

/** Lines over time with horizontal threshold lines: the spread against what the strategy requires. */
export function timeSeriesChart(
  name: string,
  title: string,
  series: { key: string; points: { t: number; v: number }[] }[],
  thresholds: { label: string; v: number }[],
  format: { t: (ms: number) => string; v: (v: number) => string },
): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return emptyChart(name, `${title}: nothing in range`);
  const ts = all.map((p) => p.t);
  const vs = [...all.map((p) => p.v), ...thresholds.map((t) => t.v), 0];
  const x = linear(Math.min(...ts), Math.max(...ts), M.left, W - M.right, 6);
  const y = linear(Math.min(...vs), Math.max(...vs), H - M.bottom, M.top + 14);
  let marks = 0;
  const lines = series
    .map((s, i) => {
      marks++;
      const color = PALETTE[i % PALETTE.length]!;
      // One point alone draws no line: it becomes a dot, so a lone judgment still shows.
      if (s.points.length === 1) {
        const p = s.points[0]!;
        return `<circle data-mark="point" cx="${x(p.t).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.key)}</title></circle>`;
      }
      const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
      return `<path data-mark="line" data-points="${s.points.length}" d="${d}" fill="none" stroke="${color}" stroke-width="1.2"><title>${esc(s.key)}</title></path>`;
    })
    .join('');
  const th = thresholds
    .map((t) => {
      marks++;
      return `<line data-mark="threshold" x1="${M.left}" x2="${W - M.right}" y1="${y(t.v).toFixed(1)}" y2="${y(t.v).toFixed(1)}" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="6 4"><title>${esc(t.label)}</title></line><text x="${W - M.right - 4}" y="${(y(t.v) - 4).toFixed(1)}" text-anchor="end" fill="#dc2626">${esc(t.label)}</text>`;
    })
    .join('');
  const body =
    yAxis(y, format.v) + xLabels(x.ticks.filter((v) => v >= Math.min(...ts) && v <= Math.max(...ts)).map((v) => ({ x: x(v), text: format.t(v) }))) + lines + th +
    legend(series.slice(0, 6).map((s, i) => ({ label: s.key, color: PALETTE[i % PALETTE.length]! })));
  return frame(name, title, marks, body);
}
