"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defaultRetry = exports.WEIGHT_METRIC = exports.ENGINE_NAMESPACE = void 0;
exports.buildMetricQueries = buildMetricQueries;
exports.readMetrics = readMetrics;
exports.putWeightMetric = putWeightMetric;
exports.putRoleMetrics = putRoleMetrics;
/**
 * CloudWatch adapter: one GetMetricData call (paged) for both target groups, retried with
 * exponential backoff on throttling and server errors; the engine's CanaryWeight and per-role
 * metrics.
 */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const observation_1 = require("../core/observation");
const role_metrics_1 = require("../core/role-metrics");
Object.defineProperty(exports, "ENGINE_NAMESPACE", { enumerable: true, get: function () { return role_metrics_1.ENGINE_NAMESPACE; } });
const errors_1 = require("./errors");
exports.WEIGHT_METRIC = 'CanaryWeight';
/**
 * The queries for the target groups of `roles` (both by default): the series `seriesFor` names
 * for the read's purpose, 60-second periods; `TC(E:)` with E = `slowThresholdMs`.
 */
function buildMetricQueries(targets, loadBalancerFullName, slowThresholdMs, roles = ['replacement', 'original'], purpose = 'judge') {
    return roles.flatMap((role) => (0, observation_1.seriesFor)(role, purpose, slowThresholdMs).map((series) => ({
        Id: (0, observation_1.seriesId)(role, series.key),
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
            Stat: series.stat === 'TC(T:)' ? (0, observation_1.slowRequestStat)(slowThresholdMs) : series.stat,
        },
    })));
}
const RETRYABLE = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException', 'RequestLimitExceeded', 'ServiceUnavailable', 'InternalServiceError', 'InternalServiceFault']);
exports.defaultRetry = { attempts: 4, baseDelayMs: 250, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const retryable = (error) => error instanceof Error
    && (RETRYABLE.has(error.name) || (error.$metadata?.httpStatusCode ?? 0) >= 500);
/**
 * Reads every query between `from` and `to` (epoch ms, rounded out to whole minutes). Throws
 * `MetricsUnavailableError` when CloudWatch still refuses after the retries or fails otherwise:
 * the caller treats that as "no evidence", never as a pass.
 */
async function readMetrics(client, queries, from, to, retry = exports.defaultRetry) {
    const startTime = new Date(Math.floor(from / observation_1.MINUTE_MS) * observation_1.MINUTE_MS);
    const endTime = new Date(Math.max(Math.ceil(to / observation_1.MINUTE_MS) * observation_1.MINUTE_MS, startTime.getTime() + observation_1.MINUTE_MS));
    const byId = new Map();
    let nextToken;
    do {
        const page = await withRetry(() => client.send(new client_cloudwatch_1.GetMetricDataCommand({ MetricDataQueries: queries, StartTime: startTime, EndTime: endTime, NextToken: nextToken, ScanBy: 'TimestampAscending' })), retry);
        for (const result of page.MetricDataResults ?? []) {
            const series = byId.get(result.Id) ?? { timestamps: [], values: [] };
            (result.Timestamps ?? []).forEach((t, i) => {
                series.timestamps.push(new Date(t).getTime());
                series.values.push(result.Values?.[i] ?? 0);
            });
            byId.set(result.Id, series);
        }
        nextToken = page.NextToken;
    } while (nextToken);
    return [...byId.entries()].map(([id, s]) => ({ id, ...s }));
}
async function withRetry(call, retry) {
    for (let attempt = 1;; attempt += 1) {
        try {
            return await call();
        }
        catch (error) {
            if (!retryable(error))
                throw new errors_1.MetricsUnavailableError(`GetMetricData failed: ${(0, errors_1.errorText)(error)}`, { cause: error });
            if (attempt >= retry.attempts)
                throw new errors_1.MetricsUnavailableError(`GetMetricData still failing after ${attempt} attempts: ${(0, errors_1.errorText)(error)}`, { cause: error });
            await retry.sleep(retry.baseDelayMs * 2 ** (attempt - 1));
        }
    }
}
async function putWeightMetric(client, service, weight, at) {
    await client.send(new client_cloudwatch_1.PutMetricDataCommand({
        Namespace: role_metrics_1.ENGINE_NAMESPACE,
        MetricData: [{ MetricName: exports.WEIGHT_METRIC, Dimensions: [{ Name: 'Service', Value: service }], Value: weight, Unit: 'Percent', Timestamp: at }],
    }));
}
/** The per-role samples of one tick in one PutMetricData call (dimensions Service and Role). */
async function putRoleMetrics(client, service, samples) {
    if (samples.length === 0)
        return;
    await client.send(new client_cloudwatch_1.PutMetricDataCommand({
        Namespace: role_metrics_1.ENGINE_NAMESPACE,
        MetricData: samples.map((s) => ({
            MetricName: role_metrics_1.ROLE_METRICS[s.metric].metricName,
            Dimensions: [{ Name: 'Service', Value: service }, { Name: 'Role', Value: s.role }],
            Value: s.value,
            Unit: role_metrics_1.ROLE_METRICS[s.metric].unit,
            Timestamp: new Date(s.at),
        })),
    }));
}
