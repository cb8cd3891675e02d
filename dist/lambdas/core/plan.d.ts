/**
 * The rollout plan, compiled at synth time into CodeDeploy hook windows.
 *
 * CodeDeploy runs each lifecycle hook once per deployment and no hook runs between its own
 * traffic increments, so the engine performs the partial shifts inside hook windows: the steps
 * that fit go into window 1 (AfterAllowTestTraffic), the rest into window 2 (BeforeAllowTraffic),
 * and CodeDeploy's AllowTraffic performs the final shift to 100%. A hook must be answered within
 * one hour; a window is budgeted at most 55 minutes worst case (every bake plus its full hold
 * limit), which leaves five minutes for smoke checks, ticks and reporting.
 *
 * Pure: no AWS imports, no clock.
 */
/** The longest a hook window may take in the worst case, in minutes. */
export declare const MAX_WINDOW_MINUTES = 55;
/** The lifecycle hooks ecs-canary registers in the AppSpec, in the order CodeDeploy runs them. */
export declare const HOOKS: readonly ["AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"];
export type HookName = (typeof HOOKS)[number];
export interface PlanStep {
    /** Percentage of production traffic sent to the replacement during this step, 0 < weight < 100. */
    readonly weight: number;
    /** Minimum time the step is observed before the judge may promote, in minutes. */
    readonly bakeMinutes: number;
}
export interface RolloutPlanInput {
    readonly steps: readonly PlanStep[];
    /** Minutes a step may hold beyond its bake for lack of evidence before it fails. */
    readonly holdLimitMinutes: number;
    /** Minutes the replacement is judged at 100% before the original may be terminated. */
    readonly postTrafficBakeMinutes: number;
}
/**
 * The default plan (the seeds' decision record): 5% for 5 min, 25% for 10 min, 50% for 15 min,
 * each may hold 10 min beyond its bake, then 100% with a 15-min post-traffic bake.
 */
export declare const DEFAULT_ROLLOUT_PLAN: RolloutPlanInput;
export interface CompiledStep extends PlanStep {
    /** Index of the step in the whole plan (0-based). */
    readonly index: number;
    /** Worst-case duration of the step: bake plus hold limit, in minutes. */
    readonly worstCaseMinutes: number;
}
export interface HookWindow {
    readonly hook: HookName;
    /** Partial-traffic steps performed in this window; empty for the post-traffic bake. */
    readonly steps: readonly CompiledStep[];
    /** For AfterAllowTraffic: the bake at 100% in minutes; 0 otherwise. */
    readonly postTrafficBakeMinutes: number;
    readonly worstCaseMinutes: number;
}
export interface CompiledPlan {
    readonly windows: readonly HookWindow[];
    readonly holdLimitMinutes: number;
    readonly postTrafficBakeMinutes: number;
    /** Worst case of the whole rollout through the post-traffic bake, in minutes. */
    readonly worstCaseMinutes: number;
    /** Sum of every bake, the fastest a clean release can finish, in minutes. */
    readonly totalBakeMinutes: number;
}
/** A plan that cannot be compiled; `field` names the offending part of the `rollout` block. */
export declare class PlanError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/**
 * Compiles a plan into hook windows. Throws `PlanError` with the first problem found;
 * `planProblems` lists all of them.
 */
export declare function compilePlan(input: RolloutPlanInput): CompiledPlan;
/** Every problem of a plan, each naming its field, the bad value and what is accepted. */
export declare function planProblems(input: RolloutPlanInput): PlanError[];
/** The window a hook performs, or undefined when the plan gives that hook nothing to do. */
export declare function windowFor(plan: CompiledPlan, hook: HookName): HookWindow | undefined;
