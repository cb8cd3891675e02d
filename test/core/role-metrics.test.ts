import type { CustomMetricSpec } from '../../lambdas/core/custom-metrics';
import type { MinuteBuckets } from '../../lambdas/core/observation';
import { customRoleSamples, roleSamples } from '../../lambdas/core/role-metrics';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const MIN = 60_000;
const bucket = (start: number, requests: number, errors: number, p95Ms?: number) => ({
  start,
  requests,
  errors,
  ...(p95Ms === undefined ? {} : { p95Ms }),
});

describe('roleSamples', () => {
  it('takes the newest minute of each role (whatever the order) and the weights production is left at', () => {
    const metrics = {
      replacement: [bucket(T0 + MIN, 50, 2, 140), bucket(T0, 40, 0, 120)],
      original: [bucket(T0, 900, 9, 100), bucket(T0 + MIN, 950, 19, 110)],
    };
    expect(roleSamples(metrics, 5, T0 + 3 * MIN)).toEqual([
      { role: 'canary', metric: 'requests', value: 50, at: T0 + MIN },
      { role: 'canary', metric: 'errorRate', value: 4, at: T0 + MIN },
      { role: 'canary', metric: 'p95', value: 140, at: T0 + MIN },
      { role: 'stable', metric: 'requests', value: 950, at: T0 + MIN },
      { role: 'stable', metric: 'errorRate', value: 2, at: T0 + MIN },
      { role: 'stable', metric: 'p95', value: 110, at: T0 + MIN },
      { role: 'canary', metric: 'weight', value: 5, at: T0 + 3 * MIN },
      { role: 'stable', metric: 'weight', value: 95, at: T0 + 3 * MIN },
    ]);
  });

  it('leaves out error rate and p95 of a minute without requests, and everything it cannot know', () => {
    expect(roleSamples({ replacement: [bucket(T0, 0, 0, 300)], original: [] }, undefined, T0)).toEqual([
      { role: 'canary', metric: 'requests', value: 0, at: T0 },
    ]);
    expect(roleSamples(undefined, 0, T0).map((s) => [s.role, s.value])).toEqual([
      ['canary', 0],
      ['stable', 100],
    ]);
  });
});

describe('customRoleSamples', () => {
  const base = { namespace: 'Shop', dimensions: {}, versionDimension: 'V', action: 'rollback' as const };
  const specs: CustomMetricSpec[] = [
    { ...base, name: 'session-errors', ratio: { numerator: 'E', denominator: 'S' }, statistic: 'Sum', max: 0.5 },
    { ...base, name: 'orders', metricName: 'Orders', statistic: 'Sum', compare: { tolerancePercent: 5, worse: 'lower' } },
    { ...base, name: 'memory', metricName: 'Memory', statistic: 'Maximum', max: 512 },
  ];

  it('publishes, per metric and role, the newest minute with its point, as the judge sees it: a ratio in %, a compared count per 100 requests, a value as read', () => {
    const metrics: MinuteBuckets = {
      replacement: [
        { start: T0, requests: 200, errors: 0, custom: { 'session-errors': { numerator: 1, denominator: 100 } } },
        {
          start: T0 + MIN,
          requests: 200,
          errors: 0,
          custom: { 'session-errors': { numerator: 2, denominator: 100 }, orders: { value: 16 }, memory: { value: 300 } },
        },
      ],
      original: [
        {
          start: T0 + MIN,
          requests: 800,
          errors: 0,
          custom: { orders: { value: 80 }, 'session-errors': { numerator: 0, denominator: 0 } },
        },
      ],
    };
    expect(customRoleSamples(metrics, specs).map((s) => [s.role, s.name, s.value, s.at - T0])).toEqual([
      ['canary', 'session-errors', 2, MIN],
      ['canary', 'orders', 8, MIN],
      ['canary', 'memory', 300, MIN],
      ['stable', 'orders', 10, MIN],
    ]);
  });

  it('publishes nothing without metrics or minutes', () => {
    expect(customRoleSamples(undefined, specs)).toEqual([]);
    expect(customRoleSamples({ replacement: [], original: [] }, specs)).toEqual([]);
  });
});
