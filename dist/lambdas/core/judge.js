"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JudgeInputError = exports.DEFAULT_PROMOTE_ALPHA = exports.DEFAULT_ALPHA = void 0;
exports.judge = judge;
/**
 * The judge: promote, hold or roll back a canary stage from canary-vs-baseline minute buckets.
 *
 * Algorithm (`shared/design/judge.md`): an anytime-valid sequential mixture likelihood-ratio test
 * on error counts, conditional on each minute's total errors (shared shocks cancel, zero-error
 * baselines work), with per-minute factors capped at 20 and the log-evidence divided by the
 * baseline's measured dispersion; the same test on slow-request counts against the tolerated
 * latency ratio, sustained 3 minutes; a catastrophe rule; the policy's absolute bars; target
 * health. A promotion needs the bake, the minimum requests, an always-valid upper bound on the
 * canary's error rate within the tolerated increase, and clean latency and health. Otherwise the
 * judge holds, and rolls back "insufficient evidence" once the hold limit after the bake expires.
 *
 * Pure: no AWS imports, no clock (`now` is an input). Deterministic and cheap to run every minute.
 */
const checks_1 = require("./judge/checks");
const promotion_1 = require("./judge/promotion");
const format_1 = require("./judge/format");
/** Default false-rollback probability per stage (≈ 1% per three-stage rollout). */
exports.DEFAULT_ALPHA = 0.0033;
/** Default probability that the promotion bound passes a canary worse than tolerated. */
exports.DEFAULT_PROMOTE_ALPHA = 0.05;
/** Bad judge input or policy; names the field, the value and what is accepted. */
class JudgeInputError extends Error {
    field;
    constructor(message, field, options) {
        super(message, options);
        this.field = field;
        this.name = 'JudgeInputError';
    }
}
exports.JudgeInputError = JudgeInputError;
/**
 * Decides a stage. Throws `JudgeInputError` on malformed input (negative or non-finite counts,
 * a policy out of range); never on sparse or missing data, which it treats as "hold".
 */
