/**
 * `canary simulate`: the real controller and judge, with the service's plan and thresholds,
 * driven window by window against `sim` traffic as CodeDeploy would drive them:
 * AfterAllowTestTraffic → BeforeAllowTraffic → AllowTraffic (100%) → AfterAllowTraffic.
 * Each tick sees what the Tick Lambda would (sim/engine-observation.ts: its reads, its
 * queries, its bucket builder); the rollout record is kept between windows as DynamoDB keeps it.
 * `driveEngine` is also how `bench:judge` runs ecs-canary. Deterministic; no AWS, no real clock.
 */
import type { AuditDraft } from '../../lambdas/core/audit-chain';
import { initialState, next, type Observation, type RolloutState } from '../../lambdas/core/controller';
import type { JudgePolicy } from '../../lambdas/core/judge';
import type { RolloutContext } from '../../lambdas/core/judge/input';
import type { MinuteBuckets } from '../../lambdas/core/observation';
import { type CompiledPlan, type HookName, HOOKS } from '../../lambdas/core/rollout-plan';
import { MINUTE_MS, type ObservationOptions, type Scenario, type SimMinute, SimulationError, TrafficWorld } from '../../sim';
import { tickBuckets } from '../../sim/engine-observation';
import { policyWithKpi, policyWithValueKpi, type ScenarioKpi, type ScenarioValueKpi, withKpi, withValueKpi } from './kpi';

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
  /** The plan stage the decision was taken in, as the audit record carries it. */
  readonly stage?: { readonly index: number; readonly weight: number };
  readonly verdict?: string;
  readonly action?: string;
  readonly reason: string;
  /** The judge's checks behind a verdict, as the audit record carries them. */
  readonly reasons?: AuditDraft['reasons'];
}

export interface SimulationResult {
  readonly scenario: string;
  readonly outcome: 'Succeeded' | 'Failed';
  readonly reason: string;
  readonly timeline: readonly TimelineEntry[];
  /** Every simulated minute (true values) from 10 minutes before the start to the end. */
  readonly minutes: readonly SimMinute[];
  readonly startTime: number;
  readonly endTime: number;
}

/** The tick that ended a run: the state it started from, what it saw, when. */
export interface DecidingTick {
  readonly state: RolloutState;
  readonly observation: Observation;
  readonly now: number;
}

export interface EngineRun {
  readonly outcome: 'Succeeded' | 'Failed';
  readonly reason: string;
  readonly timeline: readonly TimelineEntry[];
  /** Every change of the replacement weight, in order (CodeDeploy's AllowTraffic included). */
  readonly shifts: ReadonlyArray<{ readonly at: number; readonly weight: number }>;
  /** The rollout record (first shift, E), once the first window wrote it. */
  readonly rollout: RolloutContext | null;
  /** The window's last tick, when it failed (a rollback, a deadline). */
  readonly failedAt?: DecidingTick;
  readonly endTime: number;
}

export interface EngineOptions {
  readonly service: string;
  readonly plan: CompiledPlan;
  readonly policy: JudgePolicy;
  /** Epoch ms of the first hook's invocation. */
  readonly startTime: number;
  /** Publication delays of the simulated CloudWatch. */
  readonly observation: ObservationOptions;
  /** A KPI the application publishes per version (the scenario's `kpi`). @default - none */
  readonly kpi?: ScenarioKpi;
  /** A value the application publishes per version (the scenario's `valueKpi`). @default - none */
  readonly valueKpi?: ScenarioValueKpi;
}

const TARGETS = {
  replacement: { arn: 'arn:sim:targetgroup/green', fullName: 'targetgroup/green/sim', name: 'green' },
  original: { arn: 'arn:sim:targetgroup/blue', fullName: 'targetgroup/blue/sim', name: 'blue' },
};
/** Safety net against a controller that never finishes a window. */
const MAX_TICKS_PER_WINDOW = 2_000;
/** Minutes of traffic before the deployment: the original's hour of history the first tick reads, and some. */
export const WARM_UP_MINUTES = 65;

export function simulateRollout(input: SimulationInput): SimulationResult {
  const world = new TrafficWorld({
    seed: input.scenario.seed,
    totalRps: input.scenario.totalRps,
    baselineErrorRate: input.scenario.baselineErrorRate,
    noise: input.scenario.noise,
    regression: input.scenario.regression,
    startTime: input.startTime - WARM_UP_MINUTES * MINUTE_MS,
    ...(input.scenario.shape ? { shape: input.scenario.shape } : {}),
  });
  const run = driveEngine(world, {
    ...input,
    observation: { seed: input.scenario.seed + 7919 },
    ...(input.scenario.kpi ? { kpi: input.scenario.kpi } : {}),
    ...(input.scenario.valueKpi ? { valueKpi: input.scenario.valueKpi } : {}),
  });
  world.advanceTo(run.endTime + (run.outcome === 'Failed' ? 5 : 1) * MINUTE_MS);
  return {
    scenario: input.scenario.name,
    outcome: run.outcome,
    reason: run.reason,
    timeline: run.timeline,
    minutes: world.minutes.filter((m) => m.start >= input.startTime - 10 * MINUTE_MS),
    startTime: input.startTime,
    endTime: run.endTime,
  };
}

