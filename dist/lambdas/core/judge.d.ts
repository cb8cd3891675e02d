import { type RolloutData } from './judge/data';
import { type TestAlphas, type Thresholds } from './judge/rollback';
import type { JudgeInput, JudgePolicy, RulesOut, Verdict } from './judge/types';
export type { CheckName, CheckStatus, Decision, JudgeInput, JudgePolicy, MinuteBucket, Reason, RulesOut, StageInput, Verdict, } from './judge/types';
/** Default false-rollback probability of the sequential tests per rollout. */
export declare const DEFAULT_ALPHA = 0.005;
/** How α is split between the tests (shares sum to 1). */
export declare const ALPHA_SHARES: TestAlphas;
/** The probability a "rules out" statement is made at. */
export declare const RULES_OUT_POWER = 0.9;
/** Bad judge input or policy; names the field, the value and what is accepted. */
export declare class JudgeInputError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/** The test thresholds a policy means. */
export declare function thresholdsOf(policy: JudgePolicy, slowThresholdMs?: number): Thresholds;
/**
 * Decides the current stage. Throws `JudgeInputError` on malformed input (negative or non-finite
 * counts, a policy out of range); never on sparse or missing data, which it treats as "hold".
 */
export declare function judge(input: JudgeInput, policy: JudgePolicy): Verdict;
/** What the rollout so far would have caught with 90% probability (errors and latency). */
export declare function rulesOutOf(data: RolloutData, t: Thresholds): RulesOut;
