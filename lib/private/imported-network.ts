/**
 * An existing VPC and ECS cluster named by id in the service file (`network`), imported without
 * context lookups: the service synthesizes offline and needs no platform stack.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';

import type { ServiceConfig } from '../config';

export interface ImportedNetwork {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
}

/** The VPC (`fromVpcAttributes`) and cluster (`Cluster.fromClusterAttributes`) of `network`. */
export function importNetwork(scope: Construct, network: NonNullable<ServiceConfig['network']>): ImportedNetwork {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: network.vpcId,
    vpcCidrBlock: network.vpcCidrBlock,
    availabilityZones: network.availabilityZones,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
  });
  const cluster = ecs.Cluster.fromClusterAttributes(scope, 'Cluster', { clusterName: network.clusterName, vpc, securityGroups: [] });
  return { vpc, cluster };
}
