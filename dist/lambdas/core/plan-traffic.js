"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TYPICAL_LATENCY_SPREAD = void 0;
exports.mergeMinutes = mergeMinutes;
exports.historyP95 = historyP95;
exports.trafficFromMinutes = trafficFromMinutes;
exports.latencyModel = latencyModel;
exports.p95RatioFor = p95RatioFor;
exports.normalCdf = normalCdf;
exports.normalQuantile = normalQuantile;
const judge_input_1 = require("./judge-input");
const stats_1 = require("./judge/stats");
/** Log-sd of a request's latency assumed when it cannot be fitted: lib/sim's default model (median 80 ms, σ 0.6). */
exports.TYPICAL_LATENCY_SPREAD = 0.6;
/** A fitted spread is kept within these bounds (a fit from a share of a few requests is rough). */
const SPREAD_BOUNDS = [0.15, 2];
/** z of the 95th percentile. */
const Z95 = 1.6448536;
/** The two target groups' minutes added up minute by minute; p95 is that of the busier group. */
function mergeMinutes(groups) {
    const byStart = new Map();
    for (const bucket of groups.flat()) {
        const seen = byStart.get(bucket.start);
        if (!seen) {
            byStart.set(bucket.start, { ...bucket });
            continue;
        }
        const slow = seen.slowRequests !== undefined || bucket.slowRequests !== undefined ? { slowRequests: (seen.slowRequests ?? 0) + (bucket.slowRequests ?? 0) } : {};
        const p95 = bucket.requests > seen.requests ? bucket.p95Ms : seen.p95Ms;
        byStart.set(bucket.start, {
            start: bucket.start, requests: seen.requests + bucket.requests, errors: seen.errors + bucket.errors, ...slow, ...(p95 !== undefined ? { p95Ms: p95 } : {}),
        });
    }
    return [...byStart.values()].sort((a, b) => a.start - b.start);
}
/** The p95 the engine sets E from (its `slowThresholdFrom` at ratio 1), undefined without one. */
function historyP95(history) {
    return (0, judge_input_1.slowThresholdFrom)(history, 1);
}
/**
 * The profile of `minutes` (merged complete minutes of the last hour) over a span of
 * `spanMinutes` minutes: a minute without a point had no requests (ALB reports counts only when
 * non-zero), so the rate is per minute of the span, not per minute with data.
 */
function trafficFromMinutes(minutes, spanMinutes, p95Ms) {
    const requests = minutes.reduce((s, b) => s + b.requests, 0);
    const errors = minutes.reduce((s, b) => s + Math.min(b.errors, b.requests), 0);
    const measured = minutes.filter((b) => b.slowRequests !== undefined);
    const measuredRequests = measured.reduce((s, b) => s + b.requests, 0);
    const extra = (0, stats_1.relativeExtraVariance)(minutes.map((b) => ({ trials: b.requests, events: b.errors })));
    return {
        source: 'cloudwatch',
        minutes: spanMinutes,
        requests,
        errors,
        requestsPerMinute: spanMinutes > 0 ? requests / spanMinutes : 0,
        errorRate: requests > 0 ? errors / requests : 0,
        ...(p95Ms !== undefined && requests > 0 ? { p95Ms } : {}),
        ...(measuredRequests > 0 ? { slowShare: measured.reduce((s, b) => s + b.slowRequests, 0) / measuredRequests } : {}),
        ...(extra !== undefined ? { errorExtraVariance: extra } : {}),
    };
}
/**
 * With the original's latency log-normal (p95 as measured, log-sd σ), the share above
 * E = ratio × p95 is 1 − Φ(z95 + ln(ratio)/σ). A measured share fixes σ (when ratio > 1 and the
 * share lies below 5%); otherwise σ is `TYPICAL_LATENCY_SPREAD` and the share follows from it.
 */
function latencyModel(p95Ms, maxLatencyRatio, measuredShare, measuredAboveMs) {
    const slowThresholdMs = measuredAboveMs ?? Math.round(p95Ms * maxLatencyRatio * 10) / 10;
    const logRatio = Math.log(maxLatencyRatio);
    if (measuredShare !== undefined && logRatio > 0 && measuredShare > 0 && measuredShare < 0.05) {
        const fit = logRatio / (normalQuantile(1 - measuredShare) - Z95);
        const spread = Math.min(SPREAD_BOUNDS[1], Math.max(SPREAD_BOUNDS[0], fit));
        return { slowThresholdMs, baselineSlowShare: measuredShare, spread, fitted: true };
    }
    const spread = exports.TYPICAL_LATENCY_SPREAD;
    const modelled = 1 - normalCdf(Z95 + logRatio / spread);
    return { slowThresholdMs, baselineSlowShare: measuredShare ?? modelled, spread, fitted: false };
}
/**
 * The canary's p95 ÷ the original's when a share `slowShare` of its requests is slower than E,
 * the canary being the original's distribution scaled (same σ): ratio × exp(σ·(z95 − Φ⁻¹(1 − s))).
 */
function p95RatioFor(slowShare, maxLatencyRatio, spread) {
    const s = Math.min(Math.max(slowShare, 1e-9), 1 - 1e-9);
    return maxLatencyRatio * Math.exp(spread * (Z95 - normalQuantile(1 - s)));
}
/** Φ, by the complementary error function (Numerical Recipes erfcc, |relative error| < 1.2e-7). */
function normalCdf(z) {
    const x = Math.abs(z) / Math.SQRT2;
    const t = 1 / (1 + 0.5 * x);
    const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
/** Φ⁻¹ (Acklam's rational approximation, relative error < 1.2e-9), for p in (0, 1). */
function normalQuantile(p) {
    const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
    const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
    const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
    const low = 0.02425;
    if (p < low) {
        const q = Math.sqrt(-2 * Math.log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low)
        return -normalQuantile(1 - p);
    const q = p - 0.5;
    const r = q * q;
    return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
