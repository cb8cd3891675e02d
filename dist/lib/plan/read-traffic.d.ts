/**
 * Reads the service's production traffic over the last hour from CloudWatch, with the engine's
 * own query builder and reader: first requests and p95 (as at a rollout's start, to set
 * E = maxLatencyRatio × p95), then requests, errors and `TC(E:)`. Both target groups are read
 * and added up minute by minute, so the figures are the service's whichever group is the
 * original now. A thin adapter; the figures are computed in `lambdas/core/plan-traffic.ts`.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type RetryOptions } from '../../lambdas/aws/cloudwatch';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { type TrafficProfile } from '../../lambdas/core/plan-traffic';
/** Whole minutes of [now − 1 h, now) that can be complete at `now` (see `toMinuteBuckets`). */
export declare function spanMinutes(now: number): number;
/**
 * The last hour's traffic of the service. A CloudWatch failure becomes an `AwsCallError` naming
 * cloudwatch:GetMetricData (and the missing permission when access was denied).
 */
export declare function readTraffic(cloudwatch: CloudWatchClient, metadata: DeploymentMetadata, now: number, retry?: RetryOptions): Promise<TrafficProfile>;
