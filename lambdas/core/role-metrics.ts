/**
 * Per-role metrics: what each tick publishes in the engine's namespace so that a dashboard can
 * overlay the canary (the replacement) and the stable version (the original) whatever colour
 * each runs on. Pure: no AWS imports; `now` is an argument.
 */
import { type CustomMetricSpec, isCount } from './custom-metrics';
import type { MinuteBucket } from './judge';
import type { MinuteBuckets } from './observation';

/** The engine's CloudWatch namespace (CanaryWeight and the role metrics). */
export const ENGINE_NAMESPACE = 'EcsCanary';

export type Role = 'canary' | 'stable';

/** Metric names, each with the dimensions `Service` and `Role`. */
export const ROLE_METRICS = {
  requests: { metricName: 'Requests', unit: 'Count' },
  errorRate: { metricName: 'ErrorRate', unit: 'Percent' },
  p95: { metricName: 'LatencyP95', unit: 'Milliseconds' },
  weight: { metricName: 'Weight', unit: 'Percent' },
} as const;

export type RoleMetric = keyof typeof ROLE_METRICS;

export interface RoleSample {
  readonly role: Role;
  readonly metric: RoleMetric;
  readonly value: number;
  /** Epoch ms the value describes: the minute's start for traffic figures, the tick for the weight. */
  readonly at: number;
}

/** The newest minute of a role's buckets (the tick reads complete minutes only). */
const newest = (buckets: readonly MinuteBucket[]): MinuteBucket | undefined =>
  buckets.reduce<MinuteBucket | undefined>((latest, b) => (latest === undefined || b.start > latest.start ? b : latest), undefined);

function minuteSamples(role: Role, bucket: MinuteBucket | undefined): RoleSample[] {
  if (!bucket) return [];
  const at = bucket.start;
  return [
    { role, metric: 'requests', value: bucket.requests, at },
    // Error rate and p95 mean nothing in a minute without requests: left out, the graph shows a gap.
    ...(bucket.requests > 0 ? [{ role, metric: 'errorRate' as const, value: (100 * bucket.errors) / bucket.requests, at }] : []),
    ...(bucket.requests > 0 && bucket.p95Ms !== undefined ? [{ role, metric: 'p95' as const, value: bucket.p95Ms, at }] : []),
  ];
}

/**
 * This tick's samples: the newest complete minute of each role (requests, error rate as the
 * judge counts errors — target 5xx plus connection errors — and p95), and the weights the
 * engine leaves production at (`weight` is the replacement's percentage; undefined when unknown).
 */
export function roleSamples(metrics: MinuteBuckets | undefined, weight: number | undefined, now: number): RoleSample[] {
  return [
    ...minuteSamples('canary', metrics ? newest(metrics.replacement) : undefined),
    ...minuteSamples('stable', metrics ? newest(metrics.original) : undefined),
    ...(weight === undefined
      ? []
      : [
          { role: 'canary' as const, metric: 'weight' as const, value: weight, at: now },
          { role: 'stable' as const, metric: 'weight' as const, value: 100 - weight, at: now },
        ]),
  ];
}

/** The metric name of the service's own metrics by role; the `Metric` dimension names which. */
export const CUSTOM_ROLE_METRIC = 'ServiceMetric';

export interface CustomRoleSample {
  readonly role: Role;
  /** The `metrics:` entry's name. */
  readonly name: string;
  readonly value: number;
  readonly at: number;
}

/**
 * The service's own metrics in the newest minute of each role that has them, as the judge sees them:
 * a ratio as a percentage, a compared Sum per 100 requests, any other value as read. A role
 * without a point that minute publishes nothing (a gap).
 */
export function customRoleSamples(metrics: MinuteBuckets | undefined, specs: readonly CustomMetricSpec[]): CustomRoleSample[] {
  if (!metrics || specs.length === 0) return [];
  // Per metric, the newest minute that has its point: a metric's newest reported minute is never used.
  const samples = (role: Role, buckets: readonly MinuteBucket[]): CustomRoleSample[] =>
    specs.flatMap((spec) => {
      const bucket = newest(buckets.filter((b) => b.custom?.[spec.name] !== undefined));
      const point = bucket?.custom?.[spec.name];
      if (!bucket || !point) return [];
      if (spec.ratio)
        return point.denominator
          ? [{ role, name: spec.name, value: (100 * (point.numerator ?? 0)) / point.denominator, at: bucket.start }]
          : [];
      if (point.value === undefined) return [];
      if (spec.compare && isCount(spec))
        return bucket.requests > 0 ? [{ role, name: spec.name, value: (100 * point.value) / bucket.requests, at: bucket.start }] : [];
      return [{ role, name: spec.name, value: point.value, at: bucket.start }];
    });
  return [...samples('canary', metrics.replacement), ...samples('stable', metrics.original)];
}
