"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.publishedAt = publishedAt;
exports.observeMinutes = observeMinutes;
exports.metricDatapoints = metricDatapoints;
exports.simulatedMetricData = simulatedMetricData;
exports.toMinuteBucket = toMinuteBucket;
exports.judgeBuckets = judgeBuckets;
const latency_1 = require("./latency");
const random_1 = require("./random");
const slow_requests_1 = require("./slow-requests");
const traffic_1 = require("./traffic");
/** When the minute starting at `start` is completely published, epoch ms. */
function publishedAt(start, options) {
    const min = options.minDelayMs ?? 60_000;
    const max = options.maxDelayMs ?? 180_000;
    const u = (0, random_1.hashSeed)(options.seed, start) / 4294967296;
    return start + traffic_1.MINUTE_MS + min + Math.round(u * (max - min));
}
/** Share of an ended minute's counts published at `now` (linear over its delay; 1 when complete). */
function visibleFraction(start, now, options) {
    const end = start + traffic_1.MINUTE_MS;
    const done = publishedAt(start, options);
    return now >= done ? 1 : (now - end) / (done - end);
}
function scaled(group, fraction) {
    if (fraction >= 1)
        return group;
    const part = (value) => Math.floor(value * fraction);
    return { ...group, requests: part(group.requests), errors5xx: part(group.errors5xx), connectionErrors: part(group.connectionErrors), slowRequests: part(group.slowRequests) };
}
/**
 * The minutes visible at `now`, oldest first. A minute that has ended but is not yet fully
 * published shows the share of its counts that has arrived (linear over its delay).
 */
function observeMinutes(minutes, now, options) {
    const visible = [];
    for (const minute of minutes) {
        if (minute.start + traffic_1.MINUTE_MS > now)
            continue;
        const fraction = visibleFraction(minute.start, now, options);
        if (fraction <= 0)
            continue;
        visible.push({ start: minute.start, fraction, complete: fraction >= 1, canary: scaled(minute.canary, fraction), baseline: scaled(minute.baseline, fraction) });
    }
    return visible;
}
/**
 * One GetMetricData result for one target group, newest first. Throws `SimulationError` for a
 * metric/statistic/period the simulation cannot answer, naming what is accepted.
 * `slowThresholdMs` is accepted for older callers and ignored: `TC(T:)` answers any T.
 */
