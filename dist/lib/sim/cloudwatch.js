"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.publishedAt = publishedAt;
exports.observeMinutes = observeMinutes;
exports.metricDatapoints = metricDatapoints;
exports.toMinuteBucket = toMinuteBucket;
exports.judgeBuckets = judgeBuckets;
const random_1 = require("./random");
const traffic_1 = require("./traffic");
/** When the minute starting at `start` is completely published, epoch ms. */
function publishedAt(start, options) {
    const min = options.minDelayMs ?? 60_000;
    const max = options.maxDelayMs ?? 180_000;
    const u = (0, random_1.hashSeed)(options.seed, start) / 4294967296;
    return start + traffic_1.MINUTE_MS + min + Math.round(u * (max - min));
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
        const end = minute.start + traffic_1.MINUTE_MS;
        if (end > now)
            continue;
        const done = publishedAt(minute.start, options);
        const fraction = now >= done ? 1 : (now - end) / (done - end);
        if (fraction <= 0)
            continue;
        visible.push({ start: minute.start, fraction, complete: fraction >= 1, canary: scaled(minute.canary, fraction), baseline: scaled(minute.baseline, fraction) });
    }
    return visible;
}
/**
 * One GetMetricData result (period 60 s) for one target group. Throws `SimulationError` for a
 * metric/statistic combination the simulation cannot answer, naming what is accepted.
 * @param slowThresholdMs the latency bar of the simulation (a `TC(T:)` stat must ask for it)
 */
function metricDatapoints(minutes, now, request, options) {
    const value = valueReader(request, options.slowThresholdMs);
    const points = observeMinutes(minutes, now, options)
        .filter((m) => m.start >= request.startTime && m.start < request.endTime)
        .flatMap((m) => {
        const v = value(m[request.group]);
        return v === undefined ? [] : [{ timestamp: m.start, value: v }];
    })
        .reverse();
    return { timestamps: points.map((p) => p.timestamp), values: points.map((p) => p.value) };
}
function valueReader(request, slowThresholdMs) {
    const sumOf = (pick) => (g) => (pick(g) > 0 ? pick(g) : undefined);
    const { metricName, stat } = request;
    const unsupported = (accepted) => new traffic_1.SimulationError(`statistic ${JSON.stringify(stat)} of ${metricName} is not simulated; accepted: ${accepted}`);
    switch (metricName) {
        case 'RequestCount':
        case 'HTTPCode_Target_5XX_Count':
        case 'TargetConnectionErrorCount': {
            if (stat !== 'Sum')
                throw unsupported("'Sum'");
            const pick = { RequestCount: (g) => g.requests, HTTPCode_Target_5XX_Count: (g) => g.errors5xx, TargetConnectionErrorCount: (g) => g.connectionErrors }[metricName];
            return sumOf(pick);
        }
        case 'TargetResponseTime': {
            if (stat === 'p95')
                return (g) => (g.requests > 0 && g.p95Ms !== undefined ? g.p95Ms / 1000 : undefined);
            if (stat === 'p99')
                return (g) => (g.requests > 0 && g.p99Ms !== undefined ? g.p99Ms / 1000 : undefined);
            const match = /^TC\(([0-9.]+):\)$/.exec(stat);
            if (match && Math.abs(Number(match[1]) * 1000 - slowThresholdMs) < 1e-6)
                return (g) => (g.requests > 0 ? g.slowRequests : undefined);
            throw unsupported(`'p95', 'p99' or 'TC(${slowThresholdMs / 1000}:)' (the simulation's latency bar in seconds)`);
        }
        case 'HealthyHostCount':
            if (stat !== 'Minimum')
                throw unsupported("'Minimum'");
            return (g) => g.healthyHosts;
        case 'UnHealthyHostCount':
            if (stat !== 'Maximum')
                throw unsupported("'Maximum'");
            return (g) => g.unhealthyHosts;
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
