import {
  detectsBeforeFull,
  exposureUpTo,
  finalBakeToDetect,
  type PlanDetection,
  planDetection,
  planSteps,
} from '../../lambdas/core/forecast/detection';
import { latencyModel, mergeMinutes, p95RatioFor, trafficFromMinutes, type TrafficProfile } from '../../lambdas/core/forecast/traffic';
import { type JudgeInput, type MinuteBucket, rulesOutOf, thresholdsOf } from '../../lambdas/core/judge';
import { rolloutData } from '../../lambdas/core/judge/data';
import { detectionProbability } from '../../lambdas/core/judge/power';
import { normalCdf, normalQuantile } from '../../lambdas/core/normal';
import { compilePlan, DEFAULT_ROLLOUT_PLAN, type PlanStep } from '../../lambdas/core/rollout-plan';

const policy = { maxErrorRatePercent: 5, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5 };
const plan = compilePlan(DEFAULT_ROLLOUT_PLAN);
const offline = (rps: number, errorPercent = 0.5, p95Ms: number | null = 200): TrafficProfile => ({
  source: 'offline',
  requestsPerMinute: rps * 60,
  errorRate: errorPercent / 100,
  ...(p95Ms !== null ? { p95Ms } : {}),
});
const at = (rps: number, errorPercent = 0.5) => planDetection(plan, offline(rps, errorPercent), policy);
const withSteps = (steps: PlanStep[]) => compilePlan({ ...DEFAULT_ROLLOUT_PLAN, steps });
const MINUTE = 60_000;

