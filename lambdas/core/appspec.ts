/**
 * The AppSpec of an ecs-canary deployment: the new task definition revision, the container and
 * port the load balancer routes to, and the three lifecycle hooks that run the gated rollout.
 *
 * Pure: no AWS imports. Shared by `canary deploy` and the cdk-deploy custom resource, so both
 * create exactly the same deployment.
 *
 * Format: https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 * (`Resources[0].TargetService` of type `AWS::ECS::Service`) and the ECS `Hooks` section, a list of
 * one-key objects `{ <LifecycleEvent>: <Lambda function name or ARN> }`.
 */
import { createHash } from 'node:crypto';

import { EcsCanaryError } from './ecs-canary-error';
import { type HookName, HOOKS } from './rollout-plan';

export interface AppSpecInput {
  /** ARN of the task definition revision to deploy (with its revision number). */
  readonly taskDefinitionArn: string;
  /** Container the load balancer routes to; must exist in the task definition. */
  readonly containerName: string;
  /** Port of that container the target groups forward to. */
  readonly containerPort: number;
  /**
   * Hook name → Lambda function name (or ARN), from the deployment metadata's `hooks`.
   * Every hook of `HOOKS` must be present: without them CodeDeploy would shift 100% at once.
   */
  readonly hooks: { readonly [hook: string]: string | undefined };
  /**
   * The service's capacity provider strategy, for the replacement task set (AppSpec
   * `Properties.CapacityProviderStrategy`); absent for the FARGATE launch type.
   */
  readonly capacityProviderStrategy?: readonly { readonly capacityProvider: string; readonly weight: number; readonly base?: number }[];
}

export interface EcsAppSpec {
  readonly version: '0.0';
  readonly Resources: readonly [
    {
      readonly TargetService: {
        readonly Type: 'AWS::ECS::Service';
        readonly Properties: {
          readonly TaskDefinition: string;
          readonly LoadBalancerInfo: { readonly ContainerName: string; readonly ContainerPort: number };
          readonly CapacityProviderStrategy?: ReadonlyArray<{
            readonly CapacityProvider: string;
            readonly Base?: number;
            readonly Weight: number;
          }>;
        };
      };
    },
  ];
  readonly Hooks: ReadonlyArray<{ readonly [hook: string]: string }>;
}

/** Invalid input to the renderer; `field` names what is wrong. */
export class AppSpecError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppSpecError';
  }
}

const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;

/** Renders the AppSpec; throws `AppSpecError` naming the field, the value and what is accepted. */
export function renderAppSpec(input: AppSpecInput): EcsAppSpec {
  if (!TASK_DEFINITION_ARN.test(input.taskDefinitionArn)) {
    throw new AppSpecError(
      `taskDefinitionArn is ${JSON.stringify(input.taskDefinitionArn)}; accepted: a task definition revision ARN such as arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42`,
      'taskDefinitionArn',
    );
  }
  if (input.containerName.trim() === '') {
    throw new AppSpecError('containerName is empty; accepted: the name of the container the load balancer routes to', 'containerName');
  }
  if (!Number.isInteger(input.containerPort) || input.containerPort < 1 || input.containerPort > 65535) {
    throw new AppSpecError(`containerPort is ${input.containerPort}; accepted: a whole number from 1 to 65535`, 'containerPort');
  }
  const missing = HOOKS.filter((hook) => !input.hooks[hook]);
  if (missing.length > 0) {
    throw new AppSpecError(
      `hooks lacks ${missing.join(', ')} (got ${JSON.stringify(input.hooks)}); accepted: a Lambda function name for each of ${HOOKS.join(', ')}; is the rollout engine deployed for this service?`,
      'hooks',
    );
  }
  return {
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: input.taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
            ...(input.capacityProviderStrategy && input.capacityProviderStrategy.length > 0
              ? {
                  CapacityProviderStrategy: input.capacityProviderStrategy.map((p) => ({
                    CapacityProvider: p.capacityProvider,
                    ...(p.base !== undefined ? { Base: p.base } : {}),
                    Weight: p.weight,
                  })),
                }
              : {}),
          },
        },
      },
    ],
    Hooks: HOOKS.map((hook: HookName) => ({ [hook]: input.hooks[hook] as string })),
  };
}

/** The `revision` of `CreateDeployment` for an AppSpec: `AppSpecContent` with its SHA-256. */
export function appSpecRevision(appSpec: EcsAppSpec): {
  revisionType: 'AppSpecContent';
  appSpecContent: { content: string; sha256: string };
} {
  const content = JSON.stringify(appSpec);
  return {
    revisionType: 'AppSpecContent',
    appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
  };
}
