/**
 * CloudWatch adapter: one GetMetricData call (paged) for both target groups, retried with
 * exponential backoff on throttling and server errors; the engine's CanaryWeight and per-role
 * metrics.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';

import { customMetricQueries, type CustomMetricSpec, type VersionValues } from '../core/custom-metrics';
import { MINUTE_MS, type ReadPurpose, seriesFor, seriesId, type SeriesResult, slowRequestStat, type TargetRole } from '../core/observation';
import { CUSTOM_ROLE_METRIC, type CustomRoleSample, ENGINE_NAMESPACE, ROLE_METRICS, type RoleSample } from '../core/role-metrics';
import type { TargetPair } from '../core/rollout-state';
import { errorText, MetricsUnavailableError } from './engine-errors';

export { ENGINE_NAMESPACE };
export const WEIGHT_METRIC = 'CanaryWeight';

/**
 * The queries for the target groups of `roles` (both by default): the series `seriesFor` names
 * for the read's purpose, 60-second periods; `TC(E:)` with E = `slowThresholdMs`.
 */
export function buildMetricQueries(
  targets: TargetPair,
  loadBalancerFullName: string,
  slowThresholdMs: number | undefined,
  roles: readonly TargetRole[] = ['replacement', 'original'],
  purpose: ReadPurpose = 'judge',
): MetricDataQuery[] {
  return roles.flatMap((role) =>
    seriesFor(role, purpose, slowThresholdMs).map((series) => ({
      Id: seriesId(role, series.key),
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: series.metricName,
          Dimensions: [
            { Name: 'TargetGroup', Value: targets[role].fullName },
            { Name: 'LoadBalancer', Value: loadBalancerFullName },
          ],
        },
        Period: 60,
        Stat: series.stat === 'TC(T:)' ? slowRequestStat(slowThresholdMs as number) : series.stat,
      },
    })),
  );
}

/**
 * The queries of the service's own metrics for `roles`: per version with the version dimension,
 * else service-wide (see `customMetricQueries`); 60-second periods.
 */
export function buildCustomMetricQueries(
  specs: readonly CustomMetricSpec[],
  roles: readonly TargetRole[],
  versions: VersionValues | undefined,
  thresholds: Readonly<Record<string, number>> = {},
): MetricDataQuery[] {
  return customMetricQueries(specs, roles, versions, thresholds).map((query) => ({
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: query.namespace, MetricName: query.metricName, Dimensions: [...query.dimensions] },
      Period: 60,
      Stat: query.stat,
    },
  }));
}

const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServiceError',
  'InternalServiceFault',
]);

export interface RetryOptions {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const defaultRetry: RetryOptions = {
  attempts: 4,
  baseDelayMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const retryable = (error: unknown) =>
  error instanceof Error &&
  (RETRYABLE.has(error.name) || ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500);

/**
 * Reads every query between `from` and `to` (epoch ms, rounded out to whole minutes). Throws
 * `MetricsUnavailableError` when CloudWatch still refuses after the retries or fails otherwise:
 * the caller treats that as "no evidence", never as a pass.
 */
export async function readMetrics(
  client: CloudWatchClient,
  queries: MetricDataQuery[],
  from: number,
  to: number,
  retry: RetryOptions = defaultRetry,
): Promise<SeriesResult[]> {
  const startTime = new Date(Math.floor(from / MINUTE_MS) * MINUTE_MS);
  const endTime = new Date(Math.max(Math.ceil(to / MINUTE_MS) * MINUTE_MS, startTime.getTime() + MINUTE_MS));
  const byId = new Map<string, { timestamps: number[]; values: number[] }>();
  let nextToken: string | undefined;
  do {
    const page = await withRetry(
      () =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: startTime,
            EndTime: endTime,
            NextToken: nextToken,
            ScanBy: 'TimestampAscending',
          }),
        ),
      retry,
    );
    for (const result of page.MetricDataResults ?? []) {
      const series = byId.get(result.Id!) ?? { timestamps: [], values: [] };
      (result.Timestamps ?? []).forEach((t, i) => {
        series.timestamps.push(new Date(t).getTime());
        series.values.push(result.Values?.[i] ?? 0);
      });
      byId.set(result.Id!, series);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return [...byId.entries()].map(([id, s]) => ({ id, ...s }));
}

async function withRetry<T>(call: () => Promise<T>, retry: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error)) throw new MetricsUnavailableError(`GetMetricData failed: ${errorText(error)}`, { cause: error });
      if (attempt >= retry.attempts)
        throw new MetricsUnavailableError(`GetMetricData still failing after ${attempt} attempts: ${errorText(error)}`, { cause: error });
      await retry.sleep(retry.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

export async function putWeightMetric(client: CloudWatchClient, service: string, weight: number, at: Date): Promise<void> {
  await client.send(
    new PutMetricDataCommand({
      Namespace: ENGINE_NAMESPACE,
      MetricData: [
        { MetricName: WEIGHT_METRIC, Dimensions: [{ Name: 'Service', Value: service }], Value: weight, Unit: 'Percent', Timestamp: at },
      ],
    }),
  );
}

/**
 * The per-role samples of one tick in one PutMetricData call (dimensions Service and Role; the
 * service's own metrics also Metric, their name).
 */
export async function putRoleMetrics(
  client: CloudWatchClient,
  service: string,
  samples: readonly RoleSample[],
  custom: readonly CustomRoleSample[] = [],
): Promise<void> {
  if (samples.length === 0 && custom.length === 0) return;
  await client.send(
    new PutMetricDataCommand({
      Namespace: ENGINE_NAMESPACE,
      MetricData: [
        ...samples.map((s) => ({
          MetricName: ROLE_METRICS[s.metric].metricName,
          Dimensions: [
            { Name: 'Service', Value: service },
            { Name: 'Role', Value: s.role },
          ],
          Value: s.value,
          Unit: ROLE_METRICS[s.metric].unit,
          Timestamp: new Date(s.at),
        })),
        ...custom.map((s) => ({
          MetricName: CUSTOM_ROLE_METRIC,
          Dimensions: [
            { Name: 'Service', Value: service },
            { Name: 'Role', Value: s.role },
            { Name: 'Metric', Value: s.name },
          ],
          Value: s.value,
          Timestamp: new Date(s.at),
        })),
      ],
    }),
  );
}
