"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXACT_BINOMIAL_MEAN = void 0;
exports.normalQuantile = normalQuantile;
exports.binomialQuantile = binomialQuantile;
exports.slowRequestsAbove = slowRequestsAbove;
exports.pooledLatency = pooledLatency;
/**
 * `TargetResponseTime` `TC(T:)` of a simulated minute for any threshold T: the count of its
 * requests slower than T. One uniform per group-minute is pushed through the inverse CDF of
 * Binomial(requests, 1 − F(T)) (quantile coupling), so the count is exact in distribution for
 * every T, the same every time it is asked, and never grows as T grows. Derivation:
 * docs/simulation-slow-requests.md.
 */
const latency_1 = require("./latency");
const traffic_1 = require("./traffic");
/** Below this mean (of slow or of fast requests) the quantile is summed exactly; above, normal. */
exports.EXACT_BINOMIAL_MEAN = 100;
/**
 * Inverse standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9),
 * for u in (0, 1).
 */
function normalQuantile(u) {
    const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
    const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (u < 0.02425)
        return tail(Math.sqrt(-2 * Math.log(u)));
    if (u > 1 - 0.02425)
        return -tail(Math.sqrt(-2 * Math.log(1 - u)));
    const q = u - 0.5;
    const r = q * q;
    return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
/** Smallest k with P(Bin(n, p) ≤ k) ≥ u, summing the pmf up from 0 (for small means). */
function quantileFromBelow(n, p, u) {
    let pmf = Math.exp(n * Math.log1p(-p));
    let cdf = 0;
    const ratio = p / (1 - p);
    for (let k = 0; k < n; k++) {
        cdf += pmf;
        if (cdf >= u)
            return k;
        pmf *= ((n - k) / (k + 1)) * ratio;
        if (pmf === 0 && k > n * p)
            return k + 1; // rounding kept the sum a hair below u
    }
    return n;
}
/** The same quantile when the fast requests F = n − X ~ Bin(n, 1 − p) have a small mean. */
function quantileFromAbove(n, p, u) {
    // X ≤ k ⇔ F ≥ n − k, so the answer is n − min{j : P(F ≤ j) > 1 − u}.
    const q = 1 - p;
    const limit = 1 - u;
    let pmf = Math.exp(n * Math.log1p(-q));
    let cdf = 0;
    const ratio = q / (1 - q);
    for (let j = 0; j < n; j++) {
        cdf += pmf;
        if (cdf > limit)
            return n - j;
        pmf *= ((n - j) / (j + 1)) * ratio;
        if (pmf === 0 && j > n * q)
            return n - j - 1;
    }
    return 0;
}
/**
 * The u-quantile of Binomial(n, p): min{k : P(X ≤ k) ≥ u}. Exact when the mean of slow or of
 * fast requests is at most EXACT_BINOMIAL_MEAN; otherwise the continuity-corrected normal
 * quantile, clamped between the exact quantiles at the two switch-over points so that the result
 * stays non-decreasing in p for a fixed u (the normal one is monotone there: its sd is ≥ 7).
 * No recursion, O(EXACT_BINOMIAL_MEAN) work whatever n.
 */
function binomialQuantile(n, p, u) {
    if (!(n > 0) || !(p > 0))
        return 0;
    if (p >= 1)
        return n;
    const slowMean = n * p;
    const fastMean = n * (1 - p);
    // Sum from the side with the smaller mean: its first term, (1 − p)^n or p^n, stays above e^-139.
    if (p <= 0.5 && slowMean <= exports.EXACT_BINOMIAL_MEAN)
        return quantileFromBelow(n, p, u);
    if (p > 0.5 && fastMean <= exports.EXACT_BINOMIAL_MEAN)
        return quantileFromAbove(n, p, u);
    const normal = Math.ceil(slowMean + Math.sqrt(slowMean * (1 - p)) * normalQuantile(u) - 0.5);
    const low = quantileFromBelow(n, exports.EXACT_BINOMIAL_MEAN / n, u);
    const high = quantileFromAbove(n, 1 - exports.EXACT_BINOMIAL_MEAN / n, u);
    return Math.min(high, Math.max(low, normal));
}
/**
 * Requests of this group-minute slower than `thresholdMs` (`TC(T:)` with T = thresholdMs / 1000):
 * a deterministic function of the minute's `latencyUniform` and T, non-increasing in T,
 * distributed as Binomial(requests, 1 − F(T)) with F the minute's latency distribution.
 */
function slowRequestsAbove(group, thresholdMs) {
    if (Number.isNaN(thresholdMs))
        throw new traffic_1.SimulationError('slow-request threshold is NaN; accepted: a latency in ms');
    const slowShare = 1 - (0, latency_1.latencyCdf)(group.latency, thresholdMs);
    return binomialQuantile(group.requests, Math.min(1, Math.max(0, slowShare)), group.latencyUniform);
}
/**
 * The latency distribution of the pooled requests of several group-minutes: each minute's
 * components weighted by its share of the requests (what a p95 over a longer period describes).
 * Minutes without requests contribute nothing; empty when none has requests.
 */
function pooledLatency(groups) {
    let total = 0;
    for (const g of groups)
        total += g.requests;
    if (!(total > 0))
        return [];
    const pooled = [];
    for (const g of groups) {
        if (g.requests <= 0)
            continue;
        for (const c of g.latency)
            pooled.push({ ...c, share: (c.share * g.requests) / total });
    }
    return pooled;
}
