import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Duration } from 'aws-cdk-lib/core';

/**
 * The per-minute ALB metrics of one target group, as the judge and the alarms read them
 * (namespace AWS/ApplicationELB, dimensions TargetGroup + LoadBalancer).
 *
 * Built by hand because the target groups are attached to listeners that CloudFormation does not
 * manage, so `targetGroup.metrics` (which needs an attached load balancer) is not available.
 */
export class TargetGroupMetrics {
  constructor(
    private readonly targetGroup: Pick<elbv2.ApplicationTargetGroup, 'targetGroupFullName'>,
    private readonly loadBalancer: Pick<elbv2.ApplicationLoadBalancer, 'loadBalancerFullName'>,
    /** Shown in labels: "blue" or "green". */
    public readonly label: string,
  ) {}

  /** Requests routed to the target group per minute (Sum). */
  requests(): cloudwatch.Metric {
    return this.metric('RequestCount', 'Sum', 'requests');
  }

  /** 5xx responses from the targets per minute (Sum; absent means 0). */
  targetErrors(): cloudwatch.Metric {
    return this.metric('HTTPCode_Target_5XX_Count', 'Sum', '5xx');
  }

  /** Connections to targets that failed per minute (Sum; absent means 0). */
  connectionErrors(): cloudwatch.Metric {
    return this.metric('TargetConnectionErrorCount', 'Sum', 'connection errors');
  }

  /** p95 of the targets' response time, in seconds. */
  p95ResponseTime(): cloudwatch.Metric {
    return this.metric('TargetResponseTime', 'p95', 'p95 (s)');
  }

  healthyHosts(): cloudwatch.Metric {
    return this.metric('HealthyHostCount', 'Minimum', 'healthy');
  }

  unhealthyHosts(): cloudwatch.Metric {
    return this.metric('UnHealthyHostCount', 'Maximum', 'unhealthy');
  }

  /**
   * Server error rate in percent ((5xx + connection errors) / requests), 0 in any minute with
   * fewer than `requestFloor` requests so that a quiet minute never alarms.
   */
  errorRatePercent(requestFloor: number): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `IF(requests >= ${requestFloor}, 100 * (FILL(errors, 0) + FILL(connectionErrors, 0)) / requests, 0)`,
      usingMetrics: { requests: this.requests(), errors: this.targetErrors(), connectionErrors: this.connectionErrors() },
      period: Duration.minutes(1),
      label: `${this.label} server error rate (%)`,
    });
  }

  /** p95 response time in milliseconds, 0 in any minute with fewer than `requestFloor` requests. */
  p95Milliseconds(requestFloor: number): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `IF(requests >= ${requestFloor}, 1000 * p95, 0)`,
      usingMetrics: { requests: this.requests(), p95: this.p95ResponseTime() },
      period: Duration.minutes(1),
      label: `${this.label} p95 (ms)`,
    });
  }

  private metric(metricName: string, statistic: string, what: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      statistic,
      period: Duration.minutes(1),
      label: `${this.label} ${what}`,
      dimensionsMap: {
        TargetGroup: this.targetGroup.targetGroupFullName,
        LoadBalancer: this.loadBalancer.loadBalancerFullName,
      },
    });
  }
}
