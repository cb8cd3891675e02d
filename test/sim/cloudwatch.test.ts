import { METRIC_SERIES, seriesId, slowRequestStat, toMinuteBuckets } from '../../lambdas/core/observation';
import {
  DEFAULT_LATENCY,
  ElbMetricName,
  judgeBuckets,
  metricDatapoints,
  MINUTE_MS,
  normalCdf,
  observeMinutes,
  publishedAt,
  simulatedMetricData,
  SimulationError,
  slowRequestsAbove,
  TrafficWorld,
} from '../../sim';

const T0 = Date.UTC(2026, 0, 1);
const OBSERVATION = { seed: 9 };

function world(minutes: number) {
  const w = new TrafficWorld({ seed: 5, totalRps: 2, baselineErrorRate: 0.001, startTime: T0, initialCanaryWeight: 50, coldStart: false });
  w.advanceTo(T0 + minutes * MINUTE_MS);
  return w;
}

describe('CloudWatch observation', () => {
  describe('publishedAt', () => {
    it('publishes each minute 1–3 minutes after it ends, the same way every time', () => {
      const delays = Array.from({ length: 50 }, (_, i) => publishedAt(T0 + i * MINUTE_MS, OBSERVATION) - (T0 + (i + 1) * MINUTE_MS));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(60_000);
      expect(Math.max(...delays)).toBeLessThanOrEqual(180_000);
      expect(new Set(delays).size).toBeGreaterThan(10);
      expect(publishedAt(T0, OBSERVATION)).toBe(publishedAt(T0, { seed: 9 }));
    });
  });

  describe('observeMinutes', () => {
    it('shows the newest minutes partially and the rest complete', () => {
      const w = world(10);
      const now = T0 + 10 * MINUTE_MS;
      const seen = observeMinutes(w.minutes, now, OBSERVATION);
      for (const minute of seen) expect(minute.complete).toBe(publishedAt(minute.start, OBSERVATION) <= now);
      const partial = seen.filter((m) => !m.complete);
      expect(partial.length).toBeGreaterThan(0);
      for (const m of partial) {
        const truth = w.minutes.find((t) => t.start === m.start)!;
        expect(m.baseline.requests).toBeLessThanOrEqual(truth.baseline.requests);
        expect(m.fraction).toBeGreaterThan(0);
        expect(m.fraction).toBeLessThan(1);
      }
    });
  });

  describe('metricDatapoints', () => {
    const request = { group: 'canary' as const, startTime: T0, endTime: T0 + 60 * MINUTE_MS };
    const options = { ...OBSERVATION, slowThresholdMs: 500 };
    const w = world(60);
    const now = T0 + 64 * MINUTE_MS;

    it('leaves out minutes with zero errors, newest first', () => {
      const errors = metricDatapoints(w.minutes, now, { ...request, metricName: 'HTTPCode_Target_5XX_Count', stat: 'Sum' }, options);
      const truth = w.minutes.filter((m) => m.canary.errors5xx > 0);
      expect(errors.values).toEqual(truth.map((m) => m.canary.errors5xx).reverse());
      expect(errors.timestamps).toEqual(truth.map((m) => m.start).reverse());
      expect(truth.length).toBeLessThan(w.minutes.length);
    });

    it('gives TargetResponseTime in seconds and TC(T:) for the latency bar', () => {
      const p95 = metricDatapoints(w.minutes, now, { ...request, metricName: 'TargetResponseTime', stat: 'p95' }, options);
      expect(p95.values[0]).toBeCloseTo((w.minutes[59].canary.p95Ms as number) / 1000, 6);
      const slow = metricDatapoints(w.minutes, now, { ...request, metricName: 'TargetResponseTime', stat: 'TC(0.5:)' }, options);
      expect(slow.values[0]).toBe(w.minutes[59].canary.slowRequests);
    });

    it('answers TC(T:) for any T in seconds with slowRequestsAbove, partial minutes scaled like the other counts', () => {
      const early = T0 + 61 * MINUTE_MS + 30_000;
      for (const stat of ['TC(0.3:)', 'TC(1:)', 'TC(.25:)', 'TC(0.5:)']) {
        const thresholdMs = Number(/TC\((.*):\)/.exec(stat)![1]) * 1000;
        const slow = metricDatapoints(w.minutes, early, { ...request, metricName: 'TargetResponseTime', stat }, OBSERVATION);
        const seen = observeMinutes(w.minutes, early, OBSERVATION)
          .filter((m) => m.start < request.endTime && m.canary.requests > 0)
          .reverse();
        expect(slow.timestamps).toEqual(seen.map((m) => m.start));
        expect(slow.values).toEqual(
          seen.map((m) => Math.floor(slowRequestsAbove(w.minutes.find((t) => t.start === m.start)!.canary, thresholdMs) * m.fraction)),
        );
        expect(seen.some((m) => !m.complete)).toBe(true);
      }
    });

    it.each([
      ['RequestCount', 'Average', /statistic "Average" of RequestCount is not simulated; accepted: 'Sum'/],
      [
        'TargetResponseTime',
        'TC(fast:)',
        /statistic "TC\(fast:\)" of TargetResponseTime is not simulated; accepted: 'p95', 'p99' or 'TC\(T:\)' with T in seconds/,
      ],
      ['TargetResponseTime', 'p50', /accepted: 'p95', 'p99' or 'TC\(T:\)'/],
    ])('rejects %s %s, naming what is accepted', (metricName, stat, message) => {
      expect(() => metricDatapoints(w.minutes, now, { ...request, metricName: metricName as 'RequestCount', stat }, options)).toThrow(
        SimulationError,
      );
      expect(() => metricDatapoints(w.minutes, now, { ...request, metricName: metricName as 'RequestCount', stat }, options)).toThrow(
        message,
      );
    });

    it.each([90, 0, 59.5])('rejects a period of %p s', (period) => {
      expect(() => metricDatapoints(w.minutes, now, { ...request, metricName: 'RequestCount', stat: 'Sum', period }, options)).toThrow(
        `period is ${period}; accepted: 60 or a multiple of 60 (seconds)`,
      );
    });
  });

  describe('simulatedMetricData', () => {
    const w = world(60);
    const now = T0 + 61 * MINUTE_MS + 40_000;
    const stats: Array<[ElbMetricName, string]> = [
      ['RequestCount', 'Sum'],
      ['HTTPCode_Target_5XX_Count', 'Sum'],
      ['TargetConnectionErrorCount', 'Sum'],
      ['TargetResponseTime', 'p95'],
      ['TargetResponseTime', 'TC(0.2:)'],
      ['HealthyHostCount', 'Minimum'],
      ['UnHealthyHostCount', 'Maximum'],
    ];

    it('answers each query as metricDatapoints does, oldest first, in query order', () => {
      const queries = (['canary', 'baseline'] as const).flatMap((group) =>
        stats.flatMap(([metricName, stat]) =>
          [60, 600].map((period) => ({
            id: `${group}_${metricName}_${stat}_${period}`.replace(/[^a-zA-Z0-9_]/g, ''),
            group,
            metricName,
            stat,
            period,
            startTime: T0 + 10 * MINUTE_MS,
            endTime: now,
          })),
        ),
      );
      const results = simulatedMetricData(w.minutes, now, queries, OBSERVATION);
      expect(results.map((r) => r.id)).toEqual(queries.map((q) => q.id));
      results.forEach((result, i) => {
        const newestFirst = metricDatapoints(w.minutes, now, { ...queries[i], endTime: T0 + 62 * MINUTE_MS }, OBSERVATION);
        expect(result.timestamps).toEqual([...newestFirst.timestamps].reverse());
        expect(result.values).toEqual([...newestFirst.values].reverse());
      });
      expect(results.find((r) => r.id === 'canary_RequestCount_Sum_60')!.timestamps.length).toBeGreaterThan(45);
    });

    it("feeds the engine's toMinuteBuckets the minutes the simulation has published, at any slow threshold", () => {
      const slowStat = slowRequestStat(260);
      const queries = (['replacement', 'original'] as const).flatMap((role) =>
        METRIC_SERIES.filter((series) => (series.roles as readonly string[]).includes(role)).map((series) => ({
          id: seriesId(role, series.key),
          group: role === 'replacement' ? ('canary' as const) : ('baseline' as const),
          metricName: series.metricName,
          stat: series.stat === 'TC(T:)' ? slowStat : series.stat,
          startTime: T0,
          endTime: now,
        })),
      );
      const buckets = toMinuteBuckets(simulatedMetricData(w.minutes, now, queries, OBSERVATION), now, {
        replacement: { from: T0 },
        original: { from: T0 },
      });
      const published = new Set(judgeBuckets(w.minutes, now, T0, OBSERVATION).canary.map((b) => b.start));
      const compared = buckets.replacement.filter((b) => published.has(b.start));
      expect(compared.length).toBeGreaterThan(50);
      for (const bucket of compared) {
        const truth = w.minutes.find((m) => m.start === bucket.start)!.canary;
        expect(bucket).toEqual({
          start: bucket.start,
          requests: truth.requests,
          errors: truth.errors5xx + truth.connectionErrors,
          slowRequests: slowRequestsAbove(truth, 260),
          p95Ms: truth.p95Ms,
          healthyHosts: truth.healthyHosts,
          unhealthyHosts: truth.unhealthyHosts,
        });
      }
      for (const bucket of buckets.original.filter((b) => published.has(b.start))) {
        expect(bucket.slowRequests).toBe(slowRequestsAbove(w.minutes.find((m) => m.start === bucket.start)!.baseline, 260));
      }
    });

    it('rejects a query id used twice', () => {
      const query = { id: 'a', group: 'canary' as const, metricName: 'RequestCount' as const, stat: 'Sum', startTime: T0, endTime: now };
      expect(() => simulatedMetricData(w.minutes, now, [query, query], OBSERVATION)).toThrow(/query id "a" appears twice/);
    });
  });

  describe('periods longer than a minute', () => {
    const HOUR = 60 * MINUTE_MS;
    const hourly = (w: TrafficWorld, metricName: ElbMetricName, stat: string, group: 'canary' | 'baseline' = 'baseline') =>
      metricDatapoints(
        w.minutes,
        T0 + 3 * HOUR + 5 * MINUTE_MS,
        { group, metricName, stat, startTime: T0, endTime: T0 + 3 * HOUR, period: 3600 },
        OBSERVATION,
      );

    it("gives a clean world's hourly p95 as the model's analytic p95", () => {
      const w = new TrafficWorld({ seed: 4, totalRps: 20, baselineErrorRate: 0.01, startTime: T0, coldStart: false });
      w.advanceTo(T0 + 3 * HOUR + 5 * MINUTE_MS);
      const analyticMs = DEFAULT_LATENCY.medianMs * Math.exp(DEFAULT_LATENCY.sigma * 1.6448536);
      const p95 = hourly(w, 'TargetResponseTime', 'p95');
      expect(p95.timestamps).toEqual([T0 + 2 * HOUR, T0 + HOUR, T0]);
      for (const value of p95.values) expect(Math.abs(value * 1000 - analyticMs)).toBeLessThan(0.5);
    });

    it('pools the minutes of an hour by their requests, and sums the counts', () => {
      const w = new TrafficWorld({
        seed: 4,
        totalRps: 20,
        baselineErrorRate: 0.01,
        startTime: T0,
        coldStart: true,
        regression: { kind: 'latency', ratio: 2, onsetMinute: 20 },
      });
      w.setCanaryWeight(T0 + 10 * MINUTE_MS, 30);
      w.advanceTo(T0 + 3 * HOUR + 5 * MINUTE_MS);
      const first = w.minutes.filter((m) => m.start < T0 + HOUR && m.canary.requests > 0);
      const [, , p95] = hourly(w, 'TargetResponseTime', 'p95', 'canary').values;
      // Independently: the share of the hour's canary requests at or below the answer is 95%.
      const requests = first.reduce((s, m) => s + m.canary.requests, 0);
      const below = first.reduce(
        (s, m) =>
          s +
          m.canary.requests *
            m.canary.latency.reduce((t, c) => t + c.share * normalCdf(Math.log((p95 * 1000 - c.extraMs) / c.medianMs) / c.sigma), 0),
        0,
      );
      expect(below / requests).toBeCloseTo(0.95, 2);
      expect(p95 * 1000).toBeGreaterThan(DEFAULT_LATENCY.medianMs * Math.exp(DEFAULT_LATENCY.sigma * 1.6448536) * 1.2);
      const [, , sum] = hourly(w, 'RequestCount', 'Sum', 'canary').values;
      expect(sum).toBe(requests);
      const [, , slow] = hourly(w, 'TargetResponseTime', 'TC(0.4:)', 'canary').values;
      expect(slow).toBe(first.reduce((s, m) => s + slowRequestsAbove(m.canary, 400), 0));
    });
  });

  describe('judgeBuckets', () => {
    it('keeps complete minutes only, errors being 5XX plus connection errors', () => {
      const w = new TrafficWorld({
        seed: 3,
        totalRps: 50,
        baselineErrorRate: 0.01,
        startTime: T0,
        initialCanaryWeight: 10,
        regression: { kind: 'crash' },
      });
      const now = T0 + 8 * MINUTE_MS;
      w.advanceTo(now);
      const { canary, baseline } = judgeBuckets(w.minutes, now, T0, OBSERVATION);
      expect(canary.map((b) => b.start)).toEqual(baseline.map((b) => b.start));
      for (const bucket of canary) {
        expect(publishedAt(bucket.start, OBSERVATION)).toBeLessThanOrEqual(now);
        const truth = w.minutes.find((m) => m.start === bucket.start)!.canary;
        expect(bucket.errors).toBe(truth.errors5xx + truth.connectionErrors);
        expect(bucket.unhealthyHosts).toBe(truth.unhealthyHosts);
      }
      expect(canary.length).toBeLessThan(8);
    });
  });
});
