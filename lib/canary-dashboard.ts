import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { TargetGroupMetrics } from './target-group-metrics';

/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
export const CANARY_WEIGHT_METRIC = { namespace: 'EcsCanary', metricName: 'CanaryWeight' } as const;

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
export class CanaryDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CanaryDashboardProps) {
    super(scope, id);
    const floor = props.requestFloorPerMinute;
    const row = (title: string, metricsOf: (tg: TargetGroupMetrics) => cloudwatch.IMetric[]) =>
      props.targetGroups.map(
        (tg) => new cloudwatch.GraphWidget({ title: `${title}: ${tg.label}`, left: metricsOf(tg), width: 12, height: 6, period: Duration.minutes(1) }),
      );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ecs-canary: ${props.serviceName}\nBlue and green swap roles on every deployment; the replacement is the one gaining weight.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(...row('Requests / min', (tg) => [tg.requests()]));
    this.dashboard.addWidgets(...row('Server error rate %', (tg) => [tg.errorRatePercent(floor)]));
    this.dashboard.addWidgets(...row('p95 response time (ms)', (tg) => [tg.p95Milliseconds(floor)]));
    this.dashboard.addWidgets(...row('Targets', (tg) => [tg.healthyHosts(), tg.unhealthyHosts()]));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Replacement weight % (rollout engine)',
        left: [
          new cloudwatch.Metric({
            ...CANARY_WEIGHT_METRIC,
            dimensionsMap: { Service: props.serviceName },
            statistic: 'Maximum',
            period: Duration.minutes(1),
            label: 'replacement weight %',
          }),
        ],
        width: 12,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Rollback alarms', alarms: [...props.alarms], width: 12, height: 6 }),
    );
  }
}
