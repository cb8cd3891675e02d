/**
 * Request latency as a mixture of shifted log-normals, and what CloudWatch derives from a
 * minute of it: the p95 and p99 (`TargetResponseTime` p95/p99) and the slow-request count (`TC(T:)`).
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
 * One minute of `requests` samples: how many exceed `slowThresholdMs`, and the sample p95 and
 * p99 (order statistics, drawn from their normal approximation in probability space).
 */
export declare function sampleLatencyMinute(random: Random, components: readonly LatencyComponent[], requests: number, slowThresholdMs: number): {
    slowRequests: number;
    p95Ms: number | undefined;
    p99Ms: number | undefined;
};
