/**
 * Seeded random numbers for the simulation: deterministic for a given seed on every platform
 * (32-bit integer arithmetic only), with the distributions the traffic model needs.
 */

/** Mixes two integers into a well-spread 32-bit seed (for order-independent per-minute draws). */
export function hashSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let value = Math.floor(part) | 0;
    const high = Math.floor(part / 4294967296) | 0;
    for (const word of [value, high]) {
      value = word;
      h = Math.imul(h ^ (value & 0xffff), 0x01000193);
      h = Math.imul(h ^ (value >>> 16), 0x01000193);
    }
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = hashSeed(seed) || 0x9e3779b9;
  }

  /** Uniform in [0, 1) (mulberry32). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Poisson(mean): multiplication for small means, normal approximation (continuity-corrected) above 60. */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.uniform();
    while (product > limit) {
      count++;
      product *= this.uniform();
    }
    return count;
  }

  /** Binomial(n, p): Poisson/normal approximations where exact sampling would be slow. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    if (n <= 40) {
      let count = 0;
      for (let i = 0; i < n; i++) if (this.uniform() < p) count++;
      return count;
    }
    const mean = n * p;
    if (mean < 30) return Math.min(n, this.poisson(mean));
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal())));
  }

  /** Gamma(shape, scale) (Marsaglia–Tsang). */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }
}
