/**
 * The traffic a plan is judged against (`canary plan`, `canary deploy`'s summary): the service's
 * requests, error rate, p95 and noise over the last hour, or figures given offline; and the
 * latency model that turns a share of requests slower than E into a p95 ratio.
 * Assumptions and derivation: docs/canary-plan.md. Pure: no AWS imports, no clock.
 */
import type { MinuteBucket } from './judge';
/** Log-sd of a request's latency assumed when it cannot be fitted: lib/sim's default model (median 80 ms, σ 0.6). */
export declare const TYPICAL_LATENCY_SPREAD = 0.6;
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
export declare function mergeMinutes(groups: ReadonlyArray<readonly MinuteBucket[]>): MinuteBucket[];
/** The p95 the engine sets E from (its `slowThresholdFrom` at ratio 1), undefined without one. */
export declare function historyP95(history: readonly MinuteBucket[]): number | undefined;
/**
 * The profile of `minutes` (merged complete minutes of the last hour) over a span of
 * `spanMinutes` minutes: a minute without a point had no requests (ALB reports counts only when
 * non-zero), so the rate is per minute of the span, not per minute with data.
 */
export declare function trafficFromMinutes(minutes: readonly MinuteBucket[], spanMinutes: number, p95Ms: number | undefined): TrafficProfile;
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
export declare function latencyModel(p95Ms: number, maxLatencyRatio: number, measuredShare?: number, measuredAboveMs?: number): LatencyModel;
/**
 * The canary's p95 ÷ the original's when a share `slowShare` of its requests is slower than E,
 * the canary being the original's distribution scaled (same σ): ratio × exp(σ·(z95 − Φ⁻¹(1 − s))).
 */
export declare function p95RatioFor(slowShare: number, maxLatencyRatio: number, spread: number): number;
/** Φ, by the complementary error function (Numerical Recipes erfcc, |relative error| < 1.2e-7). */
export declare function normalCdf(z: number): number;
/** Φ⁻¹ (Acklam's rational approximation, relative error < 1.2e-9), for p in (0, 1). */
export declare function normalQuantile(p: number): number;
