/**
 * The application's own CloudWatch metrics (the service file's `metrics:`) as the engine reads
 * them: which series each metric needs per version, their GetMetricData ids, and how their points
 * join the judge's minute buckets. Pure: no AWS imports, `now` is an argument.
 *
 * A metric with a `versionDimension` is read twice, once per version, with that dimension set to
 * the version's value (the task definition revision of the replacement and of the original); one
 * without it is read once, service-wide, and sits in the canary's buckets (its bars only apply).
 * Counts (ratio parts, Sum) absent in a minute count as 0, as the ALB's error counts do; a value
 * statistic absent is unknown. A metric's newest reported minute is never used (it may be partial).
 */
import type { MinuteBucket } from './judge/types';
import { MINUTE_MS, type SeriesResult, type TargetRole } from './observation';

/** One `metrics:` entry as the engine receives it (the deployment metadata's copy of the service file). */
export interface CustomMetricSpec {
  readonly name: string;
  readonly namespace: string;
  /** One metric, read with `statistic`. Exactly one of `metricName` or `ratio`. */
  readonly metricName?: string;
  /** Two counts (both Sum): the share numerator / denominator. */
  readonly ratio?: { readonly numerator: string; readonly denominator: string };
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum` for a ratio. */
  readonly statistic: string;
  /** Absolute bars, in the metric's unit (a percentage for a ratio). */
  readonly max?: number;
  readonly min?: number;
  /** Comparison with the original: harm is `worse` by more than `tolerancePercent` of the original's rate. */
  readonly compare?: { readonly tolerancePercent: number; readonly worse: 'higher' | 'lower' };
  readonly versionDimension?: string;
  readonly action: 'rollback' | 'warn';
}

/** One minute of one metric for one version; counts are per minute. */
export interface CustomPoint {
  /** The statistic of a single metric. @default - no point this minute */
  readonly value?: number;
  /** Ratio: the events' count. */
  readonly numerator?: number;
  /** Ratio: the count they are a share of. */
  readonly denominator?: number;
  /** Compared value: the minute's samples (SampleCount). */
  readonly samples?: number;
  /** Compared value: the samples beyond the comparison's threshold E (`TC(E:)`, or `TC(:E)` when lower is worse). */
  readonly beyond?: number;
}

export type CustomSeriesKey = 'value' | 'numerator' | 'denominator' | 'samples' | 'beyond';

/** The values of the version dimension per role (the task definition revisions). */
export interface VersionValues {
  readonly replacement: string;
  readonly original: string;
}

export interface CustomQuery {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
  readonly stat: string;
}

/** GetMetricData id of one series: role, metric index, part (ids start with a lowercase letter). */
export const customSeriesId = (role: TargetRole, index: number, key: CustomSeriesKey): string =>
  `${role === 'replacement' ? 'r' : 'o'}_m${index}_${key}`;

/** True for the ids of `customSeriesId` (kept apart from the ALB series when minutes are bucketed). */
export const isCustomSeriesId = (id: string): boolean => /^[ro]_m\d+_/.test(id);

/** True when the metric counts (a ratio, or a Sum): absent points are 0, and it can be compared per request. */
export const isCount = (spec: CustomMetricSpec): boolean => spec.ratio !== undefined || spec.statistic === 'Sum';

/**
 * For a value statistic compared with the original (Average, pNN): the share of the canary's
 * samples that may lie beyond the threshold E without harm. A pNN within E leaves at most
 * (100 − NN)% of samples above E (NN% below it when lower is worse); an Average is compared at its
 * median (50%). Undefined for counts and for metrics without a comparison.
 */
export function toleratedShareOf(spec: CustomMetricSpec): number | undefined {
  if (!spec.compare || spec.ratio || isCount(spec)) return undefined;
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(spec.statistic);
  const quantile = spec.statistic === 'Average' ? 0.5 : percentile ? Number(percentile[1]) / 100 : undefined;
  if (quantile === undefined || quantile <= 0 || quantile >= 1) return undefined;
  return spec.compare.worse === 'lower' ? quantile : 1 - quantile;
}

/** A compared value needs this many minutes of the original's history to set its threshold E. */
export const MIN_THRESHOLD_MINUTES = 5;

/**
 * E of a compared value: (1 + tolerance) × the original's statistic over its history (the median
 * of its minutes before the first shift), or (1 − tolerance) × it when lower is worse. It is fixed
 * by data from before the rollout, so the tick (which reads the counts beyond E) and the judge
 * (which tests them) derive the same E from the same minutes. Undefined without enough history.
 */
export function valueThresholdOf(spec: CustomMetricSpec, original: readonly MinuteBucket[], rolloutStartedAt: number): number | undefined {
  if (toleratedShareOf(spec) === undefined) return undefined;
  const values = original
    .filter((b) => b.start < rolloutStartedAt && b.requests > 0)
    .flatMap((b) => {
      const value = b.custom?.[spec.name]?.value;
      return value !== undefined && Number.isFinite(value) ? [value] : [];
    })
    .sort((a, b) => a - b);
  if (values.length < MIN_THRESHOLD_MINUTES) return undefined;
  const median = values[Math.floor((values.length - 1) / 2)];
  const tolerance = spec.compare!.tolerancePercent / 100;
  const threshold = spec.compare!.worse === 'lower' ? median * (1 - tolerance) : median * (1 + tolerance);
  return Number(threshold.toPrecision(6));
}

/** E of every compared value metric with enough history, by metric name. */
export function valueThresholds(
  specs: readonly CustomMetricSpec[],
  original: readonly MinuteBucket[],
  rolloutStartedAt: number,
): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const spec of specs) {
    const threshold = valueThresholdOf(spec, original, rolloutStartedAt);
    if (threshold !== undefined) thresholds[spec.name] = threshold;
  }
  return thresholds;
}

/** CloudWatch's trimmed count of the samples beyond E: above it (`TC(E:)`), or at or below it when lower is worse (`TC(:E)`). */
export const beyondStat = (spec: CustomMetricSpec, threshold: number): string =>
  spec.compare?.worse === 'lower' ? `TC(:${threshold})` : `TC(${threshold}:)`;

/**
 * The series of one metric: the two counts of a ratio, or the metric with its statistic, and for a
 * compared value whose threshold E is known, its sample count and the samples beyond E.
 */
export function customSeriesOf(
  spec: CustomMetricSpec,
  threshold?: number,
): Array<{ key: CustomSeriesKey; metricName: string; stat: string }> {
  if (spec.ratio) {
    return [
      { key: 'numerator', metricName: spec.ratio.numerator, stat: 'Sum' },
      { key: 'denominator', metricName: spec.ratio.denominator, stat: 'Sum' },
    ];
  }
  const metricName = spec.metricName as string;
  const value = { key: 'value' as const, metricName, stat: spec.statistic };
  if (threshold === undefined) return [value];
  return [value, { key: 'samples', metricName, stat: 'SampleCount' }, { key: 'beyond', metricName, stat: beyondStat(spec, threshold) }];
}

/**
 * The queries for every metric and role read: per version when the metric has a version dimension
 * and the versions are known, else once, service-wide, under the replacement's ids. A metric with
 * a version dimension whose versions are unknown is read service-wide too (its bars still apply).
 */
export function customMetricQueries(
  specs: readonly CustomMetricSpec[],
  roles: readonly TargetRole[],
  versions: VersionValues | undefined,
  thresholds: Readonly<Record<string, number>> = {},
): CustomQuery[] {
  return specs.flatMap((spec, index) => {
    const fixed = Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value }));
    const perVersion = spec.versionDimension !== undefined && versions !== undefined;
    const read = perVersion ? roles : roles.includes('replacement') ? ['replacement' as const] : [];
    const threshold = thresholds[spec.name];
    return read.flatMap((role) =>
      customSeriesOf(spec, threshold).map((series) => ({
        id: customSeriesId(role, index, series.key),
        namespace: spec.namespace,
        metricName: series.metricName,
        dimensions: perVersion ? [...fixed, { Name: spec.versionDimension as string, Value: versions![role] }] : fixed,
        stat: series.stat,
      })),
    );
  });
}

/**
 * The version dimension's value of a task definition: its revision number, as the ECS task
 * metadata endpoint reports it (`Revision`) and the application publishes it.
 */
export function revisionOf(taskDefinitionArn: string): string | undefined {
  return /:task-definition\/[^:]+:(\d+)$/.exec(taskDefinitionArn)?.[1];
}

/**
 * Adds each metric's points to the buckets of the minutes they belong to (`custom[name]`). Only
 * minutes a bucket exists for are used (complete minutes of the ALB series); a metric's newest
 * reported minute is left out, as it may still be arriving.
 */
export function attachCustomMinutes(
  buckets: { readonly replacement: readonly MinuteBucket[]; readonly original: readonly MinuteBucket[] },
  results: readonly SeriesResult[],
  specs: readonly CustomMetricSpec[],
): { replacement: MinuteBucket[]; original: MinuteBucket[] } {
  const byId = new Map(results.map((r) => [r.id, r]));
  const attach = (role: TargetRole, list: readonly MinuteBucket[]): MinuteBucket[] => {
    const perMetric = specs.map((spec, index) => {
      // Any threshold reads the sample and beyond series: their ids do not depend on its value.
      const series = customSeriesOf(spec, 0)
        .filter(
          (s) => s.key === 'value' || s.key === 'numerator' || s.key === 'denominator' || byId.has(customSeriesId(role, index, s.key)),
        )
        .map((s) => ({ key: s.key, points: minuteMap(byId.get(customSeriesId(role, index, s.key))) }));
      const newest = Math.max(...series.flatMap((s) => [...s.points.keys()]), -Infinity);
      return { spec, series, newest, read: series.some((s) => byId.has(customSeriesId(role, index, s.key))) };
    });
    if (!perMetric.some((m) => m.read)) return [...list];
    return list.map((bucket) => {
      const custom: Record<string, CustomPoint> = {};
      for (const { spec, series, newest, read } of perMetric) {
        if (!read || bucket.start >= newest) continue;
        const point: Record<string, number> = {};
        for (const s of series) {
          const value = s.points.get(bucket.start);
          if (value !== undefined) point[s.key] = value;
          else if (isCount(spec) || s.key === 'samples' || s.key === 'beyond') point[s.key] = 0;
        }
        if (Object.keys(point).length > 0) custom[spec.name] = point;
      }
      return Object.keys(custom).length > 0 ? { ...bucket, custom } : bucket;
    });
  };
  return { replacement: attach('replacement', buckets.replacement), original: attach('original', buckets.original) };
}

function minuteMap(result: SeriesResult | undefined): Map<number, number> {
  const points = new Map<number, number>();
  result?.timestamps.forEach((timestamp, i) => {
    const minute = Math.floor(timestamp / MINUTE_MS) * MINUTE_MS;
    points.set(minute, (points.get(minute) ?? 0) + result.values[i]);
  });
  return points;
}
