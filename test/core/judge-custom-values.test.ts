/**
 * The judge's comparison of a value statistic (Average, pNN) of the service's own metrics with the
 * original: the latency test on the samples beyond E = (1 ± tolerance) × the original's statistic
 * over its history. A value that regresses beyond the tolerance is rolled back naming the metric;
 * clean releases (A/A, per-minute noise shared by both versions and each version's own) are not;
 * a `warn` metric never rolls back; without the original's history only the bars apply.
 */
import { customMetricQueries, type CustomMetricSpec, type CustomPoint, valueThresholdOf } from '../../lambdas/core/custom-metrics';
import { judge, type JudgeInput, type MinuteBucket } from '../../lambdas/core/judge';
import { MINUTE, POLICY, rolloutInput, T0 } from './judge-fixtures';

/** Seed 004's memory, compared with the stable version: its Average may not rise more than 20%. */
const MEMORY: CustomMetricSpec = {
  name: 'memory',
  namespace: 'Shop',
  metricName: 'MemoryMB',
  dimensions: { service: 'shop' },
  statistic: 'Average',
  compare: { tolerancePercent: 20, worse: 'higher' },
  versionDimension: 'TaskDefinitionRevision',
  action: 'rollback',
};
/** An application latency whose p95 may be at most 1.5× the original's. */
const CHECKOUT_P95: CustomMetricSpec = {
  ...MEMORY,
  name: 'checkout-ms',
  metricName: 'CheckoutMs',
  statistic: 'p95',
  compare: { tolerancePercent: 50, worse: 'higher' },
};

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const normal = (random: () => number) => Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());

interface ValueSpec {
  readonly seed: number;
  readonly spec: CustomMetricSpec;
  /** Requests per minute over both groups; each version publishes one sample per 10 of its requests. */
  readonly total: number;
  /** One sample of the original: memory around 300 MB, or a latency with a long tail. */
  readonly sample: (random: () => number) => number;
  /** The canary's samples relative to the original's in rollout minute i. @default 1 */
  readonly canaryFactor?: (random: () => number, i: number) => number;
  /** Per-minute noise: a multiplier shared by both versions and one of each version's own. @default none */
  readonly noise?: boolean;
  readonly weight?: number;
  readonly minutes?: number;
}

/** A whole-rollout input whose minutes carry the metric's statistic, samples and samples beyond E, as the tick reads them. */
function valueInput(v: ValueSpec): JudgeInput {
  const random = prng(v.seed);
  const weight = v.weight ?? 25;
  const minutes = v.minutes ?? 20;
  const input = rolloutInput({
    total: v.total,
    baselineRate: 0.001,
    weightAt: () => weight,
    minutes,
    stage: { weight, fromMinute: 0, bakeMinutes: minutes - 2 },
  });
  const shared = new Map<number, number>();
  const samplesOf = (bucket: MinuteBucket, canary: boolean): number[] => {
    const i = Math.round((bucket.start - T0) / MINUTE);
    if (!shared.has(i)) shared.set(i, v.noise ? Math.exp(0.1 * normal(random)) : 1);
    const own = v.noise ? Math.exp(0.03 * normal(random)) : 1;
    const count = Math.max(1, Math.round(bucket.requests / 10));
    return Array.from(
      { length: count },
      () => v.sample(random) * shared.get(i)! * own * (canary && i >= 0 ? (v.canaryFactor?.(random, i) ?? 1) : 1),
    );
  };
  const statistic = (values: number[]): number => {
    if (v.spec.statistic === 'Average') return values.reduce((s, x) => s + x, 0) / values.length;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  };
  const drawn = (list: MinuteBucket[], canary: boolean) => list.map((b) => ({ bucket: b, values: samplesOf(b, canary) }));
  const baseline = drawn(input.baseline, false);
  const canary = drawn(input.canary, true);
  const withValue = (m: { bucket: MinuteBucket; values: number[] }): MinuteBucket => ({
    ...m.bucket,
    custom: { [v.spec.name]: { value: statistic(m.values) } },
  });
  const threshold = valueThresholdOf(v.spec, baseline.map(withValue), T0);
  const point = (values: number[]): CustomPoint => ({
    value: statistic(values),
    samples: values.length,
    ...(threshold !== undefined
      ? { beyond: values.filter((x) => (v.spec.compare?.worse === 'lower' ? x <= threshold : x > threshold)).length }
      : {}),
  });
  const attach = (list: Array<{ bucket: MinuteBucket; values: number[] }>) =>
    list.map((m) => ({ ...m.bucket, custom: { [v.spec.name]: point(m.values) } }));
  return { ...input, canary: attach(canary), baseline: attach(baseline) };
}

const memorySample = (random: () => number) => 300 * Math.exp(0.1 * normal(random));
const latencySample = (random: () => number) => 80 * Math.exp(0.5 * normal(random));
const policy = (...metrics: CustomMetricSpec[]) => ({ ...POLICY, metrics });
const reasonOf = (verdict: ReturnType<typeof judge>, name: string) => verdict.reasons.filter((r) => r.check === `metric:${name}`);

