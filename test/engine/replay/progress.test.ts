import { describe, expect, it } from 'vitest';
import { eta, Progress, renderBar, renderLine } from '../../../engine/cli/progress.ts';

describe('progress', () => {
  it('renders a bar with percent, rate and ETA', () => {
    // 25% done in 10 s at 50k events: 30 s to go
    expect(renderBar('replay', 'events', { fraction: 0.25, count: 50_000, elapsedMs: 10_000 }, 8)).toBe('replay [██░░░░░░]  25% 5.0k events/s ETA 0:30');
    expect(eta({ fraction: 0.01, count: 1, elapsedMs: 60_000 })).toBe('1:39:00');
    expect(eta({ fraction: undefined, count: 1, elapsedMs: 1 })).toBe('--:--');
    expect(renderLine('report', 'rows', { fraction: 0.5, count: 2_000_000, elapsedMs: 1000 })).toBe('report: 50.0% 2000000 rows, 2.00M rows/s, ETA 0:01');
  });

  it('redraws in place on a TTY and prints plain lines at an interval otherwise', () => {
    let now = 0;
    const tty: string[] = [];
    const bar = new Progress({ label: 'x', unit: 'ev', stream: { write: (s: string) => tty.push(s), isTTY: true }, now: () => now });
    const plain: string[] = [];
    const lines = new Progress({ label: 'x', unit: 'ev', stream: { write: (s: string) => plain.push(s) }, lineEveryMs: 5000, now: () => now });
    for (now = 0; now <= 10_000; now += 50) {
      bar.update(now, 10_000, now);
      lines.update(now, 10_000, now);
    }
    bar.finish();
    expect(tty.length).toBeGreaterThan(50);
    expect(tty.every((s) => s.startsWith('\r'))).toBe(true);
    expect(plain).toHaveLength(3); // at 0, 5 s and 10 s
    expect(plain.every((s) => s.endsWith('\n') && !s.includes('\x1b'))).toBe(true);
  });
});
