/**
 * Reads the last hour of the service's own compared metrics from CloudWatch, service-wide (the
 * fixed dimensions without the version, the series the bars' alarms watch), with the engine's own
 * query builder: first each metric's counts or statistic, then for a compared value the samples
 * and those beyond E, E set from that hour as the tick sets it. A thin adapter; the figures are
 * computed in `lambdas/core/forecast/metrics.ts`.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

import { buildCustomMetricQueries, readMetrics, type RetryOptions } from '../../lambdas/aws/cloudwatch';
import { toAwsCallError } from '../../lambdas/aws/deploy-errors';
import { MetricsUnavailableError } from '../../lambdas/aws/engine-errors';
import { attachCustomMinutes, type CustomMetricSpec, valueThresholds } from '../../lambdas/core/custom-metrics';
import { metricHistories, type MetricHistory } from '../../lambdas/core/forecast/metrics';
import { HISTORY_MS } from '../../lambdas/core/judge/input';
import type { MinuteBucket } from '../../lambdas/core/judge/types';
import { MINUTE_MS } from '../../lambdas/core/observation';

/** The compared metrics' history over [now − 1 h, now), per metric name; a metric without points has none. */
export async function readMetricHistories(
  cloudwatch: CloudWatchClient,
  specs: readonly CustomMetricSpec[],
  requestsPerMinute: number,
  now: number,
  retry: RetryOptions,
): Promise<Record<string, MetricHistory>> {
  const compared = specs.filter((spec) => spec.compare && spec.versionDimension && spec.action === 'rollback');
  if (compared.length === 0 || requestsPerMinute <= 0) return {};
  const from = now - HISTORY_MS;
  // One bucket a minute: the requests are the hour's mean (the metrics' rates are per request of the same hour).
  const first = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  const minutes: MinuteBucket[] = [];
  for (let start = first; start + MINUTE_MS <= now; start += MINUTE_MS) minutes.push({ start, requests: requestsPerMinute, errors: 0 });
  const read = async (thresholds: Record<string, number>, only?: RegExp) => {
    const queries = buildCustomMetricQueries(compared, ['replacement'], undefined, thresholds).filter(
      (q) => !only || only.test(q.Id ?? ''),
    );
    try {
      return queries.length ? await readMetrics(cloudwatch, queries, from, now, retry) : [];
    } catch (error) {
      if (error instanceof MetricsUnavailableError) throw toAwsCallError(error.cause ?? error, 'cloudwatch:GetMetricData');
      throw error;
    }
  };
  const values = await read({});
  const valued = attachCustomMinutes({ replacement: minutes, original: [] }, values, compared).replacement;
  const thresholds = valueThresholds(compared, valued, Infinity);
  const counted = Object.keys(thresholds).length > 0 ? await read(thresholds, /_(samples|beyond)$/) : [];
  const attached = attachCustomMinutes({ replacement: minutes, original: [] }, [...values, ...counted], compared).replacement;
  return metricHistories(compared, attached, requestsPerMinute);
}
