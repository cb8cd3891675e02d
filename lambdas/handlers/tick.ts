/**
 * Tick Lambda, invoked by the rollout state machine: observe → decide (controller.next) → act.
 * Its first input is the execution input the hook gave; afterwards it receives its own output.
 */
import { newestAuditRecords } from '../aws/audit-records';
import { buildCustomMetricQueries, buildMetricQueries, defaultRetry, putRoleMetrics, readMetrics } from '../aws/cloudwatch';
import { deploymentStatus, deploymentTargets } from '../aws/codedeploy';
import { readControl } from '../aws/control-parameter';
import { taskDefinitionRevisions, VersionsUnknownError } from '../aws/ecs-versions';
import { readWeights, targetHealth } from '../aws/elbv2';
import { errorText } from '../aws/engine-errors';
import { readRolloutRecord } from '../aws/rollout-record';
import { readFreeze } from '../aws/service-parameters';
import { failSafe, metricReads, next } from '../core/controller';
import { attachCustomMinutes, isCustomSeriesId, valueThresholds, type VersionValues } from '../core/custom-metrics';
import { hasCanaryRouting } from '../core/metadata';
import { type MinuteBuckets, type ReadPurpose, type TargetRole, toMinuteBuckets } from '../core/observation';
import { HOOK_READ_RETRY } from '../core/read-retry';
import { customRoleSamples, roleSamples } from '../core/role-metrics';
import {
  type Decision,
  type ExecutionInput,
  initialState,
  type Observation,
  type RecordedDecision,
  type RolloutState,
  type TargetPair,
} from '../core/rollout-state';
import { perform } from './act';
import { type InvocationContext, startInvocation } from './invocation';
import { loadOrAnswer } from './metadata-failure';
import { readWithRetry } from './read-retry';
import { type BaseRuntime, loadBaseRuntime, loadRuntime, logger, type Runtime } from './runtime';

/** What the state machine passes from one tick to the next. */
export interface TickPayload {
  readonly input: ExecutionInput;
  readonly state: RolloutState;
  readonly waitSeconds: number;
  readonly done: boolean;
}

