import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

import { type CustomMetricSpec, isCount } from '../lambdas/core/custom-metrics';
import { CUSTOM_ROLE_METRIC, ENGINE_NAMESPACE, type Role, ROLE_METRICS, type RoleMetric } from '../lambdas/core/role-metrics';
import type { TargetGroupMetrics } from './target-group-metrics';

/** Namespace and name of the metric the rollout engine publishes with the replacement's weight. */
export const CANARY_WEIGHT_METRIC = { namespace: ENGINE_NAMESPACE, metricName: 'CanaryWeight' } as const;

/** The canary in orange, stable in blue, on every graph. */
const ROLE_COLOURS: Record<Role, string> = { canary: '#ff7f0e', stable: '#1f77b4' };

/** The tick's `decision` log lines (Powertools JSON; `lambdas/handlers/tick.ts`), newest first. */
export const DECISIONS_QUERY = [
  'fields @timestamp, stage, verdict, reason, deploymentId, hook',
  'filter message = "decision"',
  'sort @timestamp desc',
  'limit 100',
] as const;

export interface CanaryDashboardProps {
  readonly dashboardName: string;
  readonly serviceName: string;
  /** The two target groups, for the target health row (the only row by colour). */
  readonly targetGroups: readonly [TargetGroupMetrics, TargetGroupMetrics];
  /** Alarms shown in the status widget. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Drawn as limits on the error rate and p95 graphs. @default - no limit lines */
  readonly thresholds?: { readonly maxErrorRatePercent: number; readonly maxP95Ms: number };
  /** The service's own metrics (`metrics:`): one graph each, canary vs stable, with its bars. @default - none */
  readonly metrics?: readonly CustomMetricSpec[];
}

/**
 * The on-call dashboard by role, not colour: canary and stable overlaid on the same graphs
 * (requests, error rate, p95, weight) from the engine's per-role metrics, the rollback alarms,
 * target health, and — once an engine is attached — the engine's decisions with their reasons.
 */
export class CanaryDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly serviceName: string;
  private decisionsAdded = false;

  constructor(scope: Construct, id: string, props: CanaryDashboardProps) {
    super(scope, id);
    this.serviceName = props.serviceName;
    const limit = (label: string, value: number | undefined): cloudwatch.HorizontalAnnotation[] =>
      value === undefined ? [] : [{ label, value, color: '#d62728' }];
    const graph = (
      title: string,
      metric: RoleMetric,
      statistic: string,
      unit: string,
      annotations: cloudwatch.HorizontalAnnotation[] = [],
    ) =>
      new cloudwatch.GraphWidget({
        title,
        left: (['canary', 'stable'] as const).map((role) => this.roleMetric(role, metric, statistic)),
        leftYAxis: { min: 0, label: unit, showUnits: false },
        leftAnnotations: annotations,
        width: 12,
        height: 6,
        period: Duration.minutes(1),
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# ecs-canary: ${props.serviceName}`,
          '**canary** (orange) is the version being rolled out, **stable** (blue) the version it replaces, whichever target group each runs on. Gaps: no rollout running, or a minute without requests.',
        ].join('\n'),
        width: 24,
        height: 2,
      }),
    );
    // Requests: Maximum, since a minute may be published by two ticks.
    this.dashboard.addWidgets(
      graph('Requests / min: canary vs stable', 'requests', 'Maximum', 'requests'),
      graph(
        'Error rate %: canary vs stable (5XX and connection errors)',
        'errorRate',
        'Maximum',
        '%',
        limit('maxErrorRatePercent', props.thresholds?.maxErrorRatePercent),
      ),
    );
    this.dashboard.addWidgets(
      graph('p95 response time (ms): canary vs stable', 'p95', 'Maximum', 'ms', limit('maxP95Ms', props.thresholds?.maxP95Ms)),
      graph('Production weight %: canary vs stable', 'weight', 'Maximum', '%'),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Rollback alarms (any in ALARM stops the deployment)',
        alarms: [...props.alarms],
        width: 12,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Targets by target group (blue / green)',
        left: props.targetGroups.flatMap((tg) => [tg.healthyHosts(), tg.unhealthyHosts()]),
        width: 12,
        height: 6,
        period: Duration.minutes(1),
      }),
    );
    this.addServiceMetrics(props.metrics ?? []);
  }

  /** One graph per metric of the service, canary and stable overlaid as the judge sees them, its bars as limits. */
  private addServiceMetrics(metrics: readonly CustomMetricSpec[]): void {
    const graphs = metrics.map(
      (spec) =>
        new cloudwatch.GraphWidget({
          title: `${spec.name}${spec.ratio ? ' %' : spec.compare && isCount(spec) ? ' per 100 requests' : ` (${spec.statistic})`}: canary vs stable`,
          left: (['canary', 'stable'] as const).map(
            (role) =>
              new cloudwatch.Metric({
                namespace: ENGINE_NAMESPACE,
                metricName: CUSTOM_ROLE_METRIC,
                dimensionsMap: { Service: this.serviceName, Role: role, Metric: spec.name },
                statistic: 'Maximum',
                period: Duration.minutes(1),
                label: role,
                color: ROLE_COLOURS[role],
              }),
          ),
          leftAnnotations: [
            ...(spec.max !== undefined ? [{ label: 'max', value: spec.max, color: '#d62728' }] : []),
            ...(spec.min !== undefined ? [{ label: 'min', value: spec.min, color: '#d62728' }] : []),
          ],
          width: 12,
          height: 6,
          period: Duration.minutes(1),
        }),
    );
    for (let i = 0; i < graphs.length; i += 2) this.dashboard.addWidgets(...graphs.slice(i, i + 2));
  }

  /** Adds the table of this service's decisions from the tick's log group (at most once). */
  public addDecisions(tickLogGroupName: string): void {
    if (this.decisionsAdded) return;
    this.decisionsAdded = true;
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: `Decisions of the rollout engine for ${this.serviceName} (newest first)`,
        logGroupNames: [tickLogGroupName],
        queryLines: [...DECISIONS_QUERY],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 24,
        height: 8,
      }),
    );
  }

  private roleMetric(role: Role, metric: RoleMetric, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: ENGINE_NAMESPACE,
      metricName: ROLE_METRICS[metric].metricName,
      dimensionsMap: { Service: this.serviceName, Role: role },
      statistic,
      period: Duration.minutes(1),
      label: role,
      color: ROLE_COLOURS[role],
    });
  }
}