function metricDatapoints(minutes, now, request, options) {
    const points = periodPoints(minutes, now, request, options).reverse();
    return { timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
}
/**
 * The simulation as the engine's CloudWatch adapter returns it (`readMetrics` in
 * lambdas/aws/cloudwatch.ts): one `SeriesResult` per query, in query order, oldest point first
 * (it asks with ScanBy TimestampAscending), a query without points kept with empty arrays. Each
 * query's window is rounded as readMetrics rounds its own: start down, end up, to whole minutes.
 */
function simulatedMetricData(minutes, now, queries, options) {
    const seen = new Set();
    return queries.map((query) => {
        if (seen.has(query.id))
            throw new traffic_1.SimulationError(`query id ${JSON.stringify(query.id)} appears twice; accepted: a unique id per query (GetMetricData rejects duplicates)`);
        seen.add(query.id);
        const startTime = Math.floor(query.startTime / traffic_1.MINUTE_MS) * traffic_1.MINUTE_MS;
        const endTime = Math.max(Math.ceil(query.endTime / traffic_1.MINUTE_MS) * traffic_1.MINUTE_MS, startTime + traffic_1.MINUTE_MS);
        const points = periodPoints(minutes, now, { ...query, startTime, endTime }, options);
        return { id: query.id, timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
    });
}
/**
 * The datapoints of one request, oldest first. Periods are whole multiples of the period from
 * the epoch, and a period that begins before the start time is left out (as the fake
 * CloudWatch of test/support does; the API reference advises a StartTime aligned to the period).
 */
function periodPoints(minutes, now, request, options) {
    const period = request.period ?? 60;
    if (!(Number.isInteger(period) && period >= 60 && period % 60 === 0)) {
        throw new traffic_1.SimulationError(`period is ${period}; accepted: 60 or a multiple of 60 (seconds)`);
    }
    const value = valueReader(request, period);
    const periodMs = period * 1000;
    const startTime = Math.floor(request.startTime / traffic_1.MINUTE_MS) * traffic_1.MINUTE_MS;
    const byPeriod = new Map();
    for (const minute of minutes) {
        const end = minute.start + traffic_1.MINUTE_MS;
        if (minute.start < startTime || minute.start >= request.endTime || end > now)
            continue;
        const bucket = Math.floor(minute.start / periodMs) * periodMs;
        if (bucket < startTime)
            continue;
        const fraction = visibleFraction(minute.start, now, options);
        if (fraction <= 0)
            continue;
        const truth = minute[request.group];
        const list = byPeriod.get(bucket) ?? [];
        list.push({ shown: scaled(truth, fraction), truth, fraction });
        byPeriod.set(bucket, list);
    }
    const points = [];
    for (const [timestamp, seen] of [...byPeriod.entries()].sort((a, b) => a[0] - b[0])) {
        const v = value(seen);
        if (v !== undefined)
            points.push({ timestamp, value: v });
    }
    return points;
}
/** Reads one period's value from its visible minutes; undefined when CloudWatch has no point. */
function valueReader(request, period) {
    const { metricName, stat } = request;
    const unsupported = (accepted) => new traffic_1.SimulationError(`statistic ${JSON.stringify(stat)} of ${metricName} is not simulated; accepted: ${accepted}`);
    // Zero Sum points are absent: the ALB publishes these counts only when they are non-zero.
    const sumOf = (pick) => (seen) => {
        let total = 0;
        for (const s of seen)
            total += pick(s);
        return total > 0 ? total : undefined;
    };
    switch (metricName) {
        case 'RequestCount':
        case 'HTTPCode_Target_5XX_Count':
        case 'TargetConnectionErrorCount': {
            if (stat !== 'Sum')
                throw unsupported("'Sum'");
            const pick = { RequestCount: (g) => g.requests, HTTPCode_Target_5XX_Count: (g) => g.errors5xx, TargetConnectionErrorCount: (g) => g.connectionErrors }[metricName];
            return sumOf((s) => pick(s.shown));
        }
        case 'TargetResponseTime': {
            const served = (seen) => seen.filter((s) => s.shown.requests > 0);
            const quantile = /^p(95|99)$/.exec(stat);
            if (quantile) {
                const q = Number(quantile[1]) / 100;
                const field = q === 0.95 ? 'p95Ms' : 'p99Ms';
                return (seen) => {
                    const withRequests = served(seen);
                    if (withRequests.length === 0)
                        return undefined;
                    // One minute: its sampled percentile. Longer: the percentile of the pooled requests.
                    if (period === 60)
                        return withRequests[0].shown[field] === undefined ? undefined : withRequests[0].shown[field] / 1000;
                    return (0, latency_1.latencyQuantile)((0, slow_requests_1.pooledLatency)(withRequests.map((s) => s.shown)), q) / 1000;
                };
            }
            const match = /^TC\(([0-9]+(?:\.[0-9]+)?|\.[0-9]+):\)$/.exec(stat);
            if (match) {
                const thresholdMs = Number(match[1]) * 1000;
                // A minute with requests has a TC point, 0 included; a partial one shows its share.
                return (seen) => {
                    const withRequests = served(seen);
                    if (withRequests.length === 0)
                        return undefined;
                    let total = 0;
                    for (const s of withRequests)
                        total += Math.floor((0, slow_requests_1.slowRequestsAbove)(s.truth, thresholdMs) * s.fraction);
                    return total;
                };
            }
            throw unsupported("'p95', 'p99' or 'TC(T:)' with T in seconds, e.g. 'TC(0.5:)'");
        }
        case 'HealthyHostCount':
            if (stat !== 'Minimum')
                throw unsupported("'Minimum'");
            return (seen) => seen.reduce((low, s) => Math.min(low, s.shown.healthyHosts), Infinity);
        case 'UnHealthyHostCount':
            if (stat !== 'Maximum')
                throw unsupported("'Maximum'");
            return (seen) => seen.reduce((high, s) => Math.max(high, s.shown.unhealthyHosts), -Infinity);
        default:
            throw new traffic_1.SimulationError(`metric ${JSON.stringify(metricName)} is not simulated; accepted: RequestCount, HTTPCode_Target_5XX_Count, TargetConnectionErrorCount, TargetResponseTime, HealthyHostCount, UnHealthyHostCount`);
    }
}
/** A simulated group-minute as the judge's bucket (errors = 5XX + connection errors). */
function toMinuteBucket(start, group) {
    return {
        start,
        requests: group.requests,
        errors: group.errors5xx + group.connectionErrors,
        slowRequests: group.slowRequests,
        ...(group.p95Ms !== undefined ? { p95Ms: group.p95Ms } : {}),
        ...(group.p99Ms !== undefined ? { p99Ms: group.p99Ms } : {}),
        healthyHosts: group.healthyHosts,
        unhealthyHosts: group.unhealthyHosts,
    };
}
/**
 * The judge's input buckets at `now`, as a careful caller builds them: complete minutes only
 * (the partial and late ones dropped), starting at or after `since`.
 */
function judgeBuckets(minutes, now, since, options) {
    const complete = minutes.filter((m) => m.start + traffic_1.MINUTE_MS > since && publishedAt(m.start, options) <= now);
    return {
        canary: complete.map((m) => cachedBucket(m.start, m.canary)),
        baseline: complete.map((m) => cachedBucket(m.start, m.baseline)),
    };
}
/** Complete minutes never change: their buckets are built once (the judge does not mutate them). */
const bucketCache = new WeakMap();
function cachedBucket(start, group) {
    let bucket = bucketCache.get(group);
    if (!bucket) {
        bucket = toMinuteBucket(start, group);
        bucketCache.set(group, bucket);
    }
    return bucket;
}
