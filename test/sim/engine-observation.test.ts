import { buildMetricQueries } from '../../lambdas/aws/cloudwatch';
import { historyWindow, judgedWindows } from '../../lambdas/core/judge/input';
import { toMinuteBuckets } from '../../lambdas/core/observation';
import { MINUTE_MS, simulatedMetricData, TrafficWorld } from '../../sim';
import { metricData, metricQueries, observedBuckets, type TickRead } from '../../sim/engine-observation';

const T0 = Date.UTC(2026, 0, 1);
const TARGETS = {
  replacement: { arn: 'arn:r', fullName: 'targetgroup/green/1', name: 'green' },
  original: { arn: 'arn:o', fullName: 'targetgroup/blue/2', name: 'blue' },
};

/** 90 minutes of a service whose canary goes to 5% at minute 70 and 25% at minute 80. */
function world() {
  const w = new TrafficWorld({
    seed: 5,
    totalRps: 30,
    baselineErrorRate: 0.01,
    startTime: T0,
    noise: { gammaShape: 2, shockRate: 0.05, burstRate: 0.05 },
    regression: { kind: 'latency', ratio: 2 },
  });
  w.setCanaryWeight(T0 + 70 * MINUTE_MS + 12_000, 5);
  w.setCanaryWeight(T0 + 80 * MINUTE_MS + 32_000, 25);
  w.advanceTo(T0 + 95 * MINUTE_MS);
  return w;
}
const rollout = { startedAt: T0 + 70 * MINUTE_MS + 12_000, slowThresholdMs: 322.5 };
const judging: TickRead = { reads: judgedWindows(rollout), purpose: 'judge', slowThresholdMs: rollout.slowThresholdMs };

describe('engine observation (what the Tick sees of sim)', () => {
  it("asks for the Tick's queries: the ids, metrics, statistics and periods of buildMetricQueries", () => {
    for (const [read, roles] of [
      [judging, ['replacement', 'original']],
      [{ reads: historyWindow(T0), purpose: 'history' as const }, ['original']],
    ] as const) {
      const tick = buildMetricQueries(TARGETS, 'app/lb/1', read.slowThresholdMs, roles, read.purpose).map((q) => ({
        id: q.Id,
        metricName: q.MetricStat!.Metric!.MetricName,
        stat: q.MetricStat!.Stat,
        period: q.MetricStat!.Period,
      }));
      expect(
        metricQueries(read, T0 + 90 * MINUTE_MS).map(({ id, metricName, stat, period }) => ({ id, metricName, stat, period })),
      ).toEqual(tick);
    }
    expect(metricQueries(judging, T0).find((q) => q.id === 'r_slowRequests')?.stat).toBe('TC(0.3225:)');
  });

  it('answers exactly as simulatedMetricData at every second of a stretch, remembering only published minutes', () => {
    const w = world();
    const options = { seed: 77 };
    for (let now = T0 + 72 * MINUTE_MS; now < T0 + 90 * MINUTE_MS; now += 7_919) {
      const queries = metricQueries(judging, now);
      expect(metricData(w.minutes, now, queries, options)).toEqual(simulatedMetricData(w.minutes, now, queries, options));
    }
  });

  it('builds buckets with the Tick’s bucket builder: complete minutes only, slow requests at E', () => {
    const w = world();
    const now = T0 + 90 * MINUTE_MS + 32_000;
    const options = { seed: 3 };
    const buckets = observedBuckets(w.minutes, now, judging, options);
    expect(buckets).toEqual(toMinuteBuckets(simulatedMetricData(w.minutes, now, metricQueries(judging, now), options), now, judging.reads));
    // From the minute of the first shift (partly at 5%), and the original's hour before it.
    expect(buckets.replacement[0].start).toBe(T0 + 70 * MINUTE_MS);
    expect(buckets.original[0].start).toBe(T0 + 11 * MINUTE_MS);
    expect(buckets.replacement.at(-1)!.start).toBeLessThanOrEqual(now - 90_000 - MINUTE_MS);
    expect(buckets.replacement.some((b) => (b.slowRequests ?? 0) > 0)).toBe(true);
    expect(observedBuckets(w.minutes, now, { reads: {}, purpose: 'judge' }, options)).toEqual({ replacement: [], original: [] });
  });
});
