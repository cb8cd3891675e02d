/**
 * `TargetResponseTime` `TC(T:)` of a simulated minute for any threshold T: the count of its
 * requests slower than T. One uniform per group-minute is pushed through the inverse CDF of
 * Binomial(requests, 1 − F(T)) (quantile coupling), so the count is exact in distribution for
 * every T, the same every time it is asked, and never grows as T grows. Derivation:
 * docs/simulation-slow-requests.md.
 */
import { normalQuantile } from '../lambdas/core/normal';
import { latencyCdf, LatencyComponent } from './latency';
import { type GroupMinute, SimulationError } from './sim-minute';

/** Below this mean (of slow or of fast requests) the quantile is summed exactly; above, normal. */
export const EXACT_BINOMIAL_MEAN = 100;

/** Smallest k with P(Bin(n, p) ≤ k) ≥ u, summing the pmf up from 0 (for small means). */
function quantileFromBelow(n: number, p: number, u: number): number {
  let pmf = Math.exp(n * Math.log1p(-p));
  let cdf = 0;
  const ratio = p / (1 - p);
  for (let k = 0; k < n; k++) {
    cdf += pmf;
    if (cdf >= u) return k;
    pmf *= ((n - k) / (k + 1)) * ratio;
    if (pmf === 0 && k > n * p) return k + 1; // rounding kept the sum a hair below u
  }
  return n;
}

/** The same quantile when the fast requests F = n − X ~ Bin(n, 1 − p) have a small mean. */
function quantileFromAbove(n: number, p: number, u: number): number {
  // X ≤ k ⇔ F ≥ n − k, so the answer is n − min{j : P(F ≤ j) > 1 − u}.
  const q = 1 - p;
  const limit = 1 - u;
  let pmf = Math.exp(n * Math.log1p(-q));
  let cdf = 0;
  const ratio = q / (1 - q);
  for (let j = 0; j < n; j++) {
    cdf += pmf;
    if (cdf > limit) return n - j;
    pmf *= ((n - j) / (j + 1)) * ratio;
    if (pmf === 0 && j > n * q) return n - j - 1;
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
export function binomialQuantile(n: number, p: number, u: number): number {
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  const slowMean = n * p;
  const fastMean = n * (1 - p);
  // Sum from the side with the smaller mean: its first term, (1 − p)^n or p^n, stays above e^-139.
  if (p <= 0.5 && slowMean <= EXACT_BINOMIAL_MEAN) return quantileFromBelow(n, p, u);
  if (p > 0.5 && fastMean <= EXACT_BINOMIAL_MEAN) return quantileFromAbove(n, p, u);
  const normal = Math.ceil(slowMean + Math.sqrt(slowMean * (1 - p)) * normalQuantile(u) - 0.5);
  const low = quantileFromBelow(n, EXACT_BINOMIAL_MEAN / n, u);
  const high = quantileFromAbove(n, 1 - EXACT_BINOMIAL_MEAN / n, u);
  return Math.min(high, Math.max(low, normal));
}

/**
 * Requests of this group-minute slower than `thresholdMs` (`TC(T:)` with T = thresholdMs / 1000):
 * a deterministic function of the minute's `latencyUniform` and T, non-increasing in T,
 * distributed as Binomial(requests, 1 − F(T)) with F the minute's latency distribution.
 */
export function slowRequestsAbove(group: Pick<GroupMinute, 'requests' | 'latency' | 'latencyUniform'>, thresholdMs: number): number {
  if (Number.isNaN(thresholdMs)) throw new SimulationError('slow-request threshold is NaN; accepted: a latency in ms');
  const slowShare = 1 - latencyCdf(group.latency, thresholdMs);
  return binomialQuantile(group.requests, Math.min(1, Math.max(0, slowShare)), group.latencyUniform);
}

/**
 * The latency distribution of the pooled requests of several group-minutes: each minute's
 * components weighted by its share of the requests (what a p95 over a longer period describes).
 * Minutes without requests contribute nothing; empty when none has requests.
 */
export function pooledLatency(groups: ReadonlyArray<Pick<GroupMinute, 'requests' | 'latency'>>): LatencyComponent[] {
  let total = 0;
  for (const g of groups) total += g.requests;
  if (!(total > 0)) return [];
  const pooled: LatencyComponent[] = [];
  for (const g of groups) {
    if (g.requests <= 0) continue;
    for (const c of g.latency) pooled.push({ ...c, share: (c.share * g.requests) / total });
  }
  return pooled;
}
