/**
 * An engine function whose deployment metadata cannot be read still answers the hook it serves.
 * A transient read error (throttled, 5xx, timeout) is retried within the invocation's budget; a
 * permanent one (missing, not JSON, the wrong shape, access denied) is not. Then the hook is
 * answered `Failed`, the reason recorded first (or, when the audit table cannot take it, logged)
 * and announced, so CodeDeploy rolls back at once instead of after its one-hour hook timeout.
 */
import { reportHookStatus } from '../aws/codedeploy';
import { anchorRecord, appendAudit } from '../aws/dynamodb';
import { errorText, isTransientError } from '../aws/engine-errors';
import { publishEvent } from '../aws/sns';
import { decideMetadataUnreadable } from '../core/hook-failure';
import { ANSWER_RETRY, HOOK_READ_RETRY } from '../core/read-retry';
import type { HookName } from '../core/rollout-plan';
import type { Action } from '../core/rollout-state';
import { MetadataRequiredError, NoHookExecutionError } from './act-errors';
import { ReadRetriesExhaustedError, readWithRetry } from './read-retry';
import { type BaseRuntime, defaultClients, logger, type Runtime } from './runtime';

export interface HookToAnswer {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  /** @default - unknown (the record names `answeredBy`) */
  readonly hook?: HookName;
  /** The function that answers, e.g. `the BeforeAllowTraffic hook`. */
  readonly answeredBy: string;
}

export interface AnsweredWithoutMetadata {
  readonly passed: false;
  readonly reason: string;
  readonly transient: boolean;
}

export type Loaded = { readonly runtime: Runtime } | { readonly answered: AnsweredWithoutMetadata };

/**
 * The runtime with its metadata, read with retries; or, when the metadata stays unreadable, the
 * hook answered `Failed`. With `answerTransient: false` a transient failure that outlasts the
 * retries is thrown instead (the tick's state machine retries it, then its fail-safe answers).
 * `base` is undefined when the environment is incomplete: then only CodeDeploy is answered.
 */
export async function loadOrAnswer(
  base: BaseRuntime | undefined,
  load: () => Promise<Runtime>,
  hook: HookToAnswer,
  options: { readonly answerTransient?: boolean } = {},
): Promise<Loaded> {
  const timing = base ?? { clock: Date.now, logger };
  try {
    return { runtime: await readWithRetry(timing, 'deployment metadata', load, HOOK_READ_RETRY, isTransientError) };
  } catch (error) {
    const cause = error instanceof ReadRetriesExhaustedError ? error.cause : error;
    const transient = isTransientError(cause);
    if (transient && options.answerTransient === false) throw error;
    const problem = error instanceof ReadRetriesExhaustedError ? error.message : errorText(error);
    return { answered: await answerWithoutMetadata(base, hook, problem, transient) };
  }
}

/** Records why (when it can), answers the hook `Failed`, notifies. Throws only when CodeDeploy cannot be answered. */
export async function answerWithoutMetadata(
  base: BaseRuntime | undefined,
  hook: HookToAnswer,
  problem: string,
  transient: boolean,
): Promise<AnsweredWithoutMetadata> {
  const { deploymentId } = hook;
  const decision = decideMetadataUnreadable({
    deploymentId,
    service: base?.env.service ?? 'unknown service',
    ...(hook.hook ? { hook: hook.hook } : {}),
    answeredBy: hook.answeredBy,
    problem,
    transient,
  });
  const { reason } = decision;
  logger.error('deployment metadata unreadable; answering the hook Failed', { deploymentId, reason });
  await performWithoutMetadata(base, { deploymentId, lifecycleEventHookExecutionId: hook.lifecycleEventHookExecutionId }, decision.actions);
  return { passed: false, reason, transient };
}

/**
 * Performs the actions that need no metadata, in order: the audit record (with the anchor; when it
 * cannot be written, logged and the rest goes on), the hook's answer (retried; thrown when it
 * cannot be given) and the notification (logged when it fails). Other actions are not expected here.
 */
export async function performWithoutMetadata(
  base: BaseRuntime | undefined,
  target: { readonly deploymentId: string; readonly lifecycleEventHookExecutionId?: string },
  actions: readonly Action[],
): Promise<void> {
  const { deploymentId } = target;
  const timing = base ?? { clock: Date.now, logger };
  for (const action of actions) {
    switch (action.kind) {
      case 'audit': {
        if (!base) {
          logger.error('reason not recorded in the audit trail: the environment names no audit table', {
            deploymentId,
            reason: action.draft.reason,
          });
          break;
        }
        const record = await readWithRetry(base, 'audit', () => appendAudit(base.audit, action.draft, base.clock()), ANSWER_RETRY).catch(
          (error) => {
            logger.error('reason not recorded in the audit trail', { deploymentId, reason: action.draft.reason, error: errorText(error) });
            return undefined;
          },
        );
        if (record?.signatureError) logger.error('audit record written unsigned', { sk: record.sk, error: record.signatureError });
        if (record)
          await anchorRecord(base.audit, record).catch((error) =>
            logger.error('audit anchor not written', { sk: record.sk, error: errorText(error) }),
          );
        break;
      }
      case 'reportHook': {
        const executionId = target.lifecycleEventHookExecutionId;
        if (!executionId) throw new NoHookExecutionError();
        const codedeploy = base?.clients.codedeploy ?? defaultClients.codedeploy;
        const reported = await readWithRetry(
          timing,
          `answer ${action.status}`,
          () => reportHookStatus(codedeploy, deploymentId, executionId, action.status),
          ANSWER_RETRY,
        );
        if (!reported) logger.warn('hook was already answered; nothing to report', { deploymentId });
        break;
      }
      case 'notify':
        if (!base) break;
        await publishEvent(base.clients.sns, base.env.topicArn, { ...action, deploymentId, service: base.env.service }).catch((error) =>
          logger.error('notification failed', { error: errorText(error), subject: action.subject }),
        );
        break;
      default:
        throw new MetadataRequiredError(`${action.kind} needs the deployment metadata`);
    }
  }
}
