/**
 * Drives CodeDeploy ECS deployments through their lifecycle on the fake clock (see
 * codedeploy-lifecycle.ts for the documented order and rules).
 */
import { randomUUID } from 'node:crypto';

import type { ErrorCode } from '@aws-sdk/client-codedeploy';

import type { FakeClock } from './clock';
import type { FakeCloudWatch } from './cloudwatch';
import type { EcsHookEvent, ParsedAppSpec } from './codedeploy-appspec';
import {
  ACTIVE_STATUSES,
  cancelTimers,
  type Deployment,
  type DeploymentGroup,
  isHookEvent,
  type LifecycleEventState,
  scheduleFor,
  setStatus,
} from './codedeploy-lifecycle';
import { CodeDeployTraffic } from './codedeploy-traffic';
import type { FakeEcs } from './ecs';
import { type FakeElbv2, forwardWeights } from './elbv2';
import { ACCOUNT, REGION } from './errors';
import type { FakeLambda } from './lambda';

const MINUTE = 60_000;

export interface CodeDeployTimings {
  /** Install: time for the replacement tasks to start and pass health checks. @default 60 s */
  readonly installMs: number;
  /** Install fails (ECS_UPDATE_ERROR) if the replacement is not healthy by then. @default 60 min */
  readonly installTimeoutMs: number;
  /** AllowTestTraffic / AllowTraffic: time to rewrite a listener. @default 5 s */
  readonly trafficShiftMs: number;
  /** Time from a failure or stop until the rollback has rerouted traffic. @default 30 s */
  readonly rollbackMs: number;
  /** The hook limit. CodeDeploy: a hook must report its status within one hour. @default 60 min */
  readonly hookTimeoutMs: number;
}

export const DEFAULT_TIMINGS: CodeDeployTimings = {
  installMs: MINUTE,
  installTimeoutMs: 60 * MINUTE,
  trafficShiftMs: 5_000,
  rollbackMs: 30_000,
  hookTimeoutMs: 60 * MINUTE,
};

/** The event a hook Lambda receives (CodeDeploy User Guide, ECS hooks: DeploymentId, LifecycleEventHookExecutionId). */
export interface HookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

export type HookHandler = (hook: EcsHookEvent, event: HookEvent, functionName: string) => unknown;

/**
 * EventBridge User Guide, "CodeDeploy events": detail-type "CodeDeploy Deployment State-change
 * Notification", source aws.codedeploy, detail {instanceGroupId, region, application, deploymentId,
 * state (START, SUCCESS, FAILURE, STOP, READY), deploymentGroup}.
 */
export interface CodeDeployStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CodeDeploy Deployment State-change Notification';
  readonly source: 'aws.codedeploy';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: {
    readonly instanceGroupId: string;
    readonly region: string;
    readonly application: string;
    readonly deploymentId: string;
    readonly state: 'START' | 'SUCCESS' | 'FAILURE' | 'STOP' | 'READY';
    readonly deploymentGroup: string;
  };
}

export type StateChangeListener = (event: CodeDeployStateChangeEvent) => unknown;

type CreateRollback = (group: DeploymentGroup, appSpec: ParsedAppSpec, content: string, triggeringId: string) => Deployment;

export class CodeDeployLifecycle {
  hookHandler: HookHandler | undefined;
  readonly stateListeners: StateChangeListener[] = [];
  /**
   * When each state-change event reaches the subscribers, in ms after it was emitted: one entry
   * per delivery. EventBridge delivers "at least once" (EventBridge User Guide, "Event retry
   * policy and using dead-letter queues": it retries for up to 24 hours), and Lambda keeps an
   * asynchronous event for up to six hours and "might deliver the same event more than once"
   * (Lambda Developer Guide, "Invoking a Lambda function asynchronously"), so an event can arrive
   * hours late and twice. @default - every event once, at once
   */
  stateChangeDelivery: (event: CodeDeployStateChangeEvent) => readonly number[] = () => [0];
  /** Every state-change event emitted, in order. */
  readonly emitted: CodeDeployStateChangeEvent[] = [];
  readonly timings: CodeDeployTimings;
  private readonly terminationTimers = new Map<string, number>();
  private readonly traffic: CodeDeployTraffic;

