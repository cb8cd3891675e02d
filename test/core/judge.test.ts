import { judge, JudgeInputError } from '../../lambdas/core/judge';
import { MINUTE, minutes, POLICY, stageInput, T0 } from './judge-fixtures';

const check = (verdict: ReturnType<typeof judge>, name: string) => {
  const reason = verdict.reasons.find((r) => r.check === name);
  if (!reason) throw new Error(`no reason ${name} in ${JSON.stringify(verdict.reasons.map((r) => r.check))}`);
  return reason;
};

/** Baseline at 95% of 50 rps (2850/min) with the given errors per minute. */
const baselineMinutes = (count: number, errors: number | ((i: number) => number) = 14) =>
  minutes(count, (i) => ({ requests: 2850, errors: typeof errors === 'function' ? errors(i) : errors }));

describe('judge', () => {
  describe('errors (sequential test)', () => {
    it.each([
      ['a +5 pp canary against a 0.5% baseline for 3 minutes', 'fail', 3, 8, 14],
      ['a zero-error baseline and a canary failing 3% for 3 minutes', 'fail', 3, 5, 0],
      ['identical 0.5% error rates for 10 minutes', 'pass', 10, 1, 14],
      ['zero errors on both sides', 'pass', 10, 0, 0],
      ['a +5 pp canary seen for only one minute (no single minute decides)', 'pass', 1, 8, 14],
    ])('%s → %s', (_name, status, count, canaryErrors, baselineErrors) => {
      const verdict = judge(stageInput(minutes(count, { requests: 150, errors: canaryErrors }), baselineMinutes(count, baselineErrors)), POLICY);
      expect(check(verdict, 'errors').status).toBe(status);
      expect(verdict.decision === 'rollback').toBe(status === 'fail');
    });

    it('does not roll back on a single burst minute of 9 errors among clean minutes', () => {
      const canary = minutes(8, (i) => ({ requests: 150, errors: i === 3 ? 9 : 1 }));
      const verdict = judge(stageInput(canary, baselineMinutes(8)), POLICY);
      expect(check(verdict, 'errors').status).toBe('pass');
      expect(check(verdict, 'catastrophe').status).toBe('pass');
      expect(verdict.decision).not.toBe('rollback');
    });

    it('does not roll back on a shock that multiplies both groups\' errors by 20', () => {
      const canary = minutes(8, (i) => ({ requests: 150, errors: i === 4 ? 15 : 1 }));
      const baseline = baselineMinutes(8, (i) => (i === 4 ? 285 : 14));
      const verdict = judge(stageInput(canary, baseline), POLICY);
      expect(check(verdict, 'errors').status).toBe('pass');
    });

    it('leaves a minute of a baseline error spike out of the rates it compares', () => {
      const history = minutes(10, { requests: 2850, errors: 14 }).map((b) => ({ ...b, start: b.start - 10 * MINUTE }));
      const canary = minutes(6, (i) => ({ requests: 150, errors: i === 2 ? 30 : 1 }));
      const baseline = baselineMinutes(6, (i) => (i === 2 ? 285 : 14));
      const verdict = judge(stageInput(canary, [...history, ...baseline]), POLICY);
      expect(check(verdict, 'errors').observed).toMatch(/canary 5xx 0\.67% \(5\/750\) vs baseline 0\.49% \(70\/14250\).*leave out 1 minute\(s\) of a service-wide error spike/);
      expect(check(verdict, 'error-rate-bar').status).toBe('pass');
      expect(check(verdict, 'catastrophe').status).toBe('pass');
    });

    it('needs at least 3 canary errors and a 1 pp increase even with strong evidence', () => {
      const canary = minutes(10, (i) => ({ requests: 20_000, errors: i < 2 ? 1 : 0 }));
      const baseline = minutes(10, { requests: 380_000, errors: 0 });
      const verdict = judge(stageInput(canary, baseline), POLICY);
      expect(check(verdict, 'errors').status).toBe('pass');
    });

    it('explains a rollback in counts, rates and evidence', () => {
      const verdict = judge(stageInput(minutes(4, { requests: 150, errors: 8 }), baselineMinutes(4)), POLICY);
      expect(verdict.summary).toMatch(/^rollback: canary 5xx 5\.3% \(32\/600\) vs baseline 0\.49% \(56\/11400\): evidence \S+ ≥ 303/);
      expect(check(verdict, 'errors').bar).toBe('evidence ≥ 303, ≥ 3 canary errors, ≥ +1.0 pp');
    });
  });

  describe('catastrophe', () => {
    it.each([
      ['12 of 40 requests fail in one minute', 'fail', 40, 12],
      ['10 of 50 (exactly 20%) fail in one minute', 'fail', 50, 10],
      ['9 of 20 fail (fewer than 10 errors)', 'pass', 20, 9],
      ['15 of 100 fail (below 20%)', 'pass', 100, 15],
      ['12 of 40 fail while the baseline fails 25% too (a shared shock)', 'pass', 40, 12, 712],
    ])('%s → %s', (_name, status, requests, errors, baselineErrorsThatMinute = 14) => {
      const canary = minutes(2, (i) => ({ requests, errors: i === 1 ? errors : 0 }));
      const verdict = judge(stageInput(canary, baselineMinutes(2, (i) => (i === 1 ? baselineErrorsThatMinute : 14))), POLICY);
      expect(check(verdict, 'catastrophe').status).toBe(status);
    });
  });

  describe('absolute bars', () => {
    it.each([
      ['6% over 400 requests against a 1% baseline', 'fail', 400, 19],
      ['6% over 200 requests (below the minimum)', 'hold', 200, 19],
      ['6% over 400 requests, the baseline equally bad (a service-wide incident, not the canary)', 'pass', 400, 114],
    ])('error-rate bar: %s → %s', (_name, status, total, baselineErrors) => {
      const count = total / 100;
      const verdict = judge(stageInput(minutes(count, { requests: 100, errors: 6 }), minutes(count, { requests: 1900, errors: baselineErrors })), POLICY);
      expect(check(verdict, 'error-rate-bar').status).toBe(status);
    });

    it.each([
      ['above the bar in 3 of the last 4 minutes with ≥ 200 requests', 'fail', 250, [1500, 200, 1400, 1300]],
      ['above the bar in 2 of the last 4 minutes', 'hold', 250, [1500, 200, 200, 1300]],
      ['a p95 spike at low traffic (60 requests a minute)', 'pass', 60, [3000, 2500, 2800, 3100]],
    ])('p95 bar: %s → %s', (_name, status, requests, p95s) => {
      const canary = minutes(4, (i) => ({ requests, errors: 0, p95Ms: p95s[i] }));
      const baseline = minutes(4, { requests: 3000, errors: 0, p95Ms: 200 });
      const verdict = judge(stageInput(canary, baseline), POLICY);
      expect(check(verdict, 'p95-bar').status).toBe(status);
    });
  });

  describe('latency (slow requests vs 1.5× the baseline)', () => {
    it.each([
      ['5% slow vs 0.1% for 5 minutes', 'fail', 5, 15],
      ['5% slow vs 0.1% for 2 minutes (not sustained 3)', 'hold', 2, 15],
      ['0.1% slow on both sides', 'pass', 8, 0],
    ])('%s → %s', (_name, status, count, canarySlow) => {
      const canary = minutes(count, { requests: 300, errors: 0, slowRequests: canarySlow });
      const baseline = minutes(count, { requests: 5700, errors: 0, slowRequests: 6 });
      expect(check(judge(stageInput(canary, baseline), POLICY), 'latency').status).toBe(status);
    });

    describe('as a condition of promotion (evidence ≥ 1/promoteAlpha after the warm-up minute)', () => {
      // 10 clean-error minutes at 300 canary requests; the baseline has 6 slow in 5,700 a minute.
      it.each([
        ['0.5% slow vs 0.1% (evidence 120, short of the rollback bar 303)', 'hold', 'hold', (i: number) => (i % 2 ? 1 : 2)],
        ['slow requests only in the warm-up minute (a cold start)', 'pass', 'promote', (i: number) => (i === 0 ? 20 : 0)],
      ])('%s → latency %s, %s', (_name, status, decision, slow) => {
        const canary = minutes(10, (i) => ({ requests: 300, errors: 1, slowRequests: slow(i) }));
        const baseline = minutes(10, { requests: 5700, errors: 28, slowRequests: 6 });
        const verdict = judge(stageInput(canary, baseline), POLICY);
        expect(check(verdict, 'latency').status).toBe(status);
        expect(verdict.decision).toBe(decision);
      });
    });

    it('passes with a note when no slow-request counts are given', () => {
      const verdict = judge(stageInput(minutes(3, { requests: 300, errors: 0 }), baselineMinutes(3, 0)), POLICY);
      expect(check(verdict, 'latency')).toMatchObject({ status: 'pass', observed: 'no slow-request counts' });
    });
  });

  describe('health', () => {
    const withSickMinutes = (count: number, sick: number[]) =>
      minutes(count, (i) => ({ requests: 150, errors: 0, healthyHosts: sick.includes(i) ? 2 : 4, unhealthyHosts: sick.includes(i) ? 2 : 0 }));
    it.each([
      ['unhealthy targets in the 2-minute grace only', 'pass', 4, [0, 1], undefined],
      ['a target unhealthy for 2 minutes after the grace', 'fail', 5, [3, 4], undefined],
      ['a target unhealthy for 2 minutes after the grace, recovered since', 'fail', 7, [3, 4], undefined],
      ['a target unhealthy in the latest minute only', 'hold', 4, [3], undefined],
      ['no healthy canary target while weighted', 'fail', 1, [], { healthy: 0, unhealthy: 4 }],
      ['a live unhealthy target', 'hold', 3, [], { healthy: 3, unhealthy: 1 }],
    ])('%s → %s', (_name, status, count, sick, canaryTargets) => {
      const verdict = judge(stageInput(withSickMinutes(count, sick), baselineMinutes(count, 0), canaryTargets ? { canaryTargets } : {}), POLICY);
      expect(check(verdict, 'health').status).toBe(status);
    });
  });

  describe('promotion', () => {
    it('promotes a clean canary after the bake with enough requests', () => {
      const verdict = judge(stageInput(minutes(5, { requests: 150, errors: 0 }), baselineMinutes(5)), POLICY);
      expect(verdict.decision).toBe('promote');
      expect(verdict.reasons.every((r) => r.status === 'pass')).toBe(true);
      expect(verdict.summary).toMatch(/^promote: 750 canary requests over 5 min/);
    });

    it.each([
      ['before the bake has passed', 4, 150, 'bake'],
      ['with fewer than the minimum requests', 6, 40, 'min-requests'],
      ['while the error bound is above baseline + tolerated increase', 6, 60, 'error-bound'],
    ])('holds %s', (_name, count, requests, holdingCheck) => {
      const verdict = judge(stageInput(minutes(count, { requests, errors: requests === 60 ? 1 : 0 }), baselineMinutes(count)), POLICY);
      expect(verdict.decision).toBe('hold');
      expect(check(verdict, holdingCheck).status).toBe('hold');
    });
  });

  describe('promotion test (canary within baseline + 1 pp)', () => {
    // 13 minutes at 150 canary req/min against a 0.5% baseline (limit 1.5%).
    const judged = (canaryErrors: (i: number) => number) =>
      judge(stageInput(minutes(13, (i) => ({ requests: 150, errors: canaryErrors(i) })), baselineMinutes(13)), POLICY);

    it.each([
      ['a canary at the baseline\'s rate', 'promote', (i: number) => (i % 4 === 3 ? 0 : 1)],
      ['a canary at the baseline\'s rate with one client\'s burst of 10 errors in one minute', 'promote', (i: number) => (i === 6 ? 11 : i % 4 === 3 ? 0 : 1)],
      ['a canary at the limit (1.5%)', 'hold', (i: number) => (i % 4 === 3 ? 3 : 2)],
    ])('%s → %s', (_name, decision, errors) => {
      const verdict = judged(errors);
      expect(verdict.decision).toBe(decision);
      expect(check(verdict, 'error-bound').status).toBe(decision === 'promote' ? 'pass' : 'hold');
    });

    it.each([
      ['in the first minute after the shift (warm-up: 3 forgiven)', 'promote', 0],
      ['in a later minute', 'hold', 6],
    ])('a cold start\'s 3 extra errors %s → %s', (_name, decision, at) => {
      const verdict = judge(stageInput(minutes(12, (i) => ({ requests: 150, errors: i === at ? 4 : 1 })), baselineMinutes(12)), POLICY);
      expect(verdict.decision).toBe(decision);
    });

    it('explains the evidence and the limit', () => {
      expect(check(judged(() => 1), 'error-bound').observed).toMatch(/^canary 5xx 0\.67% \(13\/1950\), evidence [\d.e+]+ that it is below 1\.5%$/);
    });
  });

  describe('hold limit', () => {
    const quiet = (count: number) => stageInput(minutes(count, { requests: 6, errors: 0 }), baselineMinutes(count, 0));
    it.each([
      ['holds a quiet canary before the limit', 'hold', 14],
      ['rolls back a quiet canary once the hold limit after the bake expires', 'rollback', 15],
    ])('%s', (_name, decision, count) => {
      expect(judge(quiet(count), POLICY).decision).toBe(decision);
    });

    it('says "insufficient evidence" with a hint', () => {
      const verdict = judge(quiet(15), POLICY);
      expect(check(verdict, 'hold-limit').status).toBe('fail');
      expect(verdict.summary).toMatch(/insufficient evidence: after 15 min at 5% the canary served 90 requests/);
      expect(verdict.summary).toMatch(/larger first step or longer bakes/);
    });
  });

  describe('input', () => {
    it('ignores empty minutes and minutes outside the stage or not yet complete', () => {
      const canary = [{ start: T0 - 5 * MINUTE, requests: 100, errors: 100 }, ...minutes(3, { requests: 0, errors: 0 }), { start: T0 + 3 * MINUTE, requests: 100, errors: 100 }];
      const verdict = judge(stageInput(canary, baselineMinutes(4, 0), { now: T0 + 3 * MINUTE + 30_000 }), POLICY);
      expect(verdict.decision).toBe('hold');
      expect(check(verdict, 'min-requests').observed).toBe('0 canary requests');
    });

    it('holds with no buckets at all', () => {
      expect(judge(stageInput([], [], { now: T0 + 2 * MINUTE }), POLICY).decision).toBe('hold');
    });

    it.each([
      ['canary[1].requests', (i: ReturnType<typeof stageInput>) => { i.canary[1].requests = -1; }, /canary\[1\]\.requests is -1; accepted: a count ≥ 0/],
      ['baseline[0].errors', (i: ReturnType<typeof stageInput>) => { i.baseline[0].errors = Number.NaN; }, /baseline\[0\]\.errors is null/],
      ['stage.weight', (i: ReturnType<typeof stageInput>) => { i.stage.weight = 150; }, /stage\.weight is 150; accepted: a percentage from 0 to 100/],
    ])('rejects a bad %s, naming it', (_field, spoil, message) => {
      const input = stageInput(minutes(2, { requests: 10, errors: 0 }), baselineMinutes(2));
      spoil(input);
      expect(() => judge(input, POLICY)).toThrow(JudgeInputError);
      expect(() => judge(input, POLICY)).toThrow(message);
    });

    it.each([
      ['alpha', { alpha: 1.5 }, /policy\.alpha is 1\.5/],
      ['maxLatencyRatio', { maxLatencyRatio: 0.5 }, /policy\.maxLatencyRatio is 0\.5; accepted: a ratio ≥ 1/],
    ])('rejects a bad policy.%s', (_field, change, message) => {
      expect(() => judge(stageInput([], []), { ...POLICY, ...change })).toThrow(message);
    });

    it('is deterministic', () => {
      const input = stageInput(minutes(6, (i) => ({ requests: 150, errors: i % 3 })), baselineMinutes(6));
      expect(judge(input, POLICY)).toEqual(judge(structuredClone(input), POLICY));
    });
  });
});
