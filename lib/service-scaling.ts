/**
 * Application Auto Scaling of a `CanaryService`'s task count: target tracking on CPU, memory and
 * requests per task. Requests are read from both target groups (metric math), because the
 * predefined `ALBRequestCountPerTarget` names one target group and CodeDeploy swaps the
 * production role between blue and green on every deployment (docs/aws-behaviour.md).
 */
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Duration, Stack } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

export interface ServiceScalingProps {
  readonly service: ecs.FargateService;
  /** Blue and green: the request target reads both. */
  readonly targetGroups: readonly [elbv2.ApplicationTargetGroup, elbv2.ApplicationTargetGroup];
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly minTasks: number;
  readonly maxTasks: number;
  /**
   * Average CPU utilization to track.
   * @default - no CPU target
   */
  readonly cpuPercent?: number;
  /**
   * Average memory utilization to track.
   * @default - no memory target
   */
  readonly memoryPercent?: number;
  /**
   * Requests per task per minute to track, summed over both target groups.
   * @default - no request target
   */
  readonly requestsPerTarget?: number;
}

/** Ids of the metric math of the request target; Application Auto Scaling wants lowercase first letters. */
export const REQUEST_METRIC_IDS = { blue: 'blue', green: 'green', perTask: 'requests_per_task' } as const;

export class ServiceScaling extends Construct {
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The request target's policy, rendered directly: the CDK's target tracking takes no metric math. */
  public readonly requestPolicy?: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceScalingProps) {
    super(scope, id);
    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.service.cluster.clusterName}/${props.service.serviceName}`,
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
      // Application Auto Scaling's service-linked role for ECS, as ecs.BaseService.autoScaleTaskCount uses.
      role: iam.Role.fromRoleArn(
        this,
        'ServiceLinkedRole',
        Stack.of(this).formatArn({
          region: '',
          service: 'iam',
          resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
          resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
        }),
      ),
    });
    if (props.cpuPercent !== undefined) {
      this.scalableTarget.scaleToTrackMetric('Cpu', {
        predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION,
        targetValue: props.cpuPercent,
      });
    }
    if (props.memoryPercent !== undefined) {
      this.scalableTarget.scaleToTrackMetric('Memory', {
        predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_MEMORY_UTILIZATION,
        targetValue: props.memoryPercent,
      });
    }
    if (props.requestsPerTarget !== undefined) {
      const requests = (id: string, targetGroup: elbv2.ApplicationTargetGroup) => ({
        id,
        returnData: false,
        metricStat: {
          metric: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'RequestCountPerTarget',
            dimensions: [
              { name: 'LoadBalancer', value: props.loadBalancer.loadBalancerFullName },
              { name: 'TargetGroup', value: targetGroup.targetGroupFullName },
            ],
          },
          stat: 'Sum',
        },
      });
      this.requestPolicy = new appscaling.CfnScalingPolicy(this, 'Requests', {
        policyName: `${Stack.of(this).stackName}-requests-per-task`.slice(0, 256),
        policyType: 'TargetTrackingScaling',
        scalingTargetId: this.scalableTarget.scalableTargetId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: props.requestsPerTarget,
          scaleInCooldown: Duration.minutes(5).toSeconds(),
          scaleOutCooldown: Duration.minutes(1).toSeconds(),
          customizedMetricSpecification: {
            metrics: [
              requests(REQUEST_METRIC_IDS.blue, props.targetGroups[0]),
              requests(REQUEST_METRIC_IDS.green, props.targetGroups[1]),
              // The idle target group publishes nothing between deployments: FILL counts it as 0.
              {
                id: REQUEST_METRIC_IDS.perTask,
                expression: `FILL(${REQUEST_METRIC_IDS.blue}, 0) + FILL(${REQUEST_METRIC_IDS.green}, 0)`,
                label: 'requests per task, blue + green',
                returnData: true,
              },
            ],
          },
        },
      });
    }
  }
}
