/**
 * What the engine does when Lambda gives up on a hook invocation: every attempt died (or the event
 * aged out of Lambda's queue) and Lambda sends the invocation record to the hook functions'
 * on-failure destination. Nobody else will answer that hook, so it is answered `Failed` like any
 * failed check: the reason recorded first, the header rule removed and 100% restored to the
 * original (when the deployment's target groups are known), then `Failed`, then a critical
 * notification. Pure: the handler gathers the facts and performs the returned actions in order.
 */
import type { AuditDraft } from './audit-chain';
import { EcsCanaryError } from './ecs-canary-error';
import { shortJson } from './lambda-events';
import type { HookName } from './rollout-plan';
import type { Action } from './rollout-state';

/**
 * The part of Lambda's invocation record for an asynchronous invocation that the engine reads
 * (Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations").
 */
export interface InvocationRecord {
  readonly timestamp?: string;
  readonly requestContext: {
    readonly requestId?: string;
    readonly functionArn: string;
    /** `RetriesExhausted` or `EventAgeExceeded` for a failed invocation. */
    readonly condition: string;
    readonly approximateInvokeCount: number;
  };
  /** The original event: CodeDeploy's `{DeploymentId, LifecycleEventHookExecutionId}`. */
  readonly requestPayload: { readonly DeploymentId: string; readonly LifecycleEventHookExecutionId: string };
  readonly responseContext?: { readonly statusCode?: number; readonly functionError?: string };
  readonly responsePayload?: { readonly errorType?: string; readonly errorMessage?: string } | unknown;
}

export class InvocationRecordError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvocationRecordError';
  }
}

/** Checks the fields the decision needs; names the first one that is missing or malformed. */
export function parseInvocationRecord(value: unknown): InvocationRecord {
  const record = value as Partial<InvocationRecord> | undefined;
  const context = record?.requestContext;
  const payload = record?.requestPayload;
  const field = (name: string, got: unknown, accepted: string) =>
    new InvocationRecordError(`hook failure record: ${name} is ${shortJson(got)}; accepted: ${accepted}`);
  if (typeof context?.functionArn !== 'string') throw field('requestContext.functionArn', context?.functionArn, 'a Lambda function ARN');
  if (typeof context.condition !== 'string')
    throw field('requestContext.condition', context.condition, 'RetriesExhausted or EventAgeExceeded');
  if (typeof payload?.DeploymentId !== 'string' || payload.DeploymentId === '')
    throw field('requestPayload.DeploymentId', payload?.DeploymentId, 'a CodeDeploy deployment id');
  if (typeof payload.LifecycleEventHookExecutionId !== 'string' || payload.LifecycleEventHookExecutionId === '') {
    throw field(
      'requestPayload.LifecycleEventHookExecutionId',
      payload.LifecycleEventHookExecutionId,
      'the hook execution id CodeDeploy sent',
    );
  }
  return record as InvocationRecord;
}

export interface HookFailureInput {
  readonly record: InvocationRecord;
  readonly service: string;
  /** Which hook the failed function serves. @default - unknown (named by its function ARN) */
  readonly hook?: HookName;
  /** Whether the deployment's target groups could be read: without them nothing is restored. */
  readonly targetsKnown: boolean;
  /** Whether the service routes a header or cookie to the replacement (a rule to remove). */
  readonly canaryHeader: boolean;
}

export interface HookFailureDecision {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly reason: string;
  readonly actions: readonly Action[];
}

/** Why Lambda gave up, in words: the condition and how many attempts it made. */
export function describeCondition(record: InvocationRecord): string {
  const attempts = record.requestContext.approximateInvokeCount;
  const counted = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (record.requestContext.condition) {
    case 'RetriesExhausted':
      return `every attempt of the invocation failed (${counted})`;
    case 'EventAgeExceeded':
      return `the event grew older than the maximum event age before it was processed (${counted})`;
    default:
      return `Lambda discarded the invocation (${record.requestContext.condition}, ${counted})`;
  }
}

