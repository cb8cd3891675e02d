/** Shared fixtures for the controller tests: a default plan, states and observations. */
import type { MinuteBucket } from '../../../lambdas/core/judge';
import type { HookName } from '../../../lambdas/core/rollout-plan';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../../lambdas/core/rollout-plan';
import { initialState, type Observation, type RolloutState } from '../../../lambdas/core/rollout-state';

export const T0 = Date.parse('2026-11-21T10:00:00.000Z');
export const MIN = 60_000;

export const plan = compilePlan({ ...DEFAULT_ROLLOUT_PLAN, holdLimitMinutes: 5 });

/** The seeds' default plan: its 50% step does not fit window 1, so BeforeAllowTraffic has a step. */
export const twoWindowPlan = compilePlan(DEFAULT_ROLLOUT_PLAN);

export const policy = { maxErrorRatePercent: 5, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 };

export const targets = {
  replacement: { arn: 'arn:tg/green', fullName: 'targetgroup/green/2', name: 'green' },
  original: { arn: 'arn:tg/blue', fullName: 'targetgroup/blue/1', name: 'blue' },
};

export function startState(options: { hook?: HookName; canaryHeader?: boolean; plan?: typeof plan; at?: number } = {}): RolloutState {
  return initialState(
    {
      deploymentId: 'd-ABC',
      lifecycleEventHookExecutionId: 'exec-1',
      hook: options.hook ?? 'AfterAllowTestTraffic',
      startedAt: new Date(options.at ?? T0).toISOString(),
    },
    options.plan ?? plan,
    'orders',
    { policy, canaryHeader: options.canaryHeader ?? true },
  );
}

/** A state baking at step `stepIndex` since `stageStartedAt`. */
export function bakingState(stepIndex: number, stageStartedAt: number, overrides: Partial<RolloutState> = {}): RolloutState {
  const state = startState();
  return {
    ...state,
    status: 'baking',
    stepIndex,
    weight: state.config.steps[stepIndex].weight,
    stageStartedAt,
    targets,
    rollout: { startedAt: T0, slowThresholdMs: 300 },
    ...overrides,
  };
}

export function minutes(from: number, count: number, perMinute: { requests: number; errors: number }): MinuteBucket[] {
  return Array.from({ length: count }, (_, i) => ({
    start: from + i * MIN,
    requests: perMinute.requests,
    errors: perMinute.errors,
    slowRequests: 0,
    p95Ms: 120,
  }));
}

export function observation(overrides: Partial<Observation> = {}, weight = 0): Observation {
  return {
    deploymentStatus: 'InProgress',
    targets,
    listener: { original: 100 - weight, replacement: weight },
    metrics: { replacement: [], original: [] },
    replacementHealth: { healthy: 2, unhealthy: 0 },
    // A window's first tick reads the rollout record (none yet) and the original's history.
    rollout: null,
    history: [],
    errors: [],
    ...overrides,
  };
}
