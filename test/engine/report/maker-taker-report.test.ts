/**
 * The maker-taker report section from journal rows written by the desk's QuoteJournal into a
 * migrated SQLite journal, read back and built; every figure computed by hand in the comments.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { Journal, migrate } from '../../../engine/journal/journal.ts';
import { openJournalReader } from '../../../engine/journal/open.ts';
import type { Fill } from '../../../engine/exchange/orders.ts';
import { QuoteJournal } from '../../../engine/quoting/quote-journal.ts';
import type { QuoteTarget } from '../../../engine/quoting/quote-target.ts';
import { buildMakerTaker, makerTakerHtml, makerTakerLines, readMakerTaker } from '../../../engine/report/maker-taker.ts';
import { postgresForTests } from '../../helpers/postgres-server.ts';

const d = (v: string) => new Decimal(v);
const target = (side: 'buy' | 'sell', hedgeVwap: string): QuoteTarget => ({
  instrument: 'ETH-USD-PERP',
  side,
  size: d('0.3'),
  price: d(side === 'buy' ? '3000' : '3010'),
  maker: { venue: 'lighter', symbol: '0' },
  taker: { venue: 'paradex', symbol: 'ETH-USD-PERP' },
  hedge: { vwap: d(hedgeVwap), worst: d(hedgeVwap) },
  edge: d('0.001'),
});
const fill = (id: string, side: 'buy' | 'sell', size: string, price: string, fee: string): Fill => ({
  venue: 'lighter', symbol: '0', clientId: `c-${id}`, fillId: id, side, price: d(price), size: d(size), fee: d(fee), liquidity: 'maker', time: 0,
});
const T = 1_700_000_000_000;

function journal(): { db: Database.Database; qj: QuoteJournal } {
  const db = new Database(':memory:');
  migrate(db);
  return { db, qj: new QuoteJournal(db, () => 's1') };
}

/** Five quotes: q1 and q5 filled and hedged, q2 repriced, q3 cancelled on a stale book, q4 refused by the venue. */
function session(qj: QuoteJournal): void {
  const buy = target('buy', '3003');
  const sell = target('sell', '3006');
  for (const [i, id] of ['q1', 'q2', 'q3', 'q4', 'q5'].entries()) qj.event({ kind: 'place', tradeId: id, clientId: `c-${id}`, target: id === 'q5' ? sell : buy, at: T + i });
  qj.event({ kind: 'replace', tradeId: 'q2', clientId: 'c-q2', target: buy, reason: 'reprice: hedge paradex walk 3003 → 3010', at: T + 10 });
  qj.event({ kind: 'cancel', tradeId: 'q3', clientId: 'c-q3', target: buy, reason: 'paradex ETH-USD-PERP book stale (gap 900 ms)', at: T + 11 });
  qj.event({ kind: 'refused', tradeId: 'q4', clientId: 'c-q4', target: buy, reason: 'post-only: would cross', at: T + 12 });
  const rates = { makerFeeRate: d('0.0001'), takerFeeRate: d('0.0002') };
  // f1: maker buy 0.1 @ 3000; taker-taker would buy Lighter's ask walk 3001 and sell Paradex's bid walk 3002.
  qj.fill({ tradeId: 'q1', fill: fill('f1', 'buy', '0.1', '3000', '0'), target: buy, midAtFill: d('3000.5'), takerTaker: { makerPrice: d('3001'), takerPrice: d('3002'), ...rates }, seenAt: T + 20 });
  // f2: maker sell 0.2 @ 3010; taker-taker would sell Lighter's bid walk 3008 and buy Paradex's ask walk 3007.
  qj.fill({ tradeId: 'q5', fill: fill('f2', 'sell', '0.2', '3010', '0.01'), target: sell, midAtFill: d('3009'), takerTaker: { makerPrice: d('3008'), takerPrice: d('3007'), ...rates }, seenAt: T + 21 });
  // f3: learned while the Lighter book was not tradable: no mid, no taker-taker price.
  qj.fill({ tradeId: 'q5', fill: fill('f3', 'sell', '0.1', '3010', '0.005'), target: sell, midAtFill: undefined, takerTaker: undefined, seenAt: T + 22 });
  qj.markout('lighter', 'f1', '1s', d('3001.5'));
  qj.markout('lighter', 'f1', '10s', d('2999.5'));
  qj.markout('lighter', 'f2', '1s', d('3010'));
  // f2's 10 s sample never taken (the session ended first); f3's mids never sampled.
  qj.event({ kind: 'cancel', tradeId: 'q5', clientId: 'c-q5', target: sell, reason: 'stopping', at: T + 30 });
  const hedge = (tradeId: string, side: 'buy' | 'sell', expected: string, size: string, notional: string, net: string, latencyMs: number) =>
    qj.hedge({
      tradeId, instrument: 'ETH-USD-PERP', outcome: 'hedged', side, closeVenue: 'paradex', size: d(size), closedSize: d(size), makerNotional: d('0'),
      expectedHedgePrice: d(expected), closeSize: d(size), closeNotional: d(notional), closeFees: d('0'), net: d(net), latencyMs, at: T + 40,
    });
  hedge('q1', 'buy', '3003', '0.1', '300.25', '0.16', 38); // sold at 3002.5, 0.5 under the 3003 expected
  hedge('q5', 'sell', '3006', '0.2', '601.3', '0.51', 52); // bought at 3006.5, 0.5 over the 3006 expected
  hedge('q5', 'sell', '3006', '0.1', '300.65', '0.255', 120.4); // stored as whole ms: 120
}

