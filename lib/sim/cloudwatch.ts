/**
 * What CloudWatch shows of the simulated minutes at a given time: each minute is published
 * 1–3 minutes after it ends (a delay drawn per minute from the seed); until then the newest
 * minutes show partial sums; Sum datapoints whose value is 0 are absent, as are latency
 * datapoints of minutes without requests. Units as CloudWatch's AWS/ApplicationELB namespace:
 * counts, and `TargetResponseTime` in seconds.
 */
import type { MinuteBucket } from '../../lambdas/core/judge';
import { hashSeed } from './random';
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
  | 'RequestCount' | 'HTTPCode_Target_5XX_Count' | 'TargetConnectionErrorCount' | 'TargetResponseTime'
  | 'HealthyHostCount' | 'UnHealthyHostCount';

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

function scaled(group: GroupMinute, fraction: number): GroupMinute {
  if (fraction >= 1) return group;
  const part = (value: number) => Math.floor(value * fraction);
  return { ...group, requests: part(group.requests), errors5xx: part(group.errors5xx), connectionErrors: part(group.connectionErrors), slowRequests: part(group.slowRequests) };
}

/**
 * The minutes visible at `now`, oldest first. A minute that has ended but is not yet fully
 * published shows the share of its counts that has arrived (linear over its delay).
 */
export function observeMinutes(minutes: readonly SimMinute[], now: number, options: ObservationOptions): ObservedMinute[] {
  const visible: ObservedMinute[] = [];
  for (const minute of minutes) {
    const end = minute.start + MINUTE_MS;
    if (end > now) continue;
    const done = publishedAt(minute.start, options);
    const fraction = now >= done ? 1 : (now - end) / (done - end);
    if (fraction <= 0) continue;
    visible.push({ start: minute.start, fraction, complete: fraction >= 1, canary: scaled(minute.canary, fraction), baseline: scaled(minute.baseline, fraction) });
  }
  return visible;
}

export interface MetricRequest {
  readonly group: TargetGroupRole;
  readonly metricName: ElbMetricName;
  /** 'Sum', 'Minimum', 'Maximum', 'p95', 'p99', or 'TC(T:)' with T in seconds, e.g. 'TC(0.5:)'. */
  readonly stat: string;
  /** Inclusive, epoch ms. */
  readonly startTime: number;
  /** Exclusive, epoch ms. */
  readonly endTime: number;
}

export interface MetricDatapoints {
  /** Newest first, as GetMetricData returns by default (TimestampDescending). */
  timestamps: number[];
  values: number[];
}

/**
 * One GetMetricData result (period 60 s) for one target group. Throws `SimulationError` for a
 * metric/statistic combination the simulation cannot answer, naming what is accepted.
 * @param slowThresholdMs the latency bar of the simulation (a `TC(T:)` stat must ask for it)
 */
export function metricDatapoints(
  minutes: readonly SimMinute[], now: number, request: MetricRequest, options: ObservationOptions & { slowThresholdMs: number },
): MetricDatapoints {
  const value = valueReader(request, options.slowThresholdMs);
  const points = observeMinutes(minutes, now, options)
    .filter((m) => m.start >= request.startTime && m.start < request.endTime)
    .flatMap((m) => {
      const v = value(m[request.group]);
      return v === undefined ? [] : [{ timestamp: m.start, value: v }];
    })
    .reverse();
  return { timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
}

function valueReader(request: MetricRequest, slowThresholdMs: number): (g: GroupMinute) => number | undefined {
  const sumOf = (pick: (g: GroupMinute) => number) => (g: GroupMinute) => (pick(g) > 0 ? pick(g) : undefined);
  const { metricName, stat } = request;
  const unsupported = (accepted: string) => new SimulationError(`statistic ${JSON.stringify(stat)} of ${metricName} is not simulated; accepted: ${accepted}`);
  switch (metricName) {
    case 'RequestCount':
    case 'HTTPCode_Target_5XX_Count':
    case 'TargetConnectionErrorCount': {
      if (stat !== 'Sum') throw unsupported("'Sum'");
      const pick = { RequestCount: (g: GroupMinute) => g.requests, HTTPCode_Target_5XX_Count: (g: GroupMinute) => g.errors5xx, TargetConnectionErrorCount: (g: GroupMinute) => g.connectionErrors }[metricName];
      return sumOf(pick);
    }
    case 'TargetResponseTime': {
      if (stat === 'p95') return (g) => (g.requests > 0 && g.p95Ms !== undefined ? g.p95Ms / 1000 : undefined);
      if (stat === 'p99') return (g) => (g.requests > 0 && g.p99Ms !== undefined ? g.p99Ms / 1000 : undefined);
      const match = /^TC\(([0-9.]+):\)$/.exec(stat);
      if (match && Math.abs(Number(match[1]) * 1000 - slowThresholdMs) < 1e-6) return (g) => (g.requests > 0 ? g.slowRequests : undefined);
      throw unsupported(`'p95', 'p99' or 'TC(${slowThresholdMs / 1000}:)' (the simulation's latency bar in seconds)`);
    }
    case 'HealthyHostCount':
      if (stat !== 'Minimum') throw unsupported("'Minimum'");
      return (g) => g.healthyHosts;
    case 'UnHealthyHostCount':
      if (stat !== 'Maximum') throw unsupported("'Maximum'");
      return (g) => g.unhealthyHosts;
    default:
      throw new SimulationError(`metric ${JSON.stringify(metricName)} is not simulated; accepted: RequestCount, HTTPCode_Target_5XX_Count, TargetConnectionErrorCount, TargetResponseTime, HealthyHostCount, UnHealthyHostCount`);
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
  minutes: readonly SimMinute[], now: number, since: number, options: ObservationOptions,
): { canary: ObservedBucket[]; baseline: ObservedBucket[] } {
  const complete = minutes.filter((m) => m.start + MINUTE_MS > since && publishedAt(m.start, options) <= now);
  return {
    canary: complete.map((m) => cachedBucket(m.start, m.canary)),
    baseline: complete.map((m) => cachedBucket(m.start, m.baseline)),
  };
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
