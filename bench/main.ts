/**
 * `npm run bench`: prints speed and memory figures. Benches are not tests: nothing here
 * asserts a timing; the numbers are for humans and for comparing changes.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ccxtVersion, race, type RaceResult } from './book-race.ts';
import { benchMarketPath } from './market-path.ts';
import { runReplayChild } from './replay.ts';
import { VEST_SIGNER_BACKEND } from '../plugins/exchanges/vest/digest-signer.ts';
import { rate, summary, target } from './targets.ts';

const here = new URL('.', import.meta.url);

async function optional<T>(file: string, name: string): Promise<((...a: unknown[]) => Promise<T>) | undefined> {
  if (!existsSync(new URL(file, here))) return undefined;
  const mod = (await import(new URL(file, here).href)) as Record<string, unknown>;
  return mod[name] as ((...a: unknown[]) => Promise<T>) | undefined;
}

interface DecodeLine {
  framesPerSec: number;
  nsPerFrame: number;
  levelsPerFrame: number;
  bytesPerFrame: number;
}

function raceLine(label: string, r: RaceResult): string {
  return (
    `${label.padEnd(26)} depth ${String(r.depth).padStart(4)} (mean ${r.meanDepth.toFixed(0).padStart(4)})  ours ${rate(r.oursPerSec)} ${r.oursNsPerDelta.toFixed(0).padStart(5)} ns/delta` +
    `  ccxt ${rate(r.ccxtPerSec)} ${r.ccxtNsPerDelta.toFixed(0).padStart(5)} ns/delta  ${r.ratio.toFixed(2)}x`
  );
}

function benchBooks(): void {
  const deltas = Number(process.env.BENCH_DELTAS ?? 1_000_000);
  console.log(`\n== 1. book maintenance: ours (toUnits + OrderBook.applyDelta, exact integers) vs ccxt ${ccxtVersion} OrderBook (parseFloat, floats)`);
  console.log('   same wire-string stream, 3 levels per delta, best bid/ask read after each delta, final books compared; best of 3 alternating runs');
  race(60, 50, 50_000, 1); // warm-up
  const issue = race(60, 50, deltas, 3);
  console.log(raceLine(`issue stream: 60 books`, issue));
  const byDepth: RaceResult[] = [];
  for (const depth of [15, 50, 200, 1000]) {
    const r = race(60, depth, Math.round(deltas / 3), 3);
    byDepth.push(r);
    console.log(raceLine(`60 books, ${Math.round(deltas / 3)} deltas`, r));
  }
  target('1 book maintenance vs ccxt, issue stream', `${issue.ratio.toFixed(2)}x (${rate(issue.oursPerSec)} vs ${rate(issue.ccxtPerSec)})`, '>= 3x', issue.ratio >= 3);
  for (const r of byDepth) target(`1 book maintenance vs ccxt, depth ${r.depth}`, `${r.ratio.toFixed(2)}x`, '>= 3x', r.ratio >= 3);
  console.log('\n== 6. how book cost grows: ns per delta (ours / ccxt) against depth and number of books');
  const cell = (r: RaceResult) => `${r.oursNsPerDelta.toFixed(0)} / ${r.ccxtNsPerDelta.toFixed(0)}`.padStart(14);
  console.log(`   depth:        ${byDepth.map((r) => String(r.depth).padStart(14)).join('')}`);
  console.log(`   60 books      ${byDepth.map(cell).join('')}`);
  const byBooks: string[] = [];
  for (const books of [60, 300, 1500]) {
    const r = race(books, 50, Math.round(deltas / 3), 2);
    byBooks.push(`${String(books).padStart(5)} books: ${cell(r).trim()}`);
  }
  console.log(`   depth 50, ns/delta ours / ccxt by books: ${byBooks.join(';  ')}`);
}

/**
 * Replay throughput and peak RSS against recording size, each size written by one child process
 * and replayed by a fresh one (so the RSS is the replay's alone). BENCH_REPLAY_EVENTS overrides
 * the sizes (comma-separated).
 */
function benchReplaySizes(): void {
  const sizes = (process.env.BENCH_REPLAY_EVENTS ?? '1000000,5000000').split(',').map(Number);
  console.log('\n== 4/6. replay end to end (gunzip, decode, hub, cross-exchange strategy, simulator, journal) against recording size');
  console.log('   events      write s   replay s   events/s    peak RSS');
  const rows: ReturnType<typeof runReplayChild>[] = [];
  for (const n of sizes) {
    const r = runReplayChild(n);
    rows.push(r);
    console.log(`   ${String(r.events).padEnd(10)} ${r.writeSeconds.toFixed(1).padStart(8)} ${r.replaySeconds.toFixed(1).padStart(10)} ${Math.round(r.eventsPerSec).toLocaleString('en-US').padStart(10)} ${String(r.peakRssMb).padStart(8)} MB`);
  }
  const first = rows.find((r) => r.events >= 1_000_000) ?? rows[0];
  if (first) {
    target(`4 replay throughput (${first.events} events)`, `${(first.eventsPerSec / 1e6).toFixed(3)}M events/s`, '>= 1M/s', first.eventsPerSec >= 1e6);
    const peak = Math.max(...rows.map((r) => r.peakRssMb));
    target(`4 replay peak RSS (largest ${Math.max(...rows.map((r) => r.events))} events)`, `${peak} MB`, '< 200 MB', peak < 200);
  }
}