/** Record why, restore the original, answer `Failed` (CodeDeploy's rollback then reroutes production), notify. */
export function decideHookInvocationFailed(input: HookFailureInput): HookFailureDecision {
  const { record } = input;
  const deploymentId = record.requestPayload.DeploymentId;
  const hookLabel = input.hook ?? record.requestContext.functionArn;
  const error = errorOf(record);
  const reason = `${hookLabel} was not answered by its function: ${describeCondition(record)}${error ? `; last error: ${error}` : ''}`;
  const draft: AuditDraft = {
    kind: 'decision',
    deploymentId,
    ...(input.hook ? { hook: input.hook } : {}),
    actor: 'engine',
    verdict: 'fail',
    action: input.targetsKnown
      ? 'restore 100% to the original and report Failed'
      : "report Failed without a restore (the target groups are unknown); CodeDeploy's rollback reroutes production to the original",
    reason,
    figures: {
      condition: record.requestContext.condition,
      attempts: record.requestContext.approximateInvokeCount,
      functionArn: record.requestContext.functionArn,
      ...(record.timestamp ? { recordedAt: record.timestamp } : {}),
    },
  };
  const subject = `[critical] ${input.service} ${deploymentId} ${input.hook ?? 'hook'}`;
  return {
    deploymentId,
    lifecycleEventHookExecutionId: record.requestPayload.LifecycleEventHookExecutionId,
    reason,
    actions: [
      { kind: 'audit', draft },
      ...(input.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
      ...(input.targetsKnown ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const] : []),
      { kind: 'reportHook', status: 'Failed' },
      { kind: 'notify', severity: 'critical', subject, message: `${hookLabel} failed: ${reason}` },
    ],
  };
}

/** The error of the last attempt, when Lambda recorded one (`errorType: errorMessage`). */
function errorOf(record: InvocationRecord): string | undefined {
  const payload = record.responsePayload as { errorType?: unknown; errorMessage?: unknown } | undefined;
  if (!payload || typeof payload !== 'object') return undefined;
  const parts = [payload.errorType, payload.errorMessage].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(': ').slice(0, 300) : undefined;
}

export interface MetadataUnreadableInput {
  readonly deploymentId: string;
  readonly service: string;
  /** The hook to answer. @default - unknown (named by `answeredBy`) */
  readonly hook?: HookName;
  /** Which function answers: a hook, the tick, the hook-failure function. */
  readonly answeredBy: string;
  /** Why the metadata could not be used, e.g. `/ecs-canary/web/deployment is not JSON …`. */
  readonly problem: string;
  /** Whether the read failed for a passing cause (throttled, 5xx, timeout) that outlasted the retries. */
  readonly transient: boolean;
}

/**
 * Without the deployment metadata nothing names the listener or the target groups, so nothing can
 * be restored or removed: the hook is answered `Failed` at once and CodeDeploy's rollback reroutes
 * production (and every rule forwarding to the service's target groups) to the original. Never
 * left to CodeDeploy's one-hour hook timeout.
 */
export function decideMetadataUnreadable(input: MetadataUnreadableInput): { readonly reason: string; readonly actions: readonly Action[] } {
  const cause = input.transient ? 'kept failing for the whole retry budget' : 'is unusable';
  const reason = `${input.answeredBy}: the deployment metadata ${cause} (${input.problem}); no traffic can be judged or restored without it`;
  const draft: AuditDraft = {
    kind: 'decision',
    deploymentId: input.deploymentId,
    ...(input.hook ? { hook: input.hook } : {}),
    actor: 'engine',
    verdict: 'fail',
    action:
      "report Failed without a restore (the listener and target groups are unknown); CodeDeploy's rollback reroutes production to the original",
    reason,
    figures: { metadataError: input.transient ? 'transient' : 'permanent' },
  };
  const subject = `[critical] ${input.service} ${input.deploymentId} ${input.hook ?? 'hook'}`;
  return {
    reason,
    actions: [
      { kind: 'audit', draft },
      { kind: 'reportHook', status: 'Failed' },
      { kind: 'notify', severity: 'critical', subject, message: `${input.hook ?? 'hook'} failed: ${reason}` },
    ],
  };
}
