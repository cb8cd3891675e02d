/**
 * Start-check Lambda. Whoever created a deployment of this group — canary deploy, a pipeline, the
 * console, the AWS CLI — it runs only if its AppSpec names this service's three hook functions and
 * the service is not frozen; otherwise it is recorded, stopped with rollback and announced. The
 * group waits in Ready before production is rerouted; this function continues a gated deployment
 * past that wait, and nothing else does, so an ungated deployment whose check was lost or failed
 * waits and is stopped rather than shifting production. It runs on the group's START and READY
 * state changes and every minute (a sweep of the deployments waiting in Ready, for events that
 * come late or never). docs/pipelines.md says what a pipeline sends.
 */
import { newestAuditRecords } from '../aws/audit-records';
import { deploymentTargets } from '../aws/codedeploy';
import {
  AppSpecUnreadableError,
  continuePastReadyWait,
  readAppSpecContent,
  readStartedDeployment,
  readyDeployments,
  stopWithRollback,
} from '../aws/deployment-revision';
import { targetHealth } from '../aws/elbv2';
import { errorText, isTransientError } from '../aws/engine-errors';
import { readFreeze } from '../aws/service-parameters';
import { type CheckedDeploymentEvent, parseDeploymentEvent, START_CHECK_EVENT_STATES } from '../core/lambda-events';
import { START_CHECK_RETRY } from '../core/read-retry';
import { arnScope, isRollbackDeployment, type StartCheckDecision, startCheckDecision } from '../core/start-check';
import { perform } from './act';
import { checkedEvent, type InvocationContext, startInvocation } from './invocation';
import { performWithoutMetadata } from './metadata-failure';
import { ReadRetriesExhaustedError, readWithRetry } from './read-retry';
import { type BaseRuntime, loadBaseRuntime, loadRuntime, logger, type Runtime } from './runtime';

/** A deployment's START or READY state change (checked by `parseDeploymentEvent`). */
export type StartEvent = CheckedDeploymentEvent;

/** The minute rule's EventBridge Scheduled Event (its detail is empty). */
export interface SweepEvent {
  readonly 'detail-type': 'Scheduled Event';
  readonly source?: string;
}

export interface StartCheckResult {
  readonly verdict: StartCheckDecision['verdict'];
  readonly reason: string;
  /** Whether this invocation's StopDeployment stopped it (false: it had ended already). */
  readonly stopped?: boolean;
  /** Whether this invocation's ContinueDeployment let it go on (false: it was no longer waiting). */
  readonly continued?: boolean;
  /** The time from the event's arrival to the stop, ms (the clock of the runtime). */
  readonly stopAfterMs?: number;
}

export const handler = async (event: StartEvent | SweepEvent, context?: InvocationContext) => {
  startInvocation(logger, context);
  if (isSweep(event)) return sweepReady(await loadRuntime());
  const checked = checkedEvent(logger, () => parseDeploymentEvent(event, 'start check', START_CHECK_EVENT_STATES));
  return startCheckInvocation(loadBaseRuntime(), () => loadRuntime(), checked);
};

/**
 * One START or READY: the deployment metadata (read with retries), then the check. Metadata that
 * stays unusable stops the deployment with rollback (a rollback deployment is left alone): nothing
 * it would need — its hooks, its judge, its restore — can work, and a deployment waiting in Ready
 * may already serve production from the replacement.
 */
export async function startCheckInvocation(
  base: BaseRuntime | undefined,
  load: () => Promise<Runtime>,
  event: StartEvent,
): Promise<StartCheckResult> {
  const timing = base ?? { clock: Date.now, logger };
  let runtime: Runtime;
  try {
    runtime = await readWithRetry(timing, 'deployment metadata', load, START_CHECK_RETRY, isTransientError);
  } catch (error) {
    if (!base) throw error;
    return checkWithoutMetadata(base, event.detail.deploymentId, errorText(error));
  }
  return startCheck(runtime, event);
}

