"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WARM_UP_ERROR_ALLOWANCE = exports.INCIDENT_MIN_EXCESS = exports.INCIDENT_FACTOR = exports.MINUTE_MS = void 0;
exports.totals = totals;
exports.rolloutData = rolloutData;
exports.pairedCounts = pairedCounts;
exports.pairedErrorCounts = pairedErrorCounts;
exports.postTrafficCounts = postTrafficCounts;
exports.MINUTE_MS = 60_000;
/** A baseline minute at this many times its median rate, with … */
exports.INCIDENT_FACTOR = 4;
/** … at least this many errors above it, is a service-wide incident. */
exports.INCIDENT_MIN_EXCESS = 5;
const sum = (buckets, pick) => {
    let total = 0;
    for (const bucket of buckets)
        total += pick(bucket);
    return total;
};
function totals(buckets) {
    return { requests: sum(buckets, (b) => b.requests), errors: sum(buckets, (b) => b.errors) };
}
function rolloutData(input) {
    const rolloutStartedAt = Math.min(input.stage.rolloutStartedAt ?? input.stage.startedAt, input.stage.startedAt);
    const complete = (b) => b.start + exports.MINUTE_MS <= input.now;
    const clean = (b) => ({ ...b, errors: Math.min(b.errors, b.requests) });
    const byStart = (buckets, keep) => {
        const map = new Map();
        for (const bucket of buckets)
            if (complete(bucket) && keep(bucket))
                map.set(bucket.start, clean(bucket));
        return [...map.values()].sort((a, b) => a.start - b.start);
    };
    const canary = byStart(input.canary, (b) => b.start + exports.MINUTE_MS > rolloutStartedAt);
    const baseline = byStart(input.baseline, (b) => b.requests > 0);
    const baselineAt = new Map(baseline.map((b) => [b.start, b]));
    const postTraffic = input.stage.weight >= 100;
    const stage = canary.filter((b) => b.start >= input.stage.startedAt);
    const paired = canary.flatMap((c) => {
        const b = baselineAt.get(c.start);
        if (!b || c.requests <= 0 || (postTraffic && c.start >= input.stage.startedAt))
            return [];
        return [{ canary: c, baseline: b }];
    });
    const incidents = incidentMinutes(baseline);
    const calm = paired.filter((p) => !incidents.has(p.canary.start));
    const warm = (b) => ({ ...b, errors: countedErrors(rolloutStartedAt, b) });
    return {
        now: input.now,
        rolloutStartedAt,
        stageStartedAt: input.stage.startedAt,
        postTraffic,
        canary,
        stage,
        paired,
        baseline,
        incidents,
        pairedCanary: totals(calm.map((p) => warm(p.canary))),
        pairedBaseline: totals(calm.map((p) => p.baseline)),
        rolloutRequests: sum(canary, (b) => b.requests),
    };
}
/** Minutes in which the original's error rate spiked far above its usual (median) level. */
function incidentMinutes(baseline) {
    if (baseline.length < 4)
        return new Set();
    const rates = baseline.map((b) => b.errors / b.requests).sort((a, b) => a - b);
    const all = totals(baseline);
    const usual = rates[Math.floor(rates.length / 2)] || all.errors / all.requests;
    return new Set(baseline
        .filter((b) => b.errors - b.requests * usual >= exports.INCIDENT_MIN_EXCESS && b.errors >= exports.INCIDENT_FACTOR * b.requests * usual)
        .map((b) => b.start));
}
/**
 * The minute in which the first shift happened is the canary's warm-up: its first requests reach
 * tasks that take production load cold (JIT, connection pools, caches). In that minute (the one the
 * bake leaves out too) this many canary errors are forgiven. Fixed before the data, and a lower
 * canary count only lowers a likelihood ratio that rises with it, so every test stays valid
 * (docs/judge.md).
 */
exports.WARM_UP_ERROR_ALLOWANCE = 3;
/** A canary minute's errors counted against it: the warm-up allowance taken off in the minute of the first shift. */
function countedErrors(rolloutStartedAt, bucket) {
    return bucket.start < rolloutStartedAt ? Math.max(0, bucket.errors - exports.WARM_UP_ERROR_ALLOWANCE) : bucket.errors;
}
/**
 * Paired counts of one kind of event (errors, or slow requests where both groups report them);
 * `pickCanary` reads the canary's side when it counts differently. @default pick
 */
function pairedCounts(data, pick, pickCanary = pick) {
    return data.paired.flatMap(({ canary, baseline }) => {
        const c = pickCanary(canary);
        const b = pick(baseline);
        if (c === undefined || b === undefined)
            return [];
        return [{ canaryTrials: canary.requests, canaryEvents: Math.min(c, canary.requests), baselineTrials: baseline.requests, baselineEvents: Math.min(b, baseline.requests) }];
    });
}
/** The error test's counts: each minute's errors, the canary's with the warm-up allowance taken off. */
function pairedErrorCounts(data) {
    return pairedCounts(data, (b) => b.errors, (b) => countedErrors(data.rolloutStartedAt, b));
}
/** The post-traffic bake's canary minutes as single counts of one kind of event. */
function postTrafficCounts(data, pick) {
    if (!data.postTraffic)
        return [];
    return data.stage.flatMap((b) => {
        const events = pick(b);
        return events === undefined || b.requests <= 0 ? [] : [{ trials: b.requests, events: Math.min(events, b.requests) }];
    });
}
