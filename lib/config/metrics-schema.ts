/**
 * The `metrics:` list of a service file: CloudWatch metrics of the application (business KPIs,
 * application errors) that gate the rollout next to the load balancer's own series.
 *
 * Each entry is one metric (namespace, metric name, dimensions, statistic) or a ratio of two counts
 * in the same namespace and dimensions (`numerator / denominator`, both read as Sum), with an
 * absolute bar (`max`, `min`), an optional comparison with the original (needs `versionDimension`),
 * and what a breach does (`action`). CloudWatch's own rules (Metric and Dimension in the CloudWatch
 * API Reference) are checked here so a bad name fails `cdk synth`, not the first rollout.
 */
import { z } from 'zod';

import { accepts, unknownKeysMessage } from './zod-helpers';

/** CloudWatch accepts up to 30 dimensions per metric (API Reference, Metric: Dimensions). */
export const MAX_METRIC_DIMENSIONS = 30;
/**
 * CodeDeploy accepts at most 10 alarms per deployment group (AWS::CodeDeploy::DeploymentGroup
 * AlarmConfiguration) and the service's own rollback alarms use 6 (error rate, p95 and unhealthy
 * hosts per target group): at most 4 bars of `action: rollback` metrics get an alarm. More are not
 * packed into a composite alarm: AWS does not document that CodeDeploy watches one, which only a
 * live account can confirm (docs/aws-behaviour.md), so synth fails instead of dropping a bar.
 */
export const MAX_METRIC_ALARMS = 10 - 6;

