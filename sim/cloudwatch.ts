/**
 * What CloudWatch shows of the simulated minutes at a given time: each minute is published
 * 1–3 minutes after it ends (a delay drawn per minute from the seed); until then the newest
 * minutes show partial sums; Sum datapoints whose value is 0 are absent, as are latency
 * datapoints of minutes without requests. Units as CloudWatch's AWS/ApplicationELB namespace:
 * counts, and `TargetResponseTime` in seconds.
 */
import type { MinuteBucket } from '../lambdas/core/judge';
import type { SeriesResult } from '../lambdas/core/observation';
import { latencyQuantile } from './latency';
import { hashSeed } from './random';
import { pooledLatency, slowRequestsAbove } from './slow-requests';
import { GroupMinute, MINUTE_MS, SimMinute, SimulationError } from './traffic';

export interface ObservationOptions {
  /** Seed of the per-minute publication delays. */
  readonly seed: number;
  /** @default 60_000 */
  readonly minDelayMs?: number;
  /** @default 180_000 */
  readonly maxDelayMs?: number;
}

export type TargetGroupRole = 'canary' | 'baseline';
export type ElbMetricName =
  | 'RequestCount'
  | 'HTTPCode_Target_5XX_Count'
  | 'TargetConnectionErrorCount'
  | 'TargetResponseTime'
  | 'HealthyHostCount'
  | 'UnHealthyHostCount';

export interface ObservedMinute {
  start: number;
  /** Share of the minute's counts published so far (1 when complete). */
  fraction: number;
  complete: boolean;
  canary: GroupMinute;
  baseline: GroupMinute;
}

/** When the minute starting at `start` is completely published, epoch ms. */
export function publishedAt(start: number, options: ObservationOptions): number {
  const min = options.minDelayMs ?? 60_000;
  const max = options.maxDelayMs ?? 180_000;
  const u = hashSeed(options.seed, start) / 4294967296;
  return start + MINUTE_MS + min + Math.round(u * (max - min));
}

/** Share of an ended minute's counts published at `now` (linear over its delay; 1 when complete). */
function visibleFraction(start: number, now: number, options: ObservationOptions): number {
  const end = start + MINUTE_MS;
  const done = publishedAt(start, options);
  return now >= done ? 1 : (now - end) / (done - end);
}

function scaled(group: GroupMinute, fraction: number): GroupMinute {
  if (fraction >= 1) return group;
  const part = (value: number) => Math.floor(value * fraction);
  return {
    ...group,
    requests: part(group.requests),
    errors5xx: part(group.errors5xx),
    connectionErrors: part(group.connectionErrors),
    slowRequests: part(group.slowRequests),
  };
}

/**
 * The minutes visible at `now`, oldest first. A minute that has ended but is not yet fully
 * published shows the share of its counts that has arrived (linear over its delay).
 */
export function observeMinutes(minutes: readonly SimMinute[], now: number, options: ObservationOptions): ObservedMinute[] {
  const visible: ObservedMinute[] = [];
  for (const minute of minutes) {
    if (minute.start + MINUTE_MS > now) continue;
    const fraction = visibleFraction(minute.start, now, options);
    if (fraction <= 0) continue;
    visible.push({
      start: minute.start,
      fraction,
      complete: fraction >= 1,
      canary: scaled(minute.canary, fraction),
      baseline: scaled(minute.baseline, fraction),
    });
  }
  return visible;
}

export interface MetricRequest {
  readonly group: TargetGroupRole;
  readonly metricName: ElbMetricName;
  /** 'Sum', 'Minimum', 'Maximum', 'p95', 'p99', or 'TC(T:)' with T in seconds, e.g. 'TC(0.5:)'. */
  readonly stat: string;
  /** Inclusive, epoch ms (rounded down to a whole minute, as CloudWatch does). */
  readonly startTime: number;
  /** Exclusive, epoch ms. */
  readonly endTime: number;
  /** Seconds: 60 or a multiple of 60. @default 60 */
  readonly period?: number;
}

/** A query of `simulatedMetricData`: a `MetricDataQuery` reduced to what the simulation needs. */
export interface MetricQuery extends MetricRequest {
  readonly id: string;
}

export interface MetricDatapoints {
  /** Newest first, as GetMetricData returns by default (TimestampDescending). */
  timestamps: number[];
  values: number[];
}

/**
 * One GetMetricData result for one target group, newest first. Throws `SimulationError` for a
 * metric/statistic/period the simulation cannot answer, naming what is accepted.
 * `slowThresholdMs` is accepted for older callers and ignored: `TC(T:)` answers any T.
 */
