/**
 * `canary simulate`: the real controller and judge, with the service's plan and thresholds,
 * driven window by window against `lib/sim` traffic as CodeDeploy would drive them:
 * AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (100%) → AfterAllowTraffic.
 * Deterministic for a scenario's seed; no AWS, no real clock.
 */
import { next, metricWindows, initialState, type Action, type Observation, type RolloutState } from '../../../lambdas/core/controller';
import type { AuditDraft } from '../../../lambdas/core/audit-chain';
import type { JudgePolicy } from '../../../lambdas/core/judge';
import { HOOKS, type CompiledPlan, type HookName } from '../../../lambdas/core/plan';
import { judgeBuckets, MINUTE_MS, TrafficWorld, type Scenario, type SimMinute } from '../../sim';

export interface SimulationInput {
  readonly service: string;
  readonly plan: CompiledPlan;
  readonly policy: JudgePolicy;
  readonly scenario: Scenario;
  /** Epoch ms of the deployment's start. */
  readonly startTime: number;
}

export interface TimelineEntry {
  readonly at: number;
  readonly hook: HookName | 'AllowTraffic';
  readonly weight: number;
  readonly verdict?: string;
  readonly action?: string;
  readonly reason: string;
}

export interface SimulationResult {
  readonly scenario: string;
  readonly outcome: 'Succeeded' | 'Failed';
  readonly reason: string;
  readonly timeline: readonly TimelineEntry[];
  /** Every simulated minute (true values) from start to end. */
  readonly minutes: readonly SimMinute[];
  readonly startTime: number;
  readonly endTime: number;
}

const TARGETS = {
  replacement: { arn: 'arn:sim:targetgroup/green', fullName: 'targetgroup/green/sim', name: 'green' },
  original: { arn: 'arn:sim:targetgroup/blue', fullName: 'targetgroup/blue/sim', name: 'blue' },
};
/** Safety net against a controller that never finishes a window. */
const MAX_TICKS_PER_WINDOW = 2_000;
/** Minutes of baseline traffic before the deployment (the post-traffic bake's baseline). */
const WARM_UP_MINUTES = 30;

export function simulateRollout(input: SimulationInput): SimulationResult {
  const warmUp = input.startTime - WARM_UP_MINUTES * MINUTE_MS;
  const world = new TrafficWorld({
    seed: input.scenario.seed,
    totalRps: input.scenario.totalRps,
    baselineErrorRate: input.scenario.baselineErrorRate,
    noise: input.scenario.noise,
    regression: input.scenario.regression,
    startTime: warmUp,
  });
  const observationSeed = { seed: input.scenario.seed + 7919 };
  const timeline: TimelineEntry[] = [];
  let now = input.startTime;
  let weight = 0;

  for (const hook of HOOKS) {
    if (hook === 'AfterAllowTraffic') {
      world.setCanaryWeight(now, 100);
      weight = 100;
      timeline.push({ at: now, hook: 'AllowTraffic', weight, action: 'set weights 0/100', reason: 'CodeDeploy AllowTraffic: all production traffic to the replacement' });
    }
    let state: RolloutState = initialState(
      { deploymentId: 'd-SIMULATED', lifecycleEventHookExecutionId: `sim-${hook}`, hook, startedAt: new Date(now).toISOString() },
      input.plan,
      input.service,
      { policy: input.policy, canaryHeader: false },
    );
    if (hook !== 'AfterAllowTraffic') state = { ...state, weight };
    for (let tick = 0; ; tick += 1) {
      if (tick > MAX_TICKS_PER_WINDOW) throw new Error(`simulation: the ${hook} window did not finish in ${MAX_TICKS_PER_WINDOW} ticks`);
      const decision = next(state, observe(world, state, weight, now, observationSeed), now);
      for (const action of decision.actions) weight = apply(action, world, now, weight, hook, timeline);
      state = decision.state;
      if (decision.done) break;
      now += Math.max(1, decision.waitSeconds) * 1000;
    }
    if (state.outcome?.status !== 'Succeeded') {
      const reason = state.outcome?.reason ?? `${hook} ended without an outcome`;
      world.advanceTo(now + 5 * MINUTE_MS);
      return finish(input, world, timeline, 'Failed', reason, now);
    }
  }
  world.advanceTo(now + MINUTE_MS);
  return finish(input, world, timeline, 'Succeeded', 'every window succeeded; the original would be terminated after the termination wait', now);
}

function observe(world: TrafficWorld, state: RolloutState, weight: number, now: number, options: { seed: number }): Observation {
  const minutes = world.advanceTo(now);
  const windows = metricWindows(state, now);
  const replacement = judgeBuckets(minutes, now, windows.replacement.from, options).canary;
  const original = judgeBuckets(minutes, now, windows.original.from, options).baseline.filter(
    (b) => windows.original.to === undefined || b.start + MINUTE_MS <= windows.original.to,
  );
  return {
    deploymentStatus: 'InProgress',
    targets: TARGETS,
    listener: { original: 100 - weight, replacement: weight },
    metrics: { replacement, original },
    replacementHealth: world.targetHealth().canary,
    errors: [],
  };
}

function apply(action: Action, world: TrafficWorld, now: number, weight: number, hook: HookName, timeline: TimelineEntry[]): number {
  if (action.kind === 'setWeights') {
    if (action.replacement !== weight) world.setCanaryWeight(now, action.replacement);
    return action.replacement;
  }
  if (action.kind === 'audit') timeline.push(entry(action.draft, now, hook, weight));
  return weight;
}

function entry(draft: AuditDraft, at: number, hook: HookName, weight: number): TimelineEntry {
  return { at, hook, weight: draft.weights?.replacement ?? weight, verdict: draft.verdict, action: draft.action, reason: draft.reason };
}

function finish(input: SimulationInput, world: TrafficWorld, timeline: TimelineEntry[], outcome: 'Succeeded' | 'Failed', reason: string, endTime: number): SimulationResult {
  const warmUpEnd = input.startTime - 10 * MINUTE_MS;
  return {
    scenario: input.scenario.name,
    outcome,
    reason,
    timeline,
    minutes: world.minutes.filter((m) => m.start >= warmUpEnd),
    startTime: input.startTime,
    endTime,
  };
}
