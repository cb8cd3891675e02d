/**
 * `TargetResponseTime` `TC(T:)` of a simulated minute for any threshold T: the count of its
 * requests slower than T. One uniform per group-minute is pushed through the inverse CDF of
 * Binomial(requests, 1 − F(T)) (quantile coupling), so the count is exact in distribution for
 * every T, the same every time it is asked, and never grows as T grows. Derivation:
 * docs/simulation-slow-requests.md.
 */
import { LatencyComponent } from './latency';
import { type GroupMinute } from './traffic';
/** Below this mean (of slow or of fast requests) the quantile is summed exactly; above, normal. */
export declare const EXACT_BINOMIAL_MEAN = 100;
/**
 * Inverse standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9),
 * for u in (0, 1).
 */
export declare function normalQuantile(u: number): number;
/**
 * The u-quantile of Binomial(n, p): min{k : P(X ≤ k) ≥ u}. Exact when the mean of slow or of
 * fast requests is at most EXACT_BINOMIAL_MEAN; otherwise the continuity-corrected normal
 * quantile, clamped between the exact quantiles at the two switch-over points so that the result
 * stays non-decreasing in p for a fixed u (the normal one is monotone there: its sd is ≥ 7).
 * No recursion, O(EXACT_BINOMIAL_MEAN) work whatever n.
 */
export declare function binomialQuantile(n: number, p: number, u: number): number;
/**
 * Requests of this group-minute slower than `thresholdMs` (`TC(T:)` with T = thresholdMs / 1000):
 * a deterministic function of the minute's `latencyUniform` and T, non-increasing in T,
 * distributed as Binomial(requests, 1 − F(T)) with F the minute's latency distribution.
 */
export declare function slowRequestsAbove(group: Pick<GroupMinute, 'requests' | 'latency' | 'latencyUniform'>, thresholdMs: number): number;
/**
 * The latency distribution of the pooled requests of several group-minutes: each minute's
 * components weighted by its share of the requests (what a p95 over a longer period describes).
 * Minutes without requests contribute nothing; empty when none has requests.
 */
export declare function pooledLatency(groups: ReadonlyArray<Pick<GroupMinute, 'requests' | 'latency'>>): LatencyComponent[];
