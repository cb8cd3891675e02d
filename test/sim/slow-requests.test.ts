import {
  binomialQuantile,
  DEFAULT_LATENCY,
  EXACT_BINOMIAL_MEAN,
  latencyCdf,
  MINUTE_MS,
  normalCdf,
  normalQuantile,
  Random,
  slowRequestsAbove,
  TrafficWorld,
  TrafficWorldOptions,
} from '../../sim';

const T0 = Date.UTC(2026, 0, 1);

function world(minutes: number, overrides: Partial<TrafficWorldOptions> = {}, weight = 20) {
  const w = new TrafficWorld({
    seed: 11,
    totalRps: 50,
    baselineErrorRate: 0.005,
    startTime: T0,
    coldStart: false,
    initialCanaryWeight: weight,
    ...overrides,
  });
  w.advanceTo(T0 + minutes * MINUTE_MS);
  return w;
}
const groups = (w: TrafficWorld) => w.minutes.flatMap((m) => [m.canary, m.baseline]);
/** Thresholds from 0 to 5 s, 1 ms apart below 1 s (where the default distribution lives). */
const THRESHOLDS = [...Array.from({ length: 1000 }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => 1000 + 100 * i)];

describe('normalQuantile', () => {
  it.each([1e-10, 0.001, 0.02, 0.3, 0.5, 0.8, 0.99, 1 - 1e-9])('inverts normalCdf at %p', (u) => {
    expect(normalCdf(normalQuantile(u))).toBeCloseTo(u, 6);
  });
});

