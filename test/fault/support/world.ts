/**
 * The engine installed in the fake for a fault campaign: the real hook, tick and guard handlers as
 * the fake's Lambda functions (the guard behind EventBridge's asynchronous invocation, the hooks'
 * on-failure destination behind Lambda's), the state
 * machine as the RolloutEngine synthesizes it, traffic from sim for the current release, and
 * CloudWatch minutes that may be missing or late.
 */

import { readDeploymentMetadataParameter } from '../../../lambdas/aws/service-parameters';
import type { HookName } from '../../../lambdas/core/rollout-plan';
import { READY_WAIT_MINUTES } from '../../../lambdas/core/start-check';
import { type DeploymentStateChange, guard } from '../../../lambdas/handlers/guard';
import { answerHookFailure } from '../../../lambdas/handlers/hook-failure';
import { answerHook } from '../../../lambdas/handlers/hooks';
import { auditTable, createClients, logger, type Runtime } from '../../../lambdas/handlers/runtime';
import { isSweep, startCheckInvocation, sweepReady } from '../../../lambdas/handlers/start-check';
import { type TickEvent, tickInvocation } from '../../../lambdas/handlers/tick';
import { DEFAULT_LATENCY, TrafficWorld } from '../../../sim';
import { followCanaryWeight, HOOK_FAILURE_FUNCTION, hookAsyncInvokeConfigs, rolloutDefinition } from '../../e2e/support/engine-world';
import { FakeAws, type FakeService, renderAppSpec } from '../../support';

logger.setLogLevel('SILENT');

/** The tick's ARN in the synthesized definition (engine-world.ts resolves it to this). */
export const TICK_FUNCTION = 'arn:aws:lambda:us-east-1:111111111111:function:engine-tick';
export const GUARD_FUNCTION = 'svc-guard';
export const START_CHECK_FUNCTION = 'svc-start-check';
/** A pipeline's own hook function: it approves every lifecycle event it is sent. */
export const FOREIGN_HOOK_FUNCTION = 'pipeline-approve-hook';

/** Whose hooks a release's AppSpec names: ecs-canary's, none, or a pipeline's own. */
export type HookSet = 'engine' | 'none' | 'foreign';

export interface CloudWatchFaults {
  /** Minutes of delay before a minute's data arrive. */
  readonly delayMinutes: number;
  /** Share of (target group, minute) pairs with no data at all. */
  readonly missing: number;
  /** Share of minutes that arrive `lateMinutes` later than the others. */
  readonly late: number;
  readonly lateMinutes: number;
}

export class CampaignWorld {
  readonly world: FakeAws;
  readonly service: FakeService;
  readonly runtime: Runtime;
  private traffic: TrafficWorld | undefined;
  private currentDeployment: string | undefined;
  private processedWrites = 0;
  private syncedTo = 0;
  private readonly shares = new Map<string, Map<number, number>>();
  /** Functions' containers: warm ones hold the metadata read at start; after `coldStart` each reads it again at its next invocation. */
  private warm = true;
  private readonly containers = new Map<string, Runtime>();

