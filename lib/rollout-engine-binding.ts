/**
 * Attaches a `RolloutEngine` to a `CanaryService` (the service's `ICanaryEngine` hook):
 * `new ServiceStack(app, id, { …, engine: new RolloutEngineBinding() })`. The engine receives
 * explicit references to the service's listener, target groups, deployment group, topic (and its
 * key) and SSM parameters, and publishes its hooks, audit table and state machine into the
 * service's deployment metadata.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { RemovalPolicy } from 'aws-cdk-lib/core';

import { parameterNames } from '../lambdas/core/metadata';
import type { CanaryService, ICanaryEngine } from './canary-service';
import { CanaryServiceError } from './canary-service-error';
import type { EngineAttachment } from './deployment-metadata';
import { RolloutEngine } from './rollout-engine';

export interface RolloutEngineBindingProps {
  /**
   * What happens to the audit table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly auditRemovalPolicy?: RemovalPolicy;
  /**
   * Retention of the engine's Lambda and state machine logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

export class RolloutEngineBinding implements ICanaryEngine {
  /** The engine, once bound. */
  public engine?: RolloutEngine;

  constructor(private readonly props: RolloutEngineBindingProps = {}) {}

  public bind(service: CanaryService): EngineAttachment {
    if (this.engine)
      throw new CanaryServiceError(`RolloutEngineBinding: already bound to ${this.engine.node.path}; create one binding per service`);
    const names = parameterNames(service.config.name);
    this.engine = new RolloutEngine(service, 'RolloutEngine', {
      serviceName: service.config.name,
      productionListenerArn: service.productionListenerArn,
      testListenerArn: service.testListenerArn,
      targetGroups: [service.blueTargetGroup, service.greenTargetGroup],
      deploymentGroup: service.deploymentGroup,
      topic: service.topic,
      topicKey: service.notifications.key,
      metadataParameterName: names.deployment,
      freezeParameterName: names.freeze,
      controlParameterName: names.control,
      rollbackAlarms: service.rollbackAlarms,
      ...(service.config.metrics?.some((m) => m.versionDimension) ? { ecsServiceArn: service.service.serviceArn } : {}),
      auditRetentionDays: service.config.auditRetentionDays,
      // The test listener is open only to operators' CIDRs: smoke checks run inside the VPC,
      // against each replacement task on its container port.
      smokeCheckVpc: { vpc: service.service.cluster.vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      ...(this.props.auditRemovalPolicy ? { auditRemovalPolicy: this.props.auditRemovalPolicy } : {}),
      ...(this.props.logRetention ? { logRetention: this.props.logRetention } : {}),
    });
    service.service.connections.allowFrom(
      this.engine.smokeCheckConnections!,
      ec2.Port.tcp(service.config.containerPort),
      'smoke checks of the rollout engine',
    );
    // The dashboard lists the decisions the tick logs.
    return {
      ...this.engine.attachment,
      controlParameterName: names.control,
      decisionLogGroupName: this.engine.tickFunction.logGroup.logGroupName,
    };
  }
}
