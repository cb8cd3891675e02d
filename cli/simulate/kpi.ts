/**
 * A scenario's KPI (`kpi` in the scenario format): the points the application would publish per
 * version, added to the minutes the simulated tick reads, and the check that judges them (the
 * service file's metric of that name, else a KPI that must not fall by more than 5%). A scenario's
 * value (`valueKpi`): samples per version, read as the tick reads a compared value (its statistic,
 * its samples, and those above E), judged by the service file's metric of that name, else a value
 * that may not rise more than 20% above the original's.
 */
import { type CustomMetricSpec, type CustomPoint, valueThresholdOf } from '../../lambdas/core/custom-metrics';
import type { JudgePolicy, MinuteBucket } from '../../lambdas/core/judge';
import type { MinuteBuckets } from '../../lambdas/core/observation';
import { hashSeed, Random, type Scenario } from '../../sim';

export type ScenarioKpi = NonNullable<Scenario['kpi']>;
export type ScenarioValueKpi = NonNullable<Scenario['valueKpi']>;

/** The policy with the value's metric in it: the service's own entry of that name, else a comparison tolerating 20% more. */
export function policyWithValueKpi(policy: JudgePolicy, value: ScenarioValueKpi | undefined): JudgePolicy {
  if (!value || policy.metrics?.some((m) => m.name === value.metric)) return policy;
  const spec: CustomMetricSpec = {
    name: value.metric,
    namespace: 'Simulated',
    metricName: value.metric,
    dimensions: {},
    statistic: value.statistic,
    compare: { tolerancePercent: 20, worse: 'higher' },
    versionDimension: 'TaskDefinitionRevision',
    action: 'rollback',
  };
  return { ...policy, metrics: [...(policy.metrics ?? []), spec] };
}

/** Drawn minutes kept (a rollout reads about 150 minutes per version; a benchmark runs many rollouts). */
const MAX_DRAWN_MINUTES = 2_000;
const drawnSamples = new Map<string, number[]>();

/** The statistic of one minute's samples (sorted): their mean, or a percentile by nearest rank. */
const means = new WeakMap<readonly number[], number>();
function statisticOf(statistic: string, sorted: readonly number[]): number {
  if (statistic === 'Average') {
    const known = means.get(sorted);
    if (known !== undefined) return known;
    const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
    means.set(sorted, mean);
    return mean;
  }
  const rank = Math.ceil((Number(statistic.slice(1)) / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** How many of the sorted samples are above `threshold` (or at or below it when `lower`). */
function countBeyond(sorted: readonly number[], threshold: number, lower: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] <= threshold) low = mid + 1;
    else high = mid;
  }
  return lower ? low : sorted.length - low;
}

/**
 * Each minute's samples per version, drawn from the minute's own seed (every tick sees the same),
 * read as the tick reads a compared value: the statistic, and once the rollout has started (E is
 * set from the original's hour before `rolloutStartedAt`), the samples and those beyond E.
 */
export function withValueKpi(
  buckets: MinuteBuckets,
  value: ScenarioValueKpi | undefined,
  seed: number,
  policy: JudgePolicy,
  rolloutStartedAt: number | undefined,
): MinuteBuckets {
  if (!value) return buckets;
  const spec = policy.metrics?.find((m) => m.name === value.metric);
  if (!spec) return buckets;
  const draw = (list: readonly MinuteBucket[], canary: boolean) =>
    list.map((bucket) => {
      // Every tick re-reads the same minutes: their samples are drawn once, sorted.
      const key = `${seed}:${bucket.start}:${canary}:${bucket.requests}:${JSON.stringify(value)}`;
      let samples = drawnSamples.get(key);
      if (!samples) {
        const random = new Random(hashSeed(seed, bucket.start / 60_000, canary ? 3 : 4));
        const count = Math.max(1, Math.round(bucket.requests * value.samplesPerRequest));
        const factor = canary ? value.canaryFactor : 1;
        samples = Array.from(
          { length: bucket.requests > 0 ? count : 0 },
          () => value.median * Math.exp(value.spread * random.normal()) * factor,
        );
        samples.sort((a, b) => a - b);
        if (drawnSamples.size >= MAX_DRAWN_MINUTES) drawnSamples.clear();
        drawnSamples.set(key, samples);
      }
      return { bucket, samples };
    });
  const replacement = draw(buckets.replacement, true);
  const original = draw(buckets.original, false);
  const valued = (m: { bucket: MinuteBucket; samples: number[] }): MinuteBucket =>
    m.samples.length === 0
      ? m.bucket
      : { ...m.bucket, custom: { ...m.bucket.custom, [spec.name]: { value: statisticOf(spec.statistic, m.samples) } } };
  const threshold = rolloutStartedAt === undefined ? undefined : valueThresholdOf(spec, original.map(valued), rolloutStartedAt);
  const lower = spec.compare?.worse === 'lower';
  const attach = (list: ReadonlyArray<{ bucket: MinuteBucket; samples: number[] }>): MinuteBucket[] =>
    list.map((m) => {
      if (m.samples.length === 0) return m.bucket;
      const point: CustomPoint = {
        value: statisticOf(spec.statistic, m.samples),
        ...(threshold !== undefined ? { samples: m.samples.length, beyond: countBeyond(m.samples, threshold, lower) } : {}),
      };
      return { ...m.bucket, custom: { ...m.bucket.custom, [spec.name]: point } };
    });
  return { replacement: attach(replacement), original: attach(original) };
}

/** The policy with the KPI's metric in it: the service's own entry of that name, else a default comparison. */
export function policyWithKpi(policy: JudgePolicy, kpi: ScenarioKpi | undefined): JudgePolicy {
  if (!kpi || policy.metrics?.some((m) => m.name === kpi.metric)) return policy;
  const spec: CustomMetricSpec = {
    name: kpi.metric,
    namespace: 'Simulated',
    metricName: kpi.metric,
    dimensions: {},
    statistic: 'Sum',
    compare: { tolerancePercent: 5, worse: 'lower' },
    versionDimension: 'TaskDefinitionRevision',
    action: 'rollback',
  };
  return { ...policy, metrics: [...(policy.metrics ?? []), spec] };
}

/**
 * Each minute's KPI count per version: Binomial(requests, rate) drawn from the minute's own seed,
 * so every tick sees the same counts. A ratio metric of the service file gets the count as its
 * numerator and the requests as its denominator.
 */
export function withKpi(buckets: MinuteBuckets, kpi: ScenarioKpi | undefined, seed: number, policy: JudgePolicy): MinuteBuckets {
  if (!kpi) return buckets;
  const ratio = policy.metrics?.find((m) => m.name === kpi.metric)?.ratio !== undefined;
  const add = (list: readonly MinuteBucket[], canary: boolean): MinuteBucket[] =>
    list.map((bucket) => {
      const rate = Math.min(1, kpi.ratePerRequest * (canary ? kpi.canaryFactor : 1));
      const random = new Random(hashSeed(seed, bucket.start / 60_000, canary ? 1 : 2));
      const mean = bucket.requests * rate;
      const events = Math.min(bucket.requests, Math.max(0, Math.round(mean + random.normal() * Math.sqrt(mean * (1 - rate)))));
      const point = ratio ? { numerator: events, denominator: bucket.requests } : { value: events };
      return { ...bucket, custom: { ...bucket.custom, [kpi.metric]: point } };
    });
  return { replacement: add(buckets.replacement, true), original: add(buckets.original, false) };
}
