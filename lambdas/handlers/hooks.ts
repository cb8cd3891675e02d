/**
 * CodeDeploy lifecycle hook Lambdas. Each is invoked with `{DeploymentId, LifecycleEventHookExecutionId}`,
 * checks what must hold before its window (freeze switch, smoke checks, replacement health), then
 * starts the window's rollout execution — or answers at once when the window has nothing to do.
 */
import { deploymentTargets } from '../aws/codedeploy';
import { healthyEndpoints, targetHealth } from '../aws/elbv2';
import { errorText } from '../aws/engine-errors';
import { type FreezeState, readFreeze } from '../aws/service-parameters';
import { rolloutStatus, startRollout } from '../aws/sfn';
import { decideHook, type SmokeResult } from '../core/hooks';
import { parseHookEvent } from '../core/lambda-events';
import { hasCanaryRouting } from '../core/metadata';
import { HOOK_READ_RETRY } from '../core/read-retry';
import { type HookName, windowFor } from '../core/rollout-plan';
import { perform } from './act';
import { checkedEvent, type InvocationContext, startInvocation } from './invocation';
import { loadOrAnswer } from './metadata-failure';
import { ReadRetriesExhaustedError, readWithRetry } from './read-retry';
import { type BaseRuntime, EnvironmentError, loadBaseRuntime, loadRuntime, logger, type Runtime } from './runtime';

export interface HookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

const SMOKE_TIMEOUT_MS = 5_000;

/** A hook's Lambda entry point: one invocation's logging, then the hook. */
const hookHandler = (hook: HookName) => async (event: HookEvent, context?: InvocationContext) => {
  startInvocation(logger, context);
  const checked = checkedEvent(logger, () => parseHookEvent(event, hook));
  return answerHook(loadBaseRuntime(), () => loadRuntime(), hook, checked);
};

/**
 * One hook invocation: the deployment metadata (read with retries), then the hook. A hook whose
 * metadata stays unreadable is answered `Failed` at once, never left to CodeDeploy's timeout.
 */
export async function answerHook(
  base: BaseRuntime | undefined,
  load: () => Promise<Runtime>,
  hook: HookName,
  event: HookEvent,
): Promise<{ passed: boolean; reason: string }> {
  const loaded = await loadOrAnswer(base, load, {
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    hook,
    answeredBy: `the ${hook} hook`,
  });
  if ('answered' in loaded) return { passed: false, reason: loaded.answered.reason };
  return runHook(loaded.runtime, hook, event);
}

export const afterAllowTestTraffic = hookHandler('AfterAllowTestTraffic');
export const beforeAllowTraffic = hookHandler('BeforeAllowTraffic');
export const afterAllowTraffic = hookHandler('AfterAllowTraffic');

