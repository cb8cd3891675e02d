/**
 * Small pieces of a `CanaryService` that follow from the service file's runtime fields: where it
 * runs (given VPC and cluster, or `network` imported by id), its capacity provider strategy, and
 * ECS Exec with its grants.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

import { CanaryServiceError } from '../canary-service-error';
import type { ServiceConfig } from '../config';
import { importNetwork } from './imported-network';

/** The VPC and cluster: the props' when given, else `config.network`'s, imported by id. */
export function serviceNetwork(
  scope: Construct,
  config: ServiceConfig,
  props: { readonly vpc?: ec2.IVpc; readonly cluster?: ecs.ICluster },
): { vpc: ec2.IVpc; cluster: ecs.ICluster } {
  if (props.vpc && props.cluster) return { vpc: props.vpc, cluster: props.cluster };
  if (props.vpc || props.cluster)
    throw new CanaryServiceError(`${scope.node.path}: give both vpc and cluster, or neither (and network in the configuration)`);
  if (!config.network)
    throw new CanaryServiceError(
      `${scope.node.path}: no vpc and cluster; pass them as props, or name an existing VPC and cluster in the configuration's network field`,
    );
  return importNetwork(scope, config.network);
}

/**
 * FARGATE / FARGATE_SPOT strategy of `capacity`; undefined (the FARGATE launch type) without it.
 * Providers of weight 0 without a base are left out: they would place no task.
 */
export function capacityProviderStrategies(capacity: ServiceConfig['capacity']): ecs.CapacityProviderStrategy[] | undefined {
  if (!capacity) return undefined;
  const strategy: ecs.CapacityProviderStrategy[] = [];
  if (capacity.onDemand && (capacity.onDemand.weight > 0 || capacity.onDemand.base))
    strategy.push({ capacityProvider: 'FARGATE', weight: capacity.onDemand.weight, base: capacity.onDemand.base });
  if (capacity.spot && (capacity.spot.weight > 0 || capacity.spot.base))
    strategy.push({ capacityProvider: 'FARGATE_SPOT', weight: capacity.spot.weight, base: capacity.spot.base });
  return strategy;
}

/**
 * ECS Exec on the service, granted by hand rather than through the CDK's `enableExecuteCommand`
 * (which grants the log actions on "*"): the task role gets the four `ssmmessages` channel
 * actions, which have no resource type (Service Authorization Reference: IAM accepts only "*"),
 * and, so sessions are logged to the containers' log group (the DEFAULT logging of ECS Exec),
 * the stream actions on that log group and `logs:DescribeLogGroups`, which also takes only "*".
 */
export function enableExecuteCommand(
  service: ecs.FargateService,
  taskDefinition: ecs.TaskDefinition,
  logGroup: logs.ILogGroup | undefined,
): void {
  (service.node.defaultChild as ecs.CfnService).enableExecuteCommand = true;
  const role = taskDefinition.taskRole;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      resources: ['*'],
    }),
  );
  if (logGroup) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
  }
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (!policy) return;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ECS Exec: the four ssmmessages actions and logs:DescribeLogGroups have no resource type, so IAM accepts only Resource "*".',
  });
  if (logGroup) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(service).getLogicalId(logGroup.node.defaultChild as CfnElement)}.Arn>]`,
      reason: "ECS Exec writes session logs to new streams of this service's own log group: its ARN ends in :* to cover them.",
    });
  }
}