async function checkWithoutMetadata(base: BaseRuntime, deploymentId: string, problem: string): Promise<StartCheckResult> {
  logger.appendKeys({ deploymentId });
  const { codedeploy } = base.clients;
  const { deployment } = await readWithRetry(base, 'deployment', () => readStartedDeployment(codedeploy, deploymentId), START_CHECK_RETRY);
  const decision = startCheckDecision({
    deploymentId,
    service: base.env.service,
    // The group of the event (the rule matches only this service's group).
    applicationName: deployment.applicationName ?? '',
    deploymentGroupName: deployment.deploymentGroupName ?? '',
    deployment,
    appSpec: { unreadable: 'not read: no deployment metadata' },
    freeze: { unreadable: 'not read: no deployment metadata' },
    metadataProblem: problem,
    alreadyRecorded: false,
  });
  logger.error('start check without the deployment metadata', { verdict: decision.verdict, reason: decision.reason });
  if (decision.verdict !== 'continue' && decision.verdict !== 'stop') return { verdict: decision.verdict, reason: decision.reason };
  if (decision.record) await performWithoutMetadata(base, { deploymentId }, [decision.record]);
  if (decision.verdict === 'continue') {
    const continued = await readWithRetry(
      base,
      'ContinueDeployment',
      () => continuePastReadyWait(codedeploy, deploymentId),
      START_CHECK_RETRY,
    );
    return { verdict: 'continue', reason: decision.reason, continued };
  }
  const stopped = await readWithRetry(base, 'StopDeployment', () => stopWithRollback(codedeploy, deploymentId), START_CHECK_RETRY);
  await performWithoutMetadata(base, { deploymentId }, [decision.notify]);
  return { verdict: 'stop', reason: decision.reason, stopped };
}

export function isSweep(event: StartEvent | SweepEvent): event is SweepEvent {
  return (event as Partial<SweepEvent> | null | undefined)?.['detail-type'] === 'Scheduled Event';
}

/** A state change of one deployment (START or READY): the check of that deployment. */
export async function startCheck(runtime: Runtime, event: StartEvent): Promise<StartCheckResult> {
  return checkDeployment(runtime, event.detail.deploymentId);
}

/**
 * The minute sweep: every deployment of the group waiting in Ready is checked, so one whose READY
 * event came late or never still goes on (gated) or is stopped (ungated) within a minute or two.
 * A deployment whose check fails is left to the next sweep; the others are still checked.
 */
export async function sweepReady(runtime: Runtime): Promise<Array<StartCheckResult & { deploymentId: string }>> {
  const { applicationName, deploymentGroupName } = runtime.metadata;
  const ids = await readWithRetry(
    runtime,
    'readyDeployments',
    () => readyDeployments(runtime.clients.codedeploy, applicationName, deploymentGroupName),
    START_CHECK_RETRY,
  );
  const results: Array<StartCheckResult & { deploymentId: string }> = [];
  let failure: unknown;
  for (const deploymentId of ids) {
    try {
      results.push({ deploymentId, ...(await checkDeployment(runtime, deploymentId)) });
    } catch (error) {
      failure ??= error;
      logger.error('start check sweep: check failed; the next sweep tries again', { deploymentId, error: errorText(error) });
    }
  }
  if (failure) throw failure;
  return results;
}