describe('maker-taker report section', () => {
  it('counts quotes, fill rate, latency percentiles, slippage, markouts, net per fill and the taker-taker comparison', () => {
    const { db, qj } = journal();
    session(qj);
    const r = buildMakerTaker(readMakerTaker(db, 0));
    expect(r.tablePresent).toBe(true);
    // q4 refused at the send: 4 placed; q1 and q5 filled: 2 of 4.
    expect([r.quotesPlaced, r.endedByVenue, r.replaced, r.cancelled, r.quotesFilled, r.fillRate?.toString()]).toEqual([4, 1, 1, 2, 2, '0.5']);
    expect(r.cancelReasons).toEqual([
      { reason: 'paradex ETH-USD-PERP book stale', count: 1 },
      { reason: 'reprice', count: 1 },
      { reason: 'stopping', count: 1 },
    ]);
    expect([r.fills, r.hedged, r.notHedged]).toEqual([3, 3, 0]);
    // Latencies sorted [38, 52, 120]; nearest rank: p50 = 2nd (ceil(1.5)), p90 = 3rd (ceil(2.7)).
    expect(r.latency).toEqual({ count: 3, p50Ms: 52, p90Ms: 120, missing: 0 });
    // Cost: buy lot hedged by a sell at 3002.5 vs 3003: 0.5 × 0.1 = 0.05; sell lot hedged by buys at 3006.5 vs 3006:
    // 0.5 × 0.2 + 0.5 × 0.1 = 0.15; total 0.2 over expected notional 300.3 + 901.8 = 1202.1 → 1.66375… bps.
    expect(r.slippage.usd.toString()).toBe('0.2');
    expect(r.slippage.bps!.toDecimalPlaces(5).toString()).toBe('1.66376');
    // 1 s: f1 buy, mid +1 → +0.1; f2 sell, mid +1 → −0.2; sum −0.1 over 3000.5 × 0.1 + 3009 × 0.2 = 901.85 → −1.10883 bps; f3 n/a.
    expect([r.markout1s.sampled, r.markout1s.missing, r.markout1s.usd?.toString()]).toEqual([2, 1, '-0.1']);
    expect(r.markout1s.bps!.toDecimalPlaces(5).toString()).toBe('-1.10883');
    // 10 s: only f1 (mid −1 → −0.1 over 300.05 → −3.33278 bps).
    expect([r.markout10s.sampled, r.markout10s.missing, r.markout10s.usd?.toString()]).toEqual([1, 2, '-0.1']);
    expect(r.markout10s.bps!.toDecimalPlaces(5).toString()).toBe('-3.33278');
    // Net 0.16 + 0.51 + 0.255 = 0.925 over 3 fills.
    expect(r.net.total.toString()).toBe('0.925');
    expect(r.net.perFill!.toDecimalPlaces(6).toString()).toBe('0.308333');
    // Taker-taker: f1 300.2 − 300.1 − (300.1 × 0.0001 + 300.2 × 0.0002 = 0.09005) = 0.00995;
    // f2 601.6 − 601.4 − (601.6 × 0.0001 + 601.4 × 0.0002 = 0.18044) = 0.01956; f3 n/a.
    expect(r.takerTaker).toMatchObject({ priced: 2, missing: 1 });
    expect(r.takerTaker.total.toString()).toBe('0.02951');
    expect(r.takerTaker.perFill!.toString()).toBe('0.014755');
  });

  it('renders the figures in the terminal and as an HTML table, a markout not sampled as n/a (not 0)', () => {
    const { db, qj } = journal();
    session(qj);
    const r = buildMakerTaker(readMakerTaker(db, 0));
    const text = makerTakerLines(r).join('\n');
    expect(text).toContain('── Maker-taker ──');
    expect(text).toContain('quotes placed: 4 (1 refused or cancelled by the venue); replaced 1, cancelled 2');
    expect(text).toContain('fill rate: 2 of 4 quotes filled (50.0%); 3 maker fill(s), 3 hedge(s), 0 not hedged');
    expect(text).toContain('hedge latency (fill learned → hedge ack): p50 52 ms, p90 120 ms over 3 hedge(s)');
    expect(text).toContain('hedge slippage vs the quote’s hedge price (+ = worse): +$0.20 (+1.66 bps) over 3 hedge(s)');
    expect(text).toContain('markout 1 s (maker mid move, + = good for us): -$0.10 (-1.11 bps, 2 fill(s); 1 n/a)');
    expect(text).toContain('markout 10 s: -$0.10 (-3.33 bps, 1 fill(s); 2 n/a)');
    expect(text).toContain('net per maker fill (both sides, fees): +$0.31 (total +$0.93 over 3 fill(s))');
    expect(text).toContain('taker fees): +$0.01 per fill (total +$0.03 over 2 fill(s); 1 n/a)');
    const html = makerTakerHtml(r).join('');
    expect(html).toContain('<td>markout 10 s</td><td>-$0.10 (-3.33 bps, 1 fill(s); 2 n/a)</td>');
    expect(html).toContain('<td>hedge latency (fill learned → hedge ack)</td><td>p50 52 ms, p90 120 ms over 3 hedge(s)</td>');

    // A session that ended before any 10 s sample: n/a, with the count of fills not sampled.
    const early = journal();
    early.qj.event({ kind: 'place', tradeId: 'q1', clientId: 'c-q1', target: target('buy', '3003'), at: T });
    early.qj.fill({ tradeId: 'q1', fill: fill('f1', 'buy', '0.1', '3000', '0'), target: target('buy', '3003'), midAtFill: d('3000'), takerTaker: undefined, seenAt: T + 1 });
    const e = buildMakerTaker(readMakerTaker(early.db, 0));
    expect(e.markout10s).toEqual({ sampled: 0, missing: 1, usd: undefined, bps: undefined });
    expect(makerTakerLines(e).join('\n')).toContain('markout 10 s: n/a (1 fill(s) not sampled)');
    expect(makerTakerLines(e).join('\n')).toContain('p50 n/a, p90 n/a over 0 hedge(s)');
  });

  it('a journal from before migration 8 has no section; rows before --since are left out', () => {
    const old = new Database(':memory:');
    old.exec('CREATE TABLE sessions (id TEXT)');
    expect(readMakerTaker(old, 0)).toBeUndefined();
    const none = buildMakerTaker(undefined);
    expect(none.tablePresent).toBe(false);
    expect(makerTakerLines(none)).toEqual([]);
    expect(makerTakerHtml(none)).toEqual([]);
    const { db, qj } = journal();
    session(qj);
    const late = buildMakerTaker(readMakerTaker(db, T + 21));
    // Only f2, f3 (seen at T+21, T+22), the q5 cancel, the three hedges; no placement in range.
    expect([late.quotesPlaced, late.fills, late.hedged, late.cancelled]).toEqual([0, 2, 3, 1]);
  });
});

const pgTest = await postgresForTests('maker-taker-report.test.ts');
afterAll(() => pgTest.server?.stop());

describe.skipIf(!pgTest.server)('maker-taker report on a PostgreSQL journal', () => {
  it('the same rows written through the PostgreSQL bridge read back to the same section as SQLite', async () => {
    const sqlite = journal();
    session(sqlite.qj);
    const url = await pgTest.freshUrl();
    const pg = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId: 'mt-1' });
    pg.startSession('s1', 'live', '{}', T - 1000);
    session(new QuoteJournal(pg.db, () => 's1'));
    // A fill seen twice (push, then the REST backstop) is one row on PostgreSQL too.
    new QuoteJournal(pg.db).fill({ tradeId: 'q1', fill: fill('f1', 'buy', '0.1', '3000', '0'), target: target('buy', '3003'), midAtFill: d('1'), takerTaker: undefined, seenAt: T + 20 });
    pg.close(T + 100);
    const reader = openJournalReader(url);
    try {
      expect(buildMakerTaker(readMakerTaker(reader, 0))).toEqual(buildMakerTaker(readMakerTaker(sqlite.db, 0)));
    } finally {
      reader.close();
    }
  });
});
