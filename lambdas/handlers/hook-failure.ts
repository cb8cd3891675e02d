/**
 * The hook functions' on-failure destination: Lambda sends it the invocation record of a hook
 * invocation it gave up on (every attempt failed, or the event aged out of its queue). It records
 * why, answers the hook `Failed` and notifies, so no hook is left to CodeDeploy's one-hour timeout.
 * A second answer for a hook that was answered after all is refused by CodeDeploy and only logged.
 */
import { decideHookInvocationFailed, parseInvocationRecord } from '../core/hook-failure';
import { HOOKS, type HookName } from '../core/rollout-plan';
import { perform } from './act';
import { readWithRetry } from './read-retry';
import { HOOK_READ_RETRY } from '../core/read-retry';
import { logger, loadRuntime, type Runtime } from './runtime';
import { startInvocation, type InvocationContext } from './invocation';

export const handler = async (event: unknown, context?: InvocationContext) => {
  startInvocation(logger, context);
  return hookInvocationFailed(await loadRuntime(), event);
};

export async function hookInvocationFailed(runtime: Runtime, event: unknown): Promise<{ reason: string }> {
  const record = parseInvocationRecord(event);
  const hook = hookOfFunction(runtime, record.requestContext.functionArn);
  const decision = decideHookInvocationFailed({ record, service: runtime.env.service, ...(hook ? { hook } : {}) });
  logger.appendKeys({ deploymentId: decision.deploymentId, ...(hook ? { hook } : {}) });
  logger.error('hook invocation failed on every attempt; answering Failed', { reason: decision.reason });
  const target = { deploymentId: decision.deploymentId, lifecycleEventHookExecutionId: decision.lifecycleEventHookExecutionId };
  // Retried like the hooks' own actions: a second audit record or a second answer is harmless.
  await readWithRetry(runtime, 'answer Failed', () => perform(runtime, target, decision.actions), HOOK_READ_RETRY);
  return { reason: decision.reason };
}

/** The hook a function serves, from its name in the deployment metadata (`…:function:<name>[:qualifier]`). */
function hookOfFunction(runtime: Runtime, functionArn: string): HookName | undefined {
  const name = functionArn.includes(':function:') ? functionArn.split(':function:')[1]!.split(':')[0] : functionArn;
  return HOOKS.find((hook) => runtime.metadata.hooks?.[hook] === name);
}