async function checkDeployment(runtime: Runtime, deploymentId: string): Promise<StartCheckResult> {
  logger.appendKeys({ deploymentId });
  const began = runtime.clock();
  const { clients, metadata } = runtime;
  // Without GetDeployment a rollback deployment cannot be told apart: after the retries the invocation fails and is retried.
  const { deployment, location } = await readWithRetry(
    runtime,
    'deployment',
    () => readStartedDeployment(clients.codedeploy, deploymentId),
    START_CHECK_RETRY,
  );
  const [appSpec, freeze, recorded, replacement] = await Promise.all([
    readAppSpec(runtime, location),
    readFreeze(clients.ssm, runtime.env.freezeParameter).catch((error) => ({ unreadable: errorText(error) })),
    newestAuditRecords(runtime.audit.client, { tableName: runtime.audit.tableName, service: runtime.env.service, deploymentId, limit: 10 })
      .then((records) => records.filter((r) => r.actor === 'start-check').map((r): string | undefined => r.verdict))
      .catch((): Array<string | undefined> => []),
    deployment.status === 'Ready' && !isRollbackDeployment(deployment) ? readReplacementHealth(runtime, deploymentId) : undefined,
  ]);
  const serviceScope = arnScope(metadata.productionListenerArn);
  const decision = startCheckDecision({
    deploymentId,
    service: runtime.env.service,
    applicationName: metadata.applicationName,
    deploymentGroupName: metadata.deploymentGroupName,
    ...(metadata.hooks ? { expectedHooks: metadata.hooks } : {}),
    ...(serviceScope ? { serviceScope } : {}),
    deployment,
    appSpec,
    freeze,
    alreadyRecorded: recorded.includes('abort'),
    alreadyContinued: recorded.includes('start'),
    ...(replacement ? { replacement } : {}),
  });
  if (decision.verdict === 'continue') {
    // Recorded first (invariant 6); a record that cannot be written fails the invocation: the deployment waits for a retry or the sweep.
    if (decision.record) await perform(runtime, { deploymentId }, [decision.record]);
    const continued = await readWithRetry(
      runtime,
      'ContinueDeployment',
      () => continuePastReadyWait(clients.codedeploy, deploymentId),
      START_CHECK_RETRY,
    );
    logger.info('start check: continued past the ready wait', { reason: decision.reason, continued, creator: deployment.creator });
    return { verdict: 'continue', reason: decision.reason, continued };
  }
  if (decision.verdict !== 'stop') {
    logger.info(`start check: ${decision.verdict}`, { reason: decision.reason, creator: deployment.creator });
    return { verdict: decision.verdict, reason: decision.reason };
  }
  // The record first; a record that cannot be written never holds up the stop.
  let recordError: string | undefined;
  if (decision.record) {
    await perform(runtime, { deploymentId }, [decision.record]).catch((error) => {
      recordError = errorText(error);
      logger.error('start check: audit record not written; stopping anyway', { error: recordError });
    });
  }
  const stopped = await readWithRetry(
    runtime,
    'StopDeployment',
    () => stopWithRollback(clients.codedeploy, deploymentId),
    START_CHECK_RETRY,
  );
  const stopAfterMs = runtime.clock() - began;
  logger.warn('start check: deployment stopped', { reason: decision.reason, stopped, creator: deployment.creator });
  const notify =
    recordError && decision.notify.kind === 'notify'
      ? { ...decision.notify, message: `${decision.notify.message} (audit record not written: ${recordError})` }
      : decision.notify;
  await perform(runtime, { deploymentId }, [notify]);
  return { verdict: 'stop', reason: decision.reason, stopped, stopAfterMs };
}

/** Healthy targets of the deployment's replacement target group (retried), or why they could not be read. */
async function readReplacementHealth(runtime: Runtime, deploymentId: string): Promise<{ healthy: number } | { unreadable: string }> {
  const read = async () => {
    const targets = await deploymentTargets(runtime.clients.codedeploy, deploymentId, runtime.metadata.targetGroups);
    return { healthy: (await targetHealth(runtime.clients.elbv2, targets.replacement.arn)).healthy };
  };
  return readWithRetry(runtime, 'replacementHealth', read, START_CHECK_RETRY).catch((error) => ({ unreadable: errorText(error) }));
}

/**
 * The AppSpec's content, the GetApplicationRevision call retried with backoff inside the
 * invocation (one throttled read must not stop a gated deployment); a revision the check cannot
 * read by design (S3, GitHub, no sha256) is not retried. Unreadable in the end: the reason.
 */
async function readAppSpec(
  runtime: Runtime,
  location: Parameters<typeof readAppSpecContent>[2],
): Promise<{ content: string } | { unreadable: string }> {
  const read = () =>
    readAppSpecContent(runtime.clients.codedeploy, runtime.metadata.applicationName, location).then(
      (content) => ({ content }),
      (error) => {
        // Only a failed call carries a cause; the others are the revision's own kind or shape.
        if (error instanceof AppSpecUnreadableError && error.cause === undefined) return { unreadable: error.message };
        throw error;
      },
    );
  return readWithRetry(runtime, 'appSpec', read, START_CHECK_RETRY).catch((error) => {
    const last = error instanceof ReadRetriesExhaustedError ? error.cause : error;
    const attempts = error instanceof ReadRetriesExhaustedError ? / \((\d+) attempts\)$/.exec(error.message)?.[1] : undefined;
    const text = last instanceof AppSpecUnreadableError ? last.message : errorText(last);
    return { unreadable: `${text}${attempts ? ` (${attempts} attempts)` : ''}` };
  });
}
