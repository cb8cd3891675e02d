import { judgeBuckets, metricDatapoints, MINUTE_MS, observeMinutes, publishedAt, SimulationError, TrafficWorld } from '../../lib/sim';

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

    it.each([
      ['RequestCount', 'Average', /statistic "Average" of RequestCount is not simulated; accepted: 'Sum'/],
      ['TargetResponseTime', 'TC(1:)', /accepted: 'p95', 'p99' or 'TC\(0\.5:\)'/],
    ])('rejects %s %s, naming what is accepted', (metricName, stat, message) => {
      expect(() => metricDatapoints(w.minutes, now, { ...request, metricName: metricName as 'RequestCount', stat }, options)).toThrow(SimulationError);
      expect(() => metricDatapoints(w.minutes, now, { ...request, metricName: metricName as 'RequestCount', stat }, options)).toThrow(message);
    });
  });

  describe('judgeBuckets', () => {
    it('keeps complete minutes only, errors being 5XX plus connection errors', () => {
      const w = new TrafficWorld({ seed: 3, totalRps: 50, baselineErrorRate: 0.01, startTime: T0, initialCanaryWeight: 10, regression: { kind: 'crash' } });
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
