/**
 * The service file mapped onto `CanaryService`'s CDK-typed props: the image as an
 * `ecs.ContainerImage`, `taskRole.statements` as `iam.PolicyStatement`s, `network` as an imported
 * `ec2.IVpc` and `ecs.ICluster`, `logRetentionDays` as `logs.RetentionDays`. A CDK app may take
 * these and replace any of them with its own objects.
 */
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

import type { CanaryServiceProps } from './canary-service-props';
import type { ServiceConfig } from './config';
import { taskRoleStatements } from './private/canary-task-definition';
import { importNetwork } from './private/imported-network';

/** The props a service file stands for; `vpc` and `cluster` only when it names a `network`, `image` only when it names one. */
export function servicePropsFromFile(scope: Construct, config: ServiceConfig): CanaryServiceProps {
  return {
    config,
    ...(config.image === undefined ? {} : { image: ecs.ContainerImage.fromRegistry(config.image) }),
    taskRoleStatements: taskRoleStatements(config),
    logRetention: config.logRetentionDays as logs.RetentionDays,
    ...(config.network ? importNetwork(scope, config.network) : {}),
  };
}