function judge(input, policy) {
    validate(input, policy);
    const thresholds = {
        alpha: policy.alpha ?? exports.DEFAULT_ALPHA,
        promoteAlpha: policy.promoteAlpha ?? exports.DEFAULT_PROMOTE_ALPHA,
        maxErrorRate: policy.maxErrorRatePercent / 100,
        maxP95Ms: policy.maxP95Ms,
        minRequests: policy.minRequests,
        maxErrorIncrease: policy.maxErrorIncreasePp / 100,
        maxLatencyRatio: policy.maxLatencyRatio,
    };
    const data = (0, checks_1.stageData)(input);
    const reasons = [
        (0, checks_1.errorCheck)(data, thresholds),
        (0, checks_1.catastropheCheck)(data),
        (0, checks_1.errorRateBarCheck)(data, thresholds),
        (0, checks_1.p95BarCheck)(data, thresholds),
        (0, checks_1.latencyCheck)(data, thresholds),
        (0, checks_1.healthCheck)(input, data),
        (0, checks_1.bakeCheck)(input),
        (0, checks_1.minRequestsCheck)(data, thresholds),
        (0, promotion_1.errorBoundCheck)(data, thresholds),
    ];
    const failed = reasons.filter((r) => r.status === 'fail');
    if (failed.length > 0) {
        return { decision: 'rollback', reasons, summary: `rollback: ${failed.map((r) => r.detail).join(' ')}` };
    }
    const holding = reasons.filter((r) => r.status === 'hold');
    if (holding.length === 0) {
        return {
            decision: 'promote', reasons,
            summary: `promote: ${data.canaryRequests} canary requests over ${(0, format_1.duration)(input.now - input.stage.startedAt)}, ${reasons.find((r) => r.check === 'error-bound')?.detail}`,
        };
    }
    const limitAt = input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs;
    const waiting = holding.map((r) => r.detail).join(' ');
    if (input.now >= limitAt) {
        const expired = {
            check: 'hold-limit', status: 'fail',
            observed: `held ${(0, format_1.duration)(input.now - input.stage.startedAt - input.stage.minBakeMs)} after the bake`,
            bar: `≤ ${(0, format_1.duration)(input.stage.holdLimitMs)}`,
            detail: `insufficient evidence: after ${(0, format_1.duration)(input.now - input.stage.startedAt)} at ${input.stage.weight}% the canary `
                + `served ${data.canaryRequests} requests, still not enough to promote (${waiting}) `
                + `Hint: a service this quiet needs a larger first step or longer bakes.`,
        };
        reasons.push(expired);
        return { decision: 'rollback', reasons, summary: `rollback: ${expired.detail}` };
    }
    return {
        decision: 'hold', reasons,
        summary: `hold (${(0, format_1.duration)(limitAt - input.now)} left before the hold limit): ${waiting}`,
    };
}
function validate(input, policy) {
    const finite = (field, value, accepted, ok) => {
        if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
            throw new JudgeInputError(`${field} is ${JSON.stringify(value)}; accepted: ${accepted}`, field);
        }
    };
    const nonNegative = (v) => v >= 0;
    finite('now', input.now, 'epoch milliseconds', nonNegative);
    finite('stage.weight', input.stage?.weight, 'a percentage from 0 to 100', (v) => v >= 0 && v <= 100);
    finite('stage.startedAt', input.stage.startedAt, 'epoch milliseconds', nonNegative);
    finite('stage.minBakeMs', input.stage.minBakeMs, 'milliseconds ≥ 0', nonNegative);
    finite('stage.holdLimitMs', input.stage.holdLimitMs, 'milliseconds ≥ 0', nonNegative);
    const buckets = (group, list) => {
        if (!Array.isArray(list))
            throw new JudgeInputError(`${group} is ${JSON.stringify(list)}; accepted: an array of minute buckets`, group);
        list.forEach((b, i) => {
            const at = `${group}[${i}]`;
            finite(`${at}.start`, b.start, 'epoch milliseconds', nonNegative);
            finite(`${at}.requests`, b.requests, 'a count ≥ 0', nonNegative);
            finite(`${at}.errors`, b.errors, 'a count ≥ 0', nonNegative);
            for (const key of ['slowRequests', 'p95Ms', 'healthyHosts', 'unhealthyHosts']) {
                if (b[key] !== undefined)
                    finite(`${at}.${key}`, b[key], 'a number ≥ 0 or absent', nonNegative);
            }
        });
    };
    buckets('canary', input.canary);
    buckets('baseline', input.baseline);
    if (input.canaryTargets) {
        finite('canaryTargets.healthy', input.canaryTargets.healthy, 'a count ≥ 0', nonNegative);
        finite('canaryTargets.unhealthy', input.canaryTargets.unhealthy, 'a count ≥ 0', nonNegative);
    }
    finite('policy.maxErrorRatePercent', policy.maxErrorRatePercent, 'a percentage above 0 and at most 100', (v) => v > 0 && v <= 100);
    finite('policy.maxP95Ms', policy.maxP95Ms, 'milliseconds above 0', (v) => v > 0);
    finite('policy.minRequests', policy.minRequests, 'a whole number ≥ 0', (v) => v >= 0 && Number.isInteger(v));
    finite('policy.maxErrorIncreasePp', policy.maxErrorIncreasePp, 'percentage points from 0 to 100', (v) => v >= 0 && v <= 100);
    finite('policy.maxLatencyRatio', policy.maxLatencyRatio, 'a ratio ≥ 1 (1.5 tolerates a 1.5× slower tail)', (v) => v >= 1);
    if (policy.alpha !== undefined)
        finite('policy.alpha', policy.alpha, 'a probability between 0 and 1 exclusive', (v) => v > 0 && v < 1);
    if (policy.promoteAlpha !== undefined)
        finite('policy.promoteAlpha', policy.promoteAlpha, 'a probability between 0 and 1 exclusive', (v) => v > 0 && v < 1);
}
