/**
 * Pull permissions for a service's image on its task execution role: exactly its ECR repository
 * (public registries need none), with the nag and CDK warnings that grant answers acknowledged.
 */
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Annotations, Validations } from 'aws-cdk-lib/core';

import { ecrRepositoryArn, ecrRepositoryOf } from './container-image';

/**
 * A private ECR image needs pull permissions on its repository; public registries need none.
 * Later revisions registered by `canary deploy` reuse this execution role, so they may use any
 * image of the same repository.
 */
export function grantImagePull(taskDefinition: ecs.TaskDefinition, image: string): void {
  const repository = ecrRepositoryOf(image);
  if (!repository) return;
  const executionRole = taskDefinition.obtainExecutionRole();
  executionRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: [ecrRepositoryArn(repository)],
    }),
  );
  // GetAuthorizationToken has no resource type: IAM accepts only "*".
  executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
  // The CDK warns that an ECR image named by URI needs pull permissions: granted just above.
  Annotations.of(taskDefinition).acknowledgeWarning(
    '@aws-cdk/aws-ecs:ecrImageRequiresPolicy',
    `the execution role may pull ${repository.repositoryName}`,
  );
  const policy = executionRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (policy) {
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `ecr:GetAuthorizationToken, needed to pull ${repository.repositoryName} from ECR, accepts only Resource "*"; the pull actions name the repository.`,
    });
  }
}
