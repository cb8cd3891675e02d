import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
/**
 * The per-minute ALB metrics of one target group, as the judge and the alarms read them
 * (namespace AWS/ApplicationELB, dimensions TargetGroup + LoadBalancer).
 *
 * Built by hand because the target groups are attached to listeners that CloudFormation does not
 * manage, so `targetGroup.metrics` (which needs an attached load balancer) is not available.
 */
export declare class TargetGroupMetrics {
    private readonly targetGroup;
    private readonly loadBalancer;
    /** Shown in labels: "blue" or "green". */
    readonly label: string;
    constructor(targetGroup: Pick<elbv2.ApplicationTargetGroup, 'targetGroupFullName'>, loadBalancer: Pick<elbv2.ApplicationLoadBalancer, 'loadBalancerFullName'>, 
    /** Shown in labels: "blue" or "green". */
    label: string);
    /** Requests routed to the target group per minute (Sum). */
    requests(): cloudwatch.Metric;
    /** 5xx responses from the targets per minute (Sum; absent means 0). */
    targetErrors(): cloudwatch.Metric;
    /** Connections to targets that failed per minute (Sum; absent means 0). */
    connectionErrors(): cloudwatch.Metric;
    /** p95 of the targets' response time, in seconds. */
    p95ResponseTime(): cloudwatch.Metric;
    healthyHosts(): cloudwatch.Metric;
    unhealthyHosts(): cloudwatch.Metric;
    /**
     * Server error rate in percent ((5xx + connection errors) / requests), 0 in any minute with
     * fewer than `requestFloor` requests so that a quiet minute never alarms.
     */
    errorRatePercent(requestFloor: number): cloudwatch.MathExpression;
    /** p95 response time in milliseconds, 0 in any minute with fewer than `requestFloor` requests. */
    p95Milliseconds(requestFloor: number): cloudwatch.MathExpression;
    private metric;
}
