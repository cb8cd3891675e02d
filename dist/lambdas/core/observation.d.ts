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
export declare const COMPLETE_MINUTE_DELAY_MS = 90000;
export declare const MINUTE_MS = 60000;
/** Which of the two target groups a series belongs to. */
export type TargetRole = 'replacement' | 'original';
/**
 * The per-target-group series the engine reads, how each one is aggregated, and for which role.
 * Host counts are the canary's only (its unhealthy streak); the original's p95 is read once, in
 * its history, to set E (`seriesFor`): GetMetricData is billed per metric requested.
 */
export declare const METRIC_SERIES: readonly [{
    readonly key: "requests";
    readonly metricName: "RequestCount";
    readonly stat: "Sum";
    readonly roles: readonly ["replacement", "original"];
}, {
    readonly key: "errors5xx";
    readonly metricName: "HTTPCode_Target_5XX_Count";
    readonly stat: "Sum";
    readonly roles: readonly ["replacement", "original"];
}, {
    readonly key: "connectionErrors";
    readonly metricName: "TargetConnectionErrorCount";
    readonly stat: "Sum";
    readonly roles: readonly ["replacement", "original"];
}, {
    readonly key: "slowRequests";
    readonly metricName: "TargetResponseTime";
    readonly stat: "TC(T:)";
    readonly roles: readonly ["replacement", "original"];
}, {
    readonly key: "p95";
    readonly metricName: "TargetResponseTime";
    readonly stat: "p95";
    readonly roles: readonly ["replacement", "original"];
}, {
    readonly key: "healthyHosts";
    readonly metricName: "HealthyHostCount";
    readonly stat: "Minimum";
    readonly roles: readonly ["replacement"];
}, {
    readonly key: "unhealthyHosts";
    readonly metricName: "UnHealthyHostCount";
    readonly stat: "Maximum";
    readonly roles: readonly ["replacement"];
}];
export type SeriesKey = (typeof METRIC_SERIES)[number]['key'];
/** The `Id` of a query in GetMetricData (must start with a lower-case letter). */
export declare const seriesId: (role: TargetRole, key: SeriesKey) => string;
/** `TC(T:)` counts requests slower than T seconds: E, the latency bar of the judge, in seconds. */
export declare const slowRequestStat: (thresholdMs: number) => string;
/** What a read is for: the history at a window's start (requests and p95 of the original), or judging. */
export type ReadPurpose = 'history' | 'judge';
/**
 * The series a read requests for a role: for the history, the original's requests and p95 (E is
 * derived from them); for judging, every series of the role except the original's p95, and the
 * slow-request count only when E is known.
 */
export declare function seriesFor(role: TargetRole, purpose: ReadPurpose, slowThresholdMs: number | undefined): Array<(typeof METRIC_SERIES)[number]>;
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
export declare function completeMinuteCanExist(from: number, now: number): boolean;
/**
 * Complete minute buckets for both target groups. `windows` gives, per role, which minutes
 * belong to the judged stage (for the post-traffic bake the original's minutes are the baseline
 * measured before AllowTraffic); a role without a window gets no buckets.
 */
export declare function toMinuteBuckets(results: readonly SeriesResult[], now: number, windows: RoleWindows): MinuteBuckets;
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
export declare function summarize(buckets: readonly MinuteBucket[]): BucketSummary;