/** Runs every hook window of the plan over `world` with the real controller, tick by tick. */
export function driveEngine(world: TrafficWorld, options: EngineOptions): EngineRun {
  const policy = policyWithValueKpi(policyWithKpi(options.policy, options.kpi), options.valueKpi);
  const timeline: TimelineEntry[] = [];
  const shifts: Array<{ at: number; weight: number }> = [];
  let record: RolloutContext | null = null;
  let now = options.startTime;
  let weight = 0;
  const setWeight = (to: number) => {
    if (to === weight) return;
    world.setCanaryWeight(now, to);
    weight = to;
    shifts.push({ at: now, weight: to });
  };

  for (const hook of HOOKS) {
    if (hook === 'AfterAllowTraffic') {
      setWeight(100);
      timeline.push({
        at: now,
        hook: 'AllowTraffic',
        weight,
        action: 'set weights 0/100',
        reason: 'CodeDeploy AllowTraffic: all production traffic to the replacement',
      });
    }
    let state: RolloutState = initialState(
      { deploymentId: 'd-SIMULATED', lifecycleEventHookExecutionId: `sim-${hook}`, hook, startedAt: new Date(now).toISOString() },
      options.plan,
      options.service,
      { policy, canaryHeader: false },
    );
    for (let tick = 0; ; tick += 1) {
      if (tick > MAX_TICKS_PER_WINDOW)
        throw new SimulationError(`simulation: the ${hook} window did not finish in ${MAX_TICKS_PER_WINDOW} ticks`);
      const observation = observe(
        world,
        state,
        weight,
        now,
        options.observation,
        record,
        (options.kpi || options.valueKpi) &&
          ((buckets) =>
            withValueKpi(
              withKpi(buckets, options.kpi, options.observation.seed, policy),
              options.valueKpi,
              options.observation.seed,
              policy,
              record?.startedAt,
            )),
      );
      const decision = next(state, observation, now);
      for (const action of decision.actions) {
        if (action.kind === 'setWeights') setWeight(action.replacement);
        if (action.kind === 'audit') timeline.push(entry(action.draft, now, hook, weight));
        // The rollout record: first writer wins, as its conditional put in DynamoDB.
        if (action.kind === 'recordRollout' && record === null) record = action.rollout;
      }
      if (decision.done) {
        if (decision.state.outcome?.status !== 'Succeeded') {
          const reason = decision.state.outcome?.reason ?? `${hook} ended without an outcome`;
          return { outcome: 'Failed', reason, timeline, shifts, rollout: record, failedAt: { state, observation, now }, endTime: now };
        }
        break;
      }
      state = decision.state;
      now += Math.max(1, decision.waitSeconds) * 1000;
    }
  }
  return {
    outcome: 'Succeeded',
    reason: 'every window succeeded; the original would be terminated after the termination wait',
    timeline,
    shifts,
    rollout: record,
    endTime: now,
  };
}

/**
 * What the Tick observes at `now`: on a window's first tick the original's history and the
 * rollout record (null before the first window wrote it), afterwards the whole rollout's minutes.
 */
export function observe(
  world: TrafficWorld,
  state: RolloutState,
  weight: number,
  now: number,
  options: ObservationOptions,
  record: RolloutContext | null,
  published: (buckets: MinuteBuckets) => MinuteBuckets = (buckets) => buckets,
): Observation {
  const buckets = published(tickBuckets(world.advanceTo(now), state, now, options));
  const starting = state.status === 'starting';
  return {
    deploymentStatus: 'InProgress',
    targets: TARGETS,
    listener: { original: 100 - weight, replacement: weight },
    ...(starting ? { history: buckets.original, rollout: record } : { metrics: buckets }),
    replacementHealth: world.targetHealth().canary,
    errors: [],
  };
}

function entry(draft: AuditDraft, at: number, hook: HookName, weight: number): TimelineEntry {
  return {
    at,
    hook,
    weight: draft.weights?.replacement ?? weight,
    ...(draft.stage ? { stage: draft.stage } : {}),
    verdict: draft.verdict,
    action: draft.action,
    reason: draft.reason,
    ...(draft.reasons ? { reasons: draft.reasons } : {}),
  };
}