export function metricDatapoints(
  minutes: readonly SimMinute[],
  now: number,
  request: MetricRequest,
  options: ObservationOptions & { slowThresholdMs?: number },
): MetricDatapoints {
  const points = periodPoints(minutes, now, request, options).reverse();
  return { timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
}

/**
 * The simulation as the engine's CloudWatch adapter returns it (`readMetrics` in
 * lambdas/aws/cloudwatch.ts): one `SeriesResult` per query, in query order, oldest point first
 * (it asks with ScanBy TimestampAscending), a query without points kept with empty arrays. Each
 * query's window is rounded as readMetrics rounds its own: start down, end up, to whole minutes.
 */
export function simulatedMetricData(
  minutes: readonly SimMinute[],
  now: number,
  queries: readonly MetricQuery[],
  options: ObservationOptions,
): SeriesResult[] {
  const seen = new Set<string>();
  return queries.map((query) => {
    if (seen.has(query.id))
      throw new SimulationError(
        `query id ${JSON.stringify(query.id)} appears twice; accepted: a unique id per query (GetMetricData rejects duplicates)`,
      );
    seen.add(query.id);
    const startTime = Math.floor(query.startTime / MINUTE_MS) * MINUTE_MS;
    const endTime = Math.max(Math.ceil(query.endTime / MINUTE_MS) * MINUTE_MS, startTime + MINUTE_MS);
    const points = periodPoints(minutes, now, { ...query, startTime, endTime }, options);
    return { id: query.id, timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
  });
}

interface Seen {
  /** The group's figures as published so far. */
  shown: GroupMinute;
  /** The group's true minute (for counts asked at a threshold, then scaled like the rest). */
  truth: GroupMinute;
  fraction: number;
}

/**
 * The datapoints of one request, oldest first. Periods are whole multiples of the period from
 * the epoch, and a period that begins before the start time is left out (as the fake
 * CloudWatch of test/support does; the API reference advises a StartTime aligned to the period).
 */
function periodPoints(
  minutes: readonly SimMinute[],
  now: number,
  request: MetricRequest,
  options: ObservationOptions,
): Array<{ timestamp: number; value: number }> {
  const period = request.period ?? 60;
  if (!(Number.isInteger(period) && period >= 60 && period % 60 === 0)) {
    throw new SimulationError(`period is ${period}; accepted: 60 or a multiple of 60 (seconds)`);
  }
  const value = valueReader(request, period);
  const periodMs = period * 1000;
  const startTime = Math.floor(request.startTime / MINUTE_MS) * MINUTE_MS;
  const byPeriod = new Map<number, Seen[]>();
  for (const minute of minutes) {
    const end = minute.start + MINUTE_MS;
    if (minute.start < startTime || minute.start >= request.endTime || end > now) continue;
    const bucket = Math.floor(minute.start / periodMs) * periodMs;
    if (bucket < startTime) continue;
    const fraction = visibleFraction(minute.start, now, options);
    if (fraction <= 0) continue;
    const truth = minute[request.group];
    const list = byPeriod.get(bucket) ?? [];
    list.push({ shown: scaled(truth, fraction), truth, fraction });
    byPeriod.set(bucket, list);
  }
  const points: Array<{ timestamp: number; value: number }> = [];
  for (const [timestamp, seen] of [...byPeriod.entries()].sort((a, b) => a[0] - b[0])) {
    const v = value(seen);
    if (v !== undefined) points.push({ timestamp, value: v });
  }
  return points;
}

/** Reads one period's value from its visible minutes; undefined when CloudWatch has no point. */
function valueReader(request: MetricRequest, period: number): (seen: readonly Seen[]) => number | undefined {
  const { metricName, stat } = request;
  const unsupported = (accepted: string) =>
    new SimulationError(`statistic ${JSON.stringify(stat)} of ${metricName} is not simulated; accepted: ${accepted}`);
  // Zero Sum points are absent: the ALB publishes these counts only when they are non-zero.
  const sumOf = (pick: (s: Seen) => number) => (seen: readonly Seen[]) => {
    let total = 0;
    for (const s of seen) total += pick(s);
    return total > 0 ? total : undefined;
  };
  switch (metricName) {
    case 'RequestCount':
    case 'HTTPCode_Target_5XX_Count':
    case 'TargetConnectionErrorCount': {
      if (stat !== 'Sum') throw unsupported("'Sum'");
      const pick = {
        RequestCount: (g: GroupMinute) => g.requests,
        HTTPCode_Target_5XX_Count: (g: GroupMinute) => g.errors5xx,
        TargetConnectionErrorCount: (g: GroupMinute) => g.connectionErrors,
      }[metricName];
      return sumOf((s) => pick(s.shown));
    }
    case 'TargetResponseTime': {
      const served = (seen: readonly Seen[]) => seen.filter((s) => s.shown.requests > 0);
      const quantile = /^p(95|99)$/.exec(stat);
      if (quantile) {
        const q = Number(quantile[1]) / 100;
        const field = q === 0.95 ? 'p95Ms' : 'p99Ms';
        return (seen) => {
          const withRequests = served(seen);
          if (withRequests.length === 0) return undefined;
          // One minute: its sampled percentile. Longer: the percentile of the pooled requests.
          if (period === 60)
            return withRequests[0].shown[field] === undefined ? undefined : (withRequests[0].shown[field] as number) / 1000;
          return latencyQuantile(pooledLatency(withRequests.map((s) => s.shown)), q) / 1000;
        };
      }
      const match = /^TC\(([0-9]+(?:\.[0-9]+)?|\.[0-9]+):\)$/.exec(stat);
      if (match) {
        const thresholdMs = Number(match[1]) * 1000;
        // A minute with requests has a TC point, 0 included; a partial one shows its share.
        return (seen) => {
          const withRequests = served(seen);
          if (withRequests.length === 0) return undefined;
          let total = 0;
          for (const s of withRequests) total += Math.floor(slowRequestsAbove(s.truth, thresholdMs) * s.fraction);
          return total;
        };
      }
      throw unsupported("'p95', 'p99' or 'TC(T:)' with T in seconds, e.g. 'TC(0.5:)'");
    }
    case 'HealthyHostCount':
      if (stat !== 'Minimum') throw unsupported("'Minimum'");
      return (seen) => seen.reduce((low, s) => Math.min(low, s.shown.healthyHosts), Infinity);
    case 'UnHealthyHostCount':
      if (stat !== 'Maximum') throw unsupported("'Maximum'");
      return (seen) => seen.reduce((high, s) => Math.max(high, s.shown.unhealthyHosts), -Infinity);
    default:
      throw new SimulationError(
        `metric ${JSON.stringify(metricName)} is not simulated; accepted: RequestCount, HTTPCode_Target_5XX_Count, TargetConnectionErrorCount, TargetResponseTime, HealthyHostCount, UnHealthyHostCount`,
      );
  }
}

/** A judge bucket plus the p99 (which some peer judges read). */
export type ObservedBucket = MinuteBucket & { p99Ms?: number };

/** A simulated group-minute as the judge's bucket (errors = 5XX + connection errors). */
export function toMinuteBucket(start: number, group: GroupMinute): ObservedBucket {
  return {
    start,
    requests: group.requests,
    errors: group.errors5xx + group.connectionErrors,
    slowRequests: group.slowRequests,
    ...(group.p95Ms !== undefined ? { p95Ms: group.p95Ms } : {}),
    ...(group.p99Ms !== undefined ? { p99Ms: group.p99Ms } : {}),
    healthyHosts: group.healthyHosts,
    unhealthyHosts: group.unhealthyHosts,
  };
}

/**
 * The judge's input buckets at `now`, as a careful caller builds them: complete minutes only
 * (the partial and late ones dropped), starting at or after `since`.
 */
export function judgeBuckets(
  minutes: readonly SimMinute[],
  now: number,
  since: number,
  options: ObservationOptions,
): { canary: ObservedBucket[]; baseline: ObservedBucket[] } {
  const complete = minutes.filter((m) => m.start + MINUTE_MS > since && publishedAtOnce(m.start, options) <= now);
  return {
    canary: complete.map((m) => cachedBucket(m.start, m.canary)),
    baseline: complete.map((m) => cachedBucket(m.start, m.baseline)),
  };
}

/** `publishedAt`, computed once per minute for the same options object (a caller judging every tick asks again for every minute). */
const publication = new WeakMap<ObservationOptions, Map<number, number>>();
function publishedAtOnce(start: number, options: ObservationOptions): number {
  let byStart = publication.get(options);
  if (!byStart) publication.set(options, (byStart = new Map()));
  let at = byStart.get(start);
  if (at === undefined) byStart.set(start, (at = publishedAt(start, options)));
  return at;
}

/** Complete minutes never change: their buckets are built once (the judge does not mutate them). */
const bucketCache = new WeakMap<GroupMinute, ObservedBucket>();
function cachedBucket(start: number, group: GroupMinute): ObservedBucket {
  let bucket = bucketCache.get(group);
  if (!bucket) {
    bucket = toMinuteBucket(start, group);
    bucketCache.set(group, bucket);
  }
  return bucket;
}
