/**
 * Tick Lambda, invoked by the rollout state machine: observe → decide (controller.next) → act.
 * Its first input is the execution input the hook gave; afterwards it receives its own output.
 */
import { failSafe, metricReads, next } from '../core/controller';
import { initialState, type ExecutionInput, type Observation, type RolloutState, type TargetPair } from '../core/rollout-state';
import { toMinuteBuckets, type MinuteBuckets, type TargetRole } from '../core/observation';
import { deploymentStatus, deploymentTargets } from '../aws/codedeploy';
import { readWeights, targetHealth } from '../aws/elbv2';
import { buildMetricQueries, readMetrics } from '../aws/cloudwatch';
import { readControl } from '../aws/dynamodb';
import { errorText } from '../aws/errors';
import { perform } from './act';
import { logger, runtime, type Runtime } from './runtime';

/** What the state machine passes from one tick to the next. */
export interface TickPayload {
  readonly input: ExecutionInput;
  readonly state: RolloutState;
  readonly waitSeconds: number;
  readonly done: boolean;
}

/** What the state machine's Catch adds (ResultPath `$.error`) when the tick failed after its retries. */
export interface TickFailure { readonly error: { readonly Error?: string; readonly Cause?: string } }

export type TickEvent = (ExecutionInput | TickPayload) & Partial<TickFailure>;

const isPayload = (event: ExecutionInput | TickPayload): event is TickPayload => 'state' in event;

export async function handler(event: TickEvent): Promise<TickPayload> {
  return tick(await runtime(), event);
}

export async function tick(rt: Runtime, event: TickEvent): Promise<TickPayload> {
  const input = isPayload(event) ? event.input : event;
  logger.appendKeys({ deploymentId: input.deploymentId, hook: input.hook });
  const state = isPayload(event)
    ? event.state
    : initialState(input, rt.metadata.plan, rt.env.service, { policy: rt.metadata.thresholds, canaryHeader: rt.metadata.canaryHeader !== undefined });
  const now = rt.clock();
  if (event.error) return failedTick(rt, input, state, event.error, now);
  const observation = await observe(rt, state, now);
  let decision = next(state, observation, now);
  rt.logger.info('decision', { status: decision.state.status, weight: decision.state.weight, actions: decision.actions.map((a) => a.kind), observationErrors: observation.errors });
  const target = { deploymentId: state.deploymentId, lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId, targets: decision.state.targets };
  const result = await perform(rt, target, decision.actions);
  if (result.notInProgress) {
    // Invariant 3: the deployment stopped between observing and writing; the only write left is the restore.
    decision = next(decision.state.status === 'done' ? state : decision.state, { ...observation, deploymentStatus: result.notInProgress }, rt.clock());
    await perform(rt, target, decision.actions);
  }
  return { input, state: decision.state, waitSeconds: decision.waitSeconds, done: decision.done };
}

/** The fail-safe path: restore and report Failed after the tick itself kept failing. */
async function failedTick(rt: Runtime, input: ExecutionInput, state: RolloutState, error: TickFailure['error'], now: number): Promise<TickPayload> {
  const targets = state.targets ?? await deploymentTargets(rt.clients.codedeploy, state.deploymentId, rt.metadata.targetGroups);
  const decision = failSafe({ ...state, targets }, `${error.Error ?? 'Error'}: ${(error.Cause ?? '').slice(0, 500)}`, now);
  rt.logger.error('tick failed; restoring the original', { error });
  await perform(rt, { deploymentId: state.deploymentId, lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId, targets }, decision.actions);
  return { input, state: decision.state, waitSeconds: 0, done: true };
}

async function attempt<T>(what: string, errors: string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    errors.push(`${what}: ${errorText(error)}`);
    return undefined;
  }
}

/** Reads everything the controller needs; a failed read is named in `errors`, never thrown. */
export async function observe(rt: Runtime, state: RolloutState, now: number): Promise<Observation> {
  const { clients, metadata } = rt;
  const errors: string[] = [];
  const [status, targets, control] = await Promise.all([
    attempt('deployment', errors, () => deploymentStatus(clients.codedeploy, state.deploymentId)),
    state.targets ? Promise.resolve(state.targets) : attempt('targets', errors, () => deploymentTargets(clients.codedeploy, state.deploymentId, metadata.targetGroups)),
    attempt('control', errors, () => readControl(rt.audit)),
  ]);
  let listener: Observation['listener'];
  let replacementHealth: Observation['replacementHealth'];
  let metrics: Observation['metrics'];
  if (targets) {
    [listener, replacementHealth, metrics] = await Promise.all([
      attempt('listener', errors, () => readWeights(clients.elbv2, metadata.productionListenerArn, targets)),
      attempt('targetHealth', errors, () => targetHealth(clients.elbv2, targets.replacement.arn)),
      state.status === 'starting' ? Promise.resolve(undefined) : attempt('metrics', errors, () => readStageMinutes(rt, state, targets, now)),
    ]);
  }
  return {
    ...(status !== undefined ? { deploymentStatus: status } : {}),
    ...(targets ? { targets } : {}),
    ...(listener ? { listener } : {}),
    ...(metrics ? { metrics } : {}),
    ...(replacementHealth ? { replacementHealth } : {}),
    ...(control ? { control } : {}),
    errors,
  };
}

/**
 * The stage's complete minutes, reading only what `metricReads` asks for (GetMetricData is billed
 * per metric): nothing while no minute of the stage can be complete (the buckets would be empty
 * anyway), and in the post-traffic bake only the replacement once the baseline is settled.
 */
async function readStageMinutes(rt: Runtime, state: RolloutState, targets: TargetPair, now: number): Promise<MinuteBuckets> {
  const reads = metricReads(state, now);
  const roles = (['replacement', 'original'] as const).filter((role) => reads[role] !== undefined) as TargetRole[];
  if (roles.length === 0) return { replacement: [], original: [] };
  const queries = buildMetricQueries(targets, rt.metadata.loadBalancerFullName, state.config.policy.maxP95Ms, roles);
  const from = Math.min(...roles.map((role) => reads[role]!.from));
  return toMinuteBuckets(await readMetrics(rt.clients.cloudwatch, queries, from, now), now, reads);
}
