import type { JudgeInput, JudgePolicy, Verdict } from './judge/types';
export type { CheckName, CheckStatus, Decision, JudgeInput, JudgePolicy, MinuteBucket, Reason, StageInput, Verdict, } from './judge/types';
/** Default false-rollback probability per stage (≈ 1% per three-stage rollout). */
export declare const DEFAULT_ALPHA = 0.0033;
/** Default probability that the promotion bound passes a canary worse than tolerated. */
export declare const DEFAULT_PROMOTE_ALPHA = 0.05;
/** Bad judge input or policy; names the field, the value and what is accepted. */
export declare class JudgeInputError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/**
 * Decides a stage. Throws `JudgeInputError` on malformed input (negative or non-finite counts,
 * a policy out of range); never on sparse or missing data, which it treats as "hold".
 */
export declare function judge(input: JudgeInput, policy: JudgePolicy): Verdict;
