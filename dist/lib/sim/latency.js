"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.normalCdf = normalCdf;
exports.latencyCdf = latencyCdf;
exports.latencyQuantile = latencyQuantile;
exports.sampleLatencyMinute = sampleLatencyMinute;
/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; absolute error below 1.5e-7). */
function normalCdf(z) {
    const x = Math.abs(z) / Math.SQRT2;
    const t = 1 / (1 + 0.3275911 * x);
    const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
/** P(latency ≤ ms) under the mixture. */
function latencyCdf(components, ms) {
    let total = 0;
    for (const c of components) {
        const base = ms - c.extraMs;
        if (base > 0)
            total += c.share * normalCdf((Math.log(base) - Math.log(c.medianMs)) / c.sigma);
    }
    return total;
}
/** The q-quantile of the mixture, ms (bisection; 1 ms resolution is plenty for a bar in ms). */
function latencyQuantile(components, q) {
    let low = 0;
    let high = 1;
    while (latencyCdf(components, high) < q && high < 1e7)
        high *= 2;
    for (let i = 0; i < 40 && high - low > 0.5; i++) {
        const mid = (low + high) / 2;
        if (latencyCdf(components, mid) < q)
            low = mid;
        else
            high = mid;
    }
    return (low + high) / 2;
}
/**
 * The sample p95 and p99 of one minute of `requests` samples (order statistics, drawn from their
 * normal approximation in probability space). The slow-request count is `slowRequestsAbove`
 * (slow-requests.ts); the binomial draw that used to make it is still taken from `random` at
 * `streamThresholdMs` and dropped, so that every later draw of a seed, and every seeded figure,
 * stays as it was.
 */
function sampleLatencyMinute(random, components, requests, streamThresholdMs) {
    if (requests <= 0)
        return { p95Ms: undefined, p99Ms: undefined };
    random.binomial(requests, 1 - latencyCdf(components, streamThresholdMs));
    const sampleQuantile = (q) => {
        const level = Math.min(0.9999, Math.max(0.5, q + Math.sqrt((q * (1 - q)) / requests) * random.normal()));
        return Math.round(latencyQuantile(components, level));
    };
    return { p95Ms: sampleQuantile(0.95), p99Ms: sampleQuantile(0.99) };
}
