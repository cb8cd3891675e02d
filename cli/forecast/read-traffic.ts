/**
 * Reads the service's production traffic over the last hour from CloudWatch, with the engine's
 * own query builder and reader: first requests and p95 (as at a rollout's start, to set
 * E = maxLatencyRatio × p95), then requests, errors and `TC(E:)`. Both target groups are read
 * and added up minute by minute, so the figures are the service's whichever group is the
 * original now. A thin adapter; the figures are computed in `lambdas/core/forecast/traffic.ts`.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

import { buildMetricQueries, defaultRetry, readMetrics, type RetryOptions } from '../../lambdas/aws/cloudwatch';
import { toAwsCallError } from '../../lambdas/aws/deploy-errors';
import { MetricsUnavailableError } from '../../lambdas/aws/engine-errors';
import { historyP95, mergeMinutes, trafficFromMinutes, type TrafficProfile } from '../../lambdas/core/forecast/traffic';
import { HISTORY_MS, slowThresholdFrom } from '../../lambdas/core/judge/input';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { COMPLETE_MINUTE_DELAY_MS, MINUTE_MS, seriesId, type SeriesKey, toMinuteBuckets } from '../../lambdas/core/observation';
import type { TargetPair } from '../../lambdas/core/rollout-state';

/** The series of the second read: counts only (the host counts and the canary's p95 would be billed for nothing). */
const COUNTS: readonly SeriesKey[] = ['requests', 'errors5xx', 'connectionErrors', 'slowRequests'];

/** Whole minutes of [now − 1 h, now) that can be complete at `now` (see `toMinuteBuckets`). */
export function spanMinutes(now: number): number {
  const first = Math.ceil((now - HISTORY_MS) / MINUTE_MS) * MINUTE_MS;
  const lastEnd = Math.floor((now - COMPLETE_MINUTE_DELAY_MS) / MINUTE_MS) * MINUTE_MS;
  return Math.max(0, (lastEnd - first) / MINUTE_MS);
}

/**
 * The last hour's traffic of the service. A CloudWatch failure becomes an `AwsCallError` naming
 * cloudwatch:GetMetricData (and the missing permission when access was denied).
 */
export async function readTraffic(
  cloudwatch: CloudWatchClient,
  metadata: DeploymentMetadata,
  now: number,
  retry: RetryOptions = defaultRetry,
): Promise<TrafficProfile> {
  const [a, b] = metadata.targetGroups;
  // The roles only name the queries here: both groups are read and summed.
  const targets: TargetPair = { original: a, replacement: b };
  const from = now - HISTORY_MS;
  const windows = { original: { from, to: now }, replacement: { from, to: now } };
  const span = spanMinutes(now);
  const read = async (slowThresholdMs: number | undefined, purpose: 'history' | 'judge', keep?: readonly SeriesKey[]) => {
    let queries = buildMetricQueries(targets, metadata.loadBalancerFullName, slowThresholdMs, ['original', 'replacement'], purpose);
    if (keep) {
      const ids = new Set((['original', 'replacement'] as const).flatMap((role) => keep.map((key) => seriesId(role, key))));
      queries = queries.filter((q) => ids.has(q.Id as string));
    }
    try {
      const buckets = toMinuteBuckets(await readMetrics(cloudwatch, queries, from, now, retry), now, windows);
      return mergeMinutes([buckets.original, buckets.replacement]);
    } catch (error) {
      if (error instanceof MetricsUnavailableError) throw toAwsCallError(error.cause ?? error, 'cloudwatch:GetMetricData');
      throw error;
    }
  };
  const history = await read(undefined, 'history');
  if (history.every((m) => m.requests === 0)) return trafficFromMinutes([], span, undefined);
  const p95Ms = historyP95(history);
  const slowThresholdMs = slowThresholdFrom(history, metadata.thresholds.maxLatencyRatio);
  const minutes = await read(slowThresholdMs, 'judge', COUNTS);
  return { ...trafficFromMinutes(minutes, span, p95Ms), ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
}
