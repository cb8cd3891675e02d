/** CodeDeploy adapter: deployment status, which target group is the replacement, hook status. */
import {
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  LifecycleEventAlreadyCompletedException,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';

import type { DeploymentHistory } from '../core/currency';
import type { TargetGroupRef } from '../core/metadata';
import type { TargetPair } from '../core/rollout-state';
import { DeploymentNotInProgressError, DeploymentTargetError } from './engine-errors';

export async function deploymentStatus(client: CodeDeployClient, deploymentId: string): Promise<string> {
  const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId }));
  return deploymentInfo?.status ?? 'Unknown';
}

/** Throws `DeploymentNotInProgressError` unless the deployment is InProgress: call right before a listener write. */
export async function assertInProgress(client: CodeDeployClient, deploymentId: string): Promise<void> {
  const status = await deploymentStatus(client, deploymentId);
  if (status !== 'InProgress') throw new DeploymentNotInProgressError(deploymentId, status);
}

/**
 * What decides whether a deployment is still its group's current one (core/currency.ts): its
 * automatic rollback (GetDeployment `rollbackInfo`) and every deployment of the group created
 * since its `createTime` (ListDeployments `createTimeRange`, "start: the start time of the time
 * range"; the order of the list is not documented, so none is assumed).
 */
export async function deploymentHistory(
  client: CodeDeployClient,
  deploymentId: string,
  group: { readonly applicationName: string; readonly deploymentGroupName: string },
): Promise<DeploymentHistory> {
  const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId }));
  if (!deploymentInfo?.createTime) throw new DeploymentTargetError(`deployment ${deploymentId}: GetDeployment returned no createTime`);
  const createdSince: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentsCommand({
        applicationName: group.applicationName,
        deploymentGroupName: group.deploymentGroupName,
        createTimeRange: { start: deploymentInfo.createTime },
        nextToken,
      }),
    );
    createdSince.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const rollbackDeploymentId = deploymentInfo.rollbackInfo?.rollbackDeploymentId;
  return { deploymentId, createdSince, ...(rollbackDeploymentId ? { rollbackDeploymentId } : {}) };
}

/**
 * Which of the service's target groups serves the replacement (task set label `Green`) and which
 * the original (`Blue`) in this deployment; blue and green swap roles on every deployment.
 */
export async function deploymentTargets(
  client: CodeDeployClient,
  deploymentId: string,
  targetGroups: readonly TargetGroupRef[],
): Promise<TargetPair> {
  const { targetIds = [] } = await client.send(new ListDeploymentTargetsCommand({ deploymentId }));
  if (targetIds.length !== 1)
    throw new DeploymentTargetError(`deployment ${deploymentId} has ${targetIds.length} targets; an ECS deployment has exactly one`, {
      noReplacementTaskSet: targetIds.length === 0,
    });
  const { deploymentTarget } = await client.send(new GetDeploymentTargetCommand({ deploymentId, targetId: targetIds[0] }));
  const taskSets = deploymentTarget?.ecsTarget?.taskSetsInfo ?? [];
  const find = (label: 'Blue' | 'Green') => {
    const taskSet = taskSets.find((t) => t.taskSetLabel === label);
    const name = taskSet?.targetGroup?.name;
    return { taskSet, name, ref: targetGroups.find((tg) => tg.name === name) };
  };
  // A deployment that ended before Install has no Green task set; its Blue one (when CodeDeploy
  // lists it) names the target group production belongs on.
  const blue = find('Blue');
  const byLabel = (label: 'Blue' | 'Green'): TargetGroupRef => {
    const { taskSet, name, ref } = label === 'Blue' ? blue : find(label);
    if (!ref) {
      const noReplacementTaskSet = label === 'Green' && taskSet === undefined;
      throw new DeploymentTargetError(
        `deployment ${deploymentId}: the ${label} task set's target group is ${JSON.stringify(name)}; expected one of ${targetGroups.map((t) => t.name).join(', ')}`,
        { noReplacementTaskSet, ...(noReplacementTaskSet && blue.ref ? { original: blue.ref } : {}) },
      );
    }
    return ref;
  };
  const pair = { replacement: byLabel('Green'), original: byLabel('Blue') };
  if (pair.replacement.arn === pair.original.arn)
    throw new DeploymentTargetError(`deployment ${deploymentId}: both task sets use target group ${pair.original.name}`);
  return pair;
}

/**
 * Reports the hook's status. Returns false when CodeDeploy says the hook was already answered
 * (a retried tick after a report that did reach CodeDeploy): nothing is left to do then.
 */
export async function reportHookStatus(
  client: CodeDeployClient,
  deploymentId: string,
  lifecycleEventHookExecutionId: string,
  status: 'Succeeded' | 'Failed',
): Promise<boolean> {
  try {
    await client.send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId, lifecycleEventHookExecutionId, status }));
    return true;
  } catch (error) {
    if (error instanceof LifecycleEventAlreadyCompletedException) return false;
    throw error;
  }
}
