/**
 * The page's files, read once at start from this package: the page itself (./page), uPlot and
 * the chart style the HTML report shares (engine/charts). Nothing is fetched from a CDN, so the
 * dashboard works offline.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartAssets } from '../charts/assets.ts';

export interface StaticFile {
  type: string;
  body: Buffer;
}

const PAGE = join(dirname(fileURLToPath(import.meta.url)), 'page');

export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  files.set('/index.html', { type: 'text/html; charset=utf-8', body: readFileSync(join(PAGE, 'index.html')) });
  files.set('/app.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(join(PAGE, 'app.js')) });
  files.set('/style.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(PAGE, 'style.css')) });
  const charts = chartAssets();
  files.set('/uplot.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(charts.uplotJs) });
  files.set('/uplot.css', { type: 'text/css; charset=utf-8', body: Buffer.from(charts.uplotCss) });
  files.set('/arb-charts.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(charts.chartsJs) });
  files.set('/arb-charts.css', { type: 'text/css; charset=utf-8', body: Buffer.from(charts.chartsCss) });
  return files;
}
