/**
 * `npm run bench`: prints speed and memory figures. Benches are not tests: nothing here
 * asserts a timing; the numbers are for humans and for comparing changes.
 */
import { existsSync } from 'node:fs';
import { benchMarketPath } from './market-path.ts';

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

async function main(): Promise<void> {
  console.log(`bench on node ${process.version}, ${process.arch}`);
  benchMarketPath(20_000); // warm-up: JIT and allocation
  const r = benchMarketPath(300_000);
  console.log(
    `market path (3 venues x 20 markets, ${r.events} book events): ${Math.round(r.updatesPerSec).toLocaleString('en-US')} updates/s; ` +
      `arrival -> strategy decision p50 ${r.p50Us.toFixed(1)} µs, p99 ${r.p99Us.toFixed(1)} µs; ${r.judged} opportunities judged`,
  );
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
  const signing = await optional<Record<string, { p50Ms: number; p99Ms: number }>>('signing.ts', 'benchSigning');
  if (signing) {
    for (const [venue, s] of Object.entries(await signing())) console.log(`sign one ${venue} order: p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms`);
  }
  const execution = await optional<{ p50Ms: number; p99Ms: number }>('execution.ts', 'benchExecution');
  if (execution) {
    const e = await execution();
    console.log(`engine overhead, decision -> both legs acknowledged (venue latency subtracted): p50 ${e.p50Ms.toFixed(2)} ms, p99 ${e.p99Ms.toFixed(2)} ms`);
  }
  const replay = await optional<{ eventsPerSec: number; peakRssMb: number; events: number }>('replay.ts', 'benchReplay');
  if (replay) {
    const rp = await replay();
    console.log(`replay: ${rp.events} events at ${Math.round(rp.eventsPerSec).toLocaleString('en-US')} events/s, peak RSS ${rp.peakRssMb.toFixed(0)} MB`);
  }
}

await main();
