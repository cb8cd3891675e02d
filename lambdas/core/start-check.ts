/**
 * The start check's decision, pure: a deployment of this group has started (EventBridge START).
 * It may run only if its AppSpec names this service's three hook functions — without them
 * CodeDeploy shifts 100% of production at once, ungated — and the service is not frozen.
 * Otherwise it is stopped with rollback before AllowTestTraffic, recorded and announced. An
 * AppSpec that cannot be read is stopped too (fail safe). Rollback deployments, deployments that
 * have already ended and other groups' deployments are left alone.
 */
import { parse } from 'yaml';

import { type HookName, HOOKS } from './rollout-plan';
import type { Action } from './rollout-state';

/** CodeDeploy's active deployment statuses (DeploymentInfo.status). */
const ACTIVE = ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'];

/** What GetDeployment says about the deployment that started. */
export interface StartedDeployment {
  readonly status: string;
  readonly applicationName?: string;
  readonly deploymentGroupName?: string;
  /** DeploymentInfo.creator: `user`, `codeDeployRollback`, `CloudFormation`, … */
  readonly creator?: string;
  /** Set on a rollback deployment (DeploymentInfo.rollbackInfo.rollbackTriggeringDeploymentId). */
  readonly rollbackTriggeringDeploymentId?: string;
  readonly description?: string;
  /** The revision's type and sha256, as GetDeployment names it. */
  readonly revision?: { readonly type?: string; readonly sha256?: string };
}

export interface StartCheckInput {
  readonly deploymentId: string;
  readonly service: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /** The hook functions the rollout engine publishes in the deployment metadata (`hooks`). */
  readonly expectedHooks?: { readonly [hook: string]: string };
  readonly deployment: StartedDeployment;
  /** The AppSpec's content (GetApplicationRevision), or why it could not be read. */
  readonly appSpec: { readonly content: string } | { readonly unreadable: string };
  /** The freeze switch, or why it could not be read. */
  readonly freeze:
    | { readonly frozen: boolean; readonly reason?: string; readonly by?: string; readonly callerArn?: string }
    | { readonly unreadable: string };
  /** Whether an earlier delivery of this START already recorded the stop (a duplicate delivery). */
  readonly alreadyRecorded: boolean;
}

export type StartCheckDecision =
  | { readonly verdict: 'ignore' | 'allow'; readonly reason: string }
  | {
      readonly verdict: 'stop';
      readonly reason: string;
      readonly problems: readonly string[];
      /** Written before the stop (invariant 6); absent when a duplicate delivery already wrote it. */
      readonly record?: Action;
      /** Sent after the stop. */
      readonly notify: Action;
    };

/** What CodeDeploy does not give: the IAM identity behind `creator: user` is only in CloudTrail. */
export const IDENTITY_NOTE =
  "GetDeployment names no IAM identity; CloudTrail's CreateDeployment event for this deployment id does (userIdentity.arn)";

export function startCheckDecision(input: StartCheckInput): StartCheckDecision {
  const { deployment } = input;
  if (
    deployment.applicationName &&
    deployment.deploymentGroupName &&
    (deployment.applicationName !== input.applicationName || deployment.deploymentGroupName !== input.deploymentGroupName)
  ) {
    return {
      verdict: 'ignore',
      reason: `deployment of ${deployment.applicationName}/${deployment.deploymentGroupName}, not of this service's group`,
    };
  }
  if (deployment.creator === 'codeDeployRollback' || deployment.rollbackTriggeringDeploymentId) {
    return {
      verdict: 'ignore',
      reason: `a rollback deployment (of ${deployment.rollbackTriggeringDeploymentId ?? 'an earlier deployment'}) restores the original; it is never stopped`,
    };
  }
  if (!ACTIVE.includes(deployment.status)) {
    return { verdict: 'ignore', reason: `the deployment is ${deployment.status} already; a late or repeated START changes nothing` };
  }
  const problems = [...hookProblems(input), ...freezeProblems(input)];
  if (problems.length === 0)
    return { verdict: 'allow', reason: `the AppSpec names the service's hooks (${HOOKS.join(', ')}) and the service is not frozen` };
  return stop(input, problems);
}

