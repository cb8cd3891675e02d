import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib/core';
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
export class PlatformStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  public readonly flowLogGroup: logs.LogGroup;
  /** Public IPv4 addresses of the NAT gateways: where traffic from the private subnets comes from. */
  public readonly natPublicIps: readonly string[];

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id, { description: 'ecs-canary platform: VPC, flow logs and the ECS cluster shared by every service', ...props });
    const natGateways = props.natGateways ?? 2;
    const flowLogRetention = props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    });
    this.natPublicIps = this.vpc.publicSubnets
      .map((subnet) => subnet.node.tryFindChild('EIP'))
      .filter((eip): eip is ec2.CfnEIP => eip instanceof ec2.CfnEIP)
      .map((eip) => eip.attrPublicIp);
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: flowLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      // Services with `capacity` place tasks through these providers (FARGATE_SPOT among them).
      enableFargateCapacityProviders: true,
    });
  }
}
