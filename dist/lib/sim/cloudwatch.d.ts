/**
 * What CloudWatch shows of the simulated minutes at a given time: each minute is published
 * 1–3 minutes after it ends (a delay drawn per minute from the seed); until then the newest
 * minutes show partial sums; Sum datapoints whose value is 0 are absent, as are latency
 * datapoints of minutes without requests. Units as CloudWatch's AWS/ApplicationELB namespace:
 * counts, and `TargetResponseTime` in seconds.
 */
import type { MinuteBucket } from '../../lambdas/core/judge';
import type { SeriesResult } from '../../lambdas/core/observation';
import { GroupMinute, SimMinute } from './traffic';
export interface ObservationOptions {
    /** Seed of the per-minute publication delays. */
    readonly seed: number;
    /** @default 60_000 */
    readonly minDelayMs?: number;
    /** @default 180_000 */
    readonly maxDelayMs?: number;
}
export type TargetGroupRole = 'canary' | 'baseline';
export type ElbMetricName = 'RequestCount' | 'HTTPCode_Target_5XX_Count' | 'TargetConnectionErrorCount' | 'TargetResponseTime' | 'HealthyHostCount' | 'UnHealthyHostCount';
export interface ObservedMinute {
    start: number;
    /** Share of the minute's counts published so far (1 when complete). */
    fraction: number;
    complete: boolean;
    canary: GroupMinute;
    baseline: GroupMinute;
}
/** When the minute starting at `start` is completely published, epoch ms. */
export declare function publishedAt(start: number, options: ObservationOptions): number;
/**
 * The minutes visible at `now`, oldest first. A minute that has ended but is not yet fully
 * published shows the share of its counts that has arrived (linear over its delay).
 */
export declare function observeMinutes(minutes: readonly SimMinute[], now: number, options: ObservationOptions): ObservedMinute[];
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
export declare function metricDatapoints(minutes: readonly SimMinute[], now: number, request: MetricRequest, options: ObservationOptions & {
    slowThresholdMs?: number;
}): MetricDatapoints;
/**
 * The simulation as the engine's CloudWatch adapter returns it (`readMetrics` in
 * lambdas/aws/cloudwatch.ts): one `SeriesResult` per query, in query order, oldest point first
 * (it asks with ScanBy TimestampAscending), a query without points kept with empty arrays. Each
 * query's window is rounded as readMetrics rounds its own: start down, end up, to whole minutes.
 */
export declare function simulatedMetricData(minutes: readonly SimMinute[], now: number, queries: readonly MetricQuery[], options: ObservationOptions): SeriesResult[];
/** A judge bucket plus the p99 (which some peer judges read). */
export type ObservedBucket = MinuteBucket & {
    p99Ms?: number;
};
/** A simulated group-minute as the judge's bucket (errors = 5XX + connection errors). */
export declare function toMinuteBucket(start: number, group: GroupMinute): ObservedBucket;
/**
 * The judge's input buckets at `now`, as a careful caller builds them: complete minutes only
 * (the partial and late ones dropped), starting at or after `since`.
 */
export declare function judgeBuckets(minutes: readonly SimMinute[], now: number, since: number, options: ObservationOptions): {
    canary: ObservedBucket[];
    baseline: ObservedBucket[];
};
