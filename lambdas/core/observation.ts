/**
 * Turns CloudWatch `GetMetricData` results for the two target groups into complete one-minute
 * buckets for the judge. Pure: no AWS imports, `now` is an argument.
 *
 * CloudWatch data for an ALB arrive minutes late and the newest minute is partial, so a minute is
 * used only when it ended at least 90 s before `now` and is not the newest minute any series has
 * reported. `HTTPCode_Target_5XX_Count` and `TargetConnectionErrorCount` are absent (not 0) in a
 * minute without errors, so an absent error point in a minute with requests counts as 0; a minute
 * without a `RequestCount` point has no data at all and is left out (never counted as clean).
 */
import type { MinuteBucket } from './judge';

/** A minute is complete only when it ended at least this long before now. */
export const COMPLETE_MINUTE_DELAY_MS = 90_000;
export const MINUTE_MS = 60_000;

/** Which of the two target groups a series belongs to. */
export type TargetRole = 'replacement' | 'original';

const BOTH = ['replacement', 'original'] as const;
const CANARY_ONLY = ['replacement'] as const;

/**
 * The per-target-group series the engine reads, how each one is aggregated, and for which role.
 * Host counts are the canary's only (its unhealthy streak); the original's p95 is read once, in
 * its history, to set E (`seriesFor`): GetMetricData is billed per metric requested.
 */
