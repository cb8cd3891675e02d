import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

import { serviceUrls } from '../lambdas/core/metadata';
import { CanaryService, type ICanaryEngine } from './canary-service';
import type { ServiceConfig } from './config';
import { servicePropsFromFile } from './service-file-props';

export interface ServiceStackProps extends StackProps {
  readonly config: ServiceConfig;
  /**
   * VPC of the service.
   * @default - the VPC of `config.network`, imported by id
   */
  readonly vpc?: ec2.IVpc;
  /**
   * ECS cluster of the service.
   * @default - the cluster of `config.network`, imported by name
   */
  readonly cluster?: ecs.ICluster;
  /**
   * Public IPv4 addresses of the VPC's NAT gateways, admitted on the test listener by default.
   * @default - none
   */
  readonly vpcEgressIps?: readonly string[];
  /**
   * The rollout engine to attach to the service.
   * @default - none
   */
  readonly engine?: ICanaryEngine;
}

/** `EcsCanary-<name>`: one service, deployable on its own with `cdk deploy EcsCanary-<name>`. */
export class ServiceStack extends Stack {
  public readonly canaryService: CanaryService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, {
      description: `ecs-canary service ${props.config.name}: canary-ready ECS service, listeners, CodeDeploy, alarms`,
      ...props,
    });
    // The file's fields as CDK objects; a VPC and cluster given here take the place of its network.
    const fromFile = servicePropsFromFile(this, props.config);
    this.canaryService = new CanaryService(this, 'CanaryService', {
      ...fromFile,
      vpc: props.vpc ?? fromFile.vpc,
      cluster: props.cluster ?? fromFile.cluster,
      vpcEgressIps: props.vpcEgressIps,
      engine: props.engine,
    });
    // What `cdk deploy` prints at the end: where production and the test listener answer.
    const urls = serviceUrls({
      loadBalancerDnsName: this.canaryService.loadBalancer.loadBalancerDnsName,
      testListenerPort: props.config.listener.testPort,
      productionListenerPort: props.config.listener.port,
      productionListenerProtocol: props.config.listener.certificateArn ? 'HTTPS' : 'HTTP',
    });
    new CfnOutput(this, 'ProductionUrl', {
      value: urls.production!,
      description: `${props.config.name}: production URL (the load balancer's production listener)`,
    });
    new CfnOutput(this, 'TestUrl', {
      value: urls.test,
      description: `${props.config.name}: test listener URL (the replacement during a rollout; open to listener.testAllowedCidrs, else to the VPC)`,
    });
  }
}

/** The stack id (and CloudFormation stack name) of a service. */
export const serviceStackName = (serviceName: string): string => `EcsCanary-${serviceName}`;
