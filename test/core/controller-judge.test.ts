/** The controller with the real judge, over synthetic complete minutes: the decisions on-call will see. */
import { type Decision, next } from '../../lambdas/core/controller';
import type { RolloutState } from '../../lambdas/core/rollout-state';
import { MIN, observation, startState, T0 } from './support/rollout-fixtures';

interface Traffic {
  perMinute: number;
  baselineErrorRate: number;
  canaryErrorRate: (weight: number) => number;
}

const HISTORY = Array.from({ length: 60 }, (_, i) => ({
  start: T0 - (60 - i) * MIN,
  requests: 4000,
  errors: 20,
  slowRequests: 40,
  p95Ms: 200,
}));

/**
 * Runs one window to its end as the tick does: every complete minute since the first shift (each
 * at the weight it ran at) and the original's hour before, complete 90 s after the minute ends.
 */
function run(traffic: Traffic, state: RolloutState = startState()): { decisions: Decision[]; weights: number[] } {
  const decisions: Decision[] = [];
  const timeline: Array<{ at: number; weight: number }> = [];
  const weightAt = (t: number) => timeline.filter((x) => x.at <= t).at(-1)?.weight ?? 0;
  let now = T0;
  let d = next(state, observation({ history: HISTORY.map((b) => ({ ...b, requests: traffic.perMinute })) }), now);
  decisions.push(d);
  const shifts = (x: Decision) => x.actions.flatMap((a) => (a.kind === 'setWeights' ? [a.replacement] : []));
  for (const w of shifts(d)) timeline.push({ at: now, weight: w });
  while (!d.done && now < T0 + 2 * 60 * MIN) {
    now += d.waitSeconds * 1000;
    const minutes = Math.max(0, Math.floor((now - 90_000 - T0) / MIN));
    const replacement = [];
    const original = HISTORY.map((b) => ({
      ...b,
      requests: traffic.perMinute,
      errors: Math.round(traffic.perMinute * traffic.baselineErrorRate),
    }));
    for (let i = 0; i < minutes; i++) {
      const start = T0 + i * MIN;
      const weight = weightAt(start + MIN - 1);
      const canaryRequests = Math.round((traffic.perMinute * weight) / 100);
      const baselineRequests = traffic.perMinute - canaryRequests;
      replacement.push({
        start,
        requests: canaryRequests,
        errors: Math.round(canaryRequests * traffic.canaryErrorRate(weight)),
        slowRequests: Math.round(canaryRequests * 0.01),
        p95Ms: 200,
      });
      original.push({
        start,
        requests: baselineRequests,
        errors: Math.round(baselineRequests * traffic.baselineErrorRate),
        slowRequests: Math.round(baselineRequests * 0.01),
        p95Ms: 200,
      });
    }
    d = next(d.state, observation({ metrics: { replacement, original } }, d.state.weight), now);
    for (const w of shifts(d)) timeline.push({ at: now, weight: w });
    decisions.push(d);
  }
  const weights = decisions.flatMap(shifts);
  return { decisions, weights };
}

describe('controller with the real judge', () => {
  describe('next', () => {
    it('promotes a clean release through every step of the window', () => {
      const { decisions, weights } = run({ perMinute: 4000, baselineErrorRate: 0.005, canaryErrorRate: () => 0.005 });
      expect(weights).toEqual([5, 25, 50]);
      expect(decisions.at(-1)?.state.outcome?.status).toBe('Succeeded');
    });

    it('rolls back a canary with +10 pp errors at 5% and restores the original', () => {
      const { decisions, weights } = run({ perMinute: 4000, baselineErrorRate: 0.005, canaryErrorRate: () => 0.105 });
      expect(weights).toEqual([5, 0]);
      expect(decisions.at(-1)?.state.outcome).toEqual({ status: 'Failed', reason: expect.stringMatching(/^rollback/) });
    });

    it('rolls back a regression that starts only at 25%', () => {
      const { weights, decisions } = run({ perMinute: 4000, baselineErrorRate: 0.005, canaryErrorRate: (w) => (w >= 25 ? 0.1 : 0.005) });
      expect(weights).toEqual([5, 25, 0]);
      expect(decisions.at(-1)?.state.outcome?.status).toBe('Failed');
    });

    it.each([
      ['passes a clean replacement at 100%', 0.005, 'Succeeded'],
      ['rolls back a replacement worse than the original was before, at 100%', 0.08, 'Failed'],
    ])('post-traffic bake %s', (_name, canaryRate, outcome) => {
      const rollout = { startedAt: T0 - 40 * MIN, slowThresholdMs: 300 };
      let d = next(startState({ hook: 'AfterAllowTraffic' }), observation({ rollout }, 100), T0);
      let now = T0;
      while (!d.done && now < T0 + 60 * MIN) {
        now += d.waitSeconds * 1000;
        const complete = Math.max(0, Math.floor((now - 90_000 - T0) / MIN));
        const before = Array.from({ length: 40 }, (_, i) => ({
          start: T0 - (40 - i) * MIN,
          requests: 2000,
          errors: 10,
          slowRequests: 20,
          p95Ms: 200,
        }));
        const canary = [
          ...before.map((b) => ({ ...b, errors: 10 })),
          ...Array.from({ length: complete }, (_, i) => ({
            start: T0 + i * MIN,
            requests: 4000,
            errors: Math.round(4000 * canaryRate),
            slowRequests: 40,
            p95Ms: 200,
          })),
        ];
        d = next(
          d.state,
          observation(
            { metrics: { replacement: canary, original: [...HISTORY.map((b) => ({ ...b, start: b.start - 40 * MIN })), ...before] } },
            100,
          ),
          now,
        );
      }
      expect(d.state.outcome?.status).toBe(outcome);
    });

    it('promotes a quiet but steady service (0.5 rps) that reaches minRequests before 100%', () => {
      const { weights, decisions } = run({ perMinute: 30, baselineErrorRate: 0, canaryErrorRate: () => 0 });
      expect(weights).toEqual([5, 25, 50]);
      expect(decisions.at(-1)?.state.outcome?.status).toBe('Succeeded');
    });

    it('never promotes a quiet service: holds, then fails with "insufficient evidence"', () => {
      const { weights, decisions } = run({ perMinute: 3, baselineErrorRate: 0, canaryErrorRate: () => 0 });
      expect(weights).toEqual([5, 0]);
      expect(decisions.at(-1)?.state.outcome?.reason).toMatch(/insufficient evidence/);
    });
  });
});
