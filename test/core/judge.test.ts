import { judge, type JudgeInput, JudgeInputError } from '../../lambdas/core/judge';
import { MINUTE, planStage, planWeight, POLICY, reason, rolloutInput, type RolloutSpec, T0 } from './judge-fixtures';

/** Judges at the end of each rollout minute from `from` to `to` (the plan's stages by minute); the first rollback, with its minute. */
function firstDecision(spec: Omit<RolloutSpec, 'minutes' | 'stage'>, from: number, to: number, policy = POLICY) {
  for (let m = from; m <= to; m++) {
    const verdict = judge(rolloutInput({ ...spec, minutes: m, stage: planStage(m - 1) }), policy);
    if (verdict.decision === 'rollback') return { minute: m, verdict };
  }
  return { minute: to, verdict: judge(rolloutInput({ ...spec, minutes: to, stage: planStage(to - 1) }), policy) };
}

const clean = { total: 3000, baselineRate: 0.005, weightAt: planWeight };

describe('judge (v2)', () => {
  describe('errors: one test over the whole rollout', () => {
    it.each([
      ['+5 pp from the start, 150 canary req/min', { canaryRate: () => 0.055 }, 0, 5],
      ['intermittent: +10 pp in every other minute at 25%', { canaryRate: (i: number) => (i >= 5 && i % 2 === 0 ? 0.105 : 0.005) }, 1, 15],
      ['a regression only at ≥ 25%, caught in the 25% stage', { canaryRate: (i: number) => (i >= 5 ? 0.055 : 0.005) }, 1, 15],
    ])('rolls back %s', (_name, change, earliestStage, byMinute) => {
      const { minute, verdict } = firstDecision({ ...clean, ...change }, 1, byMinute);
      expect(verdict.decision).toBe('rollback');
      expect(reason(verdict, 'errors')?.status).toBe('fail');
      expect(planStage(minute - 1).weight).toBeGreaterThanOrEqual([5, 25][earliestStage]);
    });

    it('promotes a clean 5% stage after its bake and says what it rules out', () => {
      const verdict = judge(rolloutInput({ ...clean, minutes: 5, stage: planStage(4) }), POLICY);
      expect(verdict.decision).toBe('promote');
      expect(verdict.rulesOut?.errorIncrease).toBeGreaterThan(0);
      expect(verdict.summary).toMatch(
        /rules out ≥ \+\d+(\.\d+)? pp errors and ≥ \d+(\.\d+)?% of requests slower than 322 ms with 90% probability/,
      );
    });

    it('does not let good minutes erase evidence: 6% / 0.5% alternating at 25% rolls back like a steady 3.3%', () => {
      const spec = { ...clean, weightAt: () => 25, minutes: 10, stage: { weight: 25, fromMinute: 0, bakeMinutes: 10 } };
      const alternating = judge(rolloutInput({ ...spec, canaryRate: (i) => (i % 2 ? 0.005 : 0.06) }), POLICY);
      const steady = judge(rolloutInput({ ...spec, canaryRate: () => 0.033 }), POLICY);
      expect(steady.decision).toBe('rollback');
      expect(alternating.decision).toBe('rollback');
    });

    it.each([
      ['+1.5 pp', 0.02, 'promote'],
      ['+3 pp', 0.035, 'rollback'],
    ])('honours a 2 pp tolerance: %s at 50% with 30,000 requests a minute → %s', (_name, rate, decision) => {
      const verdict = judge(
        rolloutInput({
          total: 30_000,
          baselineRate: 0.005,
          weightAt: () => 50,
          canaryRate: () => rate,
          minutes: 15,
          stage: { weight: 50, fromMinute: 0, bakeMinutes: 15 },
        }),
        { ...POLICY, maxErrorIncreasePp: 2 },
      );
      expect(verdict.decision).toBe(decision);
    });

    it("does not roll back on one client's burst of 10 errors in one minute", () => {
      const verdict = judge(
        rolloutInput({
          total: 600,
          baselineRate: 0.005,
          weightAt: () => 5,
          canaryRate: (i) => (i === 2 ? 10 / 30 : 0.005),
          minutes: 5,
          stage: planStage(4),
        }),
        POLICY,
      );
      expect(verdict.decision).not.toBe('rollback');
    });
  });

  describe("latency: at most 5% of canary requests slower than E = ratio × the original's p95", () => {
    it('rolls back a p95 ×2 below the absolute bar (12% of requests slower than E, p95 430 ms < 1000 ms)', () => {
      const { verdict } = firstDecision({ ...clean, total: 600, canarySlowShare: () => 0.12, canaryP95: () => 430 }, 1, 30);
      expect(verdict.decision).toBe('rollback');
      expect(reason(verdict, 'latency')?.status).toBe('fail');
      expect(reason(verdict, 'p95-bar')?.status).toBe('pass');
    });

    it('does not roll back a slowdown both versions share (20% of each slower than E)', () => {
      const verdict = judge(
        rolloutInput({ ...clean, canarySlowShare: () => 0.2, baselineSlowShare: () => 0.2, minutes: 15, stage: planStage(14) }),
        POLICY,
      );
      expect(verdict.decision).toBe('promote');
      expect(reason(verdict, 'latency')?.status).toBe('pass');
    });

    it('is not run without E (no latency history)', () => {
      const input = rolloutInput({ ...clean, minutes: 5, stage: planStage(4) });
      delete input.slowThresholdMs;
      expect(reason(judge(input, POLICY), 'latency')).toBeUndefined();
    });
  });

  describe('post-traffic bake at 100% (no concurrent control)', () => {
    const bake = (canaryRate: number) =>
      judge(rolloutInput({ ...clean, canaryRate: (i) => (i >= 30 ? canaryRate : 0.005), minutes: 45, stage: planStage(44) }), POLICY);
    it("rolls back +5 pp against the original's rate before", () => {
      const verdict = bake(0.055);
      expect(verdict.decision).toBe('rollback');
      expect(reason(verdict, 'post-errors')?.status).toBe('fail');
    });
    it('promotes a clean bake', () => expect(bake(0.005).decision).toBe('promote'));

    it('does not call shared ×20 shocks at 100% a catastrophe when the original had one during the stages', () => {
      // Shocks at 40% errors: one at minute 20 (both groups), and from the shift on in the post-traffic bake.
      const shocked = (i: number) => (i === 20 || i === 30 || i === 31 ? 0.4 : 0.005);
      const input = (originalShock: boolean) => {
        const built = rolloutInput({ ...clean, canaryRate: shocked, minutes: 32, stage: planStage(31) });
        const minute20 = built.baseline.find((b) => b.start === T0 + 20 * MINUTE)!;
        if (originalShock) minute20.errors = Math.round(minute20.requests * 0.4);
        return built;
      };
      expect(reason(judge(input(true), POLICY), 'catastrophe')?.status).toBe('pass');
      // The control: without the original's shock in the stages, failures from the shift on are the canary's own.
      expect(reason(judge(input(false), POLICY), 'catastrophe')?.status).toBe('fail');
    });

    it('reports, and does not roll back, a transient episode at 100% that did not start at the shift (a downstream incident)', () => {
      // Both versions would fail 40% of requests in minutes 33–35; at 100% only the canary serves.
      const incident = (i: number) => (i >= 33 && i <= 35 ? 0.4 : 0.005);
      const during = judge(rolloutInput({ ...clean, canaryRate: incident, minutes: 36, stage: planStage(35) }), POLICY);
      expect(during.decision).toBe('hold');
      const after = judge(rolloutInput({ ...clean, canaryRate: incident, minutes: 45, stage: planStage(44) }), POLICY);
      expect(after.decision).toBe('promote');
      expect(reason(after, 'post-errors')?.detail).toMatch(/reported, not rolled back/);
      // The same excess lasting to the newest minute is the version's own.
      const lasting = judge(
        rolloutInput({ ...clean, canaryRate: (i) => (i >= 33 ? 0.4 : 0.005), minutes: 45, stage: planStage(44) }),
        POLICY,
      );
      expect(lasting.decision).toBe('rollback');
    });
  });

  describe('promotion', () => {
    it('counts the bake in complete data-minutes, not wall time', () => {
      const input = rolloutInput({ ...clean, minutes: 8, stage: { weight: 25, fromMinute: 5, bakeMinutes: 10 } });
      const verdict = judge({ ...input, now: T0 + 16 * MINUTE }, POLICY);
      expect(verdict.decision).toBe('hold');
      expect(reason(verdict, 'bake')?.detail).toBe('baking: 7 data-minute(s) left.');
    });

    it('holds a final stage short of minRequests, then fails "insufficient evidence" with a hint at the hold limit', () => {
      const quiet = { total: 6, baselineRate: 0.005, weightAt: planWeight };
      const before = judge(rolloutInput({ ...quiet, minutes: 30, stage: planStage(29) }), POLICY);
      expect(before.decision).toBe('hold');
      expect(reason(before, 'min-requests')?.status).toBe('hold');
      // Traffic goes on at 50% until the hold limit (minutes without any traffic would not count).
      const input = rolloutInput({ ...quiet, weightAt: (i) => planWeight(Math.min(i, 29)), minutes: 40, stage: planStage(29) });
      const after = judge({ ...input, now: input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs }, POLICY);
      expect(after.decision).toBe('rollback');
      expect(after.summary).toMatch(/insufficient evidence: .* the rollout has served \d+ canary requests/);
      // Short of minRequests only: more time at this weight, or a lower bar, would get there.
      expect(after.summary).toMatch(
        /Hint: the canary gets about \d+(\.\d+)? requests a minute at 50%, short of minRequests 300 by the hold limit: give this step a longer bake or lower minRequests\.$/,
      );
    });

    it('names the weight a stage starved of requests needs, since a longer bake or a lower minRequests would not help', () => {
      // 6 requests a minute in all: 0.3 a minute at 5%, and every bake minute needs one.
      const starved = { total: 6, baselineRate: 0.005, weightAt: () => 5 };
      const input = rolloutInput({ ...starved, minutes: 15, stage: planStage(4) });
      const after = judge({ ...input, now: input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs }, POLICY);
      expect(after.decision).toBe('rollback');
      expect(reason(after, 'hold-limit')?.detail).toMatch(
        /^insufficient evidence: .* the rollout has served \d+ canary requests; .*fewer than one per bake minute\. Hint: at 5% the canary gets about 0\.\d+ requests a minute and every bake minute needs one, so it needs a weight of at least (\d+)% for this step; longer bakes and a lower minRequests do not help\.$/,
      );
      const needed = Number(/at least (\d+)%/.exec(after.summary)![1]);
      // One canary request a minute takes about 1/6 of 6 a minute (≈ 17%, as estimated from the original's minutes).
      expect(needed).toBeGreaterThanOrEqual(15);
      expect(needed).toBeLessThanOrEqual(20);
    });

    it('needs at least one canary request per bake minute', () => {
      const verdict = judge(rolloutInput({ total: 8, baselineRate: 0, weightAt: () => 5, minutes: 5, stage: planStage(4) }), POLICY);
      expect(reason(verdict, 'traffic')?.status).toBe('hold');
      expect(reason(verdict, 'traffic')?.detail).toMatch(/^the stage has served \d+ canary requests, fewer than one per bake minute\.$/);
    });
  });

  describe('scale', () => {
    it.each([
      ['promotes a clean canary', 0.005, 'promote'],
      ['rolls back +1.5 pp', 0.02, 'rollback'],
    ])('handles 10^7 requests a minute: %s', (_name, rate, decision) => {
      const verdict = judge(
        rolloutInput({
          total: 1e7,
          baselineRate: 0.005,
          weightAt: () => 50,
          canaryRate: () => rate,
          minutes: 15,
          stage: { weight: 50, fromMinute: 0, bakeMinutes: 15 },
        }),
        POLICY,
      );
      expect(verdict.decision).toBe(decision);
    });
  });

  describe('input', () => {
    const base = () => rolloutInput({ ...clean, minutes: 3, stage: planStage(2) });
    it.each([
      [
        'canary[1].requests',
        (i: JudgeInput) => {
          i.canary[1].requests = -1;
        },
        /canary\[1\]\.requests is -1; accepted: a count ≥ 0/,
      ],
      [
        'baseline[0].errors',
        (i: JudgeInput) => {
          i.baseline[0].errors = Number.NaN;
        },
        /baseline\[0\]\.errors is null/,
      ],
      [
        'stage.weight',
        (i: JudgeInput) => {
          i.stage.weight = 150;
        },
        /stage\.weight is 150; accepted: a percentage from 0 to 100/,
      ],
      [
        'stage.rolloutStartedAt',
        (i: JudgeInput) => {
          i.stage.rolloutStartedAt = i.stage.startedAt + 1;
        },
        /stage\.rolloutStartedAt is \d+; accepted: epoch milliseconds, at or before stage\.startedAt/,
      ],
      [
        'slowThresholdMs',
        (i: JudgeInput) => {
          i.slowThresholdMs = 0;
        },
        /slowThresholdMs is 0; accepted: milliseconds above 0/,
      ],
    ])('rejects a bad %s, naming it', (_field, spoil, message) => {
      const input = base();
      spoil(input);
      expect(() => judge(input, POLICY)).toThrow(JudgeInputError);
      expect(() => judge(input, POLICY)).toThrow(message);
    });

    it('holds with no buckets at all, saying no minute is published yet rather than that the stage has no traffic', () => {
      const verdict = judge(
        {
          now: T0 + 2 * MINUTE,
          stage: { weight: 5, startedAt: T0, minBakeMs: 5 * MINUTE, holdLimitMs: 10 * MINUTE },
          canary: [],
          baseline: [],
        },
        POLICY,
      );
      expect(verdict.decision).toBe('hold');
      expect(reason(verdict, 'traffic')?.detail).toBe('no data-minute at 5% published yet (CloudWatch is 1–3 minutes late).');
      expect(verdict.summary).not.toMatch(/fewer than one per bake minute/);
    });

    it('is deterministic', () => {
      const input = base();
      expect(judge(input, POLICY)).toEqual(judge(structuredClone(input), POLICY));
    });
  });
});
