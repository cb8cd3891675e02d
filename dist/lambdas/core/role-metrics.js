"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROLE_METRICS = exports.ENGINE_NAMESPACE = void 0;
exports.roleSamples = roleSamples;
/** The engine's CloudWatch namespace (CanaryWeight and the role metrics). */
exports.ENGINE_NAMESPACE = 'EcsCanary';
/** Metric names, each with the dimensions `Service` and `Role`. */
exports.ROLE_METRICS = {
    requests: { metricName: 'Requests', unit: 'Count' },
    errorRate: { metricName: 'ErrorRate', unit: 'Percent' },
    p95: { metricName: 'LatencyP95', unit: 'Milliseconds' },
    weight: { metricName: 'Weight', unit: 'Percent' },
};
/** The newest minute of a role's buckets (the tick reads complete minutes only). */
const newest = (buckets) => buckets.reduce((latest, b) => (latest === undefined || b.start > latest.start ? b : latest), undefined);
function minuteSamples(role, bucket) {
    if (!bucket)
        return [];
    const at = bucket.start;
    return [
        { role, metric: 'requests', value: bucket.requests, at },
        // Error rate and p95 mean nothing in a minute without requests: left out, the graph shows a gap.
        ...(bucket.requests > 0 ? [{ role, metric: 'errorRate', value: (100 * bucket.errors) / bucket.requests, at }] : []),
        ...(bucket.requests > 0 && bucket.p95Ms !== undefined ? [{ role, metric: 'p95', value: bucket.p95Ms, at }] : []),
    ];
}
/**
 * This tick's samples: the newest complete minute of each role (requests, error rate as the
 * judge counts errors — target 5xx plus connection errors — and p95), and the weights the
 * engine leaves production at (`weight` is the replacement's percentage; undefined when unknown).
 */
function roleSamples(metrics, weight, now) {
    return [
        ...minuteSamples('canary', metrics ? newest(metrics.replacement) : undefined),
        ...minuteSamples('stable', metrics ? newest(metrics.original) : undefined),
        ...(weight === undefined ? [] : [
            { role: 'canary', metric: 'weight', value: weight, at: now },
            { role: 'stable', metric: 'weight', value: 100 - weight, at: now },
        ]),
    ];
}
