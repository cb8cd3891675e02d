/**
 * What a rollout plan can detect at a service's traffic, before the rollout starts: per stage the
 * expected canary requests and the smallest error increase and latency regression the judge would
 * have caught with 90% probability by the end of that stage, counted as the judge counts them
 * (one evidence process from the first shift on); when +5 pp would be caught; whether
 * `minRequests` is reached before the final shift; and one computed line of advice when the plan
 * does not fit the traffic. Figures from the judge's own power computation (`judge/power.ts`)
 * and thresholds (`thresholdsOf`). For `canary plan`, `canary deploy`, `canary simulate` and the
 * benchmark. Model and limits: docs/canary-plan.md. Pure: no AWS imports, no clock.
 */
import { type JudgePolicy } from './judge';
import { type Exposure } from './judge/power';
import { type CompiledPlan, type PlanStep } from './plan';
import { type LatencyModel, type TrafficProfile } from './plan-traffic';
/** The increase whose detection time `canary plan` reports, as a fraction (+5 pp). */
export declare const DEFAULT_TARGET_INCREASE = 0.05;
/** "Expected time to detect": the first data-minute at which the detection probability reaches this. */
export declare const EXPECTED_DETECTION_PROBABILITY = 0.5;
export interface StageDetection {
    readonly index: number;
    readonly weight: number;
    readonly bakeMinutes: number;
    /** Data-minutes since the first shift at which this stage's bake starts and ends (bakes only, no holds). */
    readonly fromMinute: number;
    readonly toMinute: number;
    readonly canaryRequestsPerMinute: number;
    /** Expected canary requests of this stage's bake, and since the first shift. */
    readonly canaryRequests: number;
    readonly rolloutCanaryRequests: number;
    /**
     * Smallest error-rate increase (fraction) the error test catches with 90% probability by the end
     * of this stage: the judge's "rules out" figure. Undefined when not even 100% errors would be.
     */
    readonly errorIncrease?: number;
    /** The same, floored at the tolerance (`maxErrorIncreasePp`): the judge rolls back nothing smaller. */
    readonly caughtErrorIncrease?: number;
    /** Smallest share of canary requests slower than E caught with 90% probability by the end of this stage. */
    readonly slowShare?: number;
    /** That share as a canary p95 ÷ the original's (log-normal latency, see `latencyModel`). */
    readonly p95Ratio?: number;
    /** P(the error test reaches its bar on +target by the end of this stage). */
    readonly targetProbability: number;
}
export interface PlanDetection {
    readonly traffic: TrafficProfile;
    /** The error rate the power computation is based on (the measured one, or half an error in an hour when none). */
    readonly baselineErrorRate: number;
    readonly tolerance: {
        readonly errorIncrease: number;
        readonly latencyRatio: number;
    };
    readonly latency?: LatencyModel;
    readonly stages: readonly StageDetection[];
    readonly target: {
        readonly increase: number;
        /** First data-minute since the first shift with detection probability ≥ 50%; undefined if none before 100%. */
        readonly minutesToDetect?: number;
        /** The stage that minute falls in. */
        readonly stageIndex?: number;
    };
    readonly minRequests: {
        readonly required: number;
        /** Expected canary requests by the end of the final stage's bake. */
        readonly byFinalShift: number;
        /** The data-minute at which the rollout has served `required`, holding at the final weight if needed. */
        readonly reachedAtMinute?: number;
        /** 'bakes': within the bakes; 'hold': only by holding at the final weight within the hold limit; 'no': the rollout fails "insufficient evidence". */
        readonly reached: 'bakes' | 'hold' | 'no';
    };
    /** Stages expected to see less than one canary request a minute (the judge holds them for traffic). */
    readonly quietStages: readonly number[];
    /** One computed sentence when the plan does not fit the traffic; undefined when it does. */
    readonly advice?: string;
}
export interface PlanDetectionOptions {
    /** @default DEFAULT_TARGET_INCREASE */
    readonly targetIncrease?: number;
    /** Compute the advice line (a search over candidate plans). @default true */
    readonly advice?: boolean;
}
/** The plan's partial-traffic steps, in order. */
export declare function planSteps(plan: CompiledPlan): PlanStep[];
/** Per-minute exposure of the first `minutes` data-minutes of `steps`, stage by stage. */
export declare function exposureUpTo(steps: readonly PlanStep[], ratePerMinute: number, minutes: number): Exposure[];
/** The figures of `plan` at `traffic` under the judge's `policy`. */
export declare function planDetection(plan: CompiledPlan, traffic: TrafficProfile, policy: JudgePolicy, options?: PlanDetectionOptions): PlanDetection;
/**
 * Whether the plan catches an increase of `increase` (fraction) with 90% probability before the
 * shift to 100% (and the judge tolerates no less): `canary deploy --require-detect`.
 */
export declare function detectsBeforeFull(d: PlanDetection, increase: number): boolean;
/**
 * The shortest bake of the final stage (other steps as they are, the plan still compiling) with
 * which the plan catches `increase` before 100%; undefined if none within the hook window.
 */
export declare function finalBakeToDetect(plan: CompiledPlan, traffic: TrafficProfile, policy: JudgePolicy, increase: number): number | undefined;
