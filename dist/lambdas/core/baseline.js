"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metricWindows = metricWindows;
exports.metricReads = metricReads;
exports.averageBaseline = averageBaseline;
exports.baselinePerMinute = baselinePerMinute;
exports.observeBaseline = observeBaseline;
const observation_1 = require("./observation");
const rollout_state_1 = require("./rollout-state");
/**
 * The minutes a tick must read for each role (the original is the baseline): whole minutes of the
 * current stage, so the minute in which the shift happened (mixed weights) is left out.
 */
function metricWindows(state, now) {
    const stageStart = state.stageStartedAt ?? now;
    if (state.config.postTrafficBakeMinutes > 0) {
        const baseline = state.baseline ?? { from: state.startedAt - rollout_state_1.BASELINE_LOOKBACK_MS, to: state.startedAt };
        return { replacement: { from: stageStart }, original: { from: baseline.from, to: baseline.to } };
    }
    return { replacement: { from: stageStart }, original: { from: stageStart } };
}
/**
 * What a tick reads from CloudWatch: `metricWindows` less what cannot change the verdict, since
 * GetMetricData is billed per metric requested. No read while no whole minute of the stage can
 * be complete yet (the read could only come back empty, which is what the tick then passes on);
 * in the post-traffic bake, once the baseline's totals are settled (`BASELINE_SETTLE_MS`), only
 * the replacement is read and the judge uses the totals kept in the state.
 */
function metricReads(state, now) {
    const windows = metricWindows(state, now);
    if (!(0, observation_1.completeMinuteCanExist)(windows.replacement.from, now))
        return {};
    if (state.config.postTrafficBakeMinutes > 0 && state.baseline?.settledAt !== undefined)
        return { replacement: windows.replacement };
    return windows;
}
/**
 * At 100% the original serves nothing, so the baseline is the original's minutes before
 * AllowTraffic. The judge pairs minutes by start time; each canary minute is paired with the
 * baseline's average minute (its requests and errors divided by its minutes), so the earlier
 * baseline counts once in total, not once per canary minute.
 */
function averageBaseline(canary, baseline) {
    return baselinePerMinute(canary, { summary: (0, observation_1.summarize)(baseline), slowRequests: slowOf(baseline) });
}
/** `averageBaseline` from the baseline's totals as kept in the state. */
function baselinePerMinute(canary, baseline) {
    const total = baseline?.summary;
    if (total === undefined || total.minutes === 0)
        return [];
    return canary.map((c) => ({
        start: c.start,
        requests: total.requests / total.minutes,
        errors: total.errors / total.minutes,
        slowRequests: (baseline?.slowRequests ?? 0) / total.minutes,
    }));
}
const slowOf = (buckets) => buckets.reduce((sum, b) => sum + (b.slowRequests ?? 0), 0);
/**
 * The post-traffic baseline after this tick's read. Settled totals stay as they are (the
 * original was not read). Otherwise the totals of what was read replace the earlier ones; an
 * empty read (not read this tick, or nothing published yet) keeps them. Totals read at least
 * `BASELINE_SETTLE_MS` after the window ended are settled.
 */
function observeBaseline(baseline, original, now) {
    if (baseline.settledAt !== undefined || original.length === 0)
        return baseline;
    return {
        ...baseline,
        summary: (0, observation_1.summarize)(original),
        slowRequests: slowOf(original),
        ...(now >= baseline.to + rollout_state_1.BASELINE_SETTLE_MS ? { settledAt: now } : {}),
    };
}
