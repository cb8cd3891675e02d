/**
 * Creating, refusing and stopping ecs-canary deployments: the one path shared by `canary deploy`
 * (through `cli/deploy`) and the cdk-deploy custom resource. Thin adapters over the SDK; the
 * AppSpec is the pure renderer of `core/appspec.ts`.
 */
import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentStatus,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';

import { appSpecRevision, type EcsAppSpec, renderAppSpec } from '../core/appspec';
import type { DeploymentMetadata } from '../core/metadata';
import { awsCall, DeployConfigError, DeploymentBlockedError } from './deploy-errors';
import { readFreeze } from './service-parameters';

/** Deployment statuses during which another deployment must not start. */
export const ACTIVE_STATUSES: readonly DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Ready'];

/** Deployments of the service's deployment group that are still active, newest first as listed. */
export async function activeDeployments(codedeploy: CodeDeployClient, metadata: DeploymentMetadata): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('codedeploy:ListDeployments', () =>
      codedeploy.send(
        new ListDeploymentsCommand({
          applicationName: metadata.applicationName,
          deploymentGroupName: metadata.deploymentGroupName,
          includeOnlyStatuses: [...ACTIVE_STATUSES],
          nextToken,
        }),
      ),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

/**
 * Throws `DeploymentBlockedError` when the freeze switch is on or a deployment of the group is
 * still active; the message says what to do.
 */
export async function assertDeployable(
  clients: { readonly ssm: SSMClient; readonly codedeploy: CodeDeployClient },
  metadata: DeploymentMetadata,
): Promise<void> {
  const freeze = await readFreeze(clients.ssm, metadata.freezeParameterName);
  if (freeze.frozen) {
    const who = [freeze.by && `by ${freeze.by}`, freeze.at && `at ${freeze.at}`].filter(Boolean).join(' ');
    throw new DeploymentBlockedError(
      `${metadata.service} is frozen${who ? ` ${who}` : ''}: ${freeze.reason ?? 'no reason given'}. Run canary unfreeze ${metadata.service} when deployments may resume`,
      'frozen',
    );
  }
  const active = await activeDeployments(clients.codedeploy, metadata);
  if (active.length > 0) {
    throw new DeploymentBlockedError(
      `${metadata.service} already has a deployment in progress (${active.join(', ')}); wait for it (canary status ${metadata.service}) or stop it (canary rollback ${metadata.service})`,
      'in-progress',
      active,
    );
  }
}

/** The deployment description: the image and, when known, the commit that produced it. */
export function deploymentDescription(image: string, commit?: string): string {
  const text = commit ? `ecs-canary: ${image} (commit ${commit})` : `ecs-canary: ${image}`;
  return text.slice(0, 1024);
}

/** The AppSpec for a revision of this service; a metadata without hooks is a `DeployConfigError`. */
export function appSpecFor(metadata: DeploymentMetadata, taskDefinitionArn: string): EcsAppSpec {
  if (!metadata.hooks) {
    throw new DeployConfigError(
      `the deployment metadata of ${metadata.service} has no hooks: the rollout engine is not wired into its stack, so CodeDeploy would shift all traffic at once; deploy the engine first`,
      'hooks',
    );
  }
  return renderAppSpec({
    taskDefinitionArn,
    containerName: metadata.containerName,
    containerPort: metadata.containerPort,
    hooks: metadata.hooks,
    capacityProviderStrategy: metadata.capacityProviderStrategy,
  });
}

/** Creates the CodeDeploy deployment of `taskDefinitionArn`; returns the deployment id. */
export async function createCanaryDeployment(
  codedeploy: CodeDeployClient,
  request: { readonly metadata: DeploymentMetadata; readonly taskDefinitionArn: string; readonly description: string },
): Promise<string> {
  const appSpec = appSpecFor(request.metadata, request.taskDefinitionArn);
  const created = await awsCall('codedeploy:CreateDeployment', () =>
    codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: request.metadata.applicationName,
        deploymentGroupName: request.metadata.deploymentGroupName,
        revision: appSpecRevision(appSpec),
        description: request.description,
      }),
    ),
  );
  if (!created.deploymentId) throw new DeployConfigError('codedeploy:CreateDeployment returned no deployment id', 'deploymentId');
  return created.deploymentId;
}

/**
 * The task definition the service's primary task set runs (under the CODE_DEPLOY controller the
 * service's own `taskDefinition` follows it too). For the cdk-deploy resource: a revision that
 * already runs needs no deployment.
 */
export async function primaryTaskDefinition(
  ecs: ECSClient,
  target: { readonly cluster: string; readonly service: string },
): Promise<string | undefined> {
  const described = await awsCall('ecs:DescribeServices', () =>
    ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] })),
  );
  const service = described.services?.[0];
  if (!service)
    throw new DeployConfigError(`ecs:DescribeServices found no service ${target.service} in cluster ${target.cluster}`, 'service');
  return service.taskSets?.find((t) => t.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
}

/** Stops a deployment and has CodeDeploy roll it back (production back to the original). */
export async function stopWithRollback(codedeploy: CodeDeployClient, deploymentId: string): Promise<void> {
  await awsCall('codedeploy:StopDeployment', () => codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true })));
}