export const METRIC_SERIES = [
  { key: 'requests', metricName: 'RequestCount', stat: 'Sum', roles: BOTH },
  { key: 'errors5xx', metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum', roles: BOTH },
  { key: 'connectionErrors', metricName: 'TargetConnectionErrorCount', stat: 'Sum', roles: BOTH },
  { key: 'slowRequests', metricName: 'TargetResponseTime', stat: 'TC(T:)', roles: BOTH },
  { key: 'p95', metricName: 'TargetResponseTime', stat: 'p95', roles: BOTH },
  { key: 'healthyHosts', metricName: 'HealthyHostCount', stat: 'Minimum', roles: CANARY_ONLY },
  { key: 'unhealthyHosts', metricName: 'UnHealthyHostCount', stat: 'Maximum', roles: CANARY_ONLY },
] as const;
export type SeriesKey = (typeof METRIC_SERIES)[number]['key'];

/** The `Id` of a query in GetMetricData (must start with a lower-case letter). */
export const seriesId = (role: TargetRole, key: SeriesKey): string => `${role === 'replacement' ? 'r' : 'o'}_${key}`;

/** `TC(T:)` counts requests slower than T seconds: E, the latency bar of the judge, in seconds. */
export const slowRequestStat = (thresholdMs: number): string => `TC(${(thresholdMs / 1000).toString()}:)`;

/** What a read is for: the history at a window's start (requests and p95 of the original), or judging. */
export type ReadPurpose = 'history' | 'judge';

/**
 * The series a read requests for a role: for the history, the original's requests and p95 (E is
 * derived from them); for judging, every series of the role except the original's p95, and the
 * slow-request count only when E is known.
 */
export function seriesFor(
  role: TargetRole,
  purpose: ReadPurpose,
  slowThresholdMs: number | undefined,
): Array<(typeof METRIC_SERIES)[number]> {
  return METRIC_SERIES.filter((series) => {
    if (!(series.roles as readonly TargetRole[]).includes(role)) return false;
    if (purpose === 'history') return series.key === 'requests' || series.key === 'p95';
    if (series.key === 'slowRequests') return slowThresholdMs !== undefined;
    return !(role === 'original' && series.key === 'p95');
  });
}

/** One result of GetMetricData, with timestamps in epoch milliseconds. */
export interface SeriesResult {
  readonly id: string;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface MinuteBuckets {
  readonly replacement: MinuteBucket[];
  readonly original: MinuteBucket[];
}

export interface BucketWindow {
  /** Epoch ms; buckets of each role start at or after this. */
  readonly from: number;
  /** Epoch ms; buckets of each role end at or before this (before the completeness cut-off). */
  readonly to?: number;
}

/** Per role, the minutes to read; a role without a window is not read (its buckets are empty). */
export interface RoleWindows {
  readonly replacement?: BucketWindow;
  readonly original?: BucketWindow;
}

/**
 * Whether any whole minute starting at or after `from` can be complete at `now` (see
 * `toMinuteBuckets`). Until then a read of a stage's minutes can only come back empty.
 */
export function completeMinuteCanExist(from: number, now: number): boolean {
  const firstMinute = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  return firstMinute + MINUTE_MS <= now - COMPLETE_MINUTE_DELAY_MS;
}

/**
 * Complete minute buckets for both target groups. `windows` gives, per role, which minutes
 * belong to the judged stage (for the post-traffic bake the original's minutes are the baseline
 * measured before AllowTraffic); a role without a window gets no buckets.
 */
export function toMinuteBuckets(results: readonly SeriesResult[], now: number, windows: RoleWindows): MinuteBuckets {
  const byId = new Map<string, Map<number, number>>();
  let newestMinute = -Infinity;
  for (const result of results) {
    const points = byId.get(result.id) ?? new Map<number, number>();
    result.timestamps.forEach((timestamp, i) => {
      const minute = Math.floor(timestamp / MINUTE_MS) * MINUTE_MS;
      points.set(minute, (points.get(minute) ?? 0) + result.values[i]);
      newestMinute = Math.max(newestMinute, minute);
    });
    byId.set(result.id, points);
  }
  const completeBefore = now - COMPLETE_MINUTE_DELAY_MS;
  const isComplete = (minute: number) => minute + MINUTE_MS <= completeBefore && minute < newestMinute;

  const bucketsFor = (role: TargetRole, window: BucketWindow): MinuteBucket[] => {
    const series = (key: SeriesKey) => byId.get(seriesId(role, key)) ?? new Map<number, number>();
    const requests = series('requests');
    const minutes = [...requests.keys()]
      .filter((minute) => isComplete(minute) && minute >= window.from && (window.to === undefined || minute + MINUTE_MS <= window.to))
      .sort((a, b) => a - b);
    return minutes.map((minute) => {
      // A slow-request count absent in a minute with requests is 0; a series not read at all stays absent.
      const slow = byId.has(seriesId(role, 'slowRequests')) ? { slowRequests: series('slowRequests').get(minute) ?? 0 } : {};
      const bucket: MinuteBucket = {
        start: minute,
        requests: requests.get(minute) ?? 0,
        errors: (series('errors5xx').get(minute) ?? 0) + (series('connectionErrors').get(minute) ?? 0),
        ...slow,
      };
      const p95Seconds = series('p95').get(minute);
      const healthy = series('healthyHosts').get(minute);
      const unhealthy = series('unhealthyHosts').get(minute);
      return {
        ...bucket,
        ...(p95Seconds === undefined ? {} : { p95Ms: Math.round(p95Seconds * 1000 * 10) / 10 }),
        ...(healthy === undefined ? {} : { healthyHosts: healthy }),
        ...(unhealthy === undefined ? {} : { unhealthyHosts: unhealthy }),
      };
    });
  };
  return {
    replacement: windows.replacement ? bucketsFor('replacement', windows.replacement) : [],
    original: windows.original ? bucketsFor('original', windows.original) : [],
  };
}

/** Totals of a run of buckets, for the audit record and the messages on-call reads. */
export interface BucketSummary {
  readonly minutes: number;
  readonly requests: number;
  readonly errors: number;
  /** Errors per hundred requests, rounded to 3 decimals; undefined without requests. */
  readonly errorRatePercent?: number;
  /** The highest minute p95 seen, in ms. */
  readonly maxP95Ms?: number;
}

export function summarize(buckets: readonly MinuteBucket[]): BucketSummary {
  const requests = buckets.reduce((sum, b) => sum + b.requests, 0);
  const errors = buckets.reduce((sum, b) => sum + b.errors, 0);
  const p95s = buckets.map((b) => b.p95Ms).filter((p): p is number => p !== undefined);
  return {
    minutes: buckets.length,
    requests,
    errors,
    ...(requests > 0 ? { errorRatePercent: Math.round((errors / requests) * 100_000) / 1000 } : {}),
    ...(p95s.length > 0 ? { maxP95Ms: Math.max(...p95s) } : {}),
  };
}
