import { classifyIncrease, flagger, kayenta, mannWhitneyShift, PeerBucket, PeerInput, seedRule } from '../../bench/peers';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** A 5-minute-bake stage judged after its last minute; each spec is one canary minute. */
function stage(
  canary: Array<Partial<PeerBucket>>,
  baseline: Partial<PeerBucket> = { requests: 2000, errors: 10, p95Ms: 200, p99Ms: 320 },
): PeerInput {
  const bucket = (spec: Partial<PeerBucket>, i: number): PeerBucket => ({
    start: T0 + i * MINUTE,
    requests: 100,
    errors: 0,
    p95Ms: 200,
    p99Ms: 320,
    ...spec,
  });
  return {
    now: T0 + canary.length * MINUTE,
    stage: { weight: 5, startedAt: T0, minBakeMs: 5 * MINUTE, holdLimitMs: 10 * MINUTE },
    canary: canary.map(bucket),
    baseline: canary.map((_, i) => bucket(baseline, i)),
  };
}
const clean = (count: number) => Array.from({ length: count }, () => ({}));

describe('peer judges', () => {
  describe('seed rule', () => {
    it.each([
      ['a minute at 6% errors', [{}, { errors: 6 }], 'rollback'],
      ['a minute at exactly 5% errors', [{}, { errors: 5 }], 'hold'],
      ['a minute with p95 1200 ms', [{ p95Ms: 1200 }], 'rollback'],
      ['an empty minute', [{ requests: 0, errors: 0 }], 'hold'],
      ['clean minutes through the bake', clean(5), 'promote'],
    ])('%s → %s', (_name, minutes, decision) => {
      expect(seedRule.decide(stage(minutes)).decision).toBe(decision);
    });
  });

  describe('Flagger-style', () => {
    it.each([
      ['one failed check (2% errors)', [{ errors: 2 }, {}, {}, {}, {}], 'promote'],
      ['two failed checks', [{ errors: 2 }, {}, { p99Ms: 600 }], 'rollback'],
      ['a minute without data and one with errors', [{ requests: 0, p99Ms: undefined }, { errors: 2 }], 'rollback'],
      ['clean minutes before the step time', clean(3), 'hold'],
    ])('%s → %s', (_name, minutes, decision) => {
      expect(flagger.decide(stage(minutes)).decision).toBe(decision);
    });
  });

  describe('Kayenta MW', () => {
    describe('mannWhitneyShift', () => {
      it('estimates the shift (Hodges–Lehmann) with an interval around it', () => {
        const control = Array.from({ length: 10 }, (_, i) => i + 1);
        const experiment = control.map((v) => v + 10);
        const interval = mannWhitneyShift(experiment, control);
        expect(interval.estimate).toBe(10);
        expect(interval.lower).toBeGreaterThan(4);
        expect(interval.upper).toBeLessThan(16);
      });

      it('is unbounded with too few minutes', () => {
        expect(mannWhitneyShift([5, 6], [1, 2])).toMatchObject({ lower: -Infinity, upper: Infinity });
      });
    });

    describe('classifyIncrease', () => {
      it.each([
        ['a clear increase', [0.06, 0.05, 0.07, 0.06, 0.05, 0.06], [0.005, 0.006, 0.004, 0.005, 0.005, 0.006], 'High'],
        ['an increase over an all-zero baseline (effect size undefined)', [0.06, 0.05, 0.07, 0.06, 0.05, 0.06], [0, 0, 0, 0, 0, 0], 'Pass'],
        ['identical values', [1, 2, 3], [1, 2, 3], 'Pass'],
        ['no canary data', [], [1, 2, 3], 'Nodata'],
      ])('%s → %s', (_name, experiment, control, expected) => {
        expect(classifyIncrease(experiment, control)).toBe(expected);
      });
    });

    it("compares the post-traffic bake (no concurrent original) with the original's minutes before it", () => {
      const before = Array.from({ length: 10 }, (_, i) => ({
        start: T0 - (10 - i) * MINUTE,
        requests: 2000,
        errors: 10 + (i % 3),
        p95Ms: 200,
      }));
      const at100 = (errors: number): PeerInput => ({
        now: T0 + 6 * MINUTE,
        stage: { weight: 100, startedAt: T0, minBakeMs: 5 * MINUTE, holdLimitMs: 10 * MINUTE },
        canary: Array.from({ length: 6 }, (_, i) => ({ start: T0 + i * MINUTE, requests: 2000, errors: errors + (i % 3), p95Ms: 200 })),
        baseline: before,
      });
      expect(kayenta.decide(at100(120)).decision).toBe('rollback');
      expect(kayenta.decide(at100(10)).decision).toBe('promote');
    });

    it.each([
      ['a canary failing 6% for 6 minutes', Array.from({ length: 6 }, (_, i) => ({ errors: 5 + (i % 3) })), 'rollback'],
      ['a clean canary after the bake', clean(5), 'promote'],
      ['fewer than 3 minutes', [{ errors: 50 }, { errors: 50 }], 'hold'],
    ])('decides %s → %s', (_name, minutes, decision) => {
      expect(kayenta.decide(stage(minutes, { requests: 2000, errors: 10, p95Ms: 200 })).decision).toBe(decision);
    });
  });
});
