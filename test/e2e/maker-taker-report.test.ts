/**
 * The maker-taker report section from a live session on the simulators: the strategy quotes on
 * Lighter, a market drop fills the quote as maker, the desk hedges on Paradex, and the report
 * read from the session's SQLite journal agrees with the desk's own counts and fill lines.
 * Its own rig: the session runs on after the fill (for the 1 s markout), which the scripted
 * sequence of maker-taker.test.ts does not expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { attachQuoting } from '../../engine/quoting/attach.ts';
import { makerTakerLines } from '../../engine/report/maker-taker.ts';
import { buildReport } from '../../engine/report/model.ts';
import { readJournal } from '../../engine/report/journal-rows.ts';
import { renderTerminal } from '../../engine/report/terminal.ts';
import { startLiveRig, until, type LiveRig } from './harness.ts';

let rig: LiveRig;
let stepper: NodeJS.Timeout;
const lines: string[] = [];

beforeAll(async () => {
  rig = await startLiveRig({
    envPrefix: 'E2E_MAKER_TAKER_REPORT',
    plugins: ['fee-model:table', 'strategy:maker-taker'],
    strategies: {
      'maker-taker': {
        makerVenue: 'lighter',
        takerVenue: 'paradex',
        instruments: ['ETH-USD-PERP'],
        sides: 'buy',
        quoteSize: '0.05',
        minEdgeBps: 5,
        repriceBps: 5,
        minQuoteLifeMs: 300,
        maxRestingQuotes: 1,
        hedgeBandBps: 30,
        maxUnhedgedMs: 1500,
      },
    },
    extraConfig: { fees: { table: { preset: 'current' } }, market: { maxBookAgeMs: 800 } },
  });
  rig.engine.announcements.on((l) => lines.push(l));
  stepper = setInterval(() => rig.sims.step(), 50);
}, 30_000);

afterAll(async () => {
  clearInterval(stepper);
  await rig?.close();
});

describe('maker-taker report on a live simulator session', () => {
  it('quotes placed, every fill hedged with a latency (the desk’s own), 1 s markout sampled, 10 s n/a, taker-taker priced', async () => {
    const since = Date.now();
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1 && desk.stats.placed >= 1, 5000, 'a resting quote');
    // Lighter's whole book drops 0.4%: its asks cross the resting bid, which fills as maker.
    rig.sims.model.dislocate('lighter', 'ETH', '-0.004', 1000);
    await until(() => desk.stats.hedges >= 1, 5000, 'a hedged maker fill');
    rig.sims.model.clearDislocation('lighter', 'ETH');
    // The session runs on past the 1 s markout of the fill, and stops well before its 10 s one.
    await new Promise((r) => setTimeout(r, 1500));
    await quoting.stop('test done');

    const report = buildReport(readJournal(rig.journalPath, since), { episodeGapMs: 10_000 });
    const mt = report.makerTaker;
    expect(mt.tablePresent).toBe(true);
    expect(mt.quotesPlaced).toBeGreaterThan(0);
    expect(mt.quotesPlaced).toBe(desk.stats.placed);
    expect(mt.replaced).toBe(desk.stats.replaced);
    expect(mt.fills).toBe(desk.stats.makerFills);
    expect(mt.fills).toBeGreaterThan(0);
    expect(mt.hedged).toBe(desk.stats.hedges);
    expect(mt.notHedged).toBe(0);
    expect(mt.quotesFilled).toBeGreaterThanOrEqual(1);
    // Every hedge has a latency, and they are the "in N ms" of the desk's own fill lines.
    expect(mt.latency).toMatchObject({ count: desk.stats.hedges, missing: 0 });
    const said = lines.flatMap((l) => /🎯 maker fill .* → hedged .* in (\d+) ms/.exec(l)?.[1] ?? []).map(Number).sort((a, b) => a - b);
    const journaled = rig.rows('SELECT latency_ms FROM maker_hedges WHERE at >= ? ORDER BY latency_ms', since).map((r) => Number(r['latency_ms']));
    expect(journaled).toEqual(said);
    expect(mt.latency.p50Ms).toBe(said[Math.ceil(said.length / 2) - 1]);
    expect(mt.latency.p90Ms).toBe(said[Math.ceil(said.length * 0.9) - 1]);
    // Every maker fill hedged: the fills' size is the hedges' closed size, and the positions agree.
    const sum = (sql: string, col: string) => rig.rows(sql, since).reduce((s, r) => s.plus(String(r[col])), new Decimal(0));
    const filled = sum('SELECT size FROM maker_fills WHERE seen_at >= ?', 'size');
    expect(filled.gt(0)).toBe(true);
    expect(sum("SELECT closed_size FROM maker_hedges WHERE at >= ? AND outcome = 'hedged'", 'closed_size').toString()).toBe(filled.toString());
    // Both books were tradable when the fill was learned: a mid and a taker-taker price; the 1 s mid sampled, the 10 s one not.
    expect(mt.takerTaker.priced).toBe(mt.fills);
    expect(mt.markout1s.sampled).toBe(mt.fills);
    expect(mt.markout10s).toMatchObject({ sampled: 0, missing: mt.fills });
    const text = renderTerminal(report);
    expect(text).toContain('── Maker-taker ──');
    expect(text).toMatch(/hedge latency \(fill learned → hedge ack\): p50 \d+ ms, p90 \d+ ms over \d+ hedge\(s\)/);
    expect(text).toContain(`markout 10 s: n/a (${mt.fills} fill(s) not sampled)`);
    expect(text).toMatch(/same fills as taker-taker .*: [+-]\$\d+\.\d{2} per fill/);
    // Each placement row was written before its order went out; each cancel row before the desk said it was acknowledged.
    const placed = rig.rows("SELECT e.seq AS seq, e.at AS at, o.sent_at AS sent_at FROM quote_events e JOIN orders o ON o.client_id = e.client_id WHERE e.kind = 'place' AND e.at >= ?", since);
    expect(placed.length).toBeGreaterThanOrEqual(mt.quotesPlaced);
    expect(placed.every((r) => Number(r['at']) <= Number(r['sent_at']))).toBe(true);
    const cancels = rig.rows("SELECT reason FROM quote_events WHERE kind IN ('cancel', 'replace') AND at >= ?", since);
    expect(cancels.length).toBeGreaterThanOrEqual(desk.stats.cancelled);
    expect(cancels.every((r) => typeof r['reason'] === 'string' && (r['reason'] as string).length > 0)).toBe(true);
    // The section as a trader reads it (the closing note's figures come from runs like this one).
    console.log(makerTakerLines(mt).join('\n'));
  }, 20_000);
});
