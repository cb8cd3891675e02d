/**
 * CloudWatch adapter: one GetMetricData call (paged) for both target groups, retried with
 * exponential backoff on throttling and server errors; the engine's CanaryWeight and per-role
 * metrics.
 */
import { CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { type ReadPurpose, type SeriesResult, type TargetRole } from '../core/observation';
import type { TargetPair } from '../core/rollout-state';
import { ENGINE_NAMESPACE, type RoleSample } from '../core/role-metrics';
export { ENGINE_NAMESPACE };
export declare const WEIGHT_METRIC = "CanaryWeight";
/**
 * The queries for the target groups of `roles` (both by default): the series `seriesFor` names
 * for the read's purpose, 60-second periods; `TC(E:)` with E = `slowThresholdMs`.
 */
export declare function buildMetricQueries(targets: TargetPair, loadBalancerFullName: string, slowThresholdMs: number | undefined, roles?: readonly TargetRole[], purpose?: ReadPurpose): MetricDataQuery[];
export interface RetryOptions {
    readonly attempts: number;
    readonly baseDelayMs: number;
    readonly sleep: (ms: number) => Promise<void>;
}
export declare const defaultRetry: RetryOptions;
/**
 * Reads every query between `from` and `to` (epoch ms, rounded out to whole minutes). Throws
 * `MetricsUnavailableError` when CloudWatch still refuses after the retries or fails otherwise:
 * the caller treats that as "no evidence", never as a pass.
 */
export declare function readMetrics(client: CloudWatchClient, queries: MetricDataQuery[], from: number, to: number, retry?: RetryOptions): Promise<SeriesResult[]>;
export declare function putWeightMetric(client: CloudWatchClient, service: string, weight: number, at: Date): Promise<void>;
/** The per-role samples of one tick in one PutMetricData call (dimensions Service and Role). */
export declare function putRoleMetrics(client: CloudWatchClient, service: string, samples: readonly RoleSample[]): Promise<void>;
