/**
 * The props of `CanaryService` and the interface its rollout engine implements: CDK types
 * throughout (`ec2.IVpc`, `ecs.ICluster`, `ecs.ContainerImage`, `ecs.FargateTaskDefinition`,
 * `iam.PolicyStatement`, `Duration`), with the service file's configuration for the rest.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib/core';

import type { CanaryService } from './canary-service';
import type { ServiceConfig, ServiceConfigInput } from './config';
import type { EngineAttachment } from './deployment-metadata';

/**
 * The rollout engine (Lambdas, state machine, audit table) plugs into a `CanaryService` through
 * this interface: `bind` is called once, at the end of the constructor, with the finished
 * service, and returns what the engine publishes into the deployment metadata.
 */
export interface ICanaryEngine {
  bind(service: CanaryService): EngineAttachment;
}

export interface CanaryServiceProps {
  /**
   * The service configuration: the parsed YAML (`loadServiceConfigs`) or an object of the same
   * shape. It is validated again here, so a hand-written object gets the same messages. Unlike a
   * service file, it may leave out `image` when the `image` or `taskDefinition` prop is given.
   */
  readonly config: ServiceConfigInput | ServiceConfig;
  /**
   * VPC with public subnets (load balancer) and private subnets with egress (tasks).
   * @default - the VPC of `config.network`, imported by id; one of the two is required
   */
  readonly vpc?: ec2.IVpc;
  /**
   * ECS cluster in that VPC.
   * @default - the cluster of `config.network`, imported by name; one of the two is required
   */
  readonly cluster?: ecs.ICluster;
  /**
   * The service container's image, such as `ecs.ContainerImage.fromEcrRepository(repo, tag)` or
   * `fromAsset('./app')`; the image's own grants apply.
   * @default - `config.image` from its registry (pull rights on exactly its ECR repository); one of
   * the two, or `taskDefinition`, is required
   */
  readonly image?: ecs.ContainerImage;
  /**
   * A task definition built by the caller. Its default container is the one the load balancer
   * routes to (it must map `config.containerPort`) and the one `canary deploy` replaces the image
   * of; `config.image`, `cpu`, `memoryMiB`, `environment`, `cpuArchitecture` are then not used,
   * and `config.secrets` and `config.sidecars` must be empty.
   * @default - built from the configuration
   */
  readonly taskDefinition?: ecs.FargateTaskDefinition;
  /**
   * The task role's statements (the application's own permissions); `config.taskRole.managedPolicyArns`
   * are attached either way.
   * @default - `config.taskRole.statements`
   */
  readonly taskRoleStatements?: readonly iam.PolicyStatement[];
  /**
   * How long ECS ignores failing load balancer health checks of a new task.
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;
  /**
   * Public IPv4 addresses through which the VPC's private subnets reach the internet (its NAT
   * gateways). A client inside the VPC reaches the internet-facing load balancer through them, so
   * when `listener.testAllowedCidrs` is empty the test listener admits them along with the VPC CIDR.
   * @default - none: the test listener admits the VPC CIDR only
   */
  readonly vpcEgressIps?: readonly string[];
  /**
   * Minutes with fewer requests than this are ignored by the error-rate and p95 rollback alarms.
   * @default - the smallest count at which 3 errors exceed `thresholds.maxErrorRatePercent`, at least 50
   */
  readonly alarmRequestFloorPerMinute?: number;
  /**
   * Retention of the container logs.
   * @default - `config.logRetentionDays` (30 days unless set)
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the load balancer access-log bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly accessLogsRemovalPolicy?: RemovalPolicy;
  /**
   * The rollout engine to attach (next part of ecs-canary).
   * @default - none: the metadata carries no hooks, and `attachEngine` may be called later
   */
  readonly engine?: ICanaryEngine;
}