  constructor(
    private readonly seed: number,
    private readonly cloudwatch: CloudWatchFaults,
    /** Where the group's ready wait sits (undocumented for ECS: the engine must be right with both). */
    readyWaitBefore: 'BeforeAllowTraffic' | 'AllowTraffic' = 'BeforeAllowTraffic',
  ) {
    this.world = new FakeAws({ onHandlerError: 'record' }).install();
    // The group as the StartCheck construct configures it: it waits in Ready for the check to continue it.
    this.service = this.world.addService({
      name: 'svc',
      stateMachine: rolloutDefinition() as never,
      readyWaitMinutes: READY_WAIT_MINUTES,
      readyWaitBefore,
    });
    const metadata = this.service.metadata;
    const clients = createClients(async () => ({ status: 200 }));
    const env: Runtime['env'] = {
      service: 'svc',
      metadataParameter: '/ecs-canary/svc/deployment',
      freezeParameter: metadata.freezeParameterName,
      auditTableName: metadata.auditTableName!,
      auditRetentionDays: 30,
      topicArn: metadata.topicArn,
      stateMachineArn: metadata.stateMachineArn!,
      smokeCheckMode: 'test-listener',
      auditKeyArn: metadata.auditKeyArn!,
      auditAnchorBucket: metadata.auditAnchorBucket!,
      controlParameter: metadata.controlParameterName!,
      alarmNames: this.service.alarms,
    };
    this.runtime = {
      clients,
      env,
      metadata,
      audit: auditTable(clients, env),
      logger,
      clock: () => this.world.clock.now(),
      sleep: (ms) => this.world.clock.sleep(ms),
    };
    const hooks: HookName[] = ['AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'];
    // Each function as its Lambda entry point runs it: the deployment metadata first (read when its container is cold).
    for (const hook of hooks)
      this.world.lambda.register(metadata.hooks![hook], (event) =>
        answerHook(this.runtime, this.loader(metadata.hooks![hook]), hook, event as never),
      );
    // The hooks' EventInvokeConfig as synthesized: a hook event Lambda gives up on goes to the hook-failure function.
    this.world.lambda.register(HOOK_FAILURE_FUNCTION, (record) =>
      answerHookFailure(this.runtime, this.loader(HOOK_FAILURE_FUNCTION), record),
    );
    for (const [hook, config] of Object.entries(hookAsyncInvokeConfigs()))
      this.world.lambda.configureAsyncInvoke(metadata.hooks![hook], config);
    this.world.lambda.register(TICK_FUNCTION, (event) => tickInvocation(this.runtime, this.loader(TICK_FUNCTION), event as TickEvent));
    this.world.lambda.register(GUARD_FUNCTION, async (event) =>
      guard(await this.loader(GUARD_FUNCTION)(), event as DeploymentStateChange, { sleep: (ms) => this.world.clock.sleep(ms) }),
    );
    this.world.lambda.register(START_CHECK_FUNCTION, async (event) =>
      isSweep(event as never)
        ? sweepReady(await this.loader(START_CHECK_FUNCTION)())
        : startCheckInvocation(this.runtime, this.loader(START_CHECK_FUNCTION), event as DeploymentStateChange),
    );
    this.world.lambda.register(FOREIGN_HOOK_FUNCTION, (event) => {
      const { DeploymentId, LifecycleEventHookExecutionId } = event as { DeploymentId: string; LifecycleEventHookExecutionId: string };
      return this.world.codedeploy.putLifecycleEventHookExecutionStatus({
        deploymentId: DeploymentId,
        lifecycleEventHookExecutionId: LifecycleEventHookExecutionId,
        status: 'Succeeded',
      });
    });
    this.world.cloudwatch.provider = (fullName, minute) => this.minute(fullName, minute);
    this.world.cloudwatch.delayMinutes = (fullName, minute) =>
      cloudwatch.delayMinutes + (this.hash(fullName, minute, 1) < cloudwatch.late ? cloudwatch.lateMinutes : 0);
    this.world.clock.onTimeChange(() => this.syncTraffic());
  }

  /** The RolloutEngine's EventBridge rule: this group's FAILURE and STOP → the guard (an asynchronous invocation). */
  isGuardEvent(event: unknown): event is DeploymentStateChange {
    const change = event as DeploymentStateChange;
    const { applicationName, deploymentGroupName } = this.service.metadata;
    return (
      ['FAILURE', 'STOP'].includes(change.detail.state) &&
      change.detail.application === applicationName &&
      change.detail.deploymentGroup === deploymentGroupName
    );
  }

  /** The RolloutEngine's start-check rule: this group's START and READY → the start check (an asynchronous invocation). */
  isStartEvent(event: unknown): boolean {
    const change = event as DeploymentStateChange;
    const { applicationName, deploymentGroupName } = this.service.metadata;
    return (
      ['START', 'READY'].includes(change.detail.state) &&
      change.detail.application === applicationName &&
      change.detail.deploymentGroup === deploymentGroupName
    );
  }

  /**
   * A release: new traffic (with its regression) following this deployment's weights. `hooks`
   * other than the engine's: a deployment created straight through CodeDeploy (a pipeline, the
   * console) with an AppSpec naming no hooks or a pipeline's own.
   */
  deploy(index: number, bad: boolean, hooks: HookSet = 'engine'): string {
    const start = this.world.clock.now();
    this.traffic = new TrafficWorld({
      seed: this.seed * 31 + index,
      totalRps: 50,
      baselineErrorRate: 0.005,
      regression: bad ? { kind: 'errors', deltaPp: 20 } : null,
      startTime: start - 70 * 60_000,
      latency: { ...DEFAULT_LATENCY, slowThresholdMs: this.service.metadata.thresholds.maxP95Ms },
      coldStart: false,
    });
    this.syncedTo = start;
    this.processedWrites = this.world.elbv2.writes.length;
    this.currentDeployment = hooks === 'engine' ? this.world.deploy('svc', { image: `svc:${index}` }) : this.deployUngated(index, hooks);
    return this.currentDeployment;
  }

