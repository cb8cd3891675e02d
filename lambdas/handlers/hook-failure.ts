/**
 * The hook functions' on-failure destination: Lambda sends it the invocation record of a hook
 * invocation it gave up on (every attempt failed, or the event aged out of its queue). It records
 * why, restores 100% to the original (when it can read the deployment's target groups), answers the
 * hook `Failed` and notifies, so no hook is left to CodeDeploy's one-hour timeout.
 * A second answer for a hook that was answered after all is refused by CodeDeploy and only logged.
 */
import { deploymentTargets } from '../aws/codedeploy';
import { errorText } from '../aws/engine-errors';
import { decideHookInvocationFailed, parseInvocationRecord } from '../core/hook-failure';
import { hasCanaryRouting } from '../core/metadata';
import { HOOK_READ_RETRY } from '../core/read-retry';
import { type HookName, HOOKS } from '../core/rollout-plan';
import { perform } from './act';
import { type InvocationContext, startInvocation } from './invocation';
import { loadOrAnswer } from './metadata-failure';
import { readWithRetry } from './read-retry';
import { type BaseRuntime, loadBaseRuntime, loadRuntime, logger, type Runtime } from './runtime';

export const handler = async (event: unknown, context?: InvocationContext) => {
  startInvocation(logger, context);
  return answerHookFailure(loadBaseRuntime(), () => loadRuntime(), event);
};

/**
 * One invocation of the destination: the record, the deployment metadata (read with retries),
 * then the answer. Without the metadata the hook is still answered `Failed`, with no restore.
 */
export async function answerHookFailure(
  base: BaseRuntime | undefined,
  load: () => Promise<Runtime>,
  event: unknown,
): Promise<{ reason: string }> {
  const record = parseInvocationRecord(event);
  const loaded = await loadOrAnswer(base, load, {
    deploymentId: record.requestPayload.DeploymentId,
    lifecycleEventHookExecutionId: record.requestPayload.LifecycleEventHookExecutionId,
    answeredBy: `the hook-failure function for ${record.requestContext.functionArn}`,
  });
  if ('answered' in loaded) return { reason: loaded.answered.reason };
  return hookInvocationFailed(loaded.runtime, record);
}

export async function hookInvocationFailed(runtime: Runtime, event: unknown): Promise<{ reason: string }> {
  const record = parseInvocationRecord(event);
  const hook = hookOfFunction(runtime, record.requestContext.functionArn);
  const deploymentId = record.requestPayload.DeploymentId;
  logger.appendKeys({ deploymentId, ...(hook ? { hook } : {}) });
  const targets = await readWithRetry(
    runtime,
    'targets',
    () => deploymentTargets(runtime.clients.codedeploy, deploymentId, runtime.metadata.targetGroups),
    HOOK_READ_RETRY,
  ).catch((error) => {
    logger.error('target groups unreadable; answering Failed without a restore', { error: errorText(error) });
    return undefined;
  });
  const decision = decideHookInvocationFailed({
    record,
    service: runtime.env.service,
    ...(hook ? { hook } : {}),
    targetsKnown: targets !== undefined,
    canaryHeader: hasCanaryRouting(runtime.metadata),
  });
  logger.error('hook invocation failed on every attempt; answering Failed', { reason: decision.reason });
  const target = { deploymentId, lifecycleEventHookExecutionId: decision.lifecycleEventHookExecutionId, ...(targets ? { targets } : {}) };
  // Retried like the hooks' own actions: a second audit record, a restore in place or a second answer is harmless.
  await readWithRetry(runtime, 'answer Failed', () => perform(runtime, target, decision.actions), HOOK_READ_RETRY);
  return { reason: decision.reason };
}

/** The hook a function serves, from its name in the deployment metadata (`…:function:<name>[:qualifier]`). */
function hookOfFunction(runtime: Runtime, functionArn: string): HookName | undefined {
  const name = functionArn.includes(':function:') ? functionArn.split(':function:')[1]!.split(':')[0] : functionArn;
  return HOOKS.find((hook) => runtime.metadata.hooks?.[hook] === name);
}
