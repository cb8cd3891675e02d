/**
 * What a deployment is doing, as CodeDeploy reports it, and how it ended: read by `canary
 * status`/`deploy` (through `cli/deploy`) and by the cdk-deploy custom resource. The adapter
 * reads; `toSnapshot` and `deploymentOutcome` interpret (pure).
 */
import {
  type CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';

import { awsCall } from './deploy-errors';

/** CodeDeploy statuses after which nothing more happens. */
export const TERMINAL_STATUSES = ['Succeeded', 'Failed', 'Stopped'] as const;

export interface LifecycleEventView {
  readonly name: string;
  readonly status: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
}

/** Percent of production traffic per task set. */
export interface TrafficWeights {
  readonly original: number;
  readonly replacement: number;
}

export interface DeploymentSnapshot {
  readonly deploymentId: string;
  /** CodeDeploy status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
  readonly status: string;
  readonly terminal: boolean;
  readonly description?: string;
  readonly createdAt?: Date;
  readonly completedAt?: Date;
  /** The ECS target's lifecycle events in CodeDeploy's order. */
  readonly lifecycleEvents: readonly LifecycleEventView[];
  /** The event now running (InProgress), else the last one that ran (Skipped ones did not). */
  readonly currentEvent?: string;
  /** Target group name of the replacement (Green) task set, when known. */
  readonly replacementTargetGroup?: string;
  readonly originalTargetGroup?: string;
  /** CodeDeploy's own view of the traffic weights (it does not see the engine's shifts). */
  readonly codeDeployWeights?: TrafficWeights;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly rollbackMessage?: string;
  /** Set when this deployment is CodeDeploy's automatic rollback of another one. */
  readonly rollbackOf?: string;
  /** Every hook ran; CodeDeploy only waits to terminate the original task set. */
  readonly terminationWait: boolean;
}

/** Interprets `GetDeployment` and the ECS target (pure). */
export function toSnapshot(deploymentId: string, info: DeploymentInfo | undefined, target: ECSTarget | undefined): DeploymentSnapshot {
  const status = info?.status ?? 'Unknown';
  const lifecycleEvents = (target?.lifecycleEvents ?? []).map((e) => ({
    name: e.lifecycleEventName ?? '?',
    status: e.status ?? 'Pending',
    startedAt: e.startTime,
    endedAt: e.endTime,
  }));
  const running = lifecycleEvents.find((e) => e.status === 'InProgress');
  // Skipped events never ran: after a failure or stop every event not yet run is reported Skipped.
  const started = lifecycleEvents.filter((e) => e.status !== 'Pending' && e.status !== 'Skipped');
  const green = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green');
  const blue = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Blue');
  const codeDeployWeights =
    green?.trafficWeight !== undefined && blue?.trafficWeight !== undefined
      ? { original: blue.trafficWeight, replacement: green.trafficWeight }
      : undefined;
  return {
    deploymentId,
    status,
    terminal: (TERMINAL_STATUSES as readonly string[]).includes(status),
    description: info?.description,
    createdAt: info?.createTime,
    completedAt: info?.completeTime,
    lifecycleEvents,
    currentEvent: running?.name ?? started[started.length - 1]?.name,
    replacementTargetGroup: green?.targetGroup?.name,
    originalTargetGroup: blue?.targetGroup?.name,
    codeDeployWeights,
    errorCode: info?.errorInformation?.code,
    errorMessage: info?.errorInformation?.message,
    rollbackMessage: info?.rollbackInfo?.rollbackMessage,
    rollbackOf: info?.rollbackInfo?.rollbackTriggeringDeploymentId,
    terminationWait:
      !(TERMINAL_STATUSES as readonly string[]).includes(status) &&
      (info?.instanceTerminationWaitTimeStarted === true ||
        lifecycleEvents.some((e) => e.name === 'AfterAllowTraffic' && e.status === 'Succeeded')),
  };
}

/** Reads the deployment and its ECS target (`GetDeployment`, `ListDeploymentTargets`, `GetDeploymentTarget`). */
export async function getDeploymentSnapshot(codedeploy: CodeDeployClient, deploymentId: string): Promise<DeploymentSnapshot> {
  const deployment = await awsCall('codedeploy:GetDeployment', () => codedeploy.send(new GetDeploymentCommand({ deploymentId })));
  const targets = await awsCall('codedeploy:ListDeploymentTargets', () =>
    codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId })),
  );
  const targetId = targets.targetIds?.[0];
  const target = targetId
    ? (await awsCall('codedeploy:GetDeploymentTarget', () => codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId }))))
        .deploymentTarget?.ecsTarget
    : undefined;
  return toSnapshot(deploymentId, deployment.deploymentInfo, target);
}

export interface DeploymentOutcome {
  readonly succeeded: boolean;
  /** One line for people: why it failed, or that it succeeded. */
  readonly reason: string;
}

/**
 * The outcome of a terminal deployment (pure). `auditReason` is the newest audit record's reason
 * for this deployment (the judge's words), which explains a rollback better than CodeDeploy does.
 */
export function deploymentOutcome(snapshot: DeploymentSnapshot, auditReason?: string): DeploymentOutcome {
  if (snapshot.status === 'Succeeded') return { succeeded: true, reason: `deployment ${snapshot.deploymentId} succeeded` };
  const verb = snapshot.status === 'Stopped' ? 'stopped' : snapshot.status === 'Failed' ? 'failed' : `ended ${snapshot.status}`;
  const rolledBack = snapshot.rollbackMessage || /roll(ed)?\s*back/i.test(snapshot.errorMessage ?? '') ? ' and rolled back' : '';
  const codeDeploy = [snapshot.errorCode, snapshot.errorMessage].filter(Boolean).join(': ');
  // The judge's sentence ends in a full stop; joined with CodeDeploy's words it would read "571.;".
  const parts = [auditReason?.replace(/\.\s*$/, ''), codeDeploy && `CodeDeploy: ${codeDeploy}`].filter(Boolean);
  return {
    succeeded: false,
    reason: `deployment ${snapshot.deploymentId} ${verb}${rolledBack}: ${parts.join('; ') || 'no reason reported'}`,
  };
}
