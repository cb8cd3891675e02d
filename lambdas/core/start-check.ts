/**
 * The start check's decision, pure: a deployment of this group has started (EventBridge START) or
 * waits in `Ready` (EventBridge READY, or the check's minute sweep). It may run only if its AppSpec
 * names this service's three hook functions — without them CodeDeploy shifts 100% of production at
 * once, ungated — and the service is not frozen. Otherwise it is stopped with rollback, recorded
 * and announced. An AppSpec that cannot be read is stopped too (fail safe).
 *
 * The deployment group waits in `Ready` before production is rerouted until ContinueDeployment
 * (READY_WAIT) and stops the deployment when nobody continues it; this check is the only one that
 * continues, and only a deployment it has just found gated (or a rollback). So a lost, late or
 * failed check never lets an ungated deployment move production: it only makes it wait, then stop.
 * Deployments that have already ended and other groups' deployments are left alone.
 */
import { parse } from 'yaml';

import { type HookName, HOOKS } from './rollout-plan';
import type { Action } from './rollout-state';

/**
 * How long the group waits in Ready for the check to continue a deployment before CodeDeploy stops
 * it: room for Lambda's retries and many minute sweeps; a deployment nobody continues ends the same hour.
 */
export const READY_WAIT_MINUTES = 20;

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
  /**
   * The service's partition, region and account (from its production listener's ARN): a hook the
   * AppSpec names by ARN must be in them. @default - unknown: a hook named by ARN is not accepted
   */
  readonly serviceScope?: ArnScope;
  readonly deployment: StartedDeployment;
  /** The AppSpec's content (GetApplicationRevision), or why it could not be read. */
  readonly appSpec: { readonly content: string } | { readonly unreadable: string };
  /** The freeze switch, or why it could not be read. */
  readonly freeze:
    | { readonly frozen: boolean; readonly reason?: string; readonly by?: string; readonly callerArn?: string }
    | { readonly unreadable: string };
  /**
   * Healthy targets of the deployment's replacement target group, read only for a deployment
   * waiting in Ready (continuing it may let CodeDeploy reroute production at once), or why not.
   */
  readonly replacement?: { readonly healthy: number } | { readonly unreadable: string };
  /**
   * Why the deployment metadata cannot be used (the check's function could not read it): nothing
   * can be checked, so the deployment is stopped. @default - the metadata was read
   */
  readonly metadataProblem?: string;
  /** Whether an earlier check already recorded the stop of this deployment (a duplicate delivery, the sweep). */
  readonly alreadyRecorded: boolean;
  /** Whether an earlier check already recorded that this deployment continues past its ready wait. @default false */
  readonly alreadyContinued?: boolean;
}

export type StartCheckDecision =
  | { readonly verdict: 'ignore' | 'allow'; readonly reason: string }
  | {
      readonly verdict: 'continue';
      readonly reason: string;
      /** Written before ContinueDeployment (invariant 6); absent when an earlier check already wrote it. */
      readonly record?: Action;
    }
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
  if (isRollbackDeployment(deployment)) {
    const reason = `a rollback deployment (of ${deployment.rollbackTriggeringDeploymentId ?? 'an earlier deployment'}) restores the original; it is never stopped`;
    return deployment.status === 'Ready' ? continueDecision(input, reason) : { verdict: 'ignore', reason };
  }
  if (!ACTIVE.includes(deployment.status)) {
    return { verdict: 'ignore', reason: `the deployment is ${deployment.status} already; a late or repeated event changes nothing` };
  }
  const problems = [...hookProblems(input), ...freezeProblems(input)];
  if (deployment.status === 'Ready' && input.replacement && 'healthy' in input.replacement && input.replacement.healthy === 0)
    problems.push('the replacement target group has no healthy target: production is not rerouted to it');
  if (problems.length > 0) return stop(input, problems);
  const reason = `the AppSpec names the service's hooks (${HOOKS.join(', ')}) and the service is not frozen`;
  if (deployment.status !== 'Ready') return { verdict: 'allow', reason };
  if (!input.replacement || 'unreadable' in input.replacement) {
    const why = input.replacement ? input.replacement.unreadable : 'not read';
    return { verdict: 'allow', reason: `${reason}, but the replacement's health is unknown (${why}): it waits for the next check` };
  }
  return continueDecision(input, `${reason}; the replacement has ${input.replacement.healthy} healthy targets`);
}