describe("judge › the service's own metrics › values compared with the original", () => {
  it('rolls back memory 50% above the original (Average, 20% tolerated) at 750 canary requests a minute in every seed, naming the metric', () => {
    const verdicts = Array.from({ length: 10 }, (_, seed) =>
      judge(valueInput({ seed: 40 + seed, spec: MEMORY, total: 3000, sample: memorySample, canaryFactor: () => 1.5 }), policy(MEMORY)),
    );
    expect(verdicts.map((v) => v.decision)).toEqual(Array(10).fill('rollback'));
    const [reason] = reasonOf(verdicts[0], 'memory');
    expect(reason.status).toBe('fail');
    expect(reason.detail).toMatch(
      /^memory: the canary's Average of MemoryMB is higher than 20\.0% beyond the original's: \d+(\.\d)?% of its samples are above 36\d(\.\d+)? \(tolerated 50\.0%\)/,
    );
    expect(reason.observed).toMatch(/^MemoryMB samples above 36\d(\.\d+)?: canary .* vs original .* since the first shift/);
  });

  it("rolls back a p95 that doubles in the canary's tail while its median stays", () => {
    const verdict = judge(
      valueInput({ seed: 7, spec: CHECKOUT_P95, total: 6000, sample: latencySample, canaryFactor: (random) => (random() < 0.15 ? 4 : 1) }),
      policy(CHECKOUT_P95),
    );
    expect(verdict.decision).toBe('rollback');
    expect(reasonOf(verdict, 'checkout-ms')[0].detail).toContain('p95 of CheckoutMs is higher');
  });

  it('does not roll back a change within the tolerance, and says what it rules out', () => {
    const verdict = judge(
      valueInput({ seed: 3, spec: MEMORY, total: 3000, sample: memorySample, canaryFactor: () => 1.05 }),
      policy(MEMORY),
    );
    expect(reasonOf(verdict, 'memory')[0].status).toBe('pass');
    expect(verdict.decision).toBe('promote');
    expect(verdict.rulesOut?.text).toMatch(/≥ \d+(\.\d)?% of memory samples above 36\d/);
  });

  it('keeps false rollbacks of clean releases (A/A, shared and per-version noise) at or under 1% in 200 seeds', () => {
    let rolledBack = 0;
    for (let seed = 1000; seed < 1200; seed++) {
      const memory = judge(valueInput({ seed, spec: MEMORY, total: 600, sample: memorySample, noise: true }), policy(MEMORY));
      const latency = judge(valueInput({ seed, spec: CHECKOUT_P95, total: 600, sample: latencySample, noise: true }), policy(CHECKOUT_P95));
      for (const verdict of [memory, latency])
        if (verdict.reasons.some((r) => r.check.startsWith('metric:') && r.status === 'fail')) rolledBack++;
    }
    expect(rolledBack).toBeLessThanOrEqual(4);
  });

  it('never rolls back a warn metric, and warns instead', () => {
    const warnOnly = { ...MEMORY, action: 'warn' as const };
    const verdict = judge(
      valueInput({ seed: 41, spec: warnOnly, total: 3000, sample: memorySample, canaryFactor: () => 1.5 }),
      policy(warnOnly),
    );
    expect(verdict.decision).not.toBe('rollback');
    expect(reasonOf(verdict, 'memory').every((r) => r.status === 'pass')).toBe(true);
    expect(verdict.warnings?.[0]).toMatchObject({ metric: 'memory' });
  });

  it("applies only the bars while the original's history has no value to set E from", () => {
    const input = valueInput({ seed: 42, spec: MEMORY, total: 600, sample: memorySample, canaryFactor: () => 1.5 });
    const noHistory = { ...input, baseline: input.baseline.map((b) => (b.start < T0 ? { ...b, custom: {} } : b)) };
    const verdict = judge(noHistory, policy(MEMORY));
    expect(reasonOf(verdict, 'memory')[0]).toMatchObject({
      status: 'pass',
      observed: "no Average of the original's history to compare with",
    });
  });

  it("asks for each version's samples and those beyond E once E is known, above E or at and below it when lower is worse", () => {
    const versions = { replacement: '8', original: '7' };
    const ids = (spec: CustomMetricSpec, thresholds: Record<string, number>) =>
      customMetricQueries([spec], ['replacement', 'original'], versions, thresholds).map((q) => [
        q.id,
        q.stat,
        q.dimensions.map((d) => `${d.Name}=${d.Value}`).join(','),
      ]);
    expect(ids(MEMORY, {})).toEqual([
      ['r_m0_value', 'Average', 'service=shop,TaskDefinitionRevision=8'],
      ['o_m0_value', 'Average', 'service=shop,TaskDefinitionRevision=7'],
    ]);
    expect(ids(MEMORY, { memory: 361.6 })).toEqual([
      ['r_m0_value', 'Average', 'service=shop,TaskDefinitionRevision=8'],
      ['r_m0_samples', 'SampleCount', 'service=shop,TaskDefinitionRevision=8'],
      ['r_m0_beyond', 'TC(361.6:)', 'service=shop,TaskDefinitionRevision=8'],
      ['o_m0_value', 'Average', 'service=shop,TaskDefinitionRevision=7'],
      ['o_m0_samples', 'SampleCount', 'service=shop,TaskDefinitionRevision=7'],
      ['o_m0_beyond', 'TC(361.6:)', 'service=shop,TaskDefinitionRevision=7'],
    ]);
    const throughput = { ...MEMORY, name: 'throughput', compare: { tolerancePercent: 10, worse: 'lower' as const } };
    expect(ids(throughput, { throughput: 90 }).find(([id]) => id === 'o_m0_beyond')?.[1]).toBe('TC(:90)');
  });
});
