// The live dashboard page: one EventSource, one snapshot per message, tables rebuilt from it and
// two uPlot charts updated in place (setData). Money arrives as exact decimal strings and is
// rounded here, as strings, for display only; the exact value stays in each cell's data-value.

'use strict';

/** What a trade left behind, as the console says it (engine/cli/live-reporter.ts). */
const KIND_TEXT = { 'pair-open': 'a pair (entry, not realized)', 'pair-close': "a pair's close", flat: 'flat (realized)', unresolved: 'unresolved' };

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id) => document.getElementById(id);
const KEEP_POINTS = 600;
const SPREAD_ROWS = 30;
/** One line per instrument is readable up to a handful; the chart draws the first ones listed. */
const CHART_INSTRUMENTS = 6;

/** Round a decimal string half away from zero to dp places, without going through a float. */
function fmt(s, dp = 2) {
  if (s === undefined || s === null) return '–';
  const neg = s.startsWith('-');
  const t = neg ? s.slice(1) : s;
  if (!/^\d+(\.\d+)?$/.test(t)) return s;
  const [int, frac = ''] = t.split('.');
  const f = frac.padEnd(dp + 1, '0');
  const digits = (int + f.slice(0, dp)).split('').map(Number);
  if (Number(f[dp]) >= 5) {
    let k = digits.length - 1;
    for (; k >= 0 && digits[k] === 9; k--) digits[k] = 0;
    if (k < 0) digits.unshift(1);
    else digits[k]++;
  }
  const all = digits.join('');
  const ip = all.slice(0, all.length - dp).replace(/^0+(?=\d)/, '') || '0';
  const out = dp > 0 ? `${ip}.${all.slice(all.length - dp)}` : ip;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

const age = (ms) => (ms < 0 ? '–' : ms < 10_000 ? `${ms} ms` : ms < 3_600_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 3_600_000).toFixed(1)} h`);
const time = (at) => new Date(at).toLocaleTimeString();

/** A cell: plain text, or { text, value, cls } where value is the exact figure behind the text. */
function cell(tr, c, tag = 'td') {
  const td = document.createElement(tag);
  const v = typeof c === 'object' && c !== null ? c : { text: String(c ?? '–') };
  td.textContent = v.text;
  if (v.text.length > 40) td.title = v.text; // long notes are cut on screen: the whole text on hover
  if (v.value !== undefined) {
    td.dataset.value = v.value;
    td.className = 'num';
  }
  if (v.cls) td.classList.add(v.cls);
  tr.append(td);
}

const money = (s, dp = 2) => ({ text: fmt(s, dp), value: s, cls: s === undefined ? undefined : s.startsWith('-') ? 'bad' : 'good' });
const num = (s, dp) => ({ text: fmt(s, dp), value: s });

function table(id, head, rows, row) {
  const el = $(id);
  el.replaceChildren();
  const h = document.createElement('tr');
  for (const c of head) cell(h, c, 'th');
  el.append(h);
  for (const r of rows) {
    const tr = document.createElement('tr');
    for (const c of row(r)) cell(tr, c);
    el.append(tr);
  }
}

function setFigure(id, text, value) {
  $(id).textContent = text;
  if (value !== undefined) $(id).dataset.value = value;
}

// ---- charts: created on the first snapshot, then one point per snapshot (ArbCharts, the
// chart style the HTML report shares: hover values, drag to zoom, double-click to reset)
let charts;
function makeCharts(s) {
  const instruments = [...new Set(s.spreads.map((r) => r.instrument))].slice(0, CHART_INSTRUMENTS);
  const width = Math.min(680, Math.max(360, (innerWidth - 80) / 2));
  const spread = ArbCharts.live($('spread-chart'), {
    width, keep: KEEP_POINTS, unit: { suffix: '%' },
    series: [...instruments.map((i) => ({ label: i })), { label: 'threshold', guide: true }],
  });
  const pnl = ArbCharts.live($('pnl-chart'), {
    width, keep: KEEP_POINTS, unit: { prefix: '$' },
    series: [{ label: 'unrealized' }, { label: 'realized (closed pairs)', color: '#16a34a' }],
  });
  return { instruments, spread, pnl };
}

function updateCharts(s) {
  charts ??= makeCharts(s);
  const t = s.at / 1000;
  const best = charts.instruments.map((i) => {
    const xs = s.spreads.filter((r) => r.instrument === i && r.executablePct !== undefined).map((r) => Number(r.executablePct));
    return xs.length ? Math.max(...xs) : null;
  });
  charts.spread.push(t, [...best, s.thresholdPct === undefined ? null : Number(s.thresholdPct)]);
  charts.pnl.push(t, [Number(s.unrealizedUsd), Number(s.totals.pairsRealizedUsd)]);
}

// ---- the page from one snapshot
function render(s) {
  document.body.dataset.seq = String(s.seq);
  $('mode').textContent = s.mode === 'live' ? 'LIVE' : 'DRY-RUN';
  $('mode').classList.toggle('live', s.mode === 'live');
  $('status').textContent = `up ${age(s.at - s.startedAt)} · snapshot ${s.seq} at ${time(s.at)}`;
  setFigure('books-live', `${s.feed.booksLive}/${s.feed.booksTotal}`);
  setFigure('updates', String(s.feed.updates));
  setFigure('gaps', String(s.feed.gaps));
  setFigure('judgments-count', String(s.totals.judgments));
  setFigure('accepted-count', String(s.totals.accepted));
  setFigure('verdicts-count', String(s.totals.verdicts));
  setFigure('trades-count', String(s.totals.trades));
  setFigure('open-pairs-count', String(s.pairs.length));
  setFigure('pnl-unrealized', fmt(s.unrealizedUsd), s.unrealizedUsd);
  setFigure('pnl-realized', fmt(s.totals.pairsRealizedUsd), s.totals.pairsRealizedUsd);

  const k = s.risk.killSwitch;
  $('kill-state').textContent = !k.armed ? 'kill switch: not armed (dry-run)' : k.tripped ? `KILL SWITCH TRIPPED: ${k.tripped}` : 'kill switch: armed';
  $('kill-button').disabled = !k.armed || Boolean(k.tripped);

  table('venues', ['venue', 'connection', 'books live', 'gaps', 'book ages'], s.venues, (v) => [
    v.venue,
    { text: v.up ? 'up' : `DOWN: ${v.down ?? ''}`, cls: v.up ? 'good' : 'bad' },
    `${v.booksLive}/${v.books.length}`,
    String(v.gaps),
    v.books.map((b) => `${b.instrument && b.instrument !== b.symbol ? `${b.instrument} (${b.symbol})` : b.symbol} ${age(b.ageMs)}${b.stale ? ` (stale: ${b.stale})` : ''}`).join(' · '),
  ]);
  const risk = [
    s.risk.halted ? `HALTED: ${s.risk.halted}` : 'not halted',
    s.mode === 'live' ? (s.risk.accepting ? 'executor accepting trades' : 'executor refuses new trades') : 'dry-run: no executor, no order can be sent',
    ...s.risk.benched.map((b) => `benched ${b.venue}: ${b.reason}`),
    ...s.risk.notTradable.map((b) => `not tradable ${b.venue}: ${b.reason}`),
    s.risk.realizedTodayUsd !== undefined ? `realized today ${fmt(s.risk.realizedTodayUsd)} USD (daily loss limit ${fmt(s.risk.dailyLossLimitUsd)})` : `daily loss limit ${fmt(s.risk.dailyLossLimitUsd)} USD`,
  ];
  $('risk').replaceChildren(...risk.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
  table('margin', ['venue', 'collateral USD', 'initial margin USD', 'margin use %'], s.risk.margin, (m) => [m.venue, num(m.collateralUsd, 2), num(m.requiredUsd, 2), num(m.usePct, 2)]);
  // Widest first, a screenful: with every shared market mapped there can be hundreds of directions.
  const spreads = [...s.spreads].sort((a, b) => (Number(b.executablePct ?? -Infinity) - Number(a.executablePct ?? -Infinity))).slice(0, SPREAD_ROWS);
  $('spreads-shown').textContent = s.spreads.length > SPREAD_ROWS ? `(widest ${SPREAD_ROWS} of ${s.spreads.length})` : '';
  table('spreads', ['instrument', 'buy on', 'sell on', 'size', 'top %', 'executable %', 'vs threshold'], spreads, (r) => [
    r.instrument, r.buyVenue, r.sellVenue, num(r.size, 4), num(r.topPct, 4), num(r.executablePct, 4),
    r.executablePct === undefined || s.thresholdPct === undefined ? '–' : { text: Number(r.executablePct) >= Number(s.thresholdPct) ? 'ABOVE' : 'below', cls: Number(r.executablePct) >= Number(s.thresholdPct) ? 'good' : undefined },
  ]);
  table('pairs', ['id', 'instrument', 'state', 'long', 'short', 'size', 'entry spread %', 'funding USD', 'unrealized USD', 'age'], s.pairs, (p) => [
    p.id, p.instrument, p.state, p.longVenue, p.shortVenue, num(p.size, 4), num(p.entrySpreadPct, 4), money(p.fundingUsd, 4), money(p.unrealizedUsd), age(p.ageMs),
  ]);
  // What each trade's cash means (engine/portfolio/trade-kind.ts): only a flat trade's is realized.
  table('trades', ['time', 'trade', 'instrument', 'buy', 'sell', 'outcome', 'left', 'cash USD', 'residual', 'note'], s.trades, (t) => [
    time(t.at), t.tradeId, t.instrument, t.buyVenue, t.sellVenue, t.state, KIND_TEXT[t.kind] ?? t.kind, money(t.cashUsd), num(t.residual, 4), t.note ?? '',
  ]);
  table('judgments', ['time', 'instrument', 'buy', 'sell', 'size', 'executable %', 'net USD', 'decision', 'desync'], s.judgments, (j) => [
    time(j.at), j.instrument, j.buyVenue, j.sellVenue, num(j.size, 4), num(j.executableSpreadPct, 4), money(j.netUsd), j.decision, j.desync,
  ]);
  table('verdicts', ['strategy', 'kind', 'instrument', 'decision', 'net USD', 'summary'], s.verdicts, (v) => [v.strategy, v.kind, v.instrument, v.decision, money(v.netUsd), v.summary]);
  updateCharts(s);
}

// ---- the kill switch: press twice within 5 s (a stray click must not stop a week's run)
let armedAt = 0;
$('kill-button').addEventListener('click', async () => {
  const btn = $('kill-button');
  if (Date.now() - armedAt > 5000) {
    armedAt = Date.now();
    btn.textContent = 'Confirm: stop all trading';
    btn.classList.add('confirm');
    return;
  }
  btn.disabled = true;
  const res = await fetch(`action/kill?token=${encodeURIComponent(token)}`, { method: 'POST' });
  const body = await res.json();
  btn.textContent = res.ok ? 'Kill switch tripped' : `Refused: ${body.error ?? res.status}`;
  btn.classList.remove('confirm');
});

const events = new EventSource(`events?token=${encodeURIComponent(token)}`);
events.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
events.onerror = () => ($('status').textContent = 'disconnected: retrying (is the engine still running?)');
