/**
 * A scenario's KPI (`kpi` in the scenario format): the points the application would publish per
 * version, added to the minutes the simulated tick reads, and the check that judges them (the
 * service file's metric of that name, else a KPI that must not fall by more than 5%).
 */
import type { CustomMetricSpec } from '../../lambdas/core/custom-metrics';
import type { JudgePolicy, MinuteBucket } from '../../lambdas/core/judge';
import type { MinuteBuckets } from '../../lambdas/core/observation';
import { hashSeed, Random, type Scenario } from '../../sim';

export type ScenarioKpi = NonNullable<Scenario['kpi']>;

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
