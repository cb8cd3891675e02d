import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { TargetGroupMetrics } from './target-group-metrics';
/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
export declare const CANARY_WEIGHT_METRIC: {
    readonly namespace: "EcsCanary";
    readonly metricName: "CanaryWeight";
};
/** The tick's `decision` log lines (Powertools JSON; `lambdas/handlers/tick.ts`), newest first. */
export declare const DECISIONS_QUERY: readonly ["fields @timestamp, stage, verdict, reason, deploymentId, hook", "filter message = \"decision\"", "sort @timestamp desc", "limit 100"];
export interface CanaryDashboardProps {
    readonly dashboardName: string;
    readonly serviceName: string;
    /** The two target groups, for the target health row (the only row by colour). */
    readonly targetGroups: readonly [TargetGroupMetrics, TargetGroupMetrics];
    /** Alarms shown in the status widget. */
    readonly alarms: readonly cloudwatch.IAlarm[];
    /** Drawn as limits on the error rate and p95 graphs. @default - no limit lines */
    readonly thresholds?: {
        readonly maxErrorRatePercent: number;
        readonly maxP95Ms: number;
    };
}
/**
 * The on-call dashboard by role, not colour: canary and stable overlaid on the same graphs
 * (requests, error rate, p95, weight) from the engine's per-role metrics, the rollback alarms,
 * target health, and — once an engine is attached — the engine's decisions with their reasons.
 */
export declare class CanaryDashboard extends Construct {
    readonly dashboard: cloudwatch.Dashboard;
    private readonly serviceName;
    private decisionsAdded;
    constructor(scope: Construct, id: string, props: CanaryDashboardProps);
    /** Adds the table of this service's decisions from the tick's log group (at most once). */
    addDecisions(tickLogGroupName: string): void;
    private roleMetric;
}
