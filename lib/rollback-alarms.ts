import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

import { CanaryServiceError } from './canary-service-error';
import type { TargetGroupMetrics } from './target-group-metrics';

/** CodeDeploy accepts at most this many alarms per deployment group. */
export const MAX_DEPLOYMENT_GROUP_ALARMS = 10;

export interface RollbackAlarmsProps {
  /** Prefix of the alarm names, such as `ecs-canary-orders`. */
  readonly namePrefix: string;
  /** Both target groups: blue and green swap roles on every deployment, so both are watched. */
  readonly targetGroups: readonly TargetGroupMetrics[];
  /** Alarm when the server error rate exceeds this percentage. */
  readonly maxErrorRatePercent: number;
  /** Alarm when p95 response time exceeds this many milliseconds. */
  readonly maxP95Ms: number;
  /** Minutes with fewer requests than this count as healthy for the error rate and p95 alarms. */
  readonly requestFloorPerMinute: number;
}

/**
 * Alarms that stop and roll back a running deployment (including the termination wait after
 * 100%): per target group, the server error rate, p95 response time and unhealthy targets.
 * Missing data is healthy: a target group without tasks has no datapoints.
 */
export class RollbackAlarms extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RollbackAlarmsProps) {
    super(scope, id);
    const alarms: cloudwatch.Alarm[] = [];
    for (const metrics of props.targetGroups) {
      const group = new Construct(this, metrics.label);
      alarms.push(
        new cloudwatch.Alarm(group, 'ErrorRate', {
          alarmName: `${props.namePrefix}-${metrics.label}-error-rate`,
          alarmDescription: `Server error rate of the ${metrics.label} target group above ${props.maxErrorRatePercent}% in 2 of 3 minutes (minutes under ${props.requestFloorPerMinute} requests ignored); rolls back the deployment`,
          metric: metrics.errorRatePercent(props.requestFloorPerMinute),
          threshold: props.maxErrorRatePercent,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(group, 'P95', {
          alarmName: `${props.namePrefix}-${metrics.label}-p95`,
          alarmDescription: `p95 response time of the ${metrics.label} target group above ${props.maxP95Ms} ms for 3 minutes (minutes under ${props.requestFloorPerMinute} requests ignored); rolls back the deployment`,
          metric: metrics.p95Milliseconds(props.requestFloorPerMinute),
          threshold: props.maxP95Ms,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(group, 'UnhealthyHosts', {
          alarmName: `${props.namePrefix}-${metrics.label}-unhealthy-hosts`,
          alarmDescription: `At least one unhealthy target in the ${metrics.label} target group for 2 minutes; rolls back the deployment`,
          metric: metrics.unhealthyHosts(),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    if (alarms.length > MAX_DEPLOYMENT_GROUP_ALARMS) {
      throw new CanaryServiceError(
        `${this.node.path}: ${alarms.length} rollback alarms for ${props.targetGroups.length} target groups; CodeDeploy accepts at most ${MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group`,
      );
    }
    this.alarms = alarms;
  }
}

/**
 * The default request floor: the smallest per-minute count at which three errors exceed
 * `maxErrorRatePercent`, and at least 50, so one or two stray errors never roll back.
 */
export function defaultRequestFloor(maxErrorRatePercent: number): number {
  return Math.max(50, Math.ceil((3 * 100) / maxErrorRatePercent));
}