async function main(): Promise<void> {
  console.log(`bench on node ${process.version}, ${process.arch}, ${cpus().length} cpus (${cpus()[0]?.model ?? 'unknown cpu'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY.includes('book')) benchBooks();
  if (process.env.BENCH_ONLY && !process.env.BENCH_ONLY.includes('rest')) {
    console.log('\n' + summary().join('\n'));
    return;
  }
  benchMarketPath(20_000); // warm-up: JIT and allocation
  const r = benchMarketPath(300_000);
  console.log(
    `market path (3 venues x 20 markets, ${r.events} book events): ${Math.round(r.updatesPerSec).toLocaleString('en-US')} updates/s; ` +
      `arrival -> strategy decision p50 ${r.p50Us.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs; ${r.judged} opportunities judged`,
  );
  target('3 market path throughput', rate(r.updatesPerSec), '>= 1M/s', r.updatesPerSec >= 1e6);
  target('3 market path p99 arrival -> decision', `${r.p99Us.toFixed(1)} µs`, '< 20 µs', r.p99Us < 20);
  console.log(`journal: batched flush p99 ${r.journalFlushP99Ms.toFixed(2)} ms (largest batch ${r.journalRowsPerFlushMax} rows), written off the market-data path`);

  const sbe = await optional<{ sbe: DecodeLine; json: DecodeLine }>('sbe-decode.ts', 'benchSbeDecode');
  if (sbe) {
    const d = await sbe();
    for (const [name, r] of [['SBE', d.sbe], ['JSON', d.json]] as const) {
      console.log(
        `paradex ${name} decode, 15-level book frame (${r.bytesPerFrame} bytes, ${r.levelsPerFrame} levels): ` +
          `${Math.round(r.framesPerSec).toLocaleString('en-US')} frames/s = book updates/s, ${r.nsPerFrame.toFixed(0)} ns/frame`,
      );
    }
  }
  const applied = await optional<{ updatesPerSec: number; nsPerUpdate: number; levelsPerFrame: number; frames: number }>('sbe-decode.ts', 'benchSbeApplied');
  if (applied) {
    const a = await applied(Number(process.env.BENCH_SBE_FRAMES ?? 500_000));
    console.log(`paradex SBE delta frames -> applied book updates (decode + hub, 60 books, ${a.levelsPerFrame} levels/frame): ${rate(a.updatesPerSec)}, ${a.nsPerUpdate.toFixed(0)} ns/update`);
    target('2 SBE frames -> applied book updates', rate(a.updatesPerSec), '>= 2M/s', a.updatesPerSec >= 2e6);
  }
  const signing = await optional<Record<string, { p50Ms: number; p99Ms: number }>>('signing.ts', 'benchSigning');
  if (signing) {
    const sig = await signing();
    for (const [venue, s] of Object.entries(sig)) console.log(`sign one ${venue} order: p50 ${s.p50Ms.toFixed(3)} ms, p99 ${s.p99Ms.toFixed(3)} ms`);
    const vest = sig['vest'];
    const raw = sig['vest-raw-secp256k1-sign'];
    if (vest && raw) {
      console.log(`vest order signing / raw secp256k1 sign (${VEST_SIGNER_BACKEND}), p50: ${(vest.p50Ms / raw.p50Ms).toFixed(2)}x`);
      const js = sig['vest-raw-sign-ethers-js'];
      if (js) console.log(`raw sign p50: ${VEST_SIGNER_BACKEND} ${raw.p50Ms.toFixed(3)} ms, ethers (noble-curves, JS) ${js.p50Ms.toFixed(3)} ms`);
      target('5 Vest signing p50', `${vest.p50Ms.toFixed(3)} ms (raw sign ${raw.p50Ms.toFixed(3)} ms, ${(vest.p50Ms / raw.p50Ms).toFixed(2)}x)`, '< 0.4 ms', vest.p50Ms < 0.4);
    }
  }
  const execution = await optional<{ p50Ms: number; p99Ms: number }>('execution.ts', 'benchExecution');
  if (execution) {
    const e = await execution();
    console.log(`engine overhead, decision -> both legs acknowledged (venue latency subtracted): p50 ${e.p50Ms.toFixed(2)} ms, p99 ${e.p99Ms.toFixed(2)} ms`);
  }
  benchReplaySizes();
  console.log('\n== summary\n' + summary().join('\n'));
}

await main();