  private deployUngated(index: number, hooks: 'none' | 'foreign'): string {
    const { metadata } = this.service;
    const { taskDefinition } = this.world.ecs.registerTaskDefinition({
      family: metadata.taskDefinitionFamily,
      containerDefinitions: [
        { name: metadata.containerName, image: `svc:pipeline-${index}`, portMappings: [{ containerPort: metadata.containerPort }] },
      ],
    });
    const named: Record<string, string> =
      hooks === 'none'
        ? {}
        : {
            AfterAllowTestTraffic: FOREIGN_HOOK_FUNCTION,
            BeforeAllowTraffic: FOREIGN_HOOK_FUNCTION,
            AfterAllowTraffic: FOREIGN_HOOK_FUNCTION,
          };
    return this.world.codedeploy.createDeployment({
      applicationName: metadata.applicationName,
      deploymentGroupName: metadata.deploymentGroupName,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: renderAppSpec(metadata, taskDefinition.taskDefinitionArn!, named) },
      },
    }).deploymentId;
  }

  /**
   * The group's automatic rollbacks for the next release (UpdateDeploymentGroup's
   * AutoRollbackConfiguration): on failure, on a stop left to the group (StopDeployment without
   * autoRollbackEnabled, the ready wait's timeout), on an alarm.
   */
  configureAutoRollback(config: { failedDeployment: boolean; stoppedDeployment: boolean; deploymentInAlarm: boolean }): void {
    Object.assign(this.service.group, {
      rollbackOnFailure: config.failedDeployment,
      rollbackOnStop: config.stoppedDeployment,
      rollbackOnAlarm: config.deploymentInAlarm,
    });
  }

  restore(): void {
    this.world.restore();
  }

  /** Every function's container is replaced: each reads the deployment metadata again at its next invocation. */
  coldStart(): void {
    this.warm = false;
    this.containers.clear();
  }

  /** A function's runtime as its container holds it: the one built at start while warm, else read from SSM once per container. */
  private loader(functionName: string): () => Promise<Runtime> {
    return async () => {
      if (this.warm) return this.runtime;
      const cached = this.containers.get(functionName);
      if (cached) return cached;
      const metadata = await readDeploymentMetadataParameter(this.runtime.clients.ssm, this.runtime.env.metadataParameter);
      const runtime = { ...this.runtime, metadata };
      this.containers.set(functionName, runtime);
      return runtime;
    };
  }

  /** A deterministic share in [0, 1) per target group and minute (the same minute is missing on every read). */
  private hash(fullName: string, minute: number, salt: number): number {
    // Every tick reads every minute of the rollout again: each share is computed once (a minute is a
    // whole multiple of 60 000 ms, a salt is small, so minute + salt names the pair).
    let byMinute = this.shares.get(fullName);
    if (!byMinute) this.shares.set(fullName, (byMinute = new Map()));
    let share = byMinute.get(minute + salt);
    if (share === undefined) byMinute.set(minute + salt, (share = this.computeHash(fullName, minute, salt)));
    return share;
  }

  private computeHash(fullName: string, minute: number, salt: number): number {
    // By the group's name, not its id: ids count up with every fake world of the process.
    const name = fullName.split('/')[1] ?? fullName;
    let h = (this.seed ^ (salt * 0x9e3779b9)) >>> 0;
    for (const c of `${name}@${minute}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995) >>> 0;
    return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
  }

  private syncTraffic(): void {
    if (!this.traffic || !this.currentDeployment) return;
    const traffic = this.traffic;
    const replacement = this.world.codedeploy.deployment(this.currentDeployment).replacementTargetGroupArn;
    this.processedWrites = followCanaryWeight(
      this.world.elbv2.writes,
      this.processedWrites,
      this.service.metadata.productionListenerArn,
      replacement,
      (at, weight) => traffic.setCanaryWeight(Math.max(at, this.syncedTo), weight),
    );
    this.syncedTo = Math.max(this.syncedTo, this.world.clock.now());
    this.traffic.advanceTo(this.syncedTo);
  }

  /** The simulated minute starting at `start`: minutes are consecutive from the first, so found by index. */
  private simMinute(start: number) {
    const minutes = this.traffic?.minutes ?? [];
    const at = minutes[(start - (minutes[0]?.start ?? 0)) / 60_000];
    return at?.start === start ? at : minutes.find((m) => m.start === start);
  }

  private minute(fullName: string, minute: number) {
    this.syncTraffic();
    if (this.hash(fullName, minute, 2) < this.cloudwatch.missing) return undefined;
    const simMinute = this.simMinute(minute);
    if (!simMinute || !this.currentDeployment) return undefined;
    const replacement = this.world.elbv2.targetGroups.get(
      this.world.codedeploy.deployment(this.currentDeployment).replacementTargetGroupArn,
    )!;
    const group = fullName === replacement.fullName ? simMinute.canary : simMinute.baseline;
    if (group.requests === 0) return undefined;
    return {
      requests: group.requests,
      errors5xx: group.errors5xx,
      connectionErrors: group.connectionErrors,
      p95Ms: group.p95Ms ?? 0,
      slowRequests: () => group.slowRequests,
      healthyHosts: group.healthyHosts,
      unhealthyHosts: group.unhealthyHosts,
    };
  }
}
