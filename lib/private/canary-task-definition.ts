/**
 * The task definition of a `CanaryService`: the service's container (image, port, environment,
 * secrets, logs), its sidecars, the CPU architecture, and the task role's own permissions; or a
 * task definition the caller built, checked for the container the load balancer routes to.
 */
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Token, Validations } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

import { CanaryServiceError } from '../canary-service-error';
import type { ServiceConfig } from '../config';
import { containerSecrets } from './container-secrets';
import { grantImagePull } from './image-pull-grant';

export interface CanaryTaskDefinitionOptions {
  readonly family: string;
  readonly containerName: string;
  /** Replaces `config.image` when given. */
  readonly image?: ecs.ContainerImage;
  /** A task definition built by the caller: used as it is. */
  readonly taskDefinition?: ecs.FargateTaskDefinition;
  /** The task role's statements; `config.taskRole.statements` when absent. */
  readonly taskRoleStatements?: readonly iam.PolicyStatement[];
  readonly logRetention: logs.RetentionDays;
}

export interface CanaryTaskDefinitionParts {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The container the load balancer routes to and `canary deploy` replaces the image of. */
  readonly container: ecs.ContainerDefinition;
  /** The image reference of that container, as registered. */
  readonly imageName: string;
  /** The containers' log group; undefined for a task definition built by the caller. */
  readonly logGroup?: logs.LogGroup;
}

/** Builds (or checks) the task definition, then grants the task role its managed policies and statements. */
export function canaryTaskDefinition(
  scope: Construct,
  config: ServiceConfig,
  options: CanaryTaskDefinitionOptions,
): CanaryTaskDefinitionParts {
  const parts = options.taskDefinition
    ? userTaskDefinition(scope, config, options.taskDefinition)
    : builtTaskDefinition(scope, config, options);
  grantTaskRole(parts.taskDefinition, config, options.taskRoleStatements ?? taskRoleStatements(config));
  return parts;
}

function builtTaskDefinition(scope: Construct, config: ServiceConfig, options: CanaryTaskDefinitionOptions): CanaryTaskDefinitionParts {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    family: options.family,
    cpu: config.cpu,
    memoryLimitMiB: config.memoryMiB,
    runtimePlatform: {
      cpuArchitecture: config.cpuArchitecture === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
  });
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: options.logRetention, removalPolicy: RemovalPolicy.DESTROY });
  const container = taskDefinition.addContainer('Container', {
    containerName: options.containerName,
    image: options.image ?? ecs.ContainerImage.fromRegistry(configImage(scope, config)),
    portMappings: [{ containerPort: config.containerPort }],
    environment: config.environment,
    secrets: containerSecrets(scope, config.secrets),
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: config.name }),
  });
  // A literal private ECR reference needs pull rights; assets and repositories grant their own.
  if (!Token.isUnresolved(container.imageName)) grantImagePull(taskDefinition, container.imageName);
  for (const sidecar of config.sidecars) {
    taskDefinition.addContainer(`Sidecar-${sidecar.name}`, {
      containerName: sidecar.name,
      image: ecs.ContainerImage.fromRegistry(sidecar.image),
      essential: sidecar.essential,
      cpu: sidecar.cpu,
      memoryLimitMiB: sidecar.memoryMiB,
      environment: sidecar.environment,
      secrets: containerSecrets(scope, sidecar.secrets),
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: sidecar.name }),
    });
    grantImagePull(taskDefinition, sidecar.image);
  }
  const plain = [...Object.keys(config.environment), ...config.sidecars.flatMap((s) => Object.keys(s.environment))];
  if (plain.length > 0) {
    Validations.of(taskDefinition.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: `environment in ${config.name}.yaml holds plain, non-secret settings (${[...new Set(plain)].join(', ')}); secrets go in its secrets field, which ECS fetches at task start.`,
    });
  }
  return { taskDefinition, container, imageName: container.imageName, logGroup };
}

/** `config.image`, required when neither the `image` nor the `taskDefinition` prop is given. */
function configImage(scope: Construct, config: ServiceConfig): string {
  if (config.image !== undefined) return config.image;
  throw new CanaryServiceError(
    `${scope.node.path}: no image for the service's container; accepted: config.image (a container image reference such as public.ecr.aws/nginx/nginx:1.27), or the image prop (an ecs.ContainerImage) or the taskDefinition prop`,
  );
}

/** A caller's task definition: its default container must listen on `containerPort`. */
function userTaskDefinition(scope: Construct, config: ServiceConfig, taskDefinition: ecs.FargateTaskDefinition): CanaryTaskDefinitionParts {
  const container = taskDefinition.defaultContainer;
  if (!container) {
    throw new CanaryServiceError(
      `${scope.node.path}: taskDefinition ${taskDefinition.node.path} has no essential container; add the service's container before passing it`,
    );
  }
  if (!container.portMappings.some((mapping) => mapping.containerPort === config.containerPort)) {
    throw new CanaryServiceError(
      `${scope.node.path}: taskDefinition ${taskDefinition.node.path}: container ${container.containerName} has no port mapping for containerPort ${config.containerPort}; accepted: a default container with portMappings [{ containerPort: ${config.containerPort} }]`,
    );
  }
  if (config.sidecars.length > 0 || Object.keys(config.secrets).length > 0) {
    throw new CanaryServiceError(
      `${scope.node.path}: sidecars and secrets come from the given taskDefinition; leave them out of the configuration`,
    );
  }
  return { taskDefinition, container, imageName: container.imageName };
}

/** `taskRole.statements` of the service file as IAM policy statements. */
export function taskRoleStatements(config: ServiceConfig): iam.PolicyStatement[] {
  return (config.taskRole?.statements ?? []).map(
    (s) =>
      new iam.PolicyStatement({
        effect: s.effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
        actions: s.actions,
        resources: s.resources,
      }),
  );
}

/** The application's own permissions on the task role, with the findings they answer acknowledged. */
function grantTaskRole(taskDefinition: ecs.TaskDefinition, config: ServiceConfig, statements: readonly iam.PolicyStatement[]): void {
  const role = taskDefinition.taskRole;
  for (const arn of config.taskRole?.managedPolicyArns ?? [])
    role.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyArn(taskDefinition, `TaskRolePolicy${arn.split('/').pop()}`, arn));
  for (const statement of statements) role.addToPrincipalPolicy(statement);
  const roleResource = role.node.defaultChild;
  if (roleResource && (config.taskRole?.managedPolicyArns.length ?? 0) > 0) {
    for (const arn of config.taskRole!.managedPolicyArns) {
      Validations.of(roleResource).acknowledge({
        id: `AwsSolutions-IAM4[Policy::${arn}]`,
        reason: `taskRole.managedPolicyArns in ${config.name}.yaml: the application's own permissions, chosen by its team.`,
      });
    }
  }
  const wildcards = statements.flatMap((s) => [
    ...s.actions.filter((a) => a.includes('*')).map((a) => `Action::${a}`),
    ...s.resources.filter((r) => r.includes('*')).map((r) => `Resource::${r}`),
  ]);
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (policy) {
    for (const finding of new Set(wildcards)) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: `taskRole.statements in ${config.name}.yaml: the application's own permissions, written by its team.`,
      });
    }
  }
}
