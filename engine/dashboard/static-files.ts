/**
 * The page's files, read once at start from this package: the page itself (./page) and uPlot
 * from node_modules. Nothing is fetched from a CDN, so the dashboard works offline.
 *
 * uPlot (MIT, ~51 kB minified, no dependencies) draws the charts: it is built for streaming time
 * series (setData redraws a canvas in place, thousands of points in a few ms), where SVG chart
 * libraries (Observable Plot) re-render the DOM and ECharts weighs ~1 MB.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  type: string;
  body: Buffer;
}

const PAGE = join(dirname(fileURLToPath(import.meta.url)), 'page');
const require = createRequire(import.meta.url);

export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  files.set('/index.html', { type: 'text/html; charset=utf-8', body: readFileSync(join(PAGE, 'index.html')) });
  files.set('/app.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(join(PAGE, 'app.js')) });
  files.set('/style.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(PAGE, 'style.css')) });
  files.set('/uplot.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js')) });
  files.set('/uplot.css', { type: 'text/css; charset=utf-8', body: readFileSync(require.resolve('uplot/dist/uPlot.min.css')) });
  return files;
}
