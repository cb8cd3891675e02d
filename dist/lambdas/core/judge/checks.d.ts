import { type RolloutData } from './data';
import type { Thresholds } from './rollback';
import type { JudgeInput, Reason } from './types';
/** Catastrophe: this many canary errors in a minute … */
export declare const CATASTROPHE_ERRORS = 10;
/** … at this error rate or more … */
export declare const CATASTROPHE_RATE = 0.2;
/** … in this many of the last CATASTROPHE_WINDOW canary minutes (no single minute decides: one client's burst is one minute). */
export declare const CATASTROPHE_MINUTES = 2;
export declare const CATASTROPHE_WINDOW = 5;
/** A catastrophe minute is the canary's own: the original's rate must be below 1/2 of the canary's and of the catastrophe rate. */
export declare const SHARED_SHOCK_RATIO = 2;
/** The p95 bar counts a minute only with this many canary requests. */
export declare const P95_MIN_REQUESTS = 200;
/** Unhealthy canary targets are tolerated this long after the shift … */
export declare const HEALTH_GRACE_MS: number;
/** … and after that roll back once seen this many consecutive minutes. */
export declare const UNHEALTHY_MINUTES = 2;
/**
 * The canary failing outright: in 2 of its last 5 minutes ≥ 10 errors at ≥ 20% — and at more than
 * twice the worst minute the original had in its history (at 100% there is no concurrent control
 * to tell a service-wide shock from the canary's own failure), and not in a minute where the
 * original itself spiked.
 */
export declare function catastropheCheck(data: RolloutData): Reason;
/**
 * The configured maximum error rate as a sequential test: evidence that the canary's rate in this
 * stage is above `maxErrorRate` (the original's noise as the discount), outside service-wide
 * incidents, spanning two minutes, on at least `minRequests` requests.
 */
export declare function errorRateBarCheck(data: RolloutData, t: Thresholds): Reason;
export declare function p95BarCheck(data: RolloutData, t: Thresholds): Reason;
export declare function healthCheck(input: JudgeInput, data: RolloutData): Reason;
/** Bake minutes of the stage (its minBakeMs in whole minutes). */
export declare const bakeMinutes: (input: JudgeInput) => number;
/** The bake counts complete data-minutes at the stage's weight, not wall time (CloudWatch is 1–3 minutes late). */
export declare function bakeCheck(input: JudgeInput, data: RolloutData): Reason;
/** A stage must have served at least one canary request per bake minute. */
export declare function trafficCheck(input: JudgeInput, data: RolloutData): Reason;
/** Before the final shift the rollout must have served `minRequests` canary requests. */
export declare function minRequestsCheck(input: JudgeInput, data: RolloutData, t: Thresholds): Reason;
