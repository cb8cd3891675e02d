/**
 * The CLI's half of the deploy path: register a revision with only the image changed. The
 * shared half (refuse when frozen or busy, create with the ecs-canary AppSpec, stop) is
 * `lambdas/aws/deployments.ts`, re-exported here so `canary deploy` and the cdk-deploy custom
 * resource run the same code.
 */
import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import { awsCall, DeployConfigError } from '../../lambdas/aws/deploy-errors';
import { deriveTaskDefinition, diffTaskDefinitions, type FieldChange, TaskDefinitionError } from './task-definition';

export {
  ACTIVE_STATUSES,
  activeDeployments,
  appSpecFor,
  assertDeployable,
  createCanaryDeployment,
  deploymentDescription,
  primaryTaskDefinition,
  stopWithRollback,
} from '../../lambdas/aws/deployments';

export interface ImageRevisionPlan {
  /** The revision currently registered as the family's latest ACTIVE one. */
  readonly current: TaskDefinition;
  /** The `RegisterTaskDefinition` input: `current` with only the image changed. */
  readonly input: RegisterTaskDefinitionCommandInput;
  /** What differs between the two (the image, nothing else). */
  readonly changes: readonly FieldChange[];
}

/**
 * Describes the family's latest revision and derives the next one with `image` in
 * `containerName`. Changes nothing.
 */
export async function planImageRevision(
  ecs: ECSClient,
  target: { readonly family: string; readonly containerName: string; readonly image: string },
): Promise<ImageRevisionPlan> {
  const described = await awsCall('ecs:DescribeTaskDefinition', () =>
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: target.family, include: ['TAGS'] })),
  );
  const current = described.taskDefinition;
  if (!current)
    throw new DeployConfigError(
      `ecs:DescribeTaskDefinition returned no task definition for family ${target.family}`,
      'taskDefinitionFamily',
    );
  try {
    const input = deriveTaskDefinition(current, target.containerName, target.image, described.tags);
    return { current, input, changes: diffTaskDefinitions(current, input) };
  } catch (error) {
    if (error instanceof TaskDefinitionError) throw new DeployConfigError(error.message, error.field, { cause: error });
    throw error;
  }
}

/** Registers the planned revision; returns its ARN. */
export async function registerRevision(ecs: ECSClient, plan: ImageRevisionPlan): Promise<string> {
  const registered = await awsCall('ecs:RegisterTaskDefinition', () => ecs.send(new RegisterTaskDefinitionCommand(plan.input)));
  const arn = registered.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new DeployConfigError('ecs:RegisterTaskDefinition returned no task definition ARN', 'taskDefinitionArn');
  return arn;
}

/** The CI commit from the environment: GitHub Actions, GitLab CI, or none. */
export function ciCommit(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_SHA || env.CI_COMMIT_SHA || undefined;
}
