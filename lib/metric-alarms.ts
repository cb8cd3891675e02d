import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

import type { CustomMetricConfig } from './config/metrics-schema';

export interface MetricAlarmsProps {
  /** Prefix of the alarm names, such as `ecs-canary-orders`. */
  readonly namePrefix: string;
  /** The service file's `metrics:`; an alarm for each `action: rollback` entry with `max` or `min`. */
  readonly metrics: readonly CustomMetricConfig[];
}

/** A bar is broken in this many of the last BAR_PERIODS minutes, as the judge's value bars. */
export const ALARM_DATAPOINTS = 3;
export const ALARM_PERIODS = 4;

/**
 * Alarms for the absolute bars of the service's own metrics, attached to the deployment group so
 * CodeDeploy rolls back even while no tick runs (the termination wait). They watch the metric
 * without the version dimension (its service-wide series, which the application publishes as a
 * second dimension set: docs/metrics.md); a ratio is `100 × numerator / denominator`. `warn`
 * metrics get none: an alarm on the group always rolls back. Missing data is not breaching.
 */
export class MetricAlarms extends Construct {
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: MetricAlarmsProps) {
    super(scope, id);
    this.alarms = props.metrics
      .filter((m) => m.action === 'rollback' && (m.max !== undefined || m.min !== undefined))
      .flatMap((metric) => alarmsOf(this, props.namePrefix, metric));
  }
}

function alarmsOf(scope: Construct, prefix: string, metric: CustomMetricConfig): cloudwatch.Alarm[] {
  const series = seriesOf(metric);
  const bars = [
    ...(metric.max !== undefined
      ? [{ id: 'Max', threshold: metric.max, operator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, word: 'above', suffix: 'max' }]
      : []),
    ...(metric.min !== undefined
      ? [{ id: 'Min', threshold: metric.min, operator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, word: 'below', suffix: 'min' }]
      : []),
  ];
  const unit = metric.ratio ? '%' : '';
  return bars.map(
    (bar) =>
      new cloudwatch.Alarm(scope, `${metric.name}-${bar.id}`, {
        alarmName: `${prefix}-metric-${metric.name}-${bar.suffix}`,
        alarmDescription: `${metric.name} (${describe(metric)}) ${bar.word} ${bar.threshold}${unit} in ${ALARM_DATAPOINTS} of ${ALARM_PERIODS} minutes; rolls back the deployment`,
        metric: series,
        threshold: bar.threshold,
        comparisonOperator: bar.operator,
        evaluationPeriods: ALARM_PERIODS,
        datapointsToAlarm: ALARM_DATAPOINTS,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
  );
}

function describe(metric: CustomMetricConfig): string {
  return metric.ratio
    ? `${metric.namespace} ${metric.ratio.numerator} / ${metric.ratio.denominator}`
    : `${metric.namespace} ${metric.metricName} ${metric.statistic}`;
}

/** The metric's service-wide series: the metric with its statistic, or the ratio as a percentage. */
function seriesOf(metric: CustomMetricConfig): cloudwatch.IMetric {
  const one = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({
      namespace: metric.namespace,
      metricName,
      dimensionsMap: { ...metric.dimensions },
      statistic,
      period: Duration.minutes(1),
    });
  if (!metric.ratio) return one(metric.metricName as string, metric.statistic);
  return new cloudwatch.MathExpression({
    expression: '100 * numerator / denominator',
    usingMetrics: { numerator: one(metric.ratio.numerator, 'Sum'), denominator: one(metric.ratio.denominator, 'Sum') },
    label: `${metric.name} %`,
    period: Duration.minutes(1),
  });
}
