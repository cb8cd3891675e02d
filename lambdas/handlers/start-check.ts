/**
 * Start-check Lambda: EventBridge sends this deployment group's START state changes. Whoever
 * created the deployment — canary deploy, a pipeline, the console, the AWS CLI — it runs only if
 * its AppSpec names this service's three hook functions and the service is not frozen; otherwise
 * it is recorded, stopped with rollback (before CodeDeploy's AllowTestTraffic: the replacement
 * task set is still being installed) and announced. docs/pipelines.md says what a pipeline sends.
 */
import { newestAuditRecords } from '../aws/audit-records';
import { AppSpecUnreadableError, readAppSpecContent, readStartedDeployment, stopWithRollback } from '../aws/deployment-revision';
import { errorText } from '../aws/engine-errors';
import { readFreeze } from '../aws/service-parameters';
import { HOOK_READ_RETRY } from '../core/read-retry';
import { type StartCheckDecision, startCheckDecision } from '../core/start-check';
import { perform } from './act';
import { type InvocationContext, startInvocation } from './invocation';
import { ReadRetriesExhaustedError, readWithRetry } from './read-retry';
import { loadRuntime, logger, type Runtime } from './runtime';

export interface StartEvent {
  readonly 'detail-type'?: string;
  readonly detail: {
    readonly deploymentId: string;
    readonly state: string;
    readonly deploymentGroup?: string;
    readonly application?: string;
  };
}

export interface StartCheckResult {
  readonly verdict: StartCheckDecision['verdict'];
  readonly reason: string;
  /** Whether this invocation's StopDeployment stopped it (false: it had ended already). */
  readonly stopped?: boolean;
  /** The time from the event's arrival to the stop, ms (the clock of the runtime). */
  readonly stopAfterMs?: number;
}

export const handler = async (event: StartEvent, context?: InvocationContext) => {
  startInvocation(logger, context);
  return startCheck(await loadRuntime(), event);
};

export async function startCheck(runtime: Runtime, event: StartEvent): Promise<StartCheckResult> {
  const { deploymentId } = event.detail;
  logger.appendKeys({ deploymentId });
  const began = runtime.clock();
  const { clients, metadata } = runtime;
  // Without GetDeployment a rollback deployment cannot be told apart: the invocation fails and is retried.
  const { deployment, location } = await readStartedDeployment(clients.codedeploy, deploymentId);
  const [appSpec, freeze, alreadyRecorded] = await Promise.all([
    readAppSpec(runtime, location),
    readFreeze(clients.ssm, runtime.env.freezeParameter).catch((error) => ({ unreadable: errorText(error) })),
    newestAuditRecords(runtime.audit.client, { tableName: runtime.audit.tableName, service: runtime.env.service, deploymentId, limit: 10 })
      .then((records) => records.some((r) => r.actor === 'start-check'))
      .catch(() => false),
  ]);
  const decision = startCheckDecision({
    deploymentId,
    service: runtime.env.service,
    applicationName: metadata.applicationName,
    deploymentGroupName: metadata.deploymentGroupName,
    ...(metadata.hooks ? { expectedHooks: metadata.hooks } : {}),
    deployment,
    appSpec,
    freeze,
    alreadyRecorded,
  });
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
  const stopped = await stopWithRollback(clients.codedeploy, deploymentId);
  const stopAfterMs = runtime.clock() - began;
  logger.warn('start check: deployment stopped', { reason: decision.reason, stopped, creator: deployment.creator });
  const notify =
    recordError && decision.notify.kind === 'notify'
      ? { ...decision.notify, message: `${decision.notify.message} (audit record not written: ${recordError})` }
      : decision.notify;
  await perform(runtime, { deploymentId }, [notify]);
  return { verdict: 'stop', reason: decision.reason, stopped, stopAfterMs };
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
  return readWithRetry(runtime, 'appSpec', read, HOOK_READ_RETRY).catch((error) => {
    const last = error instanceof ReadRetriesExhaustedError ? error.cause : error;
    const attempts = error instanceof ReadRetriesExhaustedError ? / \((\d+) attempts\)$/.exec(error.message)?.[1] : undefined;
    const text = last instanceof AppSpecUnreadableError ? last.message : errorText(last);
    return { unreadable: `${text}${attempts ? ` (${attempts} attempts)` : ''}` };
  });
}
