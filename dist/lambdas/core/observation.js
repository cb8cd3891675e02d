"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.slowRequestStat = exports.seriesId = exports.METRIC_SERIES = exports.MINUTE_MS = exports.COMPLETE_MINUTE_DELAY_MS = void 0;
exports.seriesFor = seriesFor;
exports.completeMinuteCanExist = completeMinuteCanExist;
exports.toMinuteBuckets = toMinuteBuckets;
exports.summarize = summarize;
/** A minute is complete only when it ended at least this long before now. */
exports.COMPLETE_MINUTE_DELAY_MS = 90_000;
exports.MINUTE_MS = 60_000;
const BOTH = ['replacement', 'original'];
const CANARY_ONLY = ['replacement'];
/**
 * The per-target-group series the engine reads, how each one is aggregated, and for which role.
 * Host counts are the canary's only (its unhealthy streak); the original's p95 is read once, in
 * its history, to set E (`seriesFor`): GetMetricData is billed per metric requested.
 */
exports.METRIC_SERIES = [
    { key: 'requests', metricName: 'RequestCount', stat: 'Sum', roles: BOTH },
    { key: 'errors5xx', metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum', roles: BOTH },
    { key: 'connectionErrors', metricName: 'TargetConnectionErrorCount', stat: 'Sum', roles: BOTH },
    { key: 'slowRequests', metricName: 'TargetResponseTime', stat: 'TC(T:)', roles: BOTH },
    { key: 'p95', metricName: 'TargetResponseTime', stat: 'p95', roles: BOTH },
    { key: 'healthyHosts', metricName: 'HealthyHostCount', stat: 'Minimum', roles: CANARY_ONLY },
    { key: 'unhealthyHosts', metricName: 'UnHealthyHostCount', stat: 'Maximum', roles: CANARY_ONLY },
];
/** The `Id` of a query in GetMetricData (must start with a lower-case letter). */
const seriesId = (role, key) => `${role === 'replacement' ? 'r' : 'o'}_${key}`;
exports.seriesId = seriesId;
/** `TC(T:)` counts requests slower than T seconds: E, the latency bar of the judge, in seconds. */
const slowRequestStat = (thresholdMs) => `TC(${(thresholdMs / 1000).toString()}:)`;
exports.slowRequestStat = slowRequestStat;
/**
 * The series a read requests for a role: for the history, the original's requests and p95 (E is
 * derived from them); for judging, every series of the role except the original's p95, and the
 * slow-request count only when E is known.
 */
function seriesFor(role, purpose, slowThresholdMs) {
    return exports.METRIC_SERIES.filter((series) => {
        if (!series.roles.includes(role))
            return false;
        if (purpose === 'history')
            return series.key === 'requests' || series.key === 'p95';
        if (series.key === 'slowRequests')
            return slowThresholdMs !== undefined;
        return !(role === 'original' && series.key === 'p95');
    });
}
/**
 * Whether any whole minute starting at or after `from` can be complete at `now` (see
 * `toMinuteBuckets`). Until then a read of a stage's minutes can only come back empty.
 */
function completeMinuteCanExist(from, now) {
    const firstMinute = Math.ceil(from / exports.MINUTE_MS) * exports.MINUTE_MS;
    return firstMinute + exports.MINUTE_MS <= now - exports.COMPLETE_MINUTE_DELAY_MS;
}
/**
 * Complete minute buckets for both target groups. `windows` gives, per role, which minutes
 * belong to the judged stage (for the post-traffic bake the original's minutes are the baseline
 * measured before AllowTraffic); a role without a window gets no buckets.
 */
function toMinuteBuckets(results, now, windows) {
    const byId = new Map();
    let newestMinute = -Infinity;
    for (const result of results) {
        const points = byId.get(result.id) ?? new Map();
        result.timestamps.forEach((timestamp, i) => {
            const minute = Math.floor(timestamp / exports.MINUTE_MS) * exports.MINUTE_MS;
            points.set(minute, (points.get(minute) ?? 0) + result.values[i]);
            newestMinute = Math.max(newestMinute, minute);
        });
        byId.set(result.id, points);
    }
    const completeBefore = now - exports.COMPLETE_MINUTE_DELAY_MS;
    const isComplete = (minute) => minute + exports.MINUTE_MS <= completeBefore && minute < newestMinute;
    const bucketsFor = (role, window) => {
        const series = (key) => byId.get((0, exports.seriesId)(role, key)) ?? new Map();
        const requests = series('requests');
        const minutes = [...requests.keys()]
            .filter((minute) => isComplete(minute) && minute >= window.from && (window.to === undefined || minute + exports.MINUTE_MS <= window.to))
            .sort((a, b) => a - b);
        return minutes.map((minute) => {
            // A slow-request count absent in a minute with requests is 0; a series not read at all stays absent.
            const slow = byId.has((0, exports.seriesId)(role, 'slowRequests')) ? { slowRequests: series('slowRequests').get(minute) ?? 0 } : {};
            const bucket = {
                start: minute,
                requests: requests.get(minute) ?? 0,
                errors: (series('errors5xx').get(minute) ?? 0) + (series('connectionErrors').get(minute) ?? 0),
                ...slow,
            };
            const p95Seconds = series('p95').get(minute);
            const healthy = series('healthyHosts').get(minute);
            const unhealthy = series('unhealthyHosts').get(minute);
            return {
                ...bucket,
                ...(p95Seconds === undefined ? {} : { p95Ms: Math.round(p95Seconds * 1000 * 10) / 10 }),
                ...(healthy === undefined ? {} : { healthyHosts: healthy }),
                ...(unhealthy === undefined ? {} : { unhealthyHosts: unhealthy }),
            };
        });
    };
    return {
        replacement: windows.replacement ? bucketsFor('replacement', windows.replacement) : [],
        original: windows.original ? bucketsFor('original', windows.original) : [],
    };
}
function summarize(buckets) {
    const requests = buckets.reduce((sum, b) => sum + b.requests, 0);
    const errors = buckets.reduce((sum, b) => sum + b.errors, 0);
    const p95s = buckets.map((b) => b.p95Ms).filter((p) => p !== undefined);
    return {
        minutes: buckets.length,
        requests,
        errors,
        ...(requests > 0 ? { errorRatePercent: Math.round((errors / requests) * 100_000) / 1000 } : {}),
        ...(p95s.length > 0 ? { maxP95Ms: Math.max(...p95s) } : {}),
    };
}