  constructor(
    private readonly clock: FakeClock,
    private readonly ecs: FakeEcs,
    private readonly elbv2: FakeElbv2,
    private readonly cloudwatch: FakeCloudWatch,
    private readonly lambda: FakeLambda,
    timings: Partial<CodeDeployTimings>,
    private readonly createRollback: CreateRollback,
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.traffic = new CodeDeployTraffic(elbv2);
  }

  start(d: Deployment): void {
    scheduleFor(
      this.clock,
      d,
      0,
      () => {
        if (d.status !== 'Created') return;
        d.startTime = this.clock.now();
        setStatus(d, 'InProgress', this.clock);
        this.emit(d, 'START');
        if (d.kind === 'autoRollback') return; // the rollback's work is scheduled by `end`
        d.originalTaskSet = this.ecs.liveTaskSets(d.originalTargetGroupArn).find((t) => t.serviceName === d.group.serviceName);
        // Checked before the task set is created; nothing has changed yet, so there is nothing to roll back.
        const problem = this.behindListenerProblem(d, [d.group.productionListenerArn, d.group.testListenerArn]);
        if (problem) return this.end(d, 'Failed', 'ELASTIC_LOAD_BALANCING_INVALID', problem, false);
        this.runEvent(d, 0);
      },
      'start',
    );
  }

  private runEvent(d: Deployment, index: number): void {
    if (d.status !== 'InProgress') return;
    if (index >= d.events.length) return this.beginTerminationWait(d);
    const firing = this.firingAlarms(d);
    if (firing.length > 0) return this.stopForAlarm(d, firing);
    const event = d.events[index];
    if (this.waitsHere(d, event.name)) return this.beginReadyWait(d, index);
    event.status = 'InProgress';
    event.startTime = this.clock.now();
    if (isHookEvent(event.name)) {
      const fn = d.appSpec.hooks[event.name];
      if (!fn) return this.complete(d, index, 'Skipped');
      return this.invokeHook(d, event, fn);
    }
    switch (event.name) {
      case 'Install':
        return this.install(d, index);
      case 'AllowTestTraffic':
      case 'AllowTraffic': {
        // CodeDeployDefault.ECSAllAtOnce: all of the listener's traffic to the replacement in one shift.
        const listenerArn = event.name === 'AllowTraffic' ? d.group.productionListenerArn : d.group.testListenerArn;
        const problem = this.behindListenerProblem(d, [listenerArn]);
        if (problem) return this.fail(d, 'ELASTIC_LOAD_BALANCING_INVALID', problem);
        if (listenerArn) this.traffic.shift(listenerArn, d.replacementTargetGroupArn, d.originalTargetGroupArn);
        if (event.name === 'AllowTraffic') d.trafficShifted = true;
        scheduleFor(this.clock, d, this.timings.trafficShiftMs, () => this.complete(d, index, 'Succeeded'), event.name);
        return;
      }
    }
  }

  private waitsHere(d: Deployment, name: string): boolean {
    const { readyWaitMinutes, readyWaitBefore = 'BeforeAllowTraffic' } = d.group;
    return readyWaitMinutes !== undefined && d.kind === 'user' && !d.readyWaitPassed && name === readyWaitBefore;
  }

  /**
   * DeploymentReadyOption STOP_DEPLOYMENT (CodeDeploy API Reference): the deployment waits in
   * `Ready` (EventBridge READY) until ContinueDeployment (READY_WAIT) starts the rerouting; "if
   * traffic rerouting is not started before the end of the specified wait period, the deployment
   * status is changed to Stopped" (rolled back as a stop is, by the group's auto-rollback).
   */
  private beginReadyWait(d: Deployment, index: number): void {
    setStatus(d, 'Ready', this.clock);
    this.emit(d, 'READY');
    d.readyIndex = index;
    const minutes = d.group.readyWaitMinutes ?? 0;
    scheduleFor(
      this.clock,
      d,
      minutes * MINUTE,
      () => {
        if (d.status !== 'Ready') return;
        this.stop(
          d,
          'TIMEOUT',
          `The deployment was stopped: traffic rerouting was not started within the ready wait of ${minutes} minutes (ContinueDeployment READY_WAIT).`,
          d.group.rollbackOnStop ?? false,
        );
      },
      'ready wait',
    );
  }

