import {
  completeMinuteCanExist,
  seriesId,
  type SeriesResult,
  slowRequestStat,
  summarize,
  toMinuteBuckets,
} from '../../lambdas/core/observation';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const MIN = 60_000;
const series = (id: string, points: Array<[number, number]>): SeriesResult => ({
  id,
  timestamps: points.map(([m]) => T0 + m * MIN),
  values: points.map(([, v]) => v),
});
const all = { replacement: { from: T0 }, original: { from: T0 } };

describe('observation', () => {
  describe('toMinuteBuckets', () => {
    const now = T0 + 5 * MIN + 30_000; // minutes 0..3 ended ≥ 90 s ago; minute 4 did not.
    const results = [
      series('r_requests', [
        [0, 100],
        [1, 110],
        [2, 90],
        [3, 95],
        [4, 40],
      ]),
      series('r_errors5xx', [[1, 2]]),
      series('r_connectionErrors', [
        [1, 1],
        [2, 1],
      ]),
      series('r_p95', [[0, 0.25]]),
      series('o_requests', [
        [0, 1900],
        [1, 1890],
        [3, 1800],
      ]),
    ];

    it('keeps only complete minutes that ended at least 90 s before now', () => {
      expect(toMinuteBuckets(results, now, all).replacement.map((b) => (b.start - T0) / MIN)).toEqual([0, 1, 2, 3]);
    });

    it('drops the newest minute any series reported, even when it ended long ago', () => {
      const late = toMinuteBuckets(results, T0 + 20 * MIN, all);
      expect(late.replacement.map((b) => (b.start - T0) / MIN)).toEqual([0, 1, 2, 3]);
    });

    it('counts absent error points as 0 and sums 5xx and connection errors', () => {
      expect(toMinuteBuckets(results, now, all).replacement.map((b) => b.errors)).toEqual([0, 3, 1, 0]);
    });

    it('leaves out a minute without a RequestCount point instead of counting it clean', () => {
      expect(toMinuteBuckets(results, now, all).original.map((b) => (b.start - T0) / MIN)).toEqual([0, 1, 3]);
    });

    it('converts p95 from seconds to ms', () => {
      expect(toMinuteBuckets(results, now, all).replacement[0].p95Ms).toBe(250);
    });

    it('keeps each role within its window', () => {
      const buckets = toMinuteBuckets(results, now, { replacement: { from: T0 + 2 * MIN }, original: { from: T0, to: T0 + 2 * MIN } });
      expect(buckets.replacement.map((b) => (b.start - T0) / MIN)).toEqual([2, 3]);
      expect(buckets.original.map((b) => (b.start - T0) / MIN)).toEqual([0, 1]);
    });

    it('gives no buckets to a role without a window, even if its series came back', () => {
      const buckets = toMinuteBuckets(results, now, { replacement: { from: T0 } });
      expect(buckets.replacement.map((b) => (b.start - T0) / MIN)).toEqual([0, 1, 2, 3]);
      expect(buckets.original).toEqual([]);
    });
  });

  describe('completeMinuteCanExist', () => {
    // From T0 + 32 s the first whole minute is T0 + 1 min, complete at T0 + 3 min 30 s.
    it.each([
      ['from mid-minute, 1 s before its first whole minute is complete', T0 + 32_000, T0 + 209_000, false],
      ['from mid-minute, once its first whole minute is complete', T0 + 32_000, T0 + 210_000, true],
      ['from a minute boundary, 1 s early', T0, T0 + 149_000, false],
      ['from a minute boundary, on time', T0, T0 + 150_000, true],
    ])('%s', (_name, from, at, expected) => {
      expect(completeMinuteCanExist(from, at)).toBe(expected);
    });

    it.each([T0 + 32_000, T0, T0 + 59_999])('agrees with toMinuteBuckets: no bucket from %p until it says one can exist', (from) => {
      const points = Array.from({ length: 10 }, (_, m) => [m, 100] as [number, number]);
      for (let at = from; at < from + 6 * MIN; at += 1000) {
        const buckets = toMinuteBuckets([series('r_requests', points)], at, { replacement: { from } }).replacement;
        expect(buckets.length > 0).toBe(completeMinuteCanExist(from, at));
      }
    });
  });

  describe('summarize', () => {
    it('totals requests and errors with the error rate', () => {
      expect(
        summarize([
          { start: 0, requests: 300, errors: 3 },
          { start: MIN, requests: 100, errors: 1, p95Ms: 80 },
        ]),
      ).toEqual({ minutes: 2, requests: 400, errors: 4, errorRatePercent: 1, maxP95Ms: 80 });
    });
  });

  describe('ids', () => {
    it.each([
      [seriesId('replacement', 'requests'), 'r_requests'],
      [seriesId('original', 'p95'), 'o_p95'],
      [slowRequestStat(1000), 'TC(1:)'],
      [slowRequestStat(250), 'TC(0.25:)'],
    ])('%s is %s', (actual, expected) => {
      expect(actual).toBe(expected);
    });
  });
});
