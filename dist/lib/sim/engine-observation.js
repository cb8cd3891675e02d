"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tickRead = tickRead;
exports.metricQueries = metricQueries;
exports.observedBuckets = observedBuckets;
exports.metricData = metricData;
exports.tickBuckets = tickBuckets;
/**
 * What the Tick sees of a simulated service: the same reads (`metricReads`), the same queries
 * (`seriesFor`/`seriesId`/`slowRequestStat`, as lambdas/aws/cloudwatch.ts `buildMetricQueries`
 * builds them), answered by `simulatedMetricData` as `readMetrics` returns them, and turned into
 * minute buckets by the Tick's own `toMinuteBuckets`. `canary simulate` and `bench:judge` use it,
 * so both hand the judge what production would (test/e2e/judge-input-parity.test.ts proves it).
 * No AWS SDK import: the query is described by its fields, not a `MetricDataQuery`.
 */
const controller_1 = require("../../lambdas/core/controller");
const observation_1 = require("../../lambdas/core/observation");
const cloudwatch_1 = require("./cloudwatch");
const traffic_1 = require("./traffic");
/** The read the Tick makes for a controller state at `now` (lambdas/handlers/tick.ts `readMinutes`). */
function tickRead(state, now) {
    return {
        reads: (0, controller_1.metricReads)(state, now),
        purpose: state.status === 'starting' ? 'history' : 'judge',
        ...(state.rollout?.slowThresholdMs !== undefined ? { slowThresholdMs: state.rollout.slowThresholdMs } : {}),
    };
}
const ROLES = ['replacement', 'original'];
/**
 * The queries of one read: per role read, the series `seriesFor` names, 60-second periods, one
 * window for all of them (from the earliest role's `from` to `now`, as the Tick asks).
 */
function metricQueries(read, now) {
    const roles = ROLES.filter((role) => read.reads[role] !== undefined);
    if (roles.length === 0)
        return [];
    const from = Math.min(...roles.map((role) => read.reads[role].from));
    return roles.flatMap((role) => (0, observation_1.seriesFor)(role, read.purpose, read.slowThresholdMs).map((series) => ({
        id: (0, observation_1.seriesId)(role, series.key),
        group: role === 'replacement' ? 'canary' : 'baseline',
        metricName: series.metricName,
        stat: series.stat === 'TC(T:)' ? (0, observation_1.slowRequestStat)(read.slowThresholdMs) : series.stat,
        startTime: from,
        endTime: now,
        period: 60,
    })));
}
/** The minute buckets a read returns at `now` from the simulated minutes (empty roles when nothing is read). */
function observedBuckets(minutes, now, read, options) {
    const queries = metricQueries(read, now);
    if (queries.length === 0)
        return { replacement: [], original: [] };
    return (0, observation_1.toMinuteBuckets)(metricData(minutes, now, queries, options), now, read.reads);
}
/** Per delay model (the options object) and minute: when it is complete, and its answer to each query (null: no point) from then on. */
const published = new WeakMap();
/**
 * `simulatedMetricData` for 60-second queries, remembering the answers of fully published minutes
 * (a tick re-reads the whole rollout, but only its newest minutes can still change). The same
 * result as calling it directly: one-minute periods are answered minute by minute.
 */
function metricData(minutes, now, queries, options) {
    if (queries.some((q) => (q.period ?? 60) !== 60))
        return (0, cloudwatch_1.simulatedMetricData)(minutes, now, queries, options);
    const live = (0, cloudwatch_1.simulatedMetricData)(minutes.filter((m) => m.start + traffic_1.MINUTE_MS <= now && publishedOf(m, options).at > now), now, queries, options);
    return queries.map((query, i) => {
        const startTime = Math.floor(query.startTime / traffic_1.MINUTE_MS) * traffic_1.MINUTE_MS;
        const endTime = Math.max(Math.ceil(query.endTime / traffic_1.MINUTE_MS) * traffic_1.MINUTE_MS, startTime + traffic_1.MINUTE_MS);
        const key = `${query.group}|${query.metricName}|${query.stat}`;
        const timestamps = [];
        const values = [];
        const fresh = live[i];
        let j = 0;
        for (const minute of minutes) {
            if (minute.start < startTime || minute.start >= endTime || minute.start + traffic_1.MINUTE_MS > now)
                continue;
            const entry = publishedOf(minute, options);
            if (entry.at > now) {
                // Not yet complete: the live answer (oldest first, like the minutes).
                while (j < fresh.timestamps.length && fresh.timestamps[j] < minute.start)
                    j++;
                if (j < fresh.timestamps.length && fresh.timestamps[j] === minute.start) {
                    timestamps.push(minute.start);
                    values.push(fresh.values[j]);
                }
                continue;
            }
            let value = entry.values.get(key);
            if (value === undefined) {
                const [one] = (0, cloudwatch_1.simulatedMetricData)([minute], now, [{ ...query, startTime: minute.start, endTime: minute.start + traffic_1.MINUTE_MS }], options);
                value = one.values.length ? one.values[0] : null;
                entry.values.set(key, value);
            }
            if (value !== null) {
                timestamps.push(minute.start);
                values.push(value);
            }
        }
        return { id: query.id, timestamps, values };
    });
}
function publishedOf(minute, options) {
    let byMinute = published.get(options);
    if (!byMinute) {
        byMinute = new WeakMap();
        published.set(options, byMinute);
    }
    let entry = byMinute.get(minute);
    if (!entry) {
        entry = { at: (0, cloudwatch_1.publishedAt)(minute.start, options), values: new Map() };
        byMinute.set(minute, entry);
    }
    return entry;
}
/** The buckets the Tick would see for `state` at `now`: on a starting tick the original's history, later the whole rollout. */
function tickBuckets(minutes, state, now, options) {
    return observedBuckets(minutes, now, tickRead(state, now), options);
}
