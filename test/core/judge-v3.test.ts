/**
 * The judge's version-3 rules, each on a deterministic whole-rollout input: a bar the original
 * breaks too, persistence at 100%, the latency warm-up, the hold limit in time with data, and
 * detection that scales with a minute's information. Statistics: judge-stats.test.ts.
 */
import { barWarnings } from '../../lambdas/core/forecast/detection';
import { judge, type JudgeInput } from '../../lambdas/core/judge';
import { MINUTE, planStage, planWeight, POLICY, reason, rolloutInput, T0 } from './judge-fixtures';

const DEFAULTS = { ...POLICY, maxErrorRatePercent: 1 };

describe('judge (v3)', () => {
  describe('an absolute bar rolls back only what the original does not do too', () => {
    // A service whose own 5xx rate (2%) is above the default 1% bar, identical versions, at 100%.
    const aboveTheBar = { total: 3000, baselineRate: 0.02, weightAt: planWeight };
    it('passes the bar at every stage, 100% included, saying why', () => {
      for (const minute of [10, 25, 44]) {
        const verdict = judge(rolloutInput({ ...aboveTheBar, minutes: minute + 1, stage: planStage(minute) }), DEFAULTS);
        expect(reason(verdict, 'error-rate-bar')?.status).toBe('pass');
        expect(reason(verdict, 'error-rate-bar')?.detail).toMatch(/the original itself fails 2\.0% of requests, at or above the 1\.0% bar/);
      }
      expect(judge(rolloutInput({ ...aboveTheBar, minutes: 45, stage: planStage(44) }), DEFAULTS).decision).toBe('promote');
    });

    it('still rolls back a canary above the bar when the original is below it', () => {
      const verdict = judge(
        rolloutInput({
          total: 3000,
          baselineRate: 0.002,
          weightAt: planWeight,
          canaryRate: (i) => (i >= 30 ? 0.03 : 0.002),
          minutes: 45,
          stage: planStage(44),
        }),
        DEFAULTS,
      );
      expect(verdict.decision).toBe('rollback');
      expect(reason(verdict, 'error-rate-bar')?.status).toBe('fail');
    });

    it('warns in canary plan when the measured history breaks a bar, and not offline', () => {
      const measured = { requestsPerMinute: 600, errorRate: 0.02, p95Ms: 1200, source: 'cloudwatch' as const, minutes: 60 };
      const warnings = barWarnings(measured, DEFAULTS);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/own 5xx rate over the last hour is 2%, at or above maxErrorRatePercent 1%/);
      expect(warnings[1]).toMatch(/own p95 over the last hour is 1200 ms, at or above maxP95Ms 1000/);
      expect(barWarnings({ ...measured, source: 'offline' }, DEFAULTS)).toEqual([]);
      expect(barWarnings({ ...measured, errorRate: 0.005, p95Ms: 300 }, DEFAULTS)).toEqual([]);
    });
  });

  describe('at 100%, persistence rather than accumulation', () => {
    const clean = { total: 3000, baselineRate: 0.005, weightAt: planWeight };
    it('rolls back an excess from the shift on at once, and a lasting one that began later', () => {
      const fromShift = judge(
        rolloutInput({ ...clean, canaryRate: (i) => (i >= 30 ? 0.05 : 0.005), minutes: 33, stage: planStage(32) }),
        POLICY,
      );
      expect(fromShift.decision).toBe('rollback');
      const lasting = judge(
        rolloutInput({ ...clean, canaryRate: (i) => (i >= 34 ? 0.05 : 0.005), minutes: 44, stage: planStage(43) }),
        POLICY,
      );
      expect(lasting.decision).toBe('rollback');
    });

    it('holds while an episode that began after the shift goes on, and passes once it ended', () => {
      const rate = (i: number) => (i >= 34 && i <= 36 ? 0.1 : 0.005);
      expect(judge(rolloutInput({ ...clean, canaryRate: rate, minutes: 36, stage: planStage(35) }), POLICY).decision).toBe('hold');
      const after = judge(rolloutInput({ ...clean, canaryRate: rate, minutes: 45, stage: planStage(44) }), POLICY);
      expect(after.decision).toBe('promote');
    });
  });

  describe("at 100%, the original's usual rate as the reference (its shocks paid for, not averaged in)", () => {
    // A 2% service at 6 canary requests a minute (120 a minute in all) whose history has two ×20 shocks.
    const quiet = { total: 120, baselineRate: 0.02, weightAt: planWeight, minutes: 45, stage: planStage(44) };
    const withShocks = (input: JudgeInput, canaryShocks: readonly number[] = []): JudgeInput => ({
      ...input,
      baseline: input.baseline.map((b) => ([T0 - 50 * MINUTE, T0 - 20 * MINUTE].includes(b.start) ? { ...b, errors: 48 } : b)),
      canary: input.canary.map((b) => (canaryShocks.includes(b.start) ? { ...b, errors: 48 } : b)),
    });
    it('rolls back a release failing 3× the usual rate from the shift, which the shocks in the reference used to hide', () => {
      const verdict = judge(withShocks(rolloutInput({ ...quiet, canaryRate: (i) => (i >= 30 ? 0.06 : 0.02) })), DEFAULTS);
      expect(verdict.decision).toBe('rollback');
      expect(reason(verdict, 'post-errors')?.status).toBe('fail');
      expect(reason(verdict, 'post-errors')?.observed).toMatch(/vs the original's usual 1\.7%/);
    });

    it('does not roll back a 5-minute incident both versions share in the bake, once it ended', () => {
      const incident = [35, 36, 37, 38, 39].map((i) => T0 + i * MINUTE);
      const verdict = judge(withShocks(rolloutInput(quiet), incident), DEFAULTS);
      expect(reason(verdict, 'post-errors')?.status).toBe('pass');
      expect(reason(verdict, 'post-errors')?.detail).toMatch(/reported, not rolled back/);
      expect(verdict.decision).toBe('promote');
    });
  });

  describe('warm-up', () => {
    const clean = { total: 30_000, baselineRate: 0.005, weightAt: planWeight };
    it("forgives the canary's slower first three minutes (p75 within E), not a canary slow throughout", () => {
      const coldStart = (i: number) => (i === 0 ? 0.3 : i === 1 ? 0.12 : i === 2 ? 0.06 : 0.01);
      const cold = judge(
        rolloutInput({ ...clean, canarySlowShare: coldStart, canaryP95: (i) => (i < 3 ? 1500 : 200), minutes: 5, stage: planStage(4) }),
        POLICY,
      );
      expect(reason(cold, 'latency')?.status).toBe('pass');
      expect(reason(cold, 'p95-bar')?.status).toBe('pass');
      const slow = judge(rolloutInput({ ...clean, canarySlowShare: (i) => (i < 3 ? 0.3 : 0.12), minutes: 5, stage: planStage(4) }), POLICY);
      expect(slow.decision).toBe('rollback');
      expect(reason(slow, 'latency')?.status).toBe('fail');
    });
  });

  describe('time limits count time with data', () => {
    it('does not count minutes without any traffic against the hold limit (the engine bounds it by the hook deadline)', () => {
      // 30 canary requests a minute at 5%; two minutes of data, then nothing at all.
      const input = rolloutInput({ total: 600, baselineRate: 0.005, weightAt: () => 5, minutes: 2, stage: planStage(0) });
      const verdict = judge({ ...input, now: T0 + 16 * MINUTE }, POLICY);
      expect(verdict.decision).toBe('hold');
      expect(verdict.quietMs).toBe(11 * MINUTE);
      const later = judge({ ...input, now: T0 + 40 * MINUTE }, POLICY);
      expect(later.decision).toBe('hold');
      expect(later.quietMs).toBe(35 * MINUTE);
    });

    it('does not ask for a weight the step already has when its data stopped while the service had traffic', () => {
      const input = rolloutInput({ total: 600, baselineRate: 0.005, weightAt: () => 5, minutes: 16, stage: planStage(0) });
      const missing = { ...input, canary: input.canary.filter((b) => b.start < T0 + 2 * MINUTE) };
      const expired = judge(missing, POLICY);
      expect(expired.decision).toBe('rollback');
      expect(expired.summary).toMatch(
        /Hint: at 5% the canary gets about 30 requests a minute while the service has traffic, enough for this step/,
      );
      expect(expired.summary).not.toMatch(/needs a weight of at least/);
    });
  });

  describe('detection scales with information', () => {
    it("decides +5 pp at 1,500 canary requests a minute in two data-minutes; one client's burst alone never decides", () => {
      const busy = { total: 30_000, baselineRate: 0.005, weightAt: () => 5 };
      const two = judge(rolloutInput({ ...busy, canaryRate: () => 0.055, minutes: 2, stage: planStage(1) }), POLICY);
      expect(two.decision).toBe('rollback');
      expect(reason(two, 'errors')?.status).toBe('fail');
      // 10 extra errors in one canary minute of 1,500 requests (+0.67 pp in that minute), then clean minutes.
      const burst = rolloutInput({ ...busy, minutes: 5, stage: planStage(4) });
      burst.canary[1].errors += 10;
      expect(reason(judge(burst, POLICY), 'errors')?.status).toBe('pass');
    });

    it('says why evidence past the bar on one minute does not roll back, never "within the tolerance" above it', () => {
      // A clean minute of the first shift, then one minute at +5 pp: the evidence is past the bar
      // and the effect beyond the tolerance, but it rests on one minute.
      const one = judge(
        rolloutInput({
          total: 30_000,
          baselineRate: 0.005,
          weightAt: () => 5,
          canaryRate: (i) => (i === 1 ? 0.055 : 0.005),
          minutes: 2,
          stage: planStage(1),
        }),
        POLICY,
      );
      const errors = reason(one, 'errors');
      expect(errors?.status).toBe('pass');
      expect(errors?.detail).not.toMatch(/within the/);
      expect(errors?.detail).toMatch(/beyond|rests on one minute/);
      expect(errors?.detail).toMatch(/a rollback needs it to span two minutes/);
    });
  });
});