function hookProblems(input: StartCheckInput): string[] {
  if ('unreadable' in input.appSpec) return [`the AppSpec could not be read (${input.appSpec.unreadable}); stopped to be safe`];
  if (!input.expectedHooks)
    return ['the deployment metadata names no hook functions (is the rollout engine deployed?); stopped to be safe'];
  let hooks: Partial<Record<string, string>>;
  try {
    hooks = appSpecHooks(input.appSpec.content);
  } catch (error) {
    return [`the AppSpec could not be read (${(error as Error).message}); stopped to be safe`];
  }
  if (Object.keys(hooks).length === 0) return [`the AppSpec names no hooks: CodeDeploy would shift 100% of production at once, ungated`];
  return HOOKS.flatMap((hook: HookName) => {
    const expected = input.expectedHooks![hook];
    const got = hooks[hook];
    if (!got) return [`the AppSpec lacks ${hook} (expected ${expected})`];
    return functionName(got) === functionName(expected) ? [] : [`${hook} names ${got}, not this service's ${expected}`];
  });
}

function freezeProblems(input: StartCheckInput): string[] {
  const { freeze } = input;
  // An unreadable switch does not stop a gated deployment: its AfterAllowTestTraffic hook reads it again before any traffic moves.
  if ('unreadable' in freeze || !freeze.frozen) return [];
  const who = freeze.by ? ` by ${freeze.by}${freeze.callerArn ? ` (${freeze.callerArn})` : ''}` : '';
  return [`${input.service} is frozen${who}: ${freeze.reason ?? 'no reason given'}`];
}

function stop(input: StartCheckInput, problems: string[]): StartCheckDecision {
  const { deploymentId, deployment } = input;
  const creator = deployment.creator ?? 'unknown';
  const reason = `deployment ${deploymentId} (created by ${creator}${deployment.description ? `, "${deployment.description}"` : ''}) stopped with rollback at its start: ${problems.join('; ')}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: 'abort',
      actor: 'start-check',
      action: 'StopDeployment with autoRollbackEnabled before AllowTestTraffic',
      reason,
      figures: {
        event: 'START',
        creator,
        identity: IDENTITY_NOTE,
        problems,
        ...(deployment.description ? { description: deployment.description } : {}),
        ...(deployment.revision ? { revision: deployment.revision } : {}),
        ...('content' in input.appSpec ? { appSpecHooks: safeHooks(input.appSpec.content) } : {}),
        expectedHooks: input.expectedHooks ?? null,
      },
    },
  };
  const notify: Action = {
    kind: 'notify',
    severity: 'critical',
    subject: `[critical] ${input.service} ${deploymentId} stopped at its start (ungated deployment by ${creator})`,
    message: `${reason}. Deploy with canary deploy, or give the pipeline the AppSpec of canary appspec ${input.service}.`,
  };
  return { verdict: 'stop', reason, problems, ...(input.alreadyRecorded ? {} : { record }), notify };
}

/**
 * The `Hooks` of an ECS AppSpec (JSON or YAML): a list of one-key maps `{ <event>: <function> }`.
 * Throws on anything that is not an AppSpec document.
 */
export function appSpecHooks(content: string): Partial<Record<string, string>> {
  let document: unknown;
  try {
    document = parse(content);
  } catch (error) {
    throw new Error(`neither JSON nor YAML: ${(error as Error).message}`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('not a map of AppSpec sections');
  const hooks = (document as Record<string, unknown>).Hooks;
  if (hooks === undefined || hooks === null) return {};
  if (!Array.isArray(hooks)) throw new Error('Hooks is not a list of { <LifecycleEvent>: <function> } maps');
  const result: Record<string, string> = {};
  for (const entry of hooks) {
    if (typeof entry !== 'object' || entry === null) throw new Error('a Hooks entry is not a { <LifecycleEvent>: <function> } map');
    for (const [event, target] of Object.entries(entry as Record<string, unknown>)) result[event] = String(target);
  }
  return result;
}

function safeHooks(content: string): Partial<Record<string, string>> | string {
  try {
    return appSpecHooks(content);
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → `<name>`; names pass through. */
export function functionName(nameOrArn: string): string {
  return /^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(nameOrArn)?.[1] ?? nameOrArn;
}
