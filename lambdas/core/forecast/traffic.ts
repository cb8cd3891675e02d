/**
 * The traffic a plan is judged against (`canary plan`, `canary deploy`'s summary): the service's
 * requests, error rate, p95 and noise over the last hour, or figures given offline; and the
 * latency model that turns a share of requests slower than E into a p95 ratio.
 * Assumptions and derivation: docs/canary-plan.md. Pure: no AWS imports, no clock.
 */
import type { MinuteBucket } from '../judge';
import { slowThresholdFrom } from '../judge/input';
import { relativeExtraVariance } from '../judge/stats';
import { normalCdf, normalQuantile } from '../normal';

/** Log-sd of a request's latency assumed when it cannot be fitted: sim's default model (median 80 ms, σ 0.6). */
export const TYPICAL_LATENCY_SPREAD = 0.6;
/** A fitted spread is kept within these bounds (a fit from a share of a few requests is rough). */
const SPREAD_BOUNDS = [0.15, 2] as const;
/** z of the 95th percentile. */
const Z95 = 1.6448536;

/** The traffic of a service, as the plan's figures are computed from. */
export interface TrafficProfile {
  /** Requests a minute reaching the service's production target groups (both summed). */
  readonly requestsPerMinute: number;
  /** The original's error rate (5xx + connection errors per request), a fraction. */
  readonly errorRate: number;
  /** The original's p95 in ms (the request-weighted median of its minutes' p95). @default - latency not planned */
  readonly p95Ms?: number;
  /**
   * The original's share of requests slower than E = maxLatencyRatio × p95, measured (`TC(E:)`).
   * @default - from the log-normal model with `TYPICAL_LATENCY_SPREAD`
   */
  readonly slowShare?: number;
  /** The E `slowShare` was measured above (the engine's `slowThresholdFrom`). @default - maxLatencyRatio × p95Ms */
  readonly slowThresholdMs?: number;
  /** σ² of the original's per-minute error rate (`relativeExtraVariance`). @default 0 (Poisson counts) */
  readonly errorExtraVariance?: number;
  /** Where the figures come from. */
  readonly source: 'cloudwatch' | 'offline';
  /** Minutes the figures cover (CloudWatch) — 0 means no traffic was seen. @default - offline */
  readonly minutes?: number;
  /** Requests and errors counted over `minutes`. @default - offline */
  readonly requests?: number;
  readonly errors?: number;
}

/** The two target groups' minutes added up minute by minute; p95 is that of the busier group. */
export function mergeMinutes(groups: ReadonlyArray<readonly MinuteBucket[]>): MinuteBucket[] {
  const byStart = new Map<number, MinuteBucket>();
  for (const bucket of groups.flat()) {
    const seen = byStart.get(bucket.start);
    if (!seen) {
      byStart.set(bucket.start, { ...bucket });
      continue;
    }
    const slow =
      seen.slowRequests !== undefined || bucket.slowRequests !== undefined
        ? { slowRequests: (seen.slowRequests ?? 0) + (bucket.slowRequests ?? 0) }
        : {};
    const p95 = bucket.requests > seen.requests ? bucket.p95Ms : seen.p95Ms;
    byStart.set(bucket.start, {
      start: bucket.start,
      requests: seen.requests + bucket.requests,
      errors: seen.errors + bucket.errors,
      ...slow,
      ...(p95 !== undefined ? { p95Ms: p95 } : {}),
    });
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** The p95 the engine sets E from (its `slowThresholdFrom` at ratio 1), undefined without one. */
export function historyP95(history: readonly MinuteBucket[]): number | undefined {
  return slowThresholdFrom(history, 1);
}

/**
 * The profile of `minutes` (merged complete minutes of the last hour) over a span of
 * `spanMinutes` minutes: a minute without a point had no requests (ALB reports counts only when
 * non-zero), so the rate is per minute of the span, not per minute with data.
 */
export function trafficFromMinutes(minutes: readonly MinuteBucket[], spanMinutes: number, p95Ms: number | undefined): TrafficProfile {
  const requests = minutes.reduce((s, b) => s + b.requests, 0);
  const errors = minutes.reduce((s, b) => s + Math.min(b.errors, b.requests), 0);
  const measured = minutes.filter((b) => b.slowRequests !== undefined);
  const measuredRequests = measured.reduce((s, b) => s + b.requests, 0);
  const extra = relativeExtraVariance(minutes.map((b) => ({ trials: b.requests, events: b.errors })));
  return {
    source: 'cloudwatch',
    minutes: spanMinutes,
    requests,
    errors,
    requestsPerMinute: spanMinutes > 0 ? requests / spanMinutes : 0,
    errorRate: requests > 0 ? errors / requests : 0,
    ...(p95Ms !== undefined && requests > 0 ? { p95Ms } : {}),
    ...(measuredRequests > 0 ? { slowShare: measured.reduce((s, b) => s + (b.slowRequests as number), 0) / measuredRequests } : {}),
    ...(extra !== undefined ? { errorExtraVariance: extra } : {}),
  };
}

/** The latency model of the original: its share above E and the log-sd that links shares to p95 ratios. */
export interface LatencyModel {
  /** E = maxLatencyRatio × p95, ms. */
  readonly slowThresholdMs: number;
  /** The original's share of requests slower than E. */
  readonly baselineSlowShare: number;
  /** σ: log-sd of a request's latency. */
  readonly spread: number;
  /** True when the spread was fitted to a measured share above E, false when assumed. */
  readonly fitted: boolean;
}

/**
 * With the original's latency log-normal (p95 as measured, log-sd σ), the share above
 * E = ratio × p95 is 1 − Φ(z95 + ln(ratio)/σ). A measured share fixes σ (when ratio > 1 and the
 * share lies below 5%); otherwise σ is `TYPICAL_LATENCY_SPREAD` and the share follows from it.
 */
export function latencyModel(p95Ms: number, maxLatencyRatio: number, measuredShare?: number, measuredAboveMs?: number): LatencyModel {
  const slowThresholdMs = measuredAboveMs ?? Math.round(p95Ms * maxLatencyRatio * 10) / 10;
  const logRatio = Math.log(maxLatencyRatio);
  if (measuredShare !== undefined && logRatio > 0 && measuredShare > 0 && measuredShare < 0.05) {
    const fit = logRatio / (normalQuantile(1 - measuredShare) - Z95);
    const spread = Math.min(SPREAD_BOUNDS[1], Math.max(SPREAD_BOUNDS[0], fit));
    return { slowThresholdMs, baselineSlowShare: measuredShare, spread, fitted: true };
  }
  const spread = TYPICAL_LATENCY_SPREAD;
  const modelled = 1 - normalCdf(Z95 + logRatio / spread);
  return { slowThresholdMs, baselineSlowShare: measuredShare ?? modelled, spread, fitted: false };
}

/**
 * The canary's p95 ÷ the original's when a share `slowShare` of its requests is slower than E,
 * the canary being the original's distribution scaled (same σ): ratio × exp(σ·(z95 − Φ⁻¹(1 − s))).
 */
export function p95RatioFor(slowShare: number, maxLatencyRatio: number, spread: number): number {
  const s = Math.min(Math.max(slowShare, 1e-9), 1 - 1e-9);
  return maxLatencyRatio * Math.exp(spread * (Z95 - normalQuantile(1 - s)));
}
