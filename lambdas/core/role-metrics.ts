/**
 * Per-role metrics: what each tick publishes in the engine's namespace so that a dashboard can
 * overlay the canary (the replacement) and the stable version (the original) whatever colour
 * each runs on. Pure: no AWS imports; `now` is an argument.
 */
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
    ...(weight === undefined ? [] : [
      { role: 'canary' as const, metric: 'weight' as const, value: weight, at: now },
      { role: 'stable' as const, metric: 'weight' as const, value: 100 - weight, at: now },
    ]),
  ];
}
