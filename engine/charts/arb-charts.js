// One chart style for the live dashboard and the HTML report, drawn by uPlot (loaded first):
// the same palette, font, axes and legend, a hover readout under every chart naming the values
// under the cursor, and on time axes drag-to-zoom (double-click resets). Plain browser JS, no
// build step: the dashboard serves this file, the report inlines it.
//
// Figures come from the engine as exact decimal strings turned into numbers only here, for
// screen geometry; the money they describe stays exact in the engine and in the report's tables.
(function () {
  'use strict';
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];
  const FONT = '11px system-ui, sans-serif';
  const AXIS = { stroke: '#6b7280', font: FONT, grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#e5e7eb', width: 1 } };
  const GUIDE = { stroke: '#9ca3af', width: 1, dash: [6, 4], points: { show: false } };
  const HEIGHT = 240;

  /** unit: { prefix, suffix }: "$1.25", "0.41%", "12 ms". */
  function fmt(unit, v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const abs = Math.abs(v);
    const text = abs >= 1000 ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(Number(v.toPrecision(6)));
    const sign = (unit && unit.prefix && v < 0) ? '-' : '';
    return sign + ((unit && unit.prefix) || '') + (sign ? text.slice(1) : text) + ((unit && unit.suffix) || '');
  }

  function utc(seconds) {
    return new Date(seconds * 1000).toISOString().slice(11, 19) + ' UTC';
  }

  function widthOf(el) {
    return Math.max(320, Math.floor(el.clientWidth || 640));
  }

  /** The chart's element: the plot, then a one-line hover readout (also what a test reads). */
  function frame(el, idle) {
    el.textContent = '';
    const plot = document.createElement('div');
    const hover = document.createElement('div');
    hover.className = 'arb-chart-hover';
    hover.textContent = idle;
    el.append(plot, hover);
    return { plot, hover };
  }

  function hoverHook(hover, idle, describe) {
    return [(u) => { const i = u.cursor.idx; hover.textContent = i === null || i === undefined ? idle : describe(i); }];
  }

  function finish(el, u, drawn) {
    el.uplot = u;
    el.dataset.rendered = String(drawn);
    return u;
  }

  function nonEmpty(values) {
    return values.filter((v) => v !== null && v !== undefined && v !== 0).length;
  }

  /**
   * Bars over categories (hours, buckets, venue pairs). Stacked: each series on top of the
   * previous; uPlot draws series in order, so the cumulative tops are drawn tallest first and
   * the legend reads top segment first, as the bars do. Grouped (two series): side by side.
   */
  function bars(el, spec) {
    const idle = 'hover a bar for its values';
    const { plot, hover } = frame(el, idle);
    const n = spec.categories.length;
    const xs = spec.categories.map((_, i) => i);
    const raw = spec.series.map((s) => s.values);
    const grouped = spec.layout === 'grouped' && raw.length === 2;
    const order = grouped ? [0, 1] : raw.map((_, k) => k).reverse();
    const tops = raw.map((_, k) => xs.map((i) => (grouped ? raw[k][i] : raw.slice(0, k + 1).reduce((a, r) => a + (r[i] || 0), 0))));
    const data = [xs, ...order.map((k) => tops[k].map((v, i) => (raw[k][i] ? v : null)))];
    const barPaths = (align) => uPlot.paths.bars({ size: [grouped ? 0.38 : 0.72, 64], align });
    const width = widthOf(el);
    const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width / 70))));
    const u = new uPlot(
      {
        width, height: spec.height || HEIGHT,
        legend: { show: raw.length > 1 },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: false, range: [-0.5, n - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
        axes: [
          { ...AXIS, grid: { show: false }, splits: () => xs, values: (_u, splits) => splits.map((i) => (i % every === 0 ? spec.categories[i] : '')) },
          { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => fmt(spec.unit, v)) },
        ],
        series: [
          { label: spec.xLabel || 'category', value: (_u, i) => (i === null ? '' : spec.categories[i]) },
          ...order.map((k) => ({
            label: spec.series[k].label, fill: spec.series[k].color, stroke: spec.series[k].color, width: 0,
            paths: barPaths(grouped ? (k === 0 ? -1 : 1) : 0), points: { show: false },
            value: (_u, _v, _si, i) => (i === null || i === undefined ? '–' : fmt(spec.unit, raw[k][i])),
          })),
        ],
        hooks: { setCursor: hoverHook(hover, idle, (i) => (spec.hovers && spec.hovers[i]) || `${spec.categories[i]}: ${spec.series.map((s) => `${s.label} ${fmt(spec.unit, s.values[i])}`).join(', ')}`) },
      },
      data, plot,
    );
    return finish(el, u, raw.reduce((a, r) => a + nonEmpty(r), 0));
  }

  /** Lines over UTC time, thresholds dashed; drag across the plot to zoom, double-click to reset. */
  function time(el, spec) {
    const idle = 'hover for values · drag to zoom · double-click to reset';
    const { plot, hover } = frame(el, idle);
    const tables = spec.series.map((s) => [s.points.map((p) => p[0] / 1000), s.points.map((p) => p[1])]);
    const joined = tables.length > 1 ? uPlot.join(tables) : tables.length === 1 ? tables[0] : [[]];
    const xs = joined[0];
    const thresholds = spec.thresholds || [];
    const data = [xs, ...joined.slice(1), ...thresholds.map((t) => xs.map(() => t.v))];
    const u = new uPlot(
      {
        width: widthOf(el), height: spec.height || HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        cursor: { drag: { x: true, y: false, setScale: true } },
        scales: { x: { time: true } },
        axes: [{ ...AXIS }, { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => fmt(spec.unit, v)) }],
        series: [
          { label: 'time (UTC)', value: (_u, v) => (v === null ? '–' : utc(v)) },
          ...spec.series.map((s, k) => ({
            label: s.label, stroke: s.color || PALETTE[k % PALETTE.length], width: 1.5, spanGaps: true,
            points: s.points.length === 1 ? { show: true, size: 7 } : { size: 5 },
            value: (_u, v) => fmt(spec.unit, v),
          })),
          ...thresholds.map((t) => ({ ...GUIDE, label: t.label, value: (_u, v) => fmt(spec.unit, v) })),
        ],
        hooks: {
          setCursor: hoverHook(hover, idle, (i) => `${utc(xs[i])}: ` + spec.series.map((s, k) => `${s.label} ${fmt(spec.unit, joined[k + 1][i])}`).join(', ')),
        },
      },
      data, plot,
    );
    return finish(el, u, spec.series.reduce((a, s) => a + s.points.length, 0) + thresholds.length);
  }

  /**
   * Points by group (estimate against outcome, net against notional), with a guide line
   * (y = x, or zero). One x index per point, so the hover names exactly the point under it.
   */
  function scatter(el, spec) {
    const idle = 'hover a point for what it is';
    const { plot, hover } = frame(el, idle);
    const pts = spec.points.slice().sort((a, b) => a.x - b.x);
    const xs = pts.map((p) => p.x);
    const guide = spec.guide === 'diagonal' ? xs.slice() : spec.guide === 'zero' ? xs.map(() => 0) : undefined;
    const data = [xs, ...spec.groups.map((_, g) => pts.map((p) => (p.group === g ? p.y : null))), ...(guide ? [guide] : [])];
    const pad = (lo, hi) => { const d = hi - lo || Math.abs(hi) || 1; return [lo - d * 0.08, hi + d * 0.08]; };
    const ys = pts.map((p) => p.y).concat(guide || []);
    const u = new uPlot(
      {
        width: widthOf(el), height: spec.height || HEIGHT,
        cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 9 } },
        scales: { x: { time: false, range: () => pad(Math.min(...xs), Math.max(...xs)) }, y: { range: () => pad(Math.min(...ys), Math.max(...ys)) } },
        axes: [
          { ...AXIS, values: (_u, splits) => splits.map((v) => fmt(spec.xUnit, v)) },
          { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => fmt(spec.yUnit, v)) },
        ],
        series: [
          { label: spec.xLabel || 'x', value: (_u, v) => fmt(spec.xUnit, v) },
          ...spec.groups.map((g) => ({ label: g.label, stroke: g.color, fill: g.color, paths: () => null, points: { show: true, size: 7, fill: g.color, stroke: g.color }, value: (_u, v) => fmt(spec.yUnit, v) })),
          ...(guide ? [{ ...GUIDE, label: spec.guide === 'diagonal' ? 'y = x' : 'zero', value: (_u, v) => fmt(spec.yUnit, v) }] : []),
        ],
        hooks: { setCursor: hoverHook(hover, idle, (i) => pts[i].hover) },
      },
      data, plot,
    );
    return finish(el, u, pts.length);
  }

  /**
   * A streaming time chart for the dashboard: push(tSeconds, values) appends a point to each
   * series, keeps the last `keep`, and redraws in place (setData), zoom and hover as above.
   */
  function live(el, spec) {
    const idle = 'hover for values · drag to zoom · double-click to reset';
    const { plot, hover } = frame(el, idle);
    const data = [[], ...spec.series.map(() => [])];
    const u = new uPlot(
      {
        width: spec.width || widthOf(el), height: spec.height || 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        cursor: { drag: { x: true, y: false, setScale: true } },
        axes: [{ ...AXIS }, { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => fmt(spec.unit, v)) }],
        series: [
          { label: 'time (UTC)', value: (_u, v) => (v === null ? '–' : utc(v)) },
          ...spec.series.map((s, k) => (s.guide ? { ...GUIDE, label: s.label } : { label: s.label, stroke: s.color || PALETTE[k % PALETTE.length], width: 1.5, spanGaps: true, value: (_u, v) => fmt(spec.unit, v) })),
        ],
        hooks: { setCursor: hoverHook(hover, idle, (i) => spec.series.map((s, k) => `${s.label} ${fmt(spec.unit, data[k + 1][i])}`).join(', ')) },
      },
      data, plot,
    );
    el.uplot = u;
    return {
      uplot: u,
      push(t, values) {
        data[0].push(t);
        values.forEach((v, k) => data[k + 1].push(v));
        if (data[0].length > (spec.keep || 600)) for (const d of data) d.shift();
        u.setData(data);
        el.dataset.rendered = String(data[0].length);
      },
    };
  }

  /** Every `<figure data-chart>` under root holding a JSON spec: what the report calls once. */
  function renderAll(root) {
    const kinds = { bars, time, scatter };
    for (const fig of root.querySelectorAll('figure[data-chart]')) {
      const specEl = fig.querySelector('script[type="application/json"]');
      if (!specEl) continue;
      const spec = JSON.parse(specEl.textContent);
      const el = fig.querySelector('.arb-chart-plot');
      kinds[spec.kind](el, spec);
    }
  }

  window.ArbCharts = { PALETTE, fmt, bars, time, scatter, live, renderAll };
})();