  /** ContinueDeployment (READY_WAIT) on a deployment waiting in Ready: it goes on with the event it waited before. */
  endReadyWait(d: Deployment): void {
    d.readyWaitPassed = true;
    setStatus(d, 'InProgress', this.clock);
    const index = d.readyIndex ?? 0;
    scheduleFor(this.clock, d, 0, () => this.runEvent(d, index), 'continue after the ready wait');
  }

  private behindListenerProblem(d: Deployment, listenerArns: ReadonlyArray<string | undefined>): string | undefined {
    return listenerArns
      .map((arn) => arn && this.traffic.behindListenerProblem(arn, d.originalTargetGroupArn, d.replacementTargetGroupArn))
      .find(Boolean);
  }

  private complete(d: Deployment, index: number, status: 'Succeeded' | 'Skipped'): void {
    if (d.status !== 'InProgress') return;
    const event = d.events[index];
    event.status = status;
    event.endTime = this.clock.now();
    scheduleFor(this.clock, d, 0, () => this.runEvent(d, index + 1), 'next event');
  }

  /** Install: CreateTaskSet of the AppSpec's task definition on the replacement target group. */
  private install(d: Deployment, index: number): void {
    const service = this.ecs.services.get(d.group.serviceName);
    const taskDefinition = this.ecs.findTaskDefinition(d.appSpec.taskDefinition);
    const container = taskDefinition?.containerDefinitions?.find((c) => c.name === d.appSpec.containerName);
    if (!service || !taskDefinition) {
      return this.fail(
        d,
        'ECS_UPDATE_ERROR',
        `The ECS service cannot be updated: task definition ${d.appSpec.taskDefinition} does not exist.`,
      );
    }
    if (!container || !(container.portMappings ?? []).some((p) => p.containerPort === d.appSpec.containerPort)) {
      return this.fail(
        d,
        'ECS_UPDATE_ERROR',
        `The ECS service cannot be updated: container ${d.appSpec.containerName} with port ${d.appSpec.containerPort} is not in ${taskDefinition.taskDefinitionArn}.`,
      );
    }
    const taskSet = this.ecs.createTaskSet(service, taskDefinition.taskDefinitionArn!, d.replacementTargetGroupArn, 'initial');
    d.replacementTaskSet = taskSet;
    const startedAt = this.clock.now();
    const check = () => {
      if (taskSet.health === 'initial') taskSet.health = this.ecs.defaultNewTaskSetHealth;
      if (taskSet.health === 'healthy') return this.complete(d, index, 'Succeeded');
      if (this.clock.now() - startedAt >= this.timings.installTimeoutMs) {
        return this.fail(
          d,
          'ECS_UPDATE_ERROR',
          `The replacement task set ${taskSet.id} did not become healthy within the install timeout.`,
        );
      }
      scheduleFor(this.clock, d, MINUTE, check, 'install health check');
    };
    scheduleFor(this.clock, d, this.timings.installMs, check, 'install');
  }

  private invokeHook(d: Deployment, event: LifecycleEventState, fn: string): void {
    event.hookExecutionId = randomUUID();
    event.functionName = fn;
    event.timeoutTimer = scheduleFor(
      this.clock,
      d,
      this.timings.hookTimeoutMs,
      () => {
        if (event.status !== 'InProgress') return;
        event.status = 'Failed';
        event.endTime = this.clock.now();
        this.fail(
          d,
          'TIMEOUT',
          `The deployment timed out: the ${event.name} hook (${fn}) did not report a status within ${this.timings.hookTimeoutMs / MINUTE} minutes.`,
        );
      },
      `${event.name} hook timeout`,
    );
    this.deliver(d, event);
  }

  private deliver(d: Deployment, event: LifecycleEventState): void {
    const payload: HookEvent = { DeploymentId: d.id, LifecycleEventHookExecutionId: event.hookExecutionId! };
    const fn = event.functionName!;
    if (this.lambda.has(fn)) return this.lambda.invokeAsync(fn, payload);
    const handler = this.hookHandler;
    if (handler) return this.clock.spawn(() => handler(event.name as EcsHookEvent, payload, fn), `hook ${event.name}`);
    event.status = 'Failed';
    this.fail(
      d,
      'INVALID_LAMBDA_FUNCTION',
      `The ${event.name} hook names Lambda function ${fn}, which does not exist (no handler registered).`,
    );
  }

