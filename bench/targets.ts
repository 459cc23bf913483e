/** The targets as bench output lines: the figure measured, the bar, pass or fail. */
export interface TargetLine {
  name: string;
  figure: string;
  bar: string;
  pass: boolean;
}

const lines: TargetLine[] = [];

export function target(name: string, figure: string, bar: string, pass: boolean): void {
  const line = { name, figure, bar, pass };
  lines.push(line);
  console.log(format(line));
}

export function format(t: TargetLine): string {
  return `TARGET ${t.name}: ${t.figure} (target ${t.bar}) ${t.pass ? 'PASS' : 'FAIL'}`;
}

/** Every target line again at the end, so the verdicts read in one place. */
export function summary(): string[] {
  return lines.map(format);
}

export const rate = (perSec: number): string => `${(perSec / 1e6).toFixed(2)}M/s`;