/** CodeDeploy's automatic rollback deployments restore the original: never stopped, never health-checked. */
export function isRollbackDeployment(deployment: StartedDeployment): boolean {
  return deployment.creator === 'codeDeployRollback' || deployment.rollbackTriggeringDeploymentId !== undefined;
}

/** A deployment waiting in Ready that may go on: recorded, then ContinueDeployment (READY_WAIT). */
function continueDecision(input: StartCheckInput, why: string): StartCheckDecision {
  const { deploymentId, deployment } = input;
  const reason = `deployment ${deploymentId} (created by ${deployment.creator ?? 'unknown'}) continued past the ready wait: ${why}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: 'start',
      actor: 'start-check',
      action: 'ContinueDeployment (READY_WAIT): CodeDeploy goes on to reroute production through the hooks',
      reason,
      figures: { event: 'READY', creator: deployment.creator ?? 'unknown', expectedHooks: input.expectedHooks ?? null },
    },
  };
  return { verdict: 'continue', reason, ...(input.alreadyContinued ? {} : { record }) };
}

function hookProblems(input: StartCheckInput): string[] {
  if (input.metadataProblem)
    return [
      `the deployment metadata is unusable (${input.metadataProblem}): its hooks cannot be checked, nor its rollout judged or restored; stopped to be safe`,
    ];
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
    return isServiceFunction(got, expected, input.serviceScope) ? [] : [`${hook} names ${got}, not this service's ${expected}`];
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
  const when = deployment.status === 'Ready' ? 'in its ready wait' : 'at its start';
  const reason = `deployment ${deploymentId} (created by ${creator}${deployment.description ? `, "${deployment.description}"` : ''}) stopped with rollback ${when}: ${problems.join('; ')}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event',
      deploymentId,
      verdict: 'abort',
      actor: 'start-check',
      action: `StopDeployment with autoRollbackEnabled ${deployment.status === 'Ready' ? 'in the ready wait, before production is rerouted' : 'before AllowTestTraffic'}`,
      reason,
      figures: {
        event: deployment.status === 'Ready' ? 'READY' : 'START',
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
    subject: `[critical] ${input.service} ${deploymentId} stopped ${when} (${problems.length === 1 && input.replacement && 'healthy' in input.replacement && input.replacement.healthy === 0 ? 'no healthy replacement' : `ungated deployment by ${creator}`})`,
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
    for (const [event, target] of Object.entries(entry as Record<string, unknown>)) {
      // One function runs per lifecycle event; which of two CodeDeploy would take is not documented, so neither is trusted.
      if (Object.prototype.hasOwnProperty.call(result, event))
        throw new Error(`Hooks names ${event} twice; accepted: one function per lifecycle event`);
      result[event] = String(target);
    }
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

/** Where an ARN's resource lives. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** The partition, region and account of an ARN (`arn:<partition>:<service>:<region>:<account>:…`), or undefined. */
export function arnScope(arn: string): ArnScope | undefined {
  const match = /^arn:(aws[a-z-]*):[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):/.exec(arn);
  return match ? { partition: match[1], region: match[2], account: match[3] } : undefined;
}

/** `arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]` (Lambda's function ARN). */
const FUNCTION_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):function:([A-Za-z0-9_-]+)(?::(?:\$LATEST|[A-Za-z0-9_-]+))?$/;

/**
 * Whether an AppSpec hook names this service's function `expected` (a name, or an ARN). A name is
 * resolved by CodeDeploy in the deployment's own account and region, so the name decides; an ARN
 * must also be in the service's partition, region and account — the same function name in another
 * account or region is another function. A version or alias qualifier of the function is accepted.
 */
export function isServiceFunction(target: string, expected: string, serviceScope: ArnScope | undefined): boolean {
  const wanted = FUNCTION_ARN.exec(expected);
  const name = wanted ? wanted[4] : expected;
  if (!target.startsWith('arn:')) return target === name;
  const got = FUNCTION_ARN.exec(target);
  const scope = wanted ? { partition: wanted[1], region: wanted[2], account: wanted[3] } : serviceScope;
  if (!got || !scope) return false;
  return got[4] === name && got[1] === scope.partition && got[2] === scope.region && got[3] === scope.account;
}