/** How many `metrics:` entries a service may have: each adds up to four series to every tick's read. */
export const MAX_CUSTOM_METRICS = 20;
/** Names of the statistics CloudWatch computes for any metric; percentiles are `p` followed by 0–100. */
export const PLAIN_STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
const PERCENTILE_PATTERN = /^p(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;
export const STATISTIC_TEXT = `one of ${PLAIN_STATISTICS.join(', ')}, or a percentile p0 to p100 such as p95 or p99.9`;

/** Ascii, at least one non-space character, no control characters (CloudWatch API Reference, Dimension). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*[\x21-\x7e][\x20-\x7e]*$/;
const NAMESPACE_TEXT =
  'a CloudWatch namespace of 1 to 255 printable ASCII characters, not starting with ":" (such as Shop/Checkout or AWS/ECS)';
const METRIC_NAME_TEXT = 'a CloudWatch metric name of 1 to 255 printable ASCII characters, not starting with ":"';
const DIMENSION_NAME_TEXT = 'a dimension name of 1 to 255 printable ASCII characters, not starting with ":"';
const DIMENSION_VALUE_TEXT = 'a dimension value of 1 to 1024 printable ASCII characters';
const METRIC_ID_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const METRIC_ID_TEXT =
  'a name of 2 to 40 lowercase letters, digits and -, starting with a letter and ending with a letter or digit (it names the check and the alarm)';

const cloudWatchName = (text: string, max: number) =>
  z.string(accepts(text)).refine((name) => name.length <= max && PRINTABLE_ASCII.test(name) && !name.startsWith(':'), accepts(text));

export const metricNameSchema = cloudWatchName(METRIC_NAME_TEXT, 255);

/** True when `statistic` is a statistic name CloudWatch accepts for GetMetricData and alarms. */
export function isStatistic(statistic: string): boolean {
  return (PLAIN_STATISTICS as readonly string[]).includes(statistic) || PERCENTILE_PATTERN.test(statistic);
}

/** Statistics a comparison with the original accepts: Sum (a count) and the values Average and pNN strictly between p0 and p100. */
export function isComparedStatistic(statistic: string): boolean {
  const percentile = PERCENTILE_PATTERN.test(statistic) ? Number(statistic.slice(1)) : undefined;
  return statistic === 'Sum' || statistic === 'Average' || (percentile !== undefined && percentile > 0 && percentile < 100);
}

export const comparisonSchema = z.strictObject(
  {
    tolerancePercent: z
      .number(accepts('a percentage above 0 and at most 1000'))
      .gt(0, accepts('a percentage above 0 and at most 1000'))
      .max(1000, accepts('a percentage above 0 and at most 1000')),
    worse: z.enum(['higher', 'lower'], accepts('higher or lower')).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownKeysMessage(issue.keys, ['tolerancePercent', 'worse'])
        : 'accepted: a mapping with the keys tolerancePercent, worse',
  },
);

const ratioSchema = z.strictObject(
  {
    numerator: metricNameSchema,
    denominator: metricNameSchema,
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownKeysMessage(issue.keys, ['numerator', 'denominator'])
        : 'accepted: a mapping { numerator: <metric name>, denominator: <metric name> }, both counts in the namespace',
  },
);

const ENTRY_KEYS = 'name, namespace, metricName, ratio, dimensions, statistic, max, min, compare, versionDimension, action';

export const customMetricSchema = z
  .strictObject(
    {
      name: z.string(accepts(METRIC_ID_TEXT)).regex(METRIC_ID_PATTERN, accepts(METRIC_ID_TEXT)),
      namespace: cloudWatchName(NAMESPACE_TEXT, 255),
      metricName: metricNameSchema.optional(),
      ratio: ratioSchema.optional(),
      dimensions: z
        .record(cloudWatchName(DIMENSION_NAME_TEXT, 255), cloudWatchName(DIMENSION_VALUE_TEXT, 1024), {
          error: (issue) =>
            issue.code === 'invalid_key' ? `accepted: ${DIMENSION_NAME_TEXT}` : 'accepted: a mapping of dimension name: value',
        })
        .default({}),
      statistic: z.string(accepts(STATISTIC_TEXT)).refine(isStatistic, accepts(STATISTIC_TEXT)).optional(),
      max: z.number(accepts('a number (a percentage for a ratio)')).optional(),
      min: z.number(accepts('a number (a percentage for a ratio)')).optional(),
      compare: comparisonSchema.optional(),
      versionDimension: cloudWatchName(DIMENSION_NAME_TEXT, 255).optional(),
      action: z.enum(['rollback', 'warn'], accepts('rollback or warn')).default('rollback'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? unknownKeysMessage(issue.keys, ENTRY_KEYS.split(', '))
          : `accepted: a mapping with the keys ${ENTRY_KEYS}`,
    },
  )
  .superRefine((metric, ctx) => {
    const issue = (path: (string | number)[], input: unknown, message: string) =>
      ctx.addIssue({ code: 'custom', path, input, message: `accepted: ${message}` });
    if ((metric.metricName === undefined) === (metric.ratio === undefined)) {
      const message = 'accepted: exactly one of metricName (one metric) or ratio ({ numerator, denominator }, two counts)';
      if (metric.ratio) issue(['ratio'], metric.ratio, message.slice('accepted: '.length));
      else ctx.addIssue({ code: 'custom', path: [], params: { got: 'neither metricName nor ratio' }, message });
    }
    if (metric.ratio && metric.statistic !== undefined && metric.statistic !== 'Sum')
      issue(['statistic'], metric.statistic, 'Sum or none with ratio (both counts are read as Sum)');
    if (metric.max === undefined && metric.min === undefined && metric.compare === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        params: { got: 'no max, min or compare' },
        message: 'accepted: at least one of max, min or compare (what the metric is held to)',
      });
    }
    if (metric.max !== undefined && metric.min !== undefined && metric.min >= metric.max)
      issue(['min'], metric.min, `a min below max (${metric.max})`);
    if (metric.ratio) {
      for (const key of ['max', 'min'] as const) {
        const bar = metric[key];
        if (bar !== undefined && !(bar >= 0 && bar <= 100)) issue([key], bar, 'a percentage from 0 to 100 (a ratio is a percentage)');
      }
    }
    const statistic = metric.statistic ?? 'Average';
    if (metric.compare) {
      if (metric.versionDimension === undefined)
        issue(['compare'], metric.compare, 'compare only with versionDimension: the engine tells canary from original by that dimension');
      if (!metric.ratio && !isComparedStatistic(statistic))
        issue(
          ['statistic'],
          statistic,
          'Sum (a count, compared per request), Average or a percentile p0.1 to p99.9 with compare (Minimum, Maximum and SampleCount are not compared: compare a percentile such as p99 instead)',
        );
      const lower =
        metric.compare.worse === 'lower' || (metric.compare.worse === undefined && metric.max === undefined && metric.min !== undefined);
      if (lower && metric.compare.tolerancePercent >= 100)
        issue(
          ['compare', 'tolerancePercent'],
          metric.compare.tolerancePercent,
          'below 100 when lower is worse (a fall of 100% or more cannot be told apart)',
        );
    }
    const dimensions = Object.keys(metric.dimensions).length + (metric.versionDimension ? 1 : 0);
    if (dimensions > MAX_METRIC_DIMENSIONS) {
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        params: { got: `${dimensions} dimensions${metric.versionDimension ? ' with versionDimension' : ''}` },
        message: `accepted: at most ${MAX_METRIC_DIMENSIONS} dimensions per metric, versionDimension included (CloudWatch)`,
      });
    }
    if (metric.versionDimension && metric.versionDimension in metric.dimensions) {
      issue(
        ['versionDimension'],
        metric.versionDimension,
        'a dimension not also listed in dimensions (the engine sets its value per version)',
      );
    }
  })
  .transform(({ compare, ...metric }) => {
    const worse: 'higher' | 'lower' = compare?.worse ?? (metric.max === undefined && metric.min !== undefined ? 'lower' : 'higher');
    return {
      ...metric,
      statistic: metric.ratio ? 'Sum' : (metric.statistic ?? 'Average'),
      ...(compare ? { compare: { tolerancePercent: compare.tolerancePercent, worse } } : {}),
    };
  });

/** Optional as a whole: a service without `metrics:` parses to a config without the key. */
export const customMetricsSchema = z
  .array(customMetricSchema, accepts('a list of metrics, each { name, namespace, metricName or ratio, … }'))
  .max(MAX_CUSTOM_METRICS, accepts(`at most ${MAX_CUSTOM_METRICS} metrics`))
  .superRefine((metrics, ctx) => {
    const alarmed = metrics.flatMap((m) =>
      m.action === 'rollback' ? [m.max, m.min].filter((bar) => bar !== undefined).map(() => m.name) : [],
    );
    if (alarmed.length > MAX_METRIC_ALARMS) {
      ctx.addIssue({
        code: 'custom',
        params: { got: `${alarmed.length} bars with action: rollback (${alarmed.join(', ')})` },
        message: `accepted: at most ${MAX_METRIC_ALARMS}: each gets a rollback alarm on the deployment group, CodeDeploy accepts 10 and the service uses 6; make the others action: warn or compare-only`,
      });
    }
    const first = new Map<string, number>();
    metrics.forEach((metric, index) => {
      const earlier = first.get(metric.name);
      if (earlier === undefined) first.set(metric.name, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          input: metric.name,
          message: `accepted: a name not already used (metrics[${earlier}]); each metric names its own check and alarm`,
        });
    });
  })
  .optional();

/** One validated `metrics:` entry with its defaults applied. */
export type CustomMetricConfig = z.output<typeof customMetricSchema>;
