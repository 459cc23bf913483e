/**
 * Seeded pseudo-random numbers, so a simulator run is reproducible from its seed.
 *
 * mulberry32: tiny, fast and good enough for synthetic markets (not for anything secret).
 * Every consumer derives its own stream from (seed, label), so adding a venue or a
 * subscriber never shifts the numbers another market sees.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream for one consumer ("paradex/BTC", "model"). */
  static derive(seed: number, label: string): Prng {
    // FNV-1a over the label, folded into the seed.
    let h = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return new Prng(h >>> 0);
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range [${min}, ${max}]`);
    const span = max - min + 1;
    return min + (this.nextUint32() % span);
  }

  /** True with the given probability (a control knob, never a price). */
  chance(probability: number): boolean {
    return this.nextUint32() / 0x1_0000_0000 < probability;
  }

  /** Roughly normal integer with mean 0 and spread ~ scale (sum of four uniforms). */
  bell(scale: number): number {
    if (scale <= 0) return 0;
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += this.int(-scale, scale);
    return Math.trunc(sum / 2);
  }
}
