import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
export interface PlatformStackProps extends StackProps {
    /**
     * NAT gateways for the tasks' outbound traffic (image pulls, AWS APIs).
     * @default 2 - one per Availability Zone
     */
    readonly natGateways?: number;
    /**
     * Retention of the VPC flow logs.
     * @default logs.RetentionDays.ONE_MONTH
     */
    readonly flowLogRetention?: logs.RetentionDays;
}
/**
 * What every service shares: a VPC over two Availability Zones with flow logs, and an ECS
 * cluster with Container Insights. Env-agnostic (no context lookups), so it synthesizes offline.
 */
export declare class PlatformStack extends Stack {
    readonly vpc: ec2.Vpc;
    readonly cluster: ecs.Cluster;
    readonly flowLogGroup: logs.LogGroup;
    /** Public IPv4 addresses of the NAT gateways: where traffic from the private subnets comes from. */
    readonly natPublicIps: readonly string[];
    constructor(scope: Construct, id: string, props?: PlatformStackProps);
}