describe('planDetection', () => {
  it.each([0.5, 2, 10, 50, 500])(
    'at %s rps: each stage catches a smaller increase than the one before (one evidence process from the first shift)',
    (rps) => {
      const d = at(rps);
      const increases = d.stages.map((s) => s.errorIncrease ?? Infinity);
      for (let i = 1; i < increases.length; i++) expect(increases[i]).toBeLessThan(increases[i - 1]);
      expect(d.stages.map((s) => s.rolloutCanaryRequests)).toEqual(
        [rps * 60 * 0.05 * 5, rps * 60 * (0.25 + 2.5), rps * 60 * (0.25 + 2.5 + 7.5)].map((n) => expect.closeTo(n, 6)),
      );
    },
  );

  it.each([0, 1, 2])('stage %i: more traffic catches a smaller increase and a smaller latency regression', (stage) => {
    const levels = [2, 10, 50, 500].map((rps) => at(rps).stages[stage]);
    for (let i = 1; i < levels.length; i++) {
      expect(levels[i].errorIncrease!).toBeLessThan(levels[i - 1].errorIncrease!);
      expect(levels[i].p95Ratio!).toBeLessThan(levels[i - 1].p95Ratio!);
      expect(levels[i].targetProbability).toBeGreaterThanOrEqual(levels[i - 1].targetProbability);
    }
  });

  it('a 2 rps service at 5% cannot catch +1 pp before 25%, a 500 rps one can', () => {
    expect(at(2).stages[0].canaryRequests).toBeCloseTo(30);
    expect(at(2).stages[0].errorIncrease!).toBeGreaterThan(0.01);
    expect(at(500).stages[0].errorIncrease!).toBeLessThan(0.01);
  });

  it('reports the figure the judge states on promotion ("rules out") for the same minutes', () => {
    // The expected counts of a 50 rps service at 0.5% errors, 60 minutes of history, then the 5% and 25% bakes.
    const rate = 3000;
    const start = 100 * 60 * MINUTE;
    const minute = (i: number, share: number): [MinuteBucket, MinuteBucket] => [
      { start: start + i * MINUTE, requests: rate * share, errors: rate * share * 0.005 },
      { start: start + i * MINUTE, requests: rate * (1 - share), errors: rate * (1 - share) * 0.005 },
    ];
    const history = Array.from({ length: 60 }, (_, i) => minute(i - 60, 0)[1]);
    const rollout = [...Array.from({ length: 5 }, (_, i) => minute(i, 0.05)), ...Array.from({ length: 10 }, (_, i) => minute(5 + i, 0.25))];
    const input: JudgeInput = {
      now: start + 16 * MINUTE,
      stage: { weight: 25, startedAt: start + 5 * MINUTE, rolloutStartedAt: start, minBakeMs: 10 * MINUTE, holdLimitMs: 10 * MINUTE },
      canary: rollout.map(([c]) => c),
      baseline: [...history, ...rollout.map(([, b]) => b)],
    };
    const judged = rulesOutOf(rolloutData(input), thresholdsOf(policy));
    const planned = planDetection(plan, { ...offline(50), requests: rate * 60 }, policy).stages[1];
    expect(judged.errorIncrease).toBeDefined();
    expect(planned.errorIncrease).toBeCloseTo(judged.errorIncrease!, 6);
  });

  it("the +5 pp detection minute is the first data-minute at which the judge's detection probability reaches 50%", () => {
    const minutes = [10, 50, 500].map((rps) => {
      const d = at(rps);
      const m = d.target.minutesToDetect!;
      const steps = planSteps(plan);
      const p = (n: number) =>
        detectionProbability(exposureUpTo(steps, rps * 60, n), d.baselineErrorRate + 0.05, {
          baselineRate: d.baselineErrorRate,
          dispersion: 1,
          alpha: thresholdsOf(policy).alphas.errors,
        });
      expect(p(m)).toBeGreaterThanOrEqual(0.5);
      expect(p(m - 1)).toBeLessThan(0.5);
      expect(d.stages[d.target.stageIndex!].toMinute).toBeGreaterThanOrEqual(m);
      return m;
    });
    expect(minutes[1]).toBeLessThan(minutes[0]);
    expect(minutes[2]).toBeLessThanOrEqual(minutes[1]);
    // A 0.5 rps service sees ~1.5 canary requests a minute at 5%: +5 pp is found only late, in the 50% stage, if at all.
    expect(at(0.5).target.minutesToDetect ?? Infinity).toBeGreaterThan(15);
    expect(at(0.05).target.minutesToDetect).toBeUndefined();
  });

  it('measured noise widens what can be caught', () => {
    const quiet = planDetection(plan, offline(10), policy).stages[1].errorIncrease!;
    const noisy = planDetection(plan, { ...offline(10), errorExtraVariance: 0.5 }, policy).stages[1].errorIncrease!;
    expect(noisy).toBeGreaterThan(quiet);
  });

  it('floors what is caught at the tolerance: the judge rolls back nothing smaller', () => {
    const final = at(500).stages[2];
    expect(final.errorIncrease!).toBeLessThan(0.01);
    expect(final.caughtErrorIncrease).toBe(0.01);
    const tolerant = planDetection(plan, offline(500), { ...policy, maxErrorIncreasePp: 2 }).stages[2];
    expect(tolerant.caughtErrorIncrease).toBe(0.02);
  });

  describe('minRequests before the final shift', () => {
    it.each<[number, PlanDetection['minRequests']['reached']]>([
      [10, 'bakes'],
      [0.4, 'hold'],
      [0.1, 'no'],
    ])('at %s rps: %s', (rps, reached) => {
      const d = at(rps);
      expect(d.minRequests.reached).toBe(reached);
      if (reached !== 'no') {
        const m = d.minRequests.reachedAtMinute!;
        // The canary requests served by that data-minute reach minRequests, one minute earlier they do not.
        const served = (n: number) =>
          exposureUpTo([...planSteps(plan).slice(0, -1), { weight: 50, bakeMinutes: 15 + 10 }], rps * 60, n).reduce(
            (s, e) => s + e.minutes * e.canaryRequests,
            0,
          );
        expect(served(m)).toBeGreaterThanOrEqual(300);
        expect(served(m - 1)).toBeLessThan(300);
      }
    });
  });

  describe('advice', () => {
    it('at 10 rps names the smallest first step that catches +5 pp before 25%, and that step does', () => {
      const d = at(10);
      const match = /^the 5% stage sees ~150 canary requests: a first step of (\d+)% would catch \+5 pp before 25%$/.exec(d.advice ?? '');
      expect(match).not.toBeNull();
      const weight = Number(match![1]);
      const firstStage = (w: number) =>
        planDetection(
          withSteps([
            { weight: w, bakeMinutes: 5 },
            { weight: 25, bakeMinutes: 10 },
            { weight: 50, bakeMinutes: 15 },
          ]),
          offline(10),
          policy,
        ).stages[0];
      expect(firstStage(weight).targetProbability).toBeGreaterThanOrEqual(0.9);
      expect(firstStage(weight - 1).targetProbability).toBeLessThan(0.9);
    });

    it('at 2 rps, with no first step below 25% enough, names a longer first bake that is', () => {
      const d = at(2);
      const match = /^the 5% stage sees ~30 canary requests: a 5% stage of (\d+) min would catch \+5 pp before 25%$/.exec(d.advice ?? '');
      expect(match).not.toBeNull();
      const bake = Number(match![1]);
      const firstStage = (b: number) =>
        planDetection(
          withSteps([
            { weight: 5, bakeMinutes: b },
            { weight: 25, bakeMinutes: 10 },
            { weight: 50, bakeMinutes: 15 },
          ]),
          offline(2),
          policy,
        ).stages[0];
      expect(firstStage(bake).targetProbability).toBeGreaterThanOrEqual(0.9);
      expect(firstStage(bake - 1).targetProbability).toBeLessThan(0.9);
    });

    it('when a stage cannot fill its data-minute bake, names the weight that gets one request a minute, before anything else', () => {
      // 6 requests a minute: 0.3 at 5%; (5 + 10) × (1 − e^−0.3) ≈ 3.9 data-minutes expected, short of 5.
      expect(at(0.1).advice).toBe(
        'the 5% stage gets ~0.3 canary requests a minute, too few to fill its 5 data-minutes within the 10-minute hold limit: it needs steps of at least 17% (one canary request a minute); longer bakes and a lower minRequests do not help',
      );
      // At that first step the stage fills its bake: the advice moves on to minRequests.
      const fixed = planDetection(
        withSteps([
          { weight: 17, bakeMinutes: 5 },
          { weight: 25, bakeMinutes: 10 },
          { weight: 50, bakeMinutes: 15 },
        ]),
        offline(0.1),
        policy,
      );
      expect(fixed.advice).toMatch(/^the rollout serves ~\d+ canary requests before the final shift, short of minRequests 300/);
    });

    it('when minRequests cannot be reached, says so first with the figures', () => {
      const quietStart = withSteps([
        { weight: 17, bakeMinutes: 5 },
        { weight: 25, bakeMinutes: 10 },
        { weight: 50, bakeMinutes: 15 },
      ]);
      expect(planDetection(quietStart, offline(0.1), policy).advice).toBe(
        'the rollout serves ~65 canary requests before the final shift, short of minRequests 300: no 50% bake within the hook window reaches it; lower minRequests to 65 or give the rollout more traffic',
      );
      const d = at(0.2);
      const bake = Number(/a 50% bake of (\d+) min would reach it$/.exec(d.advice ?? '')![1]);
      const reached = (b: number) =>
        planDetection(
          withSteps([
            { weight: 5, bakeMinutes: 5 },
            { weight: 25, bakeMinutes: 10 },
            { weight: 50, bakeMinutes: b },
          ]),
          offline(0.2),
          policy,
        ).minRequests.reached;
      expect(reached(bake)).not.toBe('no');
      expect(reached(bake - 1)).toBe('no');
    });

    it('says nothing when the plan fits the traffic', () => {
      expect(at(50).advice).toBeUndefined();
      expect(at(500).advice).toBeUndefined();
    });
  });

  it('with no traffic: nothing caught, no division by zero, and the advice says why', () => {
    const d = planDetection(
      plan,
      { source: 'cloudwatch', requestsPerMinute: 0, errorRate: 0, minutes: 58, requests: 0, errors: 0 },
      policy,
    );
    expect(JSON.stringify(d)).not.toMatch(/NaN|Infinity|null/);
    expect(d.stages.every((s) => s.errorIncrease === undefined && s.targetProbability === 0 && s.canaryRequests === 0)).toBe(true);
    expect(d.minRequests).toEqual({ required: 300, byFinalShift: 0, reached: 'no' });
    expect(d.advice).toMatch(/no traffic, so every rollout fails "insufficient evidence"$/);
  });

  it('a service without errors is planned from half an error in the hour, as the judge does', () => {
    const d = planDetection(plan, offline(10, 0), policy);
    expect(d.baselineErrorRate).toBeCloseTo(0.5 / 36_000, 12);
    expect(d.stages[0].errorIncrease).toBeGreaterThan(0);
  });

  describe('detectsBeforeFull (--require-detect)', () => {
    it.each<[number, number, boolean]>([
      [2, 0.01, false],
      [2, 0.05, true],
      [500, 0.01, true],
      [500, 0.005, false], // below the 1 pp tolerance the judge never rolls back
    ])('at %s rps, %s: %s', (rps, increase, expected) => {
      expect(detectsBeforeFull(at(rps), increase)).toBe(expected);
    });

    it('finalBakeToDetect gives the shortest last bake that catches the increase', () => {
      expect(finalBakeToDetect(plan, offline(10), policy, 0.012)).toBe(15);
      const bake = finalBakeToDetect(plan, offline(2), policy, 0.02)!;
      expect(bake).toBeGreaterThan(15);
      const detects = (b: number) =>
        detectsBeforeFull(
          planDetection(
            withSteps([
              { weight: 5, bakeMinutes: 5 },
              { weight: 25, bakeMinutes: 10 },
              { weight: 50, bakeMinutes: b },
            ]),
            offline(2),
            policy,
          ),
          0.02,
        );
      expect(detects(bake)).toBe(true);
      expect(detects(bake - 1)).toBe(false);
      expect(finalBakeToDetect(plan, offline(0.5), policy, 0.01)).toBeUndefined();
    });
  });
});

