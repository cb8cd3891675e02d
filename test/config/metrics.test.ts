/**
 * The `metrics:` list of a service file: every field refuses malformed input with one line naming
 * the file, the field, the value and what is accepted; defaults (statistic, action, the side a
 * comparison looks at) are applied once.
 */
import { parseServiceConfig } from '../../lib/config';
import { isStatistic, MAX_CUSTOM_METRICS } from '../../lib/config/metrics-schema';

const FILE = 'services/shop.yaml';
const HEADER = 'name: shop\nimage: public.ecr.aws/nginx/nginx:1.27\n';
const RATIO = '{ name: session-errors, namespace: Shop, ratio: { numerator: SessionErrors, denominator: Sessions }, max: 0.5 }';

function parsed(metrics: string) {
  return parseServiceConfig(`${HEADER}metrics: ${metrics}\n`, FILE);
}

function problems(metrics: string): string[] {
  const result = parsed(metrics);
  return result.success ? [] : result.problems.map((p) => p.line);
}

function metricsOf(metrics: string) {
  const result = parsed(metrics);
  if (!result.success) throw new Error(result.problems.map((p) => p.line).join('\n'));
  return result.config.metrics ?? [];
}

describe('metrics: in the service file', () => {
  describe('valid entries', () => {
    it('defaults to no metrics', () => {
      const result = parseServiceConfig(HEADER, FILE);
      expect(result.success && result.config.metrics).toBeUndefined();
    });

    it('reads a ratio as two Sums and defaults the action to rollback', () => {
      expect(metricsOf(`[${RATIO}]`)).toEqual([
        {
          name: 'session-errors',
          namespace: 'Shop',
          ratio: { numerator: 'SessionErrors', denominator: 'Sessions' },
          dimensions: {},
          statistic: 'Sum',
          max: 0.5,
          action: 'rollback',
        },
      ]);
    });

    it('defaults a value metric to Average and a comparison with only min to worse: lower', () => {
      const [metric] = metricsOf(
        '[{ name: orders, namespace: Shop, metricName: Orders, statistic: Sum, min: 1, compare: { tolerancePercent: 20 }, versionDimension: Version, action: warn }]',
      );
      expect(metric.compare).toEqual({ tolerancePercent: 20, worse: 'lower' });
      expect(metric.action).toBe('warn');
      expect(metricsOf('[{ name: memory, namespace: AWS/ECS, metricName: MemoryUtilization, max: 80 }]')[0].statistic).toBe('Average');
    });

    it('parses its own output to the same value (the constructs validate the parsed config again)', () => {
      const first = metricsOf(
        `[${RATIO}, { name: orders, namespace: Shop, metricName: Orders, statistic: Sum, min: 1, compare: { tolerancePercent: 20 }, versionDimension: Version }]`,
      );
      const again = parseServiceConfig(`${HEADER}metrics: ${JSON.stringify(first)}\n`, FILE);
      expect(again.success && again.config.metrics).toEqual(first);
    });

    it.each(['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p0', 'p50', 'p95', 'p99.9', 'p99.99', 'p100'])(
      'accepts the statistic %s',
      (statistic) => {
        expect(isStatistic(statistic)).toBe(true);
      },
    );

    it.each(['Average', 'p95', 'p50', 'p99.9'])('accepts a comparison of the value statistic %s', (statistic) => {
      expect(
        problems(
          `[{ name: memory, namespace: Shop, metricName: MemoryMB, statistic: ${statistic}, max: 512, compare: { tolerancePercent: 20 }, versionDimension: V }]`,
        ),
      ).toEqual([]);
    });

    it.each(['average', 'P95', 'p101', 'p99.999', 'tm99', 'IQM', 'p', 'p-1'])('refuses the statistic %s', (statistic) => {
      expect(isStatistic(statistic)).toBe(false);
    });
  });

  describe('malformed fields, one line each', () => {
    it.each([
      ['the list itself', '3', 'metrics: got 3; accepted: a list of metrics'],
      ['an entry that is not a mapping', '[3]', 'metrics[0]: got 3; accepted: a mapping with the keys name, namespace'],
      [
        'an unknown key',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, threshold: 2 }]',
        'metrics[0]: unknown key threshold; accepted keys: name, namespace, metricName, ratio',
      ],
      [
        'name',
        '[{ name: Checkout, namespace: Shop, metricName: M, max: 1 }]',
        'metrics[0].name: got "Checkout"; accepted: a name of 2 to 40 lowercase letters',
      ],
      [
        'namespace starting with a colon',
        '[{ name: a1, namespace: ":Shop", metricName: M, max: 1 }]',
        'metrics[0].namespace: got ":Shop"; accepted: a CloudWatch namespace of 1 to 255 printable ASCII characters',
      ],
      ['namespace too long', `[{ name: a1, namespace: ${'N'.repeat(256)}, metricName: M, max: 1 }]`, 'metrics[0].namespace: got "NNNN'],
      [
        'namespace not ASCII',
        '[{ name: a1, namespace: "Café", metricName: M, max: 1 }]',
        'metrics[0].namespace: got "Café"; accepted: a CloudWatch namespace',
      ],
      [
        'metricName empty',
        '[{ name: a1, namespace: Shop, metricName: "", max: 1 }]',
        'metrics[0].metricName: got ""; accepted: a CloudWatch metric name',
      ],
      [
        'metricName with a control character',
        '[{ name: a1, namespace: Shop, metricName: "a\\tb", max: 1 }]',
        'metrics[0].metricName: got "a\\tb"; accepted: a CloudWatch metric name',
      ],
      [
        'both metricName and ratio',
        '[{ name: a1, namespace: Shop, metricName: M, ratio: { numerator: A, denominator: B }, max: 1 }]',
        'metrics[0].ratio: got a mapping',
      ],
      [
        'neither metricName nor ratio',
        '[{ name: a1, namespace: Shop, max: 1 }]',
        'metrics[0]: got neither metricName nor ratio; accepted: exactly one of metricName (one metric) or ratio',
      ],
      [
        'a ratio without its denominator',
        '[{ name: a1, namespace: Shop, ratio: { numerator: A }, max: 1 }]',
        'metrics[0].ratio.denominator: missing; accepted: a CloudWatch metric name',
      ],
      [
        'a ratio with an unknown key',
        '[{ name: a1, namespace: Shop, ratio: { numerator: A, denominator: B, of: C }, max: 1 }]',
        'metrics[0].ratio: unknown key of; accepted keys: numerator, denominator',
      ],
      [
        'dimensions not a mapping',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, dimensions: [a] }]',
        'metrics[0].dimensions: got a list',
      ],
      [
        'a dimension value too long',
        `[{ name: a1, namespace: Shop, metricName: M, max: 1, dimensions: { Service: ${'v'.repeat(1025)} } }]`,
        'metrics[0].dimensions.Service: got "vvvv',
      ],
      [
        'a dimension name starting with a colon',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, dimensions: { ":x": v } }]',
        'accepted: a dimension name of 1 to 255 printable ASCII characters',
      ],
      [
        'statistic',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, statistic: p101 }]',
        'metrics[0].statistic: got "p101"; accepted: one of Average, Sum, Minimum, Maximum, SampleCount, or a percentile p0 to p100',
      ],
      [
        'a statistic with a ratio',
        `[{ name: a1, namespace: Shop, ratio: { numerator: A, denominator: B }, max: 1, statistic: Average }]`,
        'metrics[0].statistic: got "Average"; accepted: Sum or none with ratio',
      ],
      ['max not a number', '[{ name: a1, namespace: Shop, metricName: M, max: high }]', 'metrics[0].max: got "high"; accepted: a number'],
      [
        'a ratio bar above 100%',
        '[{ name: a1, namespace: Shop, ratio: { numerator: A, denominator: B }, max: 120 }]',
        'metrics[0].max: got 120; accepted: a percentage from 0 to 100',
      ],
      [
        'min at or above max',
        '[{ name: a1, namespace: Shop, metricName: M, max: 5, min: 5 }]',
        'metrics[0].min: got 5; accepted: a min below max (5)',
      ],
      [
        'no bar and no comparison',
        '[{ name: a1, namespace: Shop, metricName: M }]',
        'metrics[0]: got no max, min or compare; accepted: at least one of max, min or compare',
      ],
      [
        'compare.tolerancePercent',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: Sum, versionDimension: V, compare: { tolerancePercent: 0 } }]',
        'metrics[0].compare.tolerancePercent: got 0; accepted: a percentage above 0 and at most 1000',
      ],
      [
        'compare.tolerancePercent of a fall',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: Sum, versionDimension: V, compare: { tolerancePercent: 100, worse: lower } }]',
        'metrics[0].compare.tolerancePercent: got 100; accepted: below 100 when lower is worse',
      ],
      [
        'compare.worse',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: Sum, versionDimension: V, compare: { tolerancePercent: 5, worse: down } }]',
        'metrics[0].compare.worse: got "down"; accepted: higher or lower',
      ],
      [
        'compare without versionDimension',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: Sum, compare: { tolerancePercent: 5 } }]',
        'metrics[0].compare: got a mapping',
      ],
      [
        'compare on a Maximum',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: Maximum, versionDimension: V, compare: { tolerancePercent: 5 } }]',
        'metrics[0].statistic: got "Maximum"; accepted: Sum (a count, compared per request), Average or a percentile p0.1 to p99.9 with compare',
      ],
      [
        'compare on p100',
        '[{ name: a1, namespace: Shop, metricName: M, statistic: p100, versionDimension: V, compare: { tolerancePercent: 5 } }]',
        'metrics[0].statistic: got "p100"; accepted: Sum (a count, compared per request), Average or a percentile',
      ],
      [
        'versionDimension also in dimensions',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, versionDimension: V, dimensions: { V: x } }]',
        'metrics[0].versionDimension: got "V"; accepted: a dimension not also listed in dimensions',
      ],
      [
        'versionDimension not a string',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, versionDimension: 7 }]',
        'metrics[0].versionDimension: got 7; accepted: a dimension name',
      ],
      [
        'action',
        '[{ name: a1, namespace: Shop, metricName: M, max: 1, action: stop }]',
        'metrics[0].action: got "stop"; accepted: rollback or warn',
      ],
      ['a repeated name', `[${RATIO}, ${RATIO}]`, 'metrics[1].name: got "session-errors"; accepted: a name not already used (metrics[0])'],
    ])('%s', (_field, metrics, expected) => {
      const lines = problems(metrics);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => line.startsWith(`${FILE}: metrics`) && !line.includes('\n'))).toBe(true);
      expect(lines.some((line) => line.includes(expected))).toBe(true);
    });

    it('refuses more than 30 dimensions, versionDimension included', () => {
      const dimensions = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`D${i}`, 'v']));
      const entry = (extra: string) =>
        `[{ name: a1, namespace: Shop, metricName: M, max: 1, dimensions: ${JSON.stringify(dimensions)}${extra} }]`;
      expect(problems(entry(''))).toEqual([]);
      expect(problems(entry(', versionDimension: Version'))).toEqual([
        `${FILE}: metrics[0].dimensions: got 31 dimensions with versionDimension; accepted: at most 30 dimensions per metric, versionDimension included (CloudWatch)`,
      ]);
    });

    it(`refuses more than ${MAX_CUSTOM_METRICS} metrics`, () => {
      const entries = Array.from({ length: MAX_CUSTOM_METRICS + 1 }, (_, i) => `{ name: m${i}, namespace: Shop, metricName: M, max: 1 }`);
      expect(problems(`[${entries.join(', ')}]`).join('\n')).toContain(`accepted: at most ${MAX_CUSTOM_METRICS} metrics`);
    });
  });
});
