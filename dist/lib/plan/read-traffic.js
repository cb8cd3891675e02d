"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.spanMinutes = spanMinutes;
exports.readTraffic = readTraffic;
const cloudwatch_1 = require("../../lambdas/aws/cloudwatch");
const deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
const errors_1 = require("../../lambdas/aws/errors");
const judge_input_1 = require("../../lambdas/core/judge-input");
const observation_1 = require("../../lambdas/core/observation");
const plan_traffic_1 = require("../../lambdas/core/plan-traffic");
/** The series of the second read: counts only (the host counts and the canary's p95 would be billed for nothing). */
const COUNTS = ['requests', 'errors5xx', 'connectionErrors', 'slowRequests'];
/** Whole minutes of [now − 1 h, now) that can be complete at `now` (see `toMinuteBuckets`). */
function spanMinutes(now) {
    const first = Math.ceil((now - judge_input_1.HISTORY_MS) / observation_1.MINUTE_MS) * observation_1.MINUTE_MS;
    const lastEnd = Math.floor((now - observation_1.COMPLETE_MINUTE_DELAY_MS) / observation_1.MINUTE_MS) * observation_1.MINUTE_MS;
    return Math.max(0, (lastEnd - first) / observation_1.MINUTE_MS);
}
/**
 * The last hour's traffic of the service. A CloudWatch failure becomes an `AwsCallError` naming
 * cloudwatch:GetMetricData (and the missing permission when access was denied).
 */
async function readTraffic(cloudwatch, metadata, now, retry = cloudwatch_1.defaultRetry) {
    const [a, b] = metadata.targetGroups;
    // The roles only name the queries here: both groups are read and summed.
    const targets = { original: a, replacement: b };
    const from = now - judge_input_1.HISTORY_MS;
    const windows = { original: { from, to: now }, replacement: { from, to: now } };
    const span = spanMinutes(now);
    const read = async (slowThresholdMs, purpose, keep) => {
        let queries = (0, cloudwatch_1.buildMetricQueries)(targets, metadata.loadBalancerFullName, slowThresholdMs, ['original', 'replacement'], purpose);
        if (keep) {
            const ids = new Set(['original', 'replacement'].flatMap((role) => keep.map((key) => (0, observation_1.seriesId)(role, key))));
            queries = queries.filter((q) => ids.has(q.Id));
        }
        try {
            const buckets = (0, observation_1.toMinuteBuckets)(await (0, cloudwatch_1.readMetrics)(cloudwatch, queries, from, now, retry), now, windows);
            return (0, plan_traffic_1.mergeMinutes)([buckets.original, buckets.replacement]);
        }
        catch (error) {
            if (error instanceof errors_1.MetricsUnavailableError)
                throw (0, deploy_errors_1.toAwsCallError)(error.cause ?? error, 'cloudwatch:GetMetricData');
            throw error;
        }
    };
    const history = await read(undefined, 'history');
    if (history.every((m) => m.requests === 0))
        return (0, plan_traffic_1.trafficFromMinutes)([], span, undefined);
    const p95Ms = (0, plan_traffic_1.historyP95)(history);
    const slowThresholdMs = (0, judge_input_1.slowThresholdFrom)(history, metadata.thresholds.maxLatencyRatio);
    const minutes = await read(slowThresholdMs, 'judge', COUNTS);
    return { ...(0, plan_traffic_1.trafficFromMinutes)(minutes, span, p95Ms), ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
}