describe('binomialQuantile', () => {
  it('is exactly the binomial quantile for small means (checked against the pmf summed directly)', () => {
    const n = 30;
    const p = 0.2;
    const pmf = (k: number) => {
      let c = 1;
      for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
      return c * p ** k * (1 - p) ** (n - k);
    };
    let cdf = 0;
    for (let k = 0; k <= n; k++) {
      const below = cdf;
      cdf += pmf(k);
      if (cdf - below > 1e-12) {
        expect(binomialQuantile(n, p, below + (cdf - below) / 2)).toBe(k);
        expect(binomialQuantile(n, 1 - p, 1 - below - (cdf - below) / 2)).toBe(n - k);
      }
    }
  });

  it.each([20, 150, 201, 1000, 30_000, 10_000_000])('never falls as p rises for n = %p, across the exact/normal switch-overs', (n) => {
    const random = new Random(n);
    const ps = Array.from({ length: 2001 }, (_, i) => i / 2000);
    ps.push(EXACT_BINOMIAL_MEAN / n, 1 - EXACT_BINOMIAL_MEAN / n, (EXACT_BINOMIAL_MEAN * 0.999) / n, (EXACT_BINOMIAL_MEAN * 1.001) / n);
    ps.sort((a, b) => a - b);
    for (const u of [0.5 / 2 ** 32, 0.001, 0.5, 0.999, 1 - 0.5 / 2 ** 32, random.uniform(), random.uniform()]) {
      const counts = ps.map((p) => binomialQuantile(n, p, u));
      const falls = counts.filter((k, i) => i > 0 && k < counts[i - 1]);
      expect({ u, falls }).toEqual({ u, falls: [] });
      expect([counts[0], counts[counts.length - 1]]).toEqual([0, n]);
    }
  });

  // For N draws with mean μ, variance σ² and fourth central moment μ4: the sample mean has sd σ/√N,
  // the sample variance sd √((μ4 − σ⁴(N − 3)/(N − 1))/N). Both are checked at 4 sd (two-sided 6e-5).
  it.each([
    ['exact, small mean', 200, 0.03],
    ['exact at 10^7 requests', 10_000_000, 4e-6],
    ['normal', 5000, 0.05],
    ['normal at 10^7 requests', 10_000_000, 0.05],
    ['exact from above', 2000, 0.98],
  ])('has the binomial mean and variance (%s: n = %p, p = %p)', (_name, n, p) => {
    const N = 20_000;
    const random = new Random(Math.round(n * p));
    let sum = 0;
    let squares = 0;
    const draws: number[] = [];
    for (let i = 0; i < N; i++) {
      const k = binomialQuantile(n, p, random.uniform());
      draws.push(k);
      sum += k;
    }
    const mean = sum / N;
    for (const k of draws) squares += (k - mean) ** 2;
    const variance = squares / (N - 1);
    const sigma2 = n * p * (1 - p);
    const mu4 = sigma2 * (1 + 3 * (n - 2) * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan(4 * Math.sqrt(sigma2 / N));
    expect(Math.abs(variance - sigma2)).toBeLessThan(4 * Math.sqrt((mu4 - (sigma2 ** 2 * (N - 3)) / (N - 1)) / N));
  });
});

describe('slowRequestsAbove', () => {
  it('is the same count every time and for the same seed, and differs with the seed', () => {
    const a = world(30);
    const b = world(30);
    const c = world(30, { seed: 12 });
    for (const T of [100, 215, 350, 500, 1234]) {
      const counts = groups(a).map((g) => slowRequestsAbove(g, T));
      expect(groups(a).map((g) => slowRequestsAbove(g, T))).toEqual(counts);
      expect(groups(b).map((g) => slowRequestsAbove(g, T))).toEqual(counts);
      if (T <= 500) expect(groups(c).map((g) => slowRequestsAbove(g, T))).not.toEqual(counts);
    }
  });

  it('never rises with the threshold, from 0 ms (every request) upwards', () => {
    const minutes = [
      ...groups(world(20)),
      ...groups(world(5, { totalRps: 3 })),
      ...groups(world(3, { totalRps: 10_000_000 / 60, regression: { kind: 'latency', extraMs: 1000, share: 0.05 } }, 50)),
    ];
    for (const g of minutes) {
      const counts = THRESHOLDS.map((T) => slowRequestsAbove(g, T));
      expect(counts[0]).toBe(g.requests);
      expect(THRESHOLDS.filter((_T, i) => i > 0 && counts[i] > counts[i - 1])).toEqual([]);
    }
  });

  it("is the stored slowRequests field at the model's own threshold", () => {
    const cases: Array<[Partial<TrafficWorldOptions>, number]> = [
      [{}, DEFAULT_LATENCY.slowThresholdMs],
      [{ latency: { ...DEFAULT_LATENCY, slowThresholdMs: 300 }, regression: { kind: 'latency', ratio: 1.5 } }, 300],
      [{ coldStart: true, totalRps: 2000 }, DEFAULT_LATENCY.slowThresholdMs],
    ];
    for (const [options, threshold] of cases) {
      const gs = groups(world(30, options));
      expect(gs.some((g) => g.slowRequests > 0)).toBe(true);
      for (const g of gs) expect(g.slowRequests).toBe(slowRequestsAbove(g, threshold));
    }
  });

  it("counts as many slow requests as Binomial(requests, 1 − F(T)) over many minutes, at a threshold that is not the model's", () => {
    const w = world(2000, { totalRps: 5 }, 50);
    for (const T of [180, 260, 400]) {
      let excess = 0;
      let variance = 0;
      for (const g of groups(w)) {
        const p = 1 - latencyCdf(g.latency, T);
        excess += slowRequestsAbove(g, T) - g.requests * p;
        variance += g.requests * p * (1 - p);
      }
      expect(Math.abs(excess)).toBeLessThan(4 * Math.sqrt(variance));
    }
  });

  it('answers 10^7 requests a minute without error, near its expected count', () => {
    const w = world(3, { totalRps: 10_000_000 / 60 }, 50);
    const g = w.minutes[0].baseline;
    expect(g.requests).toBeGreaterThan(4_900_000);
    for (const T of [1, 50, 80, 215, 500, 2000, 10_000]) {
      const p = 1 - latencyCdf(g.latency, T);
      const count = slowRequestsAbove(g, T);
      expect(Math.abs(count - g.requests * p)).toBeLessThanOrEqual(6 * Math.sqrt(g.requests * p * (1 - p)) + 1);
    }
    expect(slowRequestsAbove({ requests: 10_000_000, latency: g.latency, latencyUniform: 0.5 }, 215)).toBeGreaterThan(0);
  });
});