  redeliver(d: Deployment, hook: string): void {
    const event = d.events.find((e) => e.name === hook && e.hookExecutionId);
    if (!event) throw new Error(`fake CodeDeploy: ${d.id} has not invoked a ${hook} hook yet`);
    this.deliver(d, event);
  }

  reportHook(d: Deployment, event: LifecycleEventState, status: 'Succeeded' | 'Failed'): void {
    d.hookReports.push({
      at: this.clock.now(),
      hook: event.name as EcsHookEvent,
      executionId: event.hookExecutionId!,
      status,
      productionPercents: this.elbv2.percents(d.group.productionListenerArn),
      replacementRulePresent: this.elbv2
        .listener(d.group.productionListenerArn)
        .rules.some((r) => (forwardWeights(r.actions)[d.replacementTargetGroupArn] ?? 0) > 0),
    });
    this.clock.cancel(event.timeoutTimer);
    if (status === 'Succeeded') return this.complete(d, d.events.indexOf(event), 'Succeeded');
    event.status = 'Failed';
    event.endTime = this.clock.now();
    this.fail(d, 'HOOK_EXECUTION_FAILURE', `The deployment failed because the ${event.name} lifecycle event hook reported Failed.`);
  }

  /**
   * Termination wait — CodeDeploy API Reference, BlueInstanceTerminationOption: "For an Amazon ECS
   * deployment, the number of minutes before deleting the original (blue) task set" (at most
   * 2880). The fake keeps the deployment InProgress meanwhile (instanceTerminationWaitTimeStarted
   * true). Whether an alarm still stops it then is undocumented (docs/aws-behaviour.md): the fake
   * assumes it does, and rolls back, the case the engine must survive.
   */
  private beginTerminationWait(d: Deployment): void {
    d.inTerminationWait = true;
    const minutes = d.group.terminationWaitMinutes ?? 0;
    const timer = scheduleFor(this.clock, d, minutes * MINUTE, () => this.finish(d), 'termination wait');
    this.terminationTimers.set(d.id, timer);
  }

  endTerminationWait(d: Deployment): void {
    this.clock.cancel(this.terminationTimers.get(d.id));
    scheduleFor(this.clock, d, 0, () => this.finish(d), 'continue');
  }

  private finish(d: Deployment): void {
    if (d.status !== 'InProgress') return;
    d.inTerminationWait = false;
    if (d.originalTaskSet) this.ecs.deleteTaskSet(d.originalTaskSet);
    if (d.replacementTaskSet) d.replacementTaskSet.status = 'PRIMARY';
    d.group.activeTargetGroupArn = d.replacementTargetGroupArn; // blue and green swap roles
    setStatus(d, 'Succeeded', this.clock);
    this.emit(d, 'SUCCESS');
  }

  fail(d: Deployment, code: ErrorCode, message: string): void {
    this.end(d, 'Failed', code, message, d.group.rollbackOnFailure ?? true);
  }

  stop(d: Deployment, code: ErrorCode, message: string, rollback: boolean): void {
    this.end(d, 'Stopped', code, message, rollback);
  }

  /**
   * CodeDeploy User Guide, "Monitoring deployments with CloudWatch alarms": "If the alarm is
   * activated, the deployment is stopped" and, with DEPLOYMENT_STOP_ON_ALARM auto-rollback, rolled
   * back. During the termination wait: undocumented, assumed the same (see beginTerminationWait).
   */
  stopForAlarm(d: Deployment, alarms: string[]): void {
    this.stop(
      d,
      'ALARM_ACTIVE',
      `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${alarms.join(', ')}>`,
      d.group.rollbackOnAlarm ?? true,
    );
  }

  private end(d: Deployment, status: 'Failed' | 'Stopped', code: ErrorCode, message: string, rollback: boolean): void {
    if (!ACTIVE_STATUSES.includes(d.status)) return;
    cancelTimers(this.clock, d);
    for (const event of d.events) {
      if (event.status === 'InProgress') event.status = status === 'Failed' ? 'Failed' : 'Skipped';
      if (event.status === 'Pending') event.status = 'Skipped';
    }
    d.inTerminationWait = false;
    d.errorInformation = { code, message };
    setStatus(d, status, this.clock);
    this.emit(d, status === 'Failed' ? 'FAILURE' : 'STOP');
    if (!rollback || d.kind !== 'user') return;
    const rb = this.createRollback(d.group, d.appSpec, d.appSpecContent, d.id);
    rb.rollbackInfo = { rollbackTriggeringDeploymentId: d.id };
    d.rollbackInfo = { rollbackDeploymentId: rb.id, rollbackMessage: `Deployment ${d.id} was rolled back by deployment ${rb.id}.` };
    scheduleFor(this.clock, rb, this.timings.rollbackMs, () => this.rollBack(rb, d), 'rollback');
  }

