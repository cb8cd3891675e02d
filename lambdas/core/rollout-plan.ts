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
import { EcsCanaryError } from './ecs-canary-error';

/** The longest a hook window may take in the worst case, in minutes. */
export const MAX_WINDOW_MINUTES = 55;

/** The lifecycle hooks ecs-canary registers in the AppSpec, in the order CodeDeploy runs them. */
export const HOOKS = ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
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
export const DEFAULT_ROLLOUT_PLAN: RolloutPlanInput = {
  steps: [
    { weight: 5, bakeMinutes: 5 },
    { weight: 25, bakeMinutes: 10 },
    { weight: 50, bakeMinutes: 15 },
  ],
  holdLimitMinutes: 10,
  postTrafficBakeMinutes: 15,
};

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
export class PlanError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlanError';
  }
}

/**
 * Compiles a plan into hook windows. Throws `PlanError` with the first problem found;
 * `planProblems` lists all of them.
 */
export function compilePlan(input: RolloutPlanInput): CompiledPlan {
  const problems = planProblems(input);
  if (problems.length > 0) throw problems[0];

  const steps: CompiledStep[] = input.steps.map((step, index) => ({
    ...step,
    index,
    worstCaseMinutes: step.bakeMinutes + input.holdLimitMinutes,
  }));
  const [first, second] = splitIntoWindows(steps);
  const windows: HookWindow[] = [
    window('AfterAllowTestTraffic', first),
    window('BeforeAllowTraffic', second),
    {
      hook: 'AfterAllowTraffic',
      steps: [],
      postTrafficBakeMinutes: input.postTrafficBakeMinutes,
      worstCaseMinutes: postTrafficWorstCase(input),
    },
  ];
  return {
    windows,
    holdLimitMinutes: input.holdLimitMinutes,
    postTrafficBakeMinutes: input.postTrafficBakeMinutes,
    worstCaseMinutes: windows.reduce((sum, w) => sum + w.worstCaseMinutes, 0),
    totalBakeMinutes: input.steps.reduce((sum, s) => sum + s.bakeMinutes, 0) + input.postTrafficBakeMinutes,
  };
}

/** Every problem of a plan, each naming its field, the bad value and what is accepted. */
export function planProblems(input: RolloutPlanInput): PlanError[] {
  const problems: PlanError[] = [];
  if (input.steps.length === 0) {
    problems.push(new PlanError('rollout.steps is empty; give at least one step such as { weight: 5, bakeMinutes: 5 }', 'rollout.steps'));
  }
  input.steps.forEach((step, i) => {
    const field = `rollout.steps[${i}]`;
    if (!(step.weight > 0 && step.weight < 100) || !Number.isInteger(step.weight)) {
      problems.push(
        new PlanError(
          `${field}.weight is ${step.weight}; accepted: a whole percentage greater than 0 and less than 100 (CodeDeploy performs the final shift to 100)`,
          `${field}.weight`,
        ),
      );
    }
    if (i > 0 && step.weight <= input.steps[i - 1].weight) {
      problems.push(
        new PlanError(
          `${field}.weight is ${step.weight}, not above the previous step's ${input.steps[i - 1].weight}; weights must increase strictly`,
          `${field}.weight`,
        ),
      );
    }
    if (!(step.bakeMinutes >= 1)) {
      problems.push(
        new PlanError(
          `${field}.bakeMinutes is ${step.bakeMinutes}; accepted: at least 1 minute (metrics arrive per minute)`,
          `${field}.bakeMinutes`,
        ),
      );
    }
  });
  if (!(input.holdLimitMinutes >= 0)) {
    problems.push(
      new PlanError(`rollout.holdLimitMinutes is ${input.holdLimitMinutes}; accepted: 0 or more minutes`, 'rollout.holdLimitMinutes'),
    );
  }
  if (!(input.postTrafficBakeMinutes >= 1)) {
    problems.push(
      new PlanError(
        `rollout.postTrafficBakeMinutes is ${input.postTrafficBakeMinutes}; accepted: at least 1 minute`,
        'rollout.postTrafficBakeMinutes',
      ),
    );
  }
  if (problems.length > 0) return problems;

  const steps = input.steps.map((s) => ({ ...s, worstCaseMinutes: s.bakeMinutes + input.holdLimitMinutes }));
  for (const [i, step] of steps.entries()) {
    if (step.worstCaseMinutes > MAX_WINDOW_MINUTES) {
      problems.push(
        new PlanError(
          `rollout.steps[${i}] takes up to ${step.worstCaseMinutes} min (bake ${step.bakeMinutes} + hold limit ${input.holdLimitMinutes}), more than one CodeDeploy hook window of ${MAX_WINDOW_MINUTES} min; shorten bakeMinutes or holdLimitMinutes so that each step's sum is at most ${MAX_WINDOW_MINUTES}`,
          `rollout.steps[${i}].bakeMinutes`,
        ),
      );
    }
  }
  if (problems.length === 0) {
    const [, rest] = splitIntoWindows(steps);
    const restMinutes = rest.reduce((sum, s) => sum + s.worstCaseMinutes, 0);
    if (restMinutes > MAX_WINDOW_MINUTES) {
      const total = steps.reduce((sum, s) => sum + s.worstCaseMinutes, 0);
      problems.push(
        new PlanError(
          `rollout.steps take up to ${total} min in the worst case (bakes + ${steps.length} × hold limit ${input.holdLimitMinutes}), which does not split into two CodeDeploy hook windows of at most ${MAX_WINDOW_MINUTES} min each (window 2 would need ${restMinutes} min); shorten bakes, lower holdLimitMinutes or use fewer steps`,
          'rollout.steps',
        ),
      );
    }
  }
  const postWorst = postTrafficWorstCase(input);
  if (postWorst > MAX_WINDOW_MINUTES) {
    problems.push(
      new PlanError(
        `rollout.postTrafficBakeMinutes ${input.postTrafficBakeMinutes} + holdLimitMinutes ${input.holdLimitMinutes} = ${postWorst} min exceeds the ${MAX_WINDOW_MINUTES} min AfterAllowTraffic hook window; shorten one of them`,
        'rollout.postTrafficBakeMinutes',
      ),
    );
  }
  return problems;
}

function postTrafficWorstCase(input: RolloutPlanInput): number {
  return input.postTrafficBakeMinutes + input.holdLimitMinutes;
}

/** Greedy: as many leading steps as fit into window 1, the rest into window 2. */
function splitIntoWindows<T extends { worstCaseMinutes: number }>(steps: readonly T[]): [T[], T[]] {
  let used = 0;
  let cut = 0;
  while (cut < steps.length && used + steps[cut].worstCaseMinutes <= MAX_WINDOW_MINUTES) {
    used += steps[cut].worstCaseMinutes;
    cut += 1;
  }
  return [steps.slice(0, cut), steps.slice(cut)];
}

function window(hook: HookName, steps: readonly CompiledStep[]): HookWindow {
  return {
    hook,
    steps,
    postTrafficBakeMinutes: 0,
    worstCaseMinutes: steps.reduce((sum, s) => sum + s.worstCaseMinutes, 0),
  };
}

/** The window a hook performs, or undefined when the plan gives that hook nothing to do. */
export function windowFor(plan: CompiledPlan, hook: HookName): HookWindow | undefined {
  return plan.windows.find((w) => w.hook === hook);
}
