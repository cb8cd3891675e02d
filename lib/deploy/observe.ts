/**
 * What a deployment is doing, as CodeDeploy and the production listener report it. Adapters read;
 * the pure functions below interpret.
 */
import {
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand, type Action, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { awsCall } from './errors';

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
  /** The event now running (InProgress), else the last one that started. */
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
  const started = lifecycleEvents.filter((e) => e.status !== 'Pending');
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
      (info?.instanceTerminationWaitTimeStarted === true || lifecycleEvents.some((e) => e.name === 'AfterAllowTraffic' && e.status === 'Succeeded')),
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

/**
 * The production listener's weights per target group name, from its default forward action
 * (pure). Target groups are named through the metadata; a plain forward counts as 100%.
 */
export function listenerWeights(actions: readonly Action[], metadata: DeploymentMetadata): Map<string, number> {
  const weights = new Map<string, number>();
  const nameOf = (arn: string | undefined) => metadata.targetGroups.find((tg) => tg.arn === arn)?.name ?? arn ?? '?';
  const forward = actions.find((a) => a.Type === 'forward');
  if (!forward) return weights;
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    const total = groups.reduce((sum, g) => sum + (g.Weight ?? 1), 0);
    for (const g of groups) weights.set(nameOf(g.TargetGroupArn), total === 0 ? 0 : Math.round(((g.Weight ?? 1) * 100) / total));
  } else if (forward.TargetGroupArn) {
    weights.set(nameOf(forward.TargetGroupArn), 100);
  }
  return weights;
}

/** Original/replacement weights from listener weights and the snapshot's task set labels (pure). */
export function trafficWeights(byTargetGroup: Map<string, number>, snapshot: DeploymentSnapshot): TrafficWeights | undefined {
  if (!snapshot.replacementTargetGroup) return undefined;
  const replacement = byTargetGroup.get(snapshot.replacementTargetGroup) ?? 0;
  return { replacement, original: 100 - replacement };
}

/** Reads the production listener's default actions. */
export async function readProductionListener(elbv2: ElasticLoadBalancingV2Client, metadata: DeploymentMetadata): Promise<Map<string, number>> {
  const result = await awsCall('elasticloadbalancing:DescribeListeners', () =>
    elbv2.send(new DescribeListenersCommand({ ListenerArns: [metadata.productionListenerArn] })),
  );
  return listenerWeights(result.Listeners?.[0]?.DefaultActions ?? [], metadata);
}