describe('latency model', () => {
  it("a share of 5% above E is a p95 of exactly ratio × the original's; more is slower", () => {
    expect(p95RatioFor(0.05, 1.5, 0.6)).toBeCloseTo(1.5, 6);
    expect(p95RatioFor(0.1, 1.5, 0.6)).toBeGreaterThan(p95RatioFor(0.07, 1.5, 0.6));
    expect(p95RatioFor(0.1, 1.5, 0.9)).toBeGreaterThan(p95RatioFor(0.1, 1.5, 0.6));
  });

  it('assumes σ 0.6 without a measured share and fits σ to one', () => {
    const assumed = latencyModel(200, 1.5);
    expect(assumed).toMatchObject({ slowThresholdMs: 300, spread: 0.6, fitted: false });
    expect(assumed.baselineSlowShare).toBeCloseTo(1 - normalCdf(1.6448536 + Math.log(1.5) / 0.6), 9);
    const fitted = latencyModel(200, 1.5, assumed.baselineSlowShare, 300);
    expect(fitted.fitted).toBe(true);
    expect(fitted.spread).toBeCloseTo(0.6, 4);
    expect(latencyModel(200, 1.5, 0.002).spread).toBeLessThan(0.6);
  });

  it('normalQuantile inverts normalCdf', () => {
    for (const p of [1e-6, 0.01, 0.05, 0.5, 0.9, 0.99]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  it('without a p95 the plan has no latency figures', () => {
    const d = planDetection(plan, offline(10, 0.5, null), policy);
    expect(d.latency).toBeUndefined();
    expect(d.stages.every((s) => s.p95Ratio === undefined)).toBe(true);
  });
});

describe('traffic from CloudWatch minutes', () => {
  it("adds up both target groups minute by minute and keeps the busier group's p95", () => {
    const merged = mergeMinutes([
      [{ start: 0, requests: 90, errors: 1, p95Ms: 200, slowRequests: 2 }],
      [
        { start: 0, requests: 10, errors: 1, p95Ms: 900, slowRequests: 3 },
        { start: MINUTE, requests: 5, errors: 0 },
      ],
    ]);
    expect(merged).toEqual([
      { start: 0, requests: 100, errors: 2, p95Ms: 200, slowRequests: 5 },
      { start: MINUTE, requests: 5, errors: 0 },
    ]);
  });

  it('spreads the requests over the whole span: a minute without a point had none', () => {
    const minutes = Array.from({ length: 29 }, (_, i) => ({ start: i * 2 * MINUTE, requests: 120, errors: 1, slowRequests: 2 }));
    const t = trafficFromMinutes(minutes, 58, 180);
    expect(t.requestsPerMinute).toBeCloseTo(60, 9);
    expect(t.errorRate).toBeCloseTo(1 / 120, 9);
    expect(t.slowShare).toBeCloseTo(2 / 120, 9);
    expect(t.p95Ms).toBe(180);
  });

  it('with no minutes: zero traffic and no rates', () => {
    expect(trafficFromMinutes([], 58, undefined)).toEqual({
      source: 'cloudwatch',
      minutes: 58,
      requests: 0,
      errors: 0,
      requestsPerMinute: 0,
      errorRate: 0,
    });
  });
});
