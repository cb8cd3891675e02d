/** Types of the judge's callable surface; re-exported by `lambdas/core/judge.ts`. */
/** One complete minute of one target group's metrics. Epoch milliseconds. */
export interface MinuteBucket {
    /** Start of the minute, epoch ms. */
    start: number;
    /** `RequestCount` (Sum). */
    requests: number;
    /** `HTTPCode_Target_5XX_Count` + `TargetConnectionErrorCount` (Sum; absent points count as 0). */
    errors: number;
    /** Requests slower than the latency bar T (`TargetResponseTime` `TC(T:)`). @default - latency test not run */
    slowRequests?: number;
    /** `TargetResponseTime` p95 in milliseconds. @default - p95 bar not checked for this minute */
    p95Ms?: number;
    /** `HealthyHostCount` (Minimum). @default - unknown */
    healthyHosts?: number;
    /** `UnHealthyHostCount` (Maximum). @default - unknown */
    unhealthyHosts?: number;
}
export interface StageInput {
    /** Percentage of production traffic on the canary in this stage (0–100). */
    weight: number;
    /** When this stage's traffic shift happened, epoch ms. */
    startedAt: number;
    /** Minimum observation time before the judge may promote, ms. */
    minBakeMs: number;
    /** How long the judge may hold for lack of evidence after the bake, ms. */
    holdLimitMs: number;
}
export interface JudgeInput {
    /** Decision time, epoch ms (the judge never reads a clock). */
    now: number;
    stage: StageInput;
    /** Complete minutes of the canary (replacement) target group, any order. */
    canary: MinuteBucket[];
    /**
     * Complete minutes of the baseline (original) target group over the same period. Minutes before
     * the stage may be included: they only inform the estimate of the baseline's noise level.
     */
    baseline: MinuteBucket[];
    /** Live target health of the canary (DescribeTargetHealth, not delayed). @default - unknown */
    canaryTargets?: {
        healthy: number;
        unhealthy: number;
    };
}
export interface JudgePolicy {
    /** Absolute bar: canary error rate above this (percent) with ≥ minRequests rolls back. */
    maxErrorRatePercent: number;
    /** Absolute bar: canary p95 above this for 3 of the last 4 minutes (≥ 200 requests each) rolls back. */
    maxP95Ms: number;
    /** Requests the canary must have served in the stage before a promotion (design default 300). */
    minRequests: number;
    /** Tolerated increase of the canary's error rate over the baseline's, percentage points. */
    maxErrorIncreasePp: number;
    /** Tolerated ratio of slow-request rates canary/baseline (θ₀ of the latency test, design default 1.5). */
    maxLatencyRatio: number;
    /** False-rollback probability per stage. @default 0.0033 (≈ 1% per three-stage rollout) */
    alpha?: number;
    /** Probability that the promotion bound lets through a canary worse than tolerated. @default 0.05 */
    promoteAlpha?: number;
}
export type Decision = 'promote' | 'hold' | 'rollback';
export type CheckStatus = 'pass' | 'hold' | 'fail';
/** Names of the checks, in the order reasons are listed. */
export type CheckName = 'errors' | 'catastrophe' | 'error-rate-bar' | 'p95-bar' | 'latency' | 'health' | 'bake' | 'min-requests' | 'error-bound' | 'hold-limit';
export interface Reason {
    check: CheckName | string;
    status: CheckStatus;
    /** The observed figure, e.g. "canary 4.8% (12/250) vs baseline 0.30% (14/4750)". */
    observed: string;
    /** The bar it is held to, e.g. "evidence ≥ 303". */
    bar: string;
    /** One sentence for a person on call. */
    detail: string;
}
export interface Verdict {
    decision: Decision;
    reasons: Reason[];
    summary: string;
}
