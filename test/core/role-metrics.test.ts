import { roleSamples } from '../../lambdas/core/role-metrics';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const MIN = 60_000;
const bucket = (start: number, requests: number, errors: number, p95Ms?: number) => ({ start, requests, errors, ...(p95Ms === undefined ? {} : { p95Ms }) });

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
    expect(roleSamples(undefined, 0, T0).map((s) => [s.role, s.value])).toEqual([['canary', 0], ['stable', 100]]);
  });
});
