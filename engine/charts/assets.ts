/**
 * The chart files both the dashboard and the HTML report use, read from this package: uPlot
 * from node_modules and our one chart style (arb-charts.js/.css). Nothing comes from a CDN, so
 * both work offline.
 *
 * uPlot (MIT, ~51 kB minified, no dependencies) draws the charts: it is built for streaming time
 * series (setData redraws a canvas in place, thousands of points in a few ms), where SVG chart
 * libraries (Observable Plot) re-render the DOM and ECharts weighs ~1 MB; a report of a week's
 * journal holds tens of thousands of points.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface ChartAssets {
  uplotJs: string;
  uplotCss: string;
  chartsJs: string;
  chartsCss: string;
}

let cached: ChartAssets | undefined;

export function chartAssets(): ChartAssets {
  cached ??= {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    chartsJs: readFileSync(join(HERE, 'arb-charts.js'), 'utf8'),
    chartsCss: readFileSync(join(HERE, 'arb-charts.css'), 'utf8'),
  };
  return cached;
}
