/**
 * How long an opportunity lasts. An episode is a run of judgments of the same instrument and
 * direction with less than `gapMs` between neighbours; it lasts from its first judgment to its
 * last (a lone judgment lasts 0 ms: it was gone by the next look, or the cooldown hid it).
 */
import type { JudgedOpportunity } from './journal-rows.ts';

export interface Episode {
  instrument: string;
  buyVenue: string;
  sellVenue: string;
  start: number;
  end: number;
  judgments: number;
}

export function findEpisodes(opps: readonly JudgedOpportunity[], gapMs: number): Episode[] {
  const open = new Map<string, Episode>();
  const done: Episode[] = [];
  for (const o of opps) {
    const key = `${o.instrument}|${o.buyVenue}|${o.sellVenue}`;
    const e = open.get(key);
    if (e && o.detectedAt - e.end < gapMs) {
      e.end = o.detectedAt;
      e.judgments++;
      continue;
    }
    if (e) done.push(e);
    open.set(key, { instrument: o.instrument, buyVenue: o.buyVenue, sellVenue: o.sellVenue, start: o.detectedAt, end: o.detectedAt, judgments: 1 });
  }
  done.push(...open.values());
  return done.sort((a, b) => a.start - b.start || a.instrument.localeCompare(b.instrument));
}

/** Duration classes a trader reads at a glance. */
export const EPISODE_BUCKETS: { label: string; upToMs: number }[] = [
  { label: 'single look', upToMs: 0 },
  { label: '< 1 s', upToMs: 999 },
  { label: '1-5 s', upToMs: 4_999 },
  { label: '5-30 s', upToMs: 29_999 },
  { label: '30 s-2 min', upToMs: 119_999 },
  { label: '2-10 min', upToMs: 599_999 },
  { label: '≥ 10 min', upToMs: Infinity },
];

export function bucketEpisodes(episodes: readonly Episode[]): { label: string; count: number }[] {
  const counts = EPISODE_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  for (const e of episodes) {
    const ms = e.end - e.start;
    const i = EPISODE_BUCKETS.findIndex((b) => ms <= b.upToMs);
    counts[i]!.count++;
  }
  return counts;
}
