/**
 * Fake AWS CodeDeploy for the ECS compute platform (blue/green, CodeDeployDefault.ECSAllAtOnce):
 * the deployment API and the lifecycle that drives ECS task sets and ALB listeners in the fake.
 */
import { randomUUID } from 'node:crypto';

import {
  ApplicationDoesNotExistException,
  ApplicationNameRequiredException,
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentConfigDoesNotExistException,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentGroupNameRequiredException,
  DeploymentIdRequiredException,
  DeploymentIsNotInReadyStateException,
  DeploymentLimitExceededException,
  type DeploymentStatus,
  DeploymentTargetDoesNotExistException,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  InvalidDeploymentWaitTypeException,
  InvalidLifecycleEventHookExecutionIdException,
  InvalidLifecycleEventHookExecutionStatusException,
  InvalidRevisionException,
  LifecycleEventAlreadyCompletedException,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  RevisionDoesNotExistException,
  RevisionRequiredException,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';

import type { FakeClock } from './clock';
import type { FakeCloudWatch } from './cloudwatch';
import { AppSpecError, parseAppSpec } from './codedeploy-appspec';
import { ACTIVE_STATUSES, type Deployment, type DeploymentGroup, type DeploymentGroupConfig, newDeployment } from './codedeploy-lifecycle';
import { CodeDeployRevisions, type ContentRevisionType } from './codedeploy-revisions';
import {
  CodeDeployLifecycle,
  type CodeDeployStateChangeEvent,
  type CodeDeployTimings,
  type HookHandler,
  type StateChangeListener,
} from './codedeploy-runner';
import type { FakeEcs } from './ecs';
import type { FakeElbv2 } from './elbv2';
import { awsError, NotModelledError } from './errors';
import type { FakeLambda } from './lambda';
import type { Handlers } from './mocks';

const ALL_AT_ONCE = 'CodeDeployDefault.ECSAllAtOnce';

export class FakeCodeDeploy {
  readonly groups = new Map<string, DeploymentGroup>();
  readonly deployments = new Map<string, Deployment>();
  readonly lifecycle: CodeDeployLifecycle;
  private deploymentCount = 0;
  private readonly revisions = new CodeDeployRevisions();

  constructor(
    private readonly clock: FakeClock,
    ecs: FakeEcs,
    elbv2: FakeElbv2,
    cloudwatch: FakeCloudWatch,
    lambda: FakeLambda,
    timings: Partial<CodeDeployTimings> = {},
  ) {
    this.lifecycle = new CodeDeployLifecycle(clock, ecs, elbv2, cloudwatch, lambda, timings, (group, appSpec, content, triggering) =>
      this.register(group, appSpec, content, 'autoRollback', `Rollback of ${triggering}`),
    );
    cloudwatch.onAlarmChange((alarm) => {
      if (alarm.state !== 'ALARM') return;
      for (const deployment of this.deployments.values()) {
        if (deployment.kind === 'user' && ACTIVE_STATUSES.includes(deployment.status) && deployment.group.alarms?.includes(alarm.name)) {
          this.lifecycle.stopForAlarm(deployment, [alarm.name]);
        }
      }
    });
  }

  /** Test setup: an application's ECS deployment group. The first target group serves first. */
  addDeploymentGroup(config: DeploymentGroupConfig): DeploymentGroup {
    const wait = config.terminationWaitMinutes ?? 0;
    if (!Number.isInteger(wait) || wait < 0 || wait > 2880) {
      throw new Error(`addDeploymentGroup: terminationWaitMinutes ${wait} must be an integer from 0 to 2880`);
    }
    const ready = config.readyWaitMinutes;
    if (ready !== undefined && (!Number.isInteger(ready) || ready < 0))
      throw new Error(`addDeploymentGroup: readyWaitMinutes ${ready} must be a whole number of minutes`);
    if ((config.alarms ?? []).length > 10)
      throw new Error(`addDeploymentGroup: ${config.alarms!.length} alarms; a deployment group takes at most 10`);
    const group: DeploymentGroup = { ...config, id: randomUUID(), activeTargetGroupArn: config.targetGroupArns[0] };
    this.groups.set(`${config.applicationName}/${config.deploymentGroupName}`, group);
    return group;
  }

  /** A handler for hooks whose AppSpec function has no registered Lambda: `(hook, event) => …`. */
  onHook(handler: HookHandler): void {
    this.lifecycle.hookHandler = handler;
  }

  /** EventBridge "CodeDeploy Deployment State-change Notification" subscriber (invoked asynchronously). */
  onStateChange(listener: StateChangeListener): void {
    this.lifecycle.stateListeners.push(listener);
  }

  /**
   * Late and duplicate EventBridge deliveries (see CodeDeployLifecycle.stateChangeDelivery):
   * `delays(event)` gives, per delivery, its delay in ms after the event (`[0]`: once, at once; `[]`: never).
   */
  deliverStateChanges(delays: (event: CodeDeployStateChangeEvent) => readonly number[]): void {
    this.lifecycle.stateChangeDelivery = delays;
  }

  /** Test control: every state change from now on reaches EventBridge's targets `delayMs` late. */
  delayStateChanges(delayMs: number): void {
    this.deliverStateChanges(() => [delayMs]);
  }

  /**
   * Delivers a state-change event emitted earlier once more (the same event id), now or `delayMs`
   * from now: a late or duplicate EventBridge delivery.
   */
  redeliverStateChange(deploymentId: string, state: string, delayMs = 0): void {
    const event = [...this.lifecycle.emitted].reverse().find((e) => e.detail.deploymentId === deploymentId && e.detail.state === state);
    if (!event) throw new Error(`redeliverStateChange: ${deploymentId} emitted no ${state} event`);
    const label = `eventbridge ${state} ${deploymentId} (redelivered)`;
    for (const listener of this.lifecycle.stateListeners) {
      if (delayMs > 0) this.clock.schedule(delayMs, () => listener(structuredClone(event)), label);
      else this.clock.spawn(() => listener(structuredClone(event)), label);
    }
  }

  /** Delivers a hook's invocation event again (Lambda's at-least-once asynchronous delivery). */
  redeliverHook(deploymentId: string, hook: string): void {
    this.lifecycle.redeliver(this.deployment(deploymentId), hook);
  }

  /**
   * CreateDeployment — CodeDeploy API Reference: needs applicationName (ApplicationNameRequired,
   * ApplicationDoesNotExist), deploymentGroupName (DeploymentGroupDoesNotExist), a revision
   * (RevisionRequired; for ECS an AppSpecContent revision) and fails with
   * DeploymentLimitExceeded when "the deployment group already has an active deployment".
   */
  createDeployment(input: {
    applicationName?: string;
    deploymentGroupName?: string;
    deploymentConfigName?: string;
    description?: string;
    revision?: { revisionType?: string; appSpecContent?: { content?: string }; string?: { content?: string } };
  }): { deploymentId: string } {
    const group = this.group(input.applicationName, input.deploymentGroupName);
    if (!input.revision) throw awsError(RevisionRequiredException, 'The revision ID was not specified.');
    if (input.deploymentConfigName && input.deploymentConfigName !== ALL_AT_ONCE) {
      if (!input.deploymentConfigName.startsWith('CodeDeployDefault.ECS')) {
        throw awsError(DeploymentConfigDoesNotExistException, `No deployment configuration found for name: ${input.deploymentConfigName}`);
      }
      throw new NotModelledError(`deployment config ${input.deploymentConfigName} (only ${ALL_AT_ONCE})`);
    }
    const content =
      input.revision.revisionType === 'AppSpecContent'
        ? input.revision.appSpecContent?.content
        : input.revision.revisionType === 'String'
          ? input.revision.string?.content
          : undefined;
    if (!content) {
      throw awsError(
        InvalidRevisionException,
        `revision.revisionType '${String(input.revision.revisionType)}' needs its content: use AppSpecContent with appSpecContent.content`,
      );
    }
    let appSpec;
    try {
      appSpec = parseAppSpec(content);
    } catch (error) {
      if (error instanceof AppSpecError) throw awsError(InvalidRevisionException, error.message);
      throw error;
    }
    const active = [...this.deployments.values()].find((d) => d.group === group && ACTIVE_STATUSES.includes(d.status));
    if (active) {
      throw awsError(
        DeploymentLimitExceededException,
        `The Deployment Group '${group.deploymentGroupName}' already has an active Deployment '${active.id}'`,
      );
    }
    const deployment = this.register(
      group,
      appSpec,
      content,
      'user',
      input.description,
      input.revision.revisionType as ContentRevisionType,
    );
    return { deploymentId: deployment.id };
  }

  /**
   * GetApplicationRevision — CodeDeploy API Reference: applicationName (ApplicationNameRequired,
   * ApplicationDoesNotExist) and the revision's location (RevisionRequired); an unknown revision →
   * RevisionDoesNotExist. For AppSpecContent and String revisions the location is the sha256, and
   * the answer carries the content (GetDeployment's note: "Use GetApplicationRevision and the sha256
   * property of the returned appSpecContent object to get the content of the deployment's AppSpec
   * file"). S3 and GitHub revisions are not modelled.
   */
  getApplicationRevision(input: {
    applicationName?: string;
    revision?: { revisionType?: string; appSpecContent?: { sha256?: string }; string?: { sha256?: string } };
  }) {
    if (!input.applicationName)
      throw awsError(ApplicationNameRequiredException, 'The minimum number of required application names was not specified.');
    if (![...this.groups.values()].some((g) => g.applicationName === input.applicationName)) {
      throw awsError(ApplicationDoesNotExistException, `No application found for name: ${input.applicationName}`);
    }
    const revision = input.revision;
    if (!revision) throw awsError(RevisionRequiredException, 'The revision ID was not specified.');
    if (revision.revisionType !== 'AppSpecContent' && revision.revisionType !== 'String') {
      throw new NotModelledError(`GetApplicationRevision of a ${String(revision.revisionType)} revision (only AppSpecContent and String)`);
    }
    const sha256 = revision.revisionType === 'AppSpecContent' ? revision.appSpecContent?.sha256 : revision.string?.sha256;
    const stored = this.revisions.find(input.applicationName, revision.revisionType, sha256);
    if (!stored) throw awsError(RevisionDoesNotExistException, `No application revision found for revision ${String(sha256)}`);
    const raw = { content: stored.content, sha256: stored.sha256 };
    return {
      applicationName: input.applicationName,
      revision: {
        revisionType: stored.revisionType,
        ...(stored.revisionType === 'AppSpecContent' ? { appSpecContent: raw } : { string: raw }),
      },
      revisionInfo: {
        description: undefined,
        deploymentGroups: [...stored.deploymentGroups],
        firstUsedTime: new Date(stored.registerTime),
        lastUsedTime: new Date(stored.lastUsedTime),
        registerTime: new Date(stored.registerTime),
      },
    };
  }

  /** GetDeployment — CodeDeploy API Reference: `deploymentInfo`; unknown id → DeploymentDoesNotExist. */
  getDeployment(input: { deploymentId?: string }) {
    return { deploymentInfo: this.info(this.deployment(input.deploymentId)) };
  }

  batchGetDeployments(input: { deploymentIds?: string[] }) {
    return {
      deploymentsInfo: (input.deploymentIds ?? []).flatMap((id) =>
        this.deployments.has(id) ? [this.info(this.deployments.get(id)!)] : [],
      ),
    };
  }

  /**
   * ListDeployments — CodeDeploy API Reference: by applicationName + deploymentGroupName ("If
   * applicationName is specified, then deploymentGroupName must be specified"), filtered by
   * includeOnlyStatuses and createTimeRange (TimeRange `start`/`end`, either open-ended; whether
   * the bounds are inclusive is not documented: the fake includes them). Automatic rollback
   * deployments are deployments of the group too, so they are listed.
   */
  listDeployments(input: {
    applicationName?: string;
    deploymentGroupName?: string;
    includeOnlyStatuses?: DeploymentStatus[];
    createTimeRange?: { start?: Date; end?: Date };
  }) {
    let deployments = [...this.deployments.values()];
    if (input.applicationName || input.deploymentGroupName) {
      if (!input.applicationName)
        throw awsError(ApplicationNameRequiredException, 'The minimum number of required application names was not specified.');
      if (!input.deploymentGroupName) throw awsError(DeploymentGroupNameRequiredException, 'The deployment group name was not specified.');
      const group = this.group(input.applicationName, input.deploymentGroupName);
      deployments = deployments.filter((d) => d.group === group);
    }
    if (input.includeOnlyStatuses) deployments = deployments.filter((d) => input.includeOnlyStatuses!.includes(d.status));
    const { start, end } = input.createTimeRange ?? {};
    if (start) deployments = deployments.filter((d) => d.createTime >= new Date(start).getTime());
    if (end) deployments = deployments.filter((d) => d.createTime <= new Date(end).getTime());
    return { deployments: deployments.reverse().map((d) => d.id) };
  }

  /** ListDeploymentTargets — for ECS the single target is `<cluster>:<service>`. */
  listDeploymentTargets(input: { deploymentId?: string }) {
    const deployment = this.deployment(input.deploymentId);
    return { targetIds: [targetId(deployment)] };
  }

  /**
   * GetDeploymentTarget — CodeDeploy API Reference, ECSTarget: lifecycleEvents and taskSetsInfo;
   * ECSTaskSet.taskSetLabel "identifies whether the ECS task set is an original target (BLUE) or
   * a replacement target (GREEN)" (SDK values 'Blue'/'Green'), `targetGroup.name`,
   * `trafficWeight` "the percentage of traffic served by this task set" — as CodeDeploy set it
   * (0/100 before/after its own AllowTraffic; it does not see weights written by others).
   */
  getDeploymentTarget(input: { deploymentId?: string; targetId?: string }) {
    const deployment = this.deployment(input.deploymentId);
    if (input.targetId !== targetId(deployment)) {
      throw awsError(DeploymentTargetDoesNotExistException, `The deployment target ${String(input.targetId)} does not exist.`);
    }
    return {
      deploymentTarget: {
        deploymentTargetType: 'ECSTarget' as const,
        ecsTarget: this.lifecycle.ecsTarget(deployment, targetId(deployment)),
      },
    };
  }

  /**
   * PutLifecycleEventHookExecutionStatus — CodeDeploy API Reference: "Sets the result of a Lambda
   * validation function"; "only Succeeded and Failed can be passed successfully"
   * (InvalidLifecycleEventHookExecutionStatus); an execution id of another deployment →
   * InvalidLifecycleEventHookExecutionId; a hook already reported or ended →
   * LifecycleEventAlreadyCompleted.
   */
  putLifecycleEventHookExecutionStatus(input: { deploymentId?: string; lifecycleEventHookExecutionId?: string; status?: string }) {
    if (!input.deploymentId) throw awsError(DeploymentIdRequiredException, 'At least one deployment ID must be specified.');
    const deployment = this.deployment(input.deploymentId);
    const event = deployment.events.find(
      (e) => e.hookExecutionId !== undefined && e.hookExecutionId === input.lifecycleEventHookExecutionId,
    );
    if (!event) {
      throw awsError(
        InvalidLifecycleEventHookExecutionIdException,
        `A lifecycle event hook is invalid: ${String(input.lifecycleEventHookExecutionId)}`,
      );
    }
    if (input.status !== 'Succeeded' && input.status !== 'Failed') {
      throw awsError(
        InvalidLifecycleEventHookExecutionStatusException,
        `The status ${String(input.status)} is invalid: Succeeded or Failed`,
      );
    }
    if (event.status !== 'InProgress' || !ACTIVE_STATUSES.includes(deployment.status)) {
      throw awsError(LifecycleEventAlreadyCompletedException, `The lifecycle event ${event.name} is already completed (${event.status}).`);
    }
    this.lifecycle.reportHook(deployment, event, input.status);
    return { lifecycleEventHookExecutionId: event.hookExecutionId };
  }

  /**
   * StopDeployment — CodeDeploy API Reference: "Attempts to stop an ongoing deployment";
   * autoRollbackEnabled "Indicates, when a deployment is stopped, whether instances that have been
   * updated should be rolled back"; a finished deployment → DeploymentAlreadyCompleted.
   */
  stopDeployment(input: { deploymentId?: string; autoRollbackEnabled?: boolean }) {
    const deployment = this.deployment(input.deploymentId);
    if (!ACTIVE_STATUSES.includes(deployment.status)) {
      throw awsError(DeploymentAlreadyCompletedException, `The deployment ${deployment.id} has already completed.`);
    }
    const rollback = input.autoRollbackEnabled ?? deployment.group.rollbackOnStop ?? false;
    this.lifecycle.stop(deployment, 'MANUAL_STOP', 'The deployment was stopped by a user.', rollback);
    return { status: 'Pending' as const, statusMessage: 'Stopping Pending. Stopping to schedule update on the deployment' };
  }

  /**
   * ContinueDeployment — CodeDeploy API Reference: deploymentWaitType READY_WAIT "starts the
   * process of rerouting traffic" of a deployment waiting in Ready (DeploymentReadyOption
   * STOP_DEPLOYMENT); TERMINATION_WAIT starts terminating the original task set during the
   * termination wait; otherwise DeploymentIsNotInReadyState.
   */
  continueDeployment(input: { deploymentId?: string; deploymentWaitType?: string }) {
    const deployment = this.deployment(input.deploymentId);
    const waitType = input.deploymentWaitType ?? 'READY_WAIT';
    if (waitType !== 'READY_WAIT' && waitType !== 'TERMINATION_WAIT') {
      throw awsError(InvalidDeploymentWaitTypeException, `The wait type ${waitType} is invalid: READY_WAIT or TERMINATION_WAIT`);
    }
    if (waitType === 'READY_WAIT' && deployment.status === 'Ready') {
      this.lifecycle.endReadyWait(deployment);
      return {};
    }
    if (waitType !== 'TERMINATION_WAIT' || !deployment.inTerminationWait) {
      throw awsError(DeploymentIsNotInReadyStateException, `The deployment ${deployment.id} is not waiting for ${waitType}.`);
    }
    this.lifecycle.endTerminationWait(deployment);
    return {};
  }

  deployment(id: string | undefined): Deployment {
    if (!id) throw awsError(DeploymentIdRequiredException, 'At least one deployment ID must be specified.');
    const deployment = this.deployments.get(id);
    if (!deployment) throw awsError(DeploymentDoesNotExistException, `The deployment ${id} could not be found.`);
    return deployment;
  }

  /** The newest deployment of a group (of any status), for tests. */
  latest(applicationName: string, deploymentGroupName: string): Deployment | undefined {
    const group = this.group(applicationName, deploymentGroupName);
    return [...this.deployments.values()].filter((d) => d.group === group && d.kind === 'user').pop();
  }

  private group(applicationName: string | undefined, deploymentGroupName: string | undefined): DeploymentGroup {
    if (!applicationName)
      throw awsError(ApplicationNameRequiredException, 'The minimum number of required application names was not specified.');
    if (![...this.groups.values()].some((g) => g.applicationName === applicationName)) {
      throw awsError(ApplicationDoesNotExistException, `No application found for name: ${applicationName}`);
    }
    if (!deploymentGroupName) throw awsError(DeploymentGroupNameRequiredException, 'The deployment group name was not specified.');
    const group = this.groups.get(`${applicationName}/${deploymentGroupName}`);
    if (!group) throw awsError(DeploymentGroupDoesNotExistException, `No Deployment Group found for name: ${deploymentGroupName}`);
    return group;
  }

  private register(
    group: DeploymentGroup,
    appSpec: Deployment['appSpec'],
    content: string,
    kind: Deployment['kind'],
    description?: string,
    revisionType: ContentRevisionType = 'AppSpecContent',
  ): Deployment {
    this.deploymentCount += 1;
    const id = `d-${(0x10000000 + this.deploymentCount).toString(36).toUpperCase().padStart(9, '0').slice(-9)}`;
    const deployment = newDeployment({
      id,
      group,
      kind,
      appSpec,
      appSpecContent: content,
      description,
      now: this.clock.now(),
      seq: this.clock.sequence(),
    });
    this.deployments.set(id, deployment);
    // The revision is kept with the application, found again by its sha256 (GetApplicationRevision).
    this.revisions.record(id, group.applicationName, group.deploymentGroupName, revisionType, content, this.clock.now());
    this.lifecycle.start(deployment);
    return deployment;
  }

  private info(d: Deployment) {
    const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
    return {
      applicationName: d.group.applicationName,
      deploymentGroupName: d.group.deploymentGroupName,
      deploymentConfigName: ALL_AT_ONCE,
      deploymentId: d.id,
      status: d.status,
      errorInformation: d.errorInformation,
      createTime: date(d.createTime),
      startTime: date(d.startTime),
      completeTime: date(d.completeTime),
      // DeploymentInfo.creator: "user" for a deployment someone created, "codeDeployRollback" for a rollback.
      creator: d.kind === 'user' ? ('user' as const) : ('codeDeployRollback' as const),
      description: d.description,
      rollbackInfo: d.rollbackInfo,
      computePlatform: 'ECS' as const,
      deploymentStyle: { deploymentType: 'BLUE_GREEN' as const, deploymentOption: 'WITH_TRAFFIC_CONTROL' as const },
      instanceTerminationWaitTimeStarted: d.inTerminationWait,
      // GetDeployment: "The content property of the appSpecContent object in the returned revision is always null."
      revision: this.revisions.location(d.id),
      deploymentStatusMessages: [],
    };
  }

  handlers(): Handlers {
    return {
      client: CodeDeployClient,
      commands: [
        [CreateDeploymentCommand, (i) => this.createDeployment(i as never)],
        [GetDeploymentCommand, (i) => this.getDeployment(i as never)],
        [GetApplicationRevisionCommand, (i) => this.getApplicationRevision(i as never)],
        [BatchGetDeploymentsCommand, (i) => this.batchGetDeployments(i as never)],
        [ListDeploymentsCommand, (i) => this.listDeployments(i as never)],
        [ListDeploymentTargetsCommand, (i) => this.listDeploymentTargets(i as never)],
        [GetDeploymentTargetCommand, (i) => this.getDeploymentTarget(i as never)],
        [PutLifecycleEventHookExecutionStatusCommand, (i) => this.putLifecycleEventHookExecutionStatus(i as never)],
        [StopDeploymentCommand, (i) => this.stopDeployment(i as never)],
        [ContinueDeploymentCommand, (i) => this.continueDeployment(i as never)],
      ],
    };
  }
}

function targetId(deployment: Deployment): string {
  return `${deployment.group.clusterName}:${deployment.group.serviceName}`;
}
