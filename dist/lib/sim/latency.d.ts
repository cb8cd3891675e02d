/**
 * Request latency as a mixture of shifted log-normals, and what CloudWatch derives from a
 * minute of it: the p95 and p99 (`TargetResponseTime` p95/p99). The slow-request count (`TC(T:)`) is in slow-requests.ts.
 */
import type { Random } from './random';
export interface LatencyComponent {
    /** Share of requests in this component (components sum to 1). */
    readonly share: number;
    readonly medianMs: number;
    readonly sigma: number;
    /** Added to every request of this component, ms. */
    readonly extraMs: number;
}
/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; absolute error below 1.5e-7). */
export declare function normalCdf(z: number): number;
/** P(latency ≤ ms) under the mixture. */
export declare function latencyCdf(components: readonly LatencyComponent[], ms: number): number;
/** The q-quantile of the mixture, ms (bisection; 1 ms resolution is plenty for a bar in ms). */
export declare function latencyQuantile(components: readonly LatencyComponent[], q: number): number;
/**
 * The sample p95 and p99 of one minute of `requests` samples (order statistics, drawn from their
 * normal approximation in probability space). The slow-request count is `slowRequestsAbove`
 * (slow-requests.ts); the binomial draw that used to make it is still taken from `random` at
 * `streamThresholdMs` and dropped, so that every later draw of a seed, and every seeded figure,
 * stays as it was.
 */
export declare function sampleLatencyMinute(random: Random, components: readonly LatencyComponent[], requests: number, streamThresholdMs: number): {
    p95Ms: number | undefined;
    p99Ms: number | undefined;
};
