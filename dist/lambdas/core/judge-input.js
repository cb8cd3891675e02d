"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HISTORY_MS = void 0;
exports.judgedWindows = judgedWindows;
exports.historyWindow = historyWindow;
exports.buildJudgeInput = buildJudgeInput;
exports.slowThresholdFrom = slowThresholdFrom;
exports.metricReads = metricReads;
const observation_1 = require("./observation");
/** The original's history read when the rollout starts: this many minutes before the first shift. */
exports.HISTORY_MS = 60 * observation_1.MINUTE_MS;
/** The minutes a judging tick reads: the replacement since the first shift, the original from its history on. */
function judgedWindows(rollout) {
    return { replacement: { from: rollout.startedAt - observation_1.MINUTE_MS }, original: { from: rollout.startedAt - exports.HISTORY_MS } };
}
/** The read at a window's start: the original's history alone (requests and p95, for E). */
function historyWindow(now) {
    return { original: { from: now - exports.HISTORY_MS, to: now } };
}
function buildJudgeInput(buckets, context) {
    const { rollout, stage } = context;
    return {
        now: context.now,
        stage: {
            weight: stage.weight,
            startedAt: stage.startedAt,
            minBakeMs: stage.bakeMinutes * observation_1.MINUTE_MS,
            holdLimitMs: stage.holdLimitMs,
            rolloutStartedAt: Math.min(rollout.startedAt, stage.startedAt),
            final: stage.final,
        },
        canary: buckets.replacement.filter((b) => b.start + observation_1.MINUTE_MS > rollout.startedAt),
        baseline: buckets.original.filter((b) => b.start >= rollout.startedAt - exports.HISTORY_MS),
        ...(rollout.slowThresholdMs !== undefined ? { slowThresholdMs: rollout.slowThresholdMs } : {}),
        ...(context.canaryTargets ? { canaryTargets: context.canaryTargets } : {}),
    };
}
/**
 * E = ratio × the original's p95 over its history: the request-weighted median of its minutes'
 * p95 (a minute's p95 is the 95th percentile of that minute's requests; weighting by requests
 * keeps quiet minutes from pulling it). Undefined without a minute that has a p95.
 */
function slowThresholdFrom(history, maxLatencyRatio) {
    const minutes = history.filter((b) => b.p95Ms !== undefined && b.p95Ms > 0 && b.requests > 0)
        .map((b) => ({ p95: b.p95Ms, weight: b.requests }))
        .sort((a, b) => a.p95 - b.p95);
    const total = minutes.reduce((sum, m) => sum + m.weight, 0);
    if (total === 0)
        return undefined;
    let seen = 0;
    for (const m of minutes) {
        seen += m.weight;
        if (seen >= total / 2)
            return Math.round(m.p95 * maxLatencyRatio * 10) / 10;
    }
    return undefined;
}
/**
 * What a tick reads from CloudWatch. A window's first tick: the original's last hour (for E, if
 * no earlier window recorded the rollout). Every later tick: both groups from the rollout's first
 * shift on and the original's hour before it, since every rollback test counts every minute of
 * the rollout (recomputed from CloudWatch each tick rather than carried in the state: the cost is
 * per metric requested, not per minute returned).
 */
function metricReads(state, now) {
    if (state.status === 'done')
        return {};
    if (state.status === 'starting' || state.rollout === undefined)
        return historyWindow(now);
    return judgedWindows(state.rollout);
}
