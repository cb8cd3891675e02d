import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { TargetGroupMetrics } from './target-group-metrics';
/** CodeDeploy accepts at most this many alarms per deployment group. */
export declare const MAX_DEPLOYMENT_GROUP_ALARMS = 10;
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
export declare class RollbackAlarms extends Construct {
    readonly alarms: readonly cloudwatch.Alarm[];
    constructor(scope: Construct, id: string, props: RollbackAlarmsProps);
}
/**
 * The default request floor: the smallest per-minute count at which three errors exceed
 * `maxErrorRatePercent`, and at least 50, so one or two stray errors never roll back.
 */
export declare function defaultRequestFloor(maxErrorRatePercent: number): number;
