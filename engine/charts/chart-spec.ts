/**
 * What a chart shows, as data: built by the report (and any page) in TypeScript, drawn in the
 * browser by arb-charts.js. Numbers here are screen geometry; exact money stays in the model.
 */
import { escapeHtml } from './escape.ts';

export interface Unit {
  prefix?: string;
  suffix?: string;
}

export interface BarSpec {
  kind: 'bars';
  name: string;
  title: string;
  categories: string[];
  /** One line per category for the hover readout; default: the category and each value. */
  hovers?: string[];
  series: { label: string; color: string; values: (number | null)[] }[];
  layout: 'stacked' | 'grouped';
  unit?: Unit;
  xLabel?: string;
}

export interface TimeSpec {
  kind: 'time';
  name: string;
  title: string;
  /** points: [epoch ms, value], ascending. */
  series: { label: string; color?: string; points: [number, number][] }[];
  thresholds?: { label: string; v: number }[];
  unit?: Unit;
}

export interface ScatterSpec {
  kind: 'scatter';
  name: string;
  title: string;
  groups: { label: string; color: string }[];
  points: { x: number; y: number; group: number; hover: string }[];
  guide?: 'diagonal' | 'zero';
  xUnit?: Unit;
  yUnit?: Unit;
  xLabel?: string;
}

export type ChartSpec = BarSpec | TimeSpec | ScatterSpec;

/** How many values the chart draws (bars with a value, points, threshold lines): what a test counts on screen. */
export function drawnCount(spec: ChartSpec): number {
  switch (spec.kind) {
    case 'bars':
      return spec.series.reduce((a, s) => a + s.values.filter((v) => v !== null && v !== 0).length, 0);
    case 'time':
      return spec.series.reduce((a, s) => a + s.points.length, 0) + (spec.thresholds?.length ?? 0);
    case 'scatter':
      return spec.points.length;
  }
}

/** The figure the browser script fills in: title, plot, and the spec as inline JSON. */
export function chartFigure(spec: ChartSpec): string {
  // "<" escaped so no string in the spec can close the script element.
  const json = JSON.stringify(spec).replace(/</g, '\\u003c');
  return (
    `<figure class="arb-chart" data-chart="${escapeHtml(spec.name)}" data-points="${drawnCount(spec)}">` +
    `<figcaption>${escapeHtml(spec.title)}</figcaption><div class="arb-chart-plot"></div>` +
    `<script type="application/json">${json}</script></figure>`
  );
}

/** A chart with nothing to draw says why, in the chart's place. */
export function emptyFigure(name: string, message: string): string {
  return `<figure class="arb-chart" data-chart="${escapeHtml(name)}" data-points="0"><p class="chart-empty">${escapeHtml(message)}</p></figure>`;
}