export async function runHook(runtime: Runtime, hook: HookName, event: HookEvent): Promise<{ passed: boolean; reason: string }> {
  const deploymentId = event.DeploymentId;
  logger.appendKeys({ deploymentId, hook });
  const startedAt = new Date(runtime.clock()).toISOString();
  const { metadata, clients } = runtime;
  // Every read is retried with backoff inside the invocation: one failed call must neither fail a
  // clean release nor leave the hook to CodeDeploy's one-hour timeout.
  const errors: string[] = [];
  const attempt = async <T>(what: string, call: () => Promise<T>) =>
    readWithRetry(runtime, what, call, HOOK_READ_RETRY).catch((error) => {
      errors.push(`${what}: ${error instanceof ReadRetriesExhaustedError ? error.message : errorText(error)}`);
      return undefined;
    });
  // Lambda delivers asynchronous invocations at least once: a second delivery of a hook whose
  // rollout is already running (or done) must neither re-run the checks nor answer again. When
  // the execution cannot be described the hook goes on: starting it again is harmless (its name is
  // the deployment's and the hook's) and a second answer is refused by CodeDeploy.
  const existing = runtime.env.stateMachineArn
    ? await readWithRetry(
        runtime,
        'execution',
        () => rolloutStatus(clients.sfn, runtime.env.stateMachineArn!, deploymentId, hook),
        HOOK_READ_RETRY,
      ).catch((error) => {
        logger.warn('cannot tell whether the rollout execution exists; checking again', { error: errorText(error) });
        return undefined;
      })
    : undefined;
  if (existing !== undefined) {
    const reason = `duplicate ${hook} invocation: the rollout execution is already ${existing}; nothing to do`;
    logger.warn(reason);
    return { passed: true, reason };
  }
  const window = windowFor(metadata.plan, hook);
  const windowHasWork = window !== undefined && (window.steps.length > 0 || window.postTrafficBakeMinutes > 0);

  const targets = await attempt('targets', () => deploymentTargets(clients.codedeploy, deploymentId, metadata.targetGroups));
  let freeze: FreezeState | undefined;
  let smoke: SmokeResult[] = [];
  let replacementHealth: { healthy: number; unhealthy: number } | undefined;
  if (hook === 'AfterAllowTestTraffic') {
    freeze = await attempt('freeze', () => readFreeze(clients.ssm, runtime.env.freezeParameter));
    if (!freeze?.frozen && targets) smoke = await smokeChecks(runtime, targets.replacement.arn, attempt);
  }
  if (targets && (hook === 'AfterAllowTestTraffic' || (hook === 'BeforeAllowTraffic' && !windowHasWork))) {
    replacementHealth = await attempt('targetHealth', () => targetHealth(clients.elbv2, targets.replacement.arn));
  }
  const gate = {
    deploymentId,
    hook,
    service: runtime.env.service,
    ...(freeze ? { freeze } : {}),
    smoke,
    ...(replacementHealth ? { replacementHealth } : {}),
    windowHasWork,
    canaryHeader: hasCanaryRouting(metadata),
    errors,
    targetsKnown: targets !== undefined,
  };
  const decision = decideHook(gate);
  logger.info('hook decision', { passed: decision.passed, reason: decision.reason, startExecution: decision.startExecution });
  const target = { deploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, ...(targets ? { targets } : {}) };
  // Performed again when a call fails: each action is idempotent or harmless twice (a second audit
  // record, a restore already in place, an answer CodeDeploy already has).
  const act = (actions: typeof decision.actions) => readWithRetry(runtime, 'act', () => perform(runtime, target, actions), HOOK_READ_RETRY);
  await act(decision.actions);
  if (decision.startExecution) {
    const stateMachineArn = runtime.env.stateMachineArn;
    if (!stateMachineArn)
      throw new EnvironmentError(
        'environment variable STATE_MACHINE_ARN is not set; the RolloutEngine construct sets it on the hook functions',
      );
    // StartExecution is idempotent for the same name and input, so it is retried like a read.
    const input = { deploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, hook, startedAt };
    const started = await attempt('start the rollout execution', () => startRollout(clients.sfn, stateMachineArn, input));
    if (!started) {
      // Nobody else would answer this hook: fail it now, with the reason recorded first.
      const failed = decideHook(gate);
      await act(failed.actions);
      return { passed: false, reason: failed.reason };
    }
    logger.info(started.alreadyStarted ? 'rollout execution already running (duplicate hook invocation)' : 'rollout execution started', {
      executionArn: started.executionArn,
    });
  }
  return { passed: decision.passed, reason: decision.reason };
}

/**
 * Each configured check, through the test listener — or, when the hook runs inside the VPC
 * (`replacement-targets`), against every healthy replacement target, since the test listener is
 * normally open only to operators' CIDRs.
 */
async function smokeChecks(
  runtime: Runtime,
  replacementArn: string,
  attempt: <T>(what: string, call: () => Promise<T>) => Promise<T | undefined>,
): Promise<SmokeResult[]> {
  const { metadata } = runtime;
  if (metadata.smokeChecks.length === 0) return [];
  let bases = [`http://${metadata.loadBalancerDnsName}:${metadata.testListenerPort}`];
  if (runtime.env.smokeCheckMode === 'replacement-targets') {
    const endpoints = await attempt('smoke targets', () => healthyEndpoints(runtime.clients.elbv2, replacementArn));
    if (!endpoints) return [];
    bases = endpoints.map((e) => `http://${e.host}:${e.port}`);
  }
  const checks = bases.flatMap((base) =>
    metadata.smokeChecks.map((check) => ({ check, url: `${base}${check.path.startsWith('/') ? '' : '/'}${check.path}` })),
  );
  return Promise.all(
    checks.map(async ({ check, url }) => ({
      url,
      expectStatus: check.expectStatus,
      ...(await runtime.clients.http(url, SMOKE_TIMEOUT_MS)),
    })),
  );
}