  /** Rollback: both listeners, rules included, back to the original (100, replacement 0); replacement task set removed. */
  private rollBack(rb: Deployment, d: Deployment): void {
    this.traffic.shift(d.group.productionListenerArn, d.originalTargetGroupArn, d.replacementTargetGroupArn);
    if (d.group.testListenerArn) this.traffic.shift(d.group.testListenerArn, d.originalTargetGroupArn, d.replacementTargetGroupArn);
    if (d.replacementTaskSet) this.ecs.deleteTaskSet(d.replacementTaskSet);
    d.trafficShifted = false;
    rb.events.forEach((e) => (e.status = 'Skipped'));
    setStatus(rb, 'Succeeded', this.clock);
    this.emit(rb, 'SUCCESS');
  }

  private firingAlarms(d: Deployment): string[] {
    return (d.group.alarms ?? []).filter((name) => this.cloudwatch.alarms.get(name)?.state === 'ALARM');
  }

  private emit(d: Deployment, state: CodeDeployStateChangeEvent['detail']['state']): void {
    const event: CodeDeployStateChangeEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      source: 'aws.codedeploy',
      account: ACCOUNT,
      time: this.clock.iso().replace(/\.\d{3}Z$/, 'Z'),
      region: REGION,
      resources: [
        `arn:aws:codedeploy:${REGION}:${ACCOUNT}:application:${d.group.applicationName}`,
        `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${d.group.applicationName}/${d.group.deploymentGroupName}`,
      ],
      detail: {
        instanceGroupId: d.group.id,
        region: REGION,
        application: d.group.applicationName,
        deploymentId: d.id,
        state,
        deploymentGroup: d.group.deploymentGroupName,
      },
    };
    this.emitted.push(event);
    for (const delayMs of this.stateChangeDelivery(event)) {
      for (const listener of this.stateListeners)
        this.clock.schedule(
          delayMs,
          () => listener(structuredClone(event)),
          `eventbridge ${state} ${d.id}${delayMs > 0 ? ` (+${delayMs} ms)` : ''}`,
        );
    }
  }

  /** The ECSTarget view of GetDeploymentTarget. */
  ecsTarget(d: Deployment, targetId: string) {
    const service = this.ecs.services.get(d.group.serviceName);
    const label = (taskSet: Deployment['originalTaskSet'], tg: string, weight: number, taskSetLabel: 'Blue' | 'Green') =>
      taskSet && {
        identifer: taskSet.id,
        desiredCount: taskSet.desiredCount,
        pendingCount: taskSet.health === 'initial' ? taskSet.desiredCount : 0,
        runningCount: this.ecs.healthyTasks(taskSet),
        status: taskSet.status,
        trafficWeight: weight,
        targetGroup: { name: this.elbv2.targetGroup(tg).name },
        taskSetLabel,
      };
    const trigger = d.kind === 'autoRollback' ? undefined : d;
    const shifted = trigger?.trafficShifted ?? false;
    return {
      deploymentId: d.id,
      targetId,
      targetArn: service?.serviceArn,
      lastUpdatedAt: this.clock.date(),
      lifecycleEvents: d.events.map((e) => ({
        lifecycleEventName: e.name,
        status: e.status,
        startTime: e.startTime === undefined ? undefined : new Date(e.startTime),
        endTime: e.endTime === undefined ? undefined : new Date(e.endTime),
      })),
      status: targetStatus(d),
      taskSetsInfo: [
        label(d.originalTaskSet, d.originalTargetGroupArn, shifted ? 0 : 100, 'Blue'),
        label(d.replacementTaskSet, d.replacementTargetGroupArn, shifted ? 100 : 0, 'Green'),
      ].filter((t) => t !== undefined),
    };
  }
}

function targetStatus(d: Deployment): 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' {
  switch (d.status) {
    case 'Created':
    case 'Queued':
      return 'Pending';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
    case 'Stopped':
      return 'Failed';
    default:
      return 'InProgress';
  }
}