/** What the state machine's Catch adds (ResultPath `$.error`) when the tick failed after its retries. */
export interface TickFailure {
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

export type TickEvent = (ExecutionInput | TickPayload) & Partial<TickFailure>;

const isPayload = (event: ExecutionInput | TickPayload): event is TickPayload => 'state' in event;

/** What a tick returns when it answered its hook `Failed` without the deployment metadata: the loop ends. */
export interface TickAnsweredWithoutMetadata {
  readonly input: ExecutionInput;
  readonly waitSeconds: 0;
  readonly done: true;
  readonly reason: string;
}

export async function handler(event: TickEvent, context?: InvocationContext): Promise<TickPayload | TickAnsweredWithoutMetadata> {
  startInvocation(logger, context);
  return tickInvocation(loadBaseRuntime(), () => loadRuntime(), event);
}

/**
 * One tick invocation: the deployment metadata (read with retries), then the tick. Metadata that
 * is unusable answers the hook `Failed` at once; one that stays unreadable for a passing cause is
 * thrown, so the state machine retries the tick, and its fail-safe call (`event.error`) answers.
 */
export async function tickInvocation(
  base: BaseRuntime | undefined,
  load: () => Promise<Runtime>,
  event: TickEvent,
): Promise<TickPayload | TickAnsweredWithoutMetadata> {
  const input = isPayload(event) ? event.input : event;
  const loaded = await loadOrAnswer(
    base,
    load,
    {
      deploymentId: input.deploymentId,
      lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId,
      hook: input.hook,
      answeredBy: `the ${input.hook} rollout tick`,
    },
    { answerTransient: event.error !== undefined },
  );
  if ('answered' in loaded) return { input, waitSeconds: 0, done: true, reason: loaded.answered.reason };
  return tick(loaded.runtime, event);
}

export async function tick(runtime: Runtime, event: TickEvent): Promise<TickPayload> {
  const input = isPayload(event) ? event.input : event;
  logger.appendKeys({ deploymentId: input.deploymentId, hook: input.hook });
  const state = isPayload(event)
    ? event.state
    : initialState(input, runtime.metadata.plan, runtime.env.service, {
        policy: { ...runtime.metadata.thresholds, ...(runtime.metadata.metrics?.length ? { metrics: runtime.metadata.metrics } : {}) },
        canaryHeader: hasCanaryRouting(runtime.metadata),
      });
  const now = runtime.clock();
  if (event.error) return failedTick(runtime, input, state, event.error, now);
  const observation = await observe(runtime, state, now);
  let decision = next(state, observation, now);
  runtime.logger.info('decision', {
    ...decisionFields(decision.actions),
    status: decision.state.status,
    weight: decision.state.weight,
    actions: decision.actions.map((a) => a.kind),
    observationErrors: observation.errors,
  });
  const target = {
    deploymentId: state.deploymentId,
    lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId,
    targets: decision.state.targets,
  };
  const result = await perform(runtime, target, decision.actions);
  if (result.notInProgress) {
    // Invariant 3: the deployment stopped between observing and writing; the only write left is the restore.
    decision = next(
      decision.state.status === 'done' ? state : decision.state,
      { ...observation, deploymentStatus: result.notInProgress },
      runtime.clock(),
    );
    runtime.logger.info('decision', {
      ...decisionFields(decision.actions),
      status: decision.state.status,
      weight: decision.state.weight,
      actions: decision.actions.map((a) => a.kind),
      observationErrors: observation.errors,
    });
    await perform(runtime, target, decision.actions);
  } else if (result.unhealthy) {
    // Invariant 7: target health changed between the observation and the write; nothing was
    // written to the group without a healthy target. Decide again from the state before, with the
    // health read right before the write (the controller holds, and removes the canary rules).
    const { health, targetGroup } = result.unhealthy;
    const replacement = decision.state.targets?.replacement.name === targetGroup;
    const { replacementHealth: _stale, ...rest } = observation;
    const fresh: Observation = replacement
      ? {
          ...rest,
          ...(health ? { replacementHealth: health } : {}),
          errors: [...observation.errors, ...(health ? [] : [`targetHealth: ${targetGroup} unreadable right before the write`])],
        }
      : observation;
    const before = state.targets ? state : { ...state, targets: decision.state.targets };
    decision = next(before, fresh, runtime.clock());
    runtime.logger.info('decision', {
      ...decisionFields(decision.actions),
      status: decision.state.status,
      weight: decision.state.weight,
      actions: decision.actions.map((a) => a.kind),
      observationErrors: fresh.errors,
    });
    const again = await perform(runtime, target, decision.actions);
    if (again.unhealthy || again.notInProgress) {
      // Refused again (e.g. the original's health unreadable right before the write): nothing was
      // written, so the state stays the one before and the next tick observes afresh.
      runtime.logger.warn('write refused twice; carrying the state from before this tick', {
        unhealthy: again.unhealthy,
        notInProgress: again.notInProgress,
      });
      return { input, state: before, waitSeconds: 30, done: false };
    }
  }
  if (state.status !== 'done') {
    // Canary and stable by role for the dashboard; never blocks the rollout.
    const weight = decision.state.targets ? decision.state.weight : undefined;
    await putRoleMetrics(
      runtime.clients.cloudwatch,
      runtime.env.service,
      roleSamples(observation.metrics, weight, now),
      customRoleSamples(observation.metrics, runtime.metadata.metrics ?? []),
    ).catch((error) => runtime.logger.warn('role metrics not written', { error: errorText(error) }));
  }
  return { input, state: decision.state, waitSeconds: decision.waitSeconds, done: decision.done };
}

/**
 * The decision record's stage, verdict and reason for the `decision` log line, which the
 * dashboard's decisions widget lists (CloudWatch Logs Insights reads these fields).
 */
function decisionFields(actions: Decision['actions']): { stage?: string; verdict?: string; reason?: string } {
  const record = actions.find((a) => a.kind === 'audit');
  if (!record || record.kind !== 'audit') return {};
  const { stage, verdict, reason } = record.draft;
  return {
    ...(stage ? { stage: stage.index < 0 ? `post-traffic bake at ${stage.weight}%` : `stage ${stage.index + 1} at ${stage.weight}%` } : {}),
    ...(verdict ? { verdict } : {}),
    ...(reason ? { reason } : {}),
  };
}

/**
 * The fail-safe path, after the state machine's retries of the tick: hold without writes while
 * the failures are recent, else restore and report Failed (controller `failSafe`). The target
 * groups are read with retries; without them the hook is still answered.
 */
async function failedTick(
  runtime: Runtime,
  input: ExecutionInput,
  state: RolloutState,
  error: TickFailure['error'],
  now: number,
): Promise<TickPayload> {
  const targets =
    state.targets ??
    (await readWithRetry(
      runtime,
      'targets',
      () => deploymentTargets(runtime.clients.codedeploy, state.deploymentId, runtime.metadata.targetGroups),
      HOOK_READ_RETRY,
    ).catch((readError) => {
      runtime.logger.error('cannot read the target groups for the restore', { error: errorText(readError) });
      return undefined;
    }));
  const decision = failSafe(
    { ...state, ...(targets ? { targets } : {}) },
    `${error.Error ?? 'Error'}: ${(error.Cause ?? '').slice(0, 500)}`,
    now,
  );
  runtime.logger.error(decision.done ? 'tick kept failing; restoring the original' : 'tick failed; holding without writes', { error });
  await perform(
    runtime,
    {
      deploymentId: state.deploymentId,
      lifecycleEventHookExecutionId: state.lifecycleEventHookExecutionId,
      ...(targets ? { targets } : {}),
    },
    decision.actions,
  );
  return { input, state: decision.state, waitSeconds: decision.waitSeconds, done: decision.done };
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
export async function observe(runtime: Runtime, state: RolloutState, now: number): Promise<Observation> {
  const { clients, metadata } = runtime;
  const errors: string[] = [];
  const [status, targets, control, freeze] = await Promise.all([
    attempt('deployment', errors, () => deploymentStatus(clients.codedeploy, state.deploymentId)),
    state.targets
      ? Promise.resolve(state.targets)
      : attempt('targets', errors, () => deploymentTargets(clients.codedeploy, state.deploymentId, metadata.targetGroups)),
    runtime.env.controlParameter
      ? attempt('control', errors, () => readControl(clients.ssm, runtime.env.controlParameter!))
      : Promise.resolve(undefined),
    // Read every tick: a freeze set during a rollout stops it (a failed read is named, never a stop).
    attempt('freeze', errors, () => readFreeze(clients.ssm, runtime.env.freezeParameter)),
  ]);
  let listener: Observation['listener'];
  let replacementHealth: Observation['replacementHealth'];
  let metrics: Observation['metrics'];
  let rollout: Observation['rollout'];
  const starting = state.status === 'starting';
  if (targets) {
    [listener, replacementHealth, metrics, rollout] = await Promise.all([
      attempt('listener', errors, () => readWeights(clients.elbv2, metadata.productionListenerArn, targets)),
      attempt('targetHealth', errors, () => targetHealth(clients.elbv2, targets.replacement.arn)),
      attempt(starting ? 'history' : 'metrics', errors, () => readMinutes(runtime, state, targets, now, errors)),
      starting ? attempt('rollout', errors, () => readRolloutRecord(runtime.audit, state.deploymentId)) : Promise.resolve(undefined),
    ]);
  }
  // Only when the listener differs from the state: was it this window's own recorded shift (a retried tick)?
  const recorded =
    listener && state.status === 'baking' && listener.replacement !== state.weight
      ? await attempt('recorded', errors, () => recordedDecisions(runtime, state.deploymentId))
      : undefined;
  return {
    ...(status !== undefined ? { deploymentStatus: status } : {}),
    ...(recorded ? { recorded } : {}),
    ...(targets ? { targets } : {}),
    ...(listener ? { listener } : {}),
    ...(starting ? (metrics ? { history: metrics.original } : {}) : metrics ? { metrics } : {}),
    ...(rollout !== undefined ? { rollout } : {}),
    ...(replacementHealth ? { replacementHealth } : {}),
    ...(control ? { control } : {}),
    ...(freeze ? { freeze } : {}),
    errors,
  };
}

/** The deployment's newest audit records, newest first, as the controller compares them with the listener. */
async function recordedDecisions(runtime: Runtime, deploymentId: string): Promise<RecordedDecision[]> {
  // Enough to reach past the holds a failing tick's fail-safe records after the shift it made.
  const records = await newestAuditRecords(runtime.audit.client, {
    tableName: runtime.audit.tableName,
    service: runtime.env.service,
    deploymentId,
    limit: 20,
  });
  return records.map((r) => ({
    at: Date.parse(r.at),
    kind: r.kind,
    actor: r.actor,
    ...(r.hook ? { hook: r.hook } : {}),
    ...(r.verdict ? { verdict: r.verdict } : {}),
    ...(r.stage ? { stage: r.stage } : {}),
    ...(r.weights ? { weights: r.weights } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  }));
}

/**
 * The complete minutes `metricReads` asks for, in one GetMetricData call (paged): at a window's
 * start the original's history, afterwards both groups over the whole rollout.
 */
async function readMinutes(
  runtime: Runtime,
  state: RolloutState,
  targets: TargetPair,
  now: number,
  errors: string[],
): Promise<MinuteBuckets> {
  const reads = metricReads(state, now);
  const roles = (['replacement', 'original'] as const).filter((role) => reads[role] !== undefined) as TargetRole[];
  if (roles.length === 0) return { replacement: [], original: [] };
  const purpose: ReadPurpose = state.status === 'starting' ? 'history' : 'judge';
  // The service's own metrics are judged from the judging reads' minutes (the original's history included).
  const specs = purpose === 'judge' ? (runtime.metadata.metrics ?? []) : [];
  const versions = specs.some((spec) => spec.versionDimension)
    ? await attempt('versions', errors, () => readVersions(runtime, targets))
    : undefined;
  const queries = [
    ...buildMetricQueries(targets, runtime.metadata.loadBalancerFullName, state.rollout?.slowThresholdMs, roles, purpose),
    ...buildCustomMetricQueries(specs, roles, versions),
  ];
  const from = Math.min(...roles.map((role) => reads[role]!.from));
  const retry = runtime.sleep ? { ...defaultRetry, sleep: runtime.sleep } : defaultRetry;
  const results = await readMetrics(runtime.clients.cloudwatch, queries, from, now, retry);
  const buckets = toMinuteBuckets(
    results.filter((r) => !isCustomSeriesId(r.id)),
    now,
    reads,
  );
  if (specs.length === 0) return buckets;
  const withCustom = attachCustomMinutes(buckets, results, specs);
  if (!versions || !state.rollout) return withCustom;
  // Compared values: E comes from the original's history just read, then the samples beyond E per version.
  const thresholds = valueThresholds(specs, withCustom.original, state.rollout.startedAt);
  const beyond = buildCustomMetricQueries(specs, roles, versions, thresholds).filter((q) => /_(samples|beyond)$/.test(q.Id ?? ''));
  if (beyond.length === 0) return withCustom;
  const counted = await readMetrics(runtime.clients.cloudwatch, beyond, from, now, retry);
  return attachCustomMinutes(buckets, [...results, ...counted], specs);
}

/** Each version's task definition revision (the metrics' version dimension), from the ECS task sets. */
async function readVersions(runtime: Runtime, targets: TargetPair): Promise<VersionValues> {
  if (!runtime.clients.ecs || !runtime.metadata.ecsService)
    throw new VersionsUnknownError('the deployment metadata names no ECS service: the metrics are read service-wide');
  return taskDefinitionRevisions(runtime.clients.ecs, runtime.metadata.ecsService, targets);
}
