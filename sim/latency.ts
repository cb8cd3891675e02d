/**
 * Request latency as a mixture of shifted log-normals, and what CloudWatch derives from a
 * minute of it: the p95 and p99 (`TargetResponseTime` p95/p99). The slow-request count (`TC(T:)`) is in slow-requests.ts.
 */
import { normalCdf } from '../lambdas/core/normal';
import type { Random } from './random';

export interface LatencyComponent {
  /** Share of requests in this component (components sum to 1). */
  readonly share: number;
  readonly medianMs: number;
  readonly sigma: number;
  /** Added to every request of this component, ms. */
  readonly extraMs: number;
}

/** P(latency ≤ ms) under the mixture. */
export function latencyCdf(components: readonly LatencyComponent[], ms: number): number {
  let total = 0;
  for (const c of components) {
    const base = ms - c.extraMs;
    if (base > 0) total += c.share * normalCdf((Math.log(base) - Math.log(c.medianMs)) / c.sigma);
  }
  return total;
}

/** The q-quantile of the mixture, ms (bisection; 1 ms resolution is plenty for a bar in ms). */
export function latencyQuantile(components: readonly LatencyComponent[], q: number): number {
  let low = 0;
  let high = 1;
  while (latencyCdf(components, high) < q && high < 1e7) high *= 2;
  for (let i = 0; i < 40 && high - low > 0.5; i++) {
    const mid = (low + high) / 2;
    if (latencyCdf(components, mid) < q) low = mid;
    else high = mid;
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
export function sampleLatencyMinute(
  random: Random,
  components: readonly LatencyComponent[],
  requests: number,
  streamThresholdMs: number,
): { p95Ms: number | undefined; p99Ms: number | undefined } {
  if (requests <= 0) return { p95Ms: undefined, p99Ms: undefined };
  random.binomial(requests, 1 - latencyCdf(components, streamThresholdMs));
  const sampleQuantile = (q: number) => {
    const level = Math.min(0.9999, Math.max(0.5, q + Math.sqrt((q * (1 - q)) / requests) * random.normal()));
    return Math.round(latencyQuantile(components, level));
  };
  return { p95Ms: sampleQuantile(0.95), p99Ms: sampleQuantile(0.99) };
}
