import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { TargetGroupMetrics } from './target-group-metrics';
/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
export declare const CANARY_WEIGHT_METRIC: {
    readonly namespace: "EcsCanary";
    readonly metricName: "CanaryWeight";
};
export interface CanaryDashboardProps {
    readonly dashboardName: string;
    readonly serviceName: string;
    /** The two target groups, shown side by side (left, right). */
    readonly targetGroups: readonly [TargetGroupMetrics, TargetGroupMetrics];
    /** Request floor used by the rollback alarms' error rate and p95 (the same expression is drawn). */
    readonly requestFloorPerMinute: number;
    /** Alarms shown in the status widget. */
    readonly alarms: readonly cloudwatch.IAlarm[];
}
/**
 * One row per signal, the two target groups side by side: requests, server error rate, p95 and
 * healthy/unhealthy targets; the canary weight the engine reports; the rollback alarms.
 */
export declare class CanaryDashboard extends Construct {
    readonly dashboard: cloudwatch.Dashboard;
    constructor(scope: Construct, id: string, props: CanaryDashboardProps);
}
