/**
 * ECS adapter of the metrics' version dimension: which task definition revision each target group
 * serves in this deployment. Under the CODE_DEPLOY controller DescribeServices lists the service's
 * task sets, each with its task definition and its load balancer's target group (Amazon ECS API
 * Reference, DescribeServices and TaskSet).
 */
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';

import { revisionOf, type VersionValues } from '../core/custom-metrics';
import { EcsCanaryError } from '../core/ecs-canary-error';
import type { TargetPair } from '../core/rollout-state';

/** The task sets do not tell both versions' revisions: the metrics are read service-wide (bars only). */
export class VersionsUnknownError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VersionsUnknownError';
  }
}

export async function taskDefinitionRevisions(
  client: ECSClient,
  ecsService: { readonly cluster: string; readonly service: string },
  targets: TargetPair,
): Promise<VersionValues> {
  const { services = [] } = await client.send(new DescribeServicesCommand({ cluster: ecsService.cluster, services: [ecsService.service] }));
  const taskSets = services[0]?.taskSets ?? [];
  const revisionFor = (role: keyof TargetPair): string => {
    const taskSet = taskSets.find((t) => t.loadBalancers?.some((lb) => lb.targetGroupArn === targets[role].arn));
    const revision = taskSet?.taskDefinition ? revisionOf(taskSet.taskDefinition) : undefined;
    if (!revision)
      throw new VersionsUnknownError(
        `no task set of ${ecsService.service} serves target group ${targets[role].name} with a task definition revision (the ${role})`,
      );
    return revision;
  };
  return { replacement: revisionFor('replacement'), original: revisionFor('original') };
}
