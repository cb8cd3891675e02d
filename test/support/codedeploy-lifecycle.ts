/**
 * The state machine of one CodeDeploy ECS blue/green deployment.
 *
 * CodeDeploy User Guide, "AppSpec 'hooks' section for an Amazon ECS deployment" — the order:
 * BeforeInstall → Install (replacement task set, attached to the replacement target group) →
 * AfterInstall → AllowTestTraffic (test listener → replacement) → AfterAllowTestTraffic →
 * BeforeAllowTraffic → AllowTraffic (production listener → replacement) → AfterAllowTraffic;
 * then, after the deployment group's termination wait, the original task set is deleted.
 * Each hook runs once; its Lambda is invoked asynchronously with `{DeploymentId,
 * LifecycleEventHookExecutionId}` and must call PutLifecycleEventHookExecutionStatus within one
 * hour or the deployment fails. On failure or stop with rollback enabled, CodeDeploy reroutes
 * traffic to the original task set and removes the replacement ("Redeploy and roll back a
 * deployment with CodeDeploy"; for ECS the rollback is a new deployment named in rollbackInfo).
 */
import type { DeploymentStatus, ErrorCode } from '@aws-sdk/client-codedeploy';

import type { FakeClock } from './clock';
import { ECS_HOOK_EVENTS, ECS_LIFECYCLE, type EcsHookEvent, type EcsLifecycleEvent, type ParsedAppSpec } from './codedeploy-appspec';
import type { TaskSet } from './ecs';

export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

export interface LifecycleEventState {
  readonly name: EcsLifecycleEvent;
  status: LifecycleEventStatus;
  startTime?: number;
  endTime?: number;
  hookExecutionId?: string;
  functionName?: string;
  /** Clock timer of the one-hour hook limit. */
  timeoutTimer?: number;
}

export interface HookReport {
  readonly at: number;
  readonly hook: EcsHookEvent;
  readonly executionId: string;
  readonly status: 'Succeeded' | 'Failed';
  /** Production listener default-action weights (percent by target group ARN) at the moment of the report. */
  readonly productionPercents: Readonly<Record<string, number>>;
  /** Whether a production listener rule forwarded to the replacement at the moment of the report. */
  readonly replacementRulePresent: boolean;
}

export interface DeploymentGroupConfig {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly productionListenerArn: string;
  /** @default - no test listener */
  readonly testListenerArn?: string;
  /** The service's two target groups (blue first: it serves before the first deployment). */
  readonly targetGroupArns: readonly [string, string];
  /** @default [] */
  readonly alarms?: readonly string[];
  /** Roll back when a deployment fails (hook Failed, timeout). @default true */
  readonly rollbackOnFailure?: boolean;
  /** Roll back when an alarm stops the deployment. @default true */
  readonly rollbackOnAlarm?: boolean;
  /** Roll back on StopDeployment when the call does not say. @default false */
  readonly rollbackOnStop?: boolean;
  /** Minutes between AfterAllowTraffic and deleting the original task set. @default 0 */
  readonly terminationWaitMinutes?: number;
  /**
   * DeploymentReadyOption STOP_DEPLOYMENT: the deployment waits in `Ready` for ContinueDeployment
   * (READY_WAIT) and is stopped after this many minutes without it. @default - CONTINUE_DEPLOYMENT, no wait
   */
  readonly readyWaitMinutes?: number;
  /**
   * Where an ECS deployment waits: "after provisioning the green task set and re-routing test
   * traffic", before production is rerouted. Whether that is before or after the BeforeAllowTraffic
   * hook is not documented, so the fake offers both. @default 'BeforeAllowTraffic'
   */
  readonly readyWaitBefore?: 'BeforeAllowTraffic' | 'AllowTraffic';
}

export interface DeploymentGroup extends DeploymentGroupConfig {
  readonly id: string;
  /** The target group currently serving (the next deployment's original). */
  activeTargetGroupArn: string;
}

export interface Deployment {
  readonly id: string;
  readonly group: DeploymentGroup;
  readonly kind: 'user' | 'autoRollback';
  readonly appSpec: ParsedAppSpec;
  readonly appSpecContent: string;
  readonly description?: string;
  readonly createTime: number;
  status: DeploymentStatus;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: ErrorCode; message: string };
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  readonly originalTargetGroupArn: string;
  readonly replacementTargetGroupArn: string;
  originalTaskSet?: TaskSet;
  replacementTaskSet?: TaskSet;
  readonly events: LifecycleEventState[];
  /** True once CodeDeploy's AllowTraffic has moved production to the replacement. */
  trafficShifted: boolean;
  /** True while CodeDeploy waits to delete the original task set. */
  inTerminationWait: boolean;
  /** True once ContinueDeployment (READY_WAIT) let a deployment that waited in Ready go on. */
  readyWaitPassed: boolean;
  /** The lifecycle event the deployment waits before while it is Ready. */
  readyIndex?: number;
  readonly statusHistory: Array<{ at: number; seq: number; status: DeploymentStatus }>;
  readonly hookReports: HookReport[];
  readonly timers: Set<number>;
}

export const ACTIVE_STATUSES: readonly DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'];

export function newDeployment(props: {
  id: string;
  group: DeploymentGroup;
  kind: Deployment['kind'];
  appSpec: ParsedAppSpec;
  appSpecContent: string;
  description?: string;
  now: number;
  seq: number;
}): Deployment {
  const original = props.group.activeTargetGroupArn;
  const replacement = props.group.targetGroupArns.find((arn) => arn !== original)!;
  return {
    id: props.id,
    group: props.group,
    kind: props.kind,
    appSpec: props.appSpec,
    appSpecContent: props.appSpecContent,
    description: props.description,
    createTime: props.now,
    status: 'Created',
    originalTargetGroupArn: original,
    replacementTargetGroupArn: replacement,
    events: ECS_LIFECYCLE.map((name) => ({ name, status: 'Pending' as const })),
    trafficShifted: false,
    inTerminationWait: false,
    readyWaitPassed: false,
    statusHistory: [{ at: props.now, seq: props.seq, status: 'Created' }],
    hookReports: [],
    timers: new Set(),
  };
}

export function isHookEvent(name: EcsLifecycleEvent): name is EcsHookEvent {
  return (ECS_HOOK_EVENTS as readonly string[]).includes(name);
}

export function setStatus(deployment: Deployment, status: DeploymentStatus, clock: FakeClock): void {
  const now = clock.now();
  deployment.status = status;
  deployment.statusHistory.push({ at: now, seq: clock.sequence(), status });
  if (!ACTIVE_STATUSES.includes(status)) deployment.completeTime = now;
}

/** The deployment's status just before the record numbered `seq` (see FakeClock.sequence). */
export function statusBefore(deployment: Deployment, seq: number): DeploymentStatus | undefined {
  let status: DeploymentStatus | undefined;
  for (const entry of deployment.statusHistory) {
    if (entry.seq < seq) status = entry.status;
  }
  return status;
}

/** Schedules on the clock and remembers the timer so a stop can cancel it. */
export function scheduleFor(clock: FakeClock, deployment: Deployment, delayMs: number, run: () => unknown, label: string): number {
  const id = clock.schedule(
    delayMs,
    () => {
      deployment.timers.delete(id);
      return run();
    },
    `${deployment.id} ${label}`,
  );
  deployment.timers.add(id);
  return id;
}

export function cancelTimers(clock: FakeClock, deployment: Deployment): void {
  for (const id of deployment.timers) clock.cancel(id);
  deployment.timers.clear();
}
