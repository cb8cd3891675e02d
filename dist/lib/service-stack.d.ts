import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { CanaryService, type ICanaryEngine } from './canary-service';
import type { ServiceConfig } from './config';
export interface ServiceStackProps extends StackProps {
    readonly config: ServiceConfig;
    readonly vpc: ec2.IVpc;
    readonly cluster: ecs.ICluster;
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
export declare class ServiceStack extends Stack {
    readonly canaryService: CanaryService;
    constructor(scope: Construct, id: string, props: ServiceStackProps);
}
/** The stack id (and CloudFormation stack name) of a service. */
export declare const serviceStackName: (serviceName: string) => string;
