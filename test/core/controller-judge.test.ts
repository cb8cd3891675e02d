/** The controller with the real judge, over synthetic complete minutes: the decisions on-call will see. */
import { metricReads, next, type Decision } from '../../lambdas/core/controller';
import type { RolloutState } from '../../lambdas/core/rollout-state';
import { MIN, observation, startState, T0 } from './support/rollout-fixtures';

interface Traffic { perMinute: number; baselineErrorRate: number; canaryErrorRate: (weight: number) => number }

/** Runs one window to its end, feeding the controller the complete minutes of each stage. */
function run(traffic: Traffic, state: RolloutState = startState()): { decisions: Decision[]; weights: number[] } {
  const decisions: Decision[] = [];
  let now = T0;
  let d = next(state, observation(), now);
  decisions.push(d);
  while (!d.done && now < T0 + 2 * 60 * MIN) {
    now += d.waitSeconds * 1000;
    const { weight, stageStartedAt = now } = d.state;
    const completeMinutes = Math.max(0, Math.floor((now - 90_000 - stageStartedAt) / MIN));
    const first = Math.ceil(stageStartedAt / MIN) * MIN;
    const bucket = (share: number, rate: number) => Array.from({ length: completeMinutes }, (_, i) => {
      const requests = Math.round((traffic.perMinute * share) / 100);
      return { start: first + i * MIN, requests, errors: Math.round(requests * rate), slowRequests: 0, p95Ms: 100 };
    });
    d = next(d.state, observation({ metrics: { replacement: bucket(weight, traffic.canaryErrorRate(weight)), original: bucket(100 - weight, traffic.baselineErrorRate) } }, weight), now);
    decisions.push(d);
  }
  const weights = decisions.flatMap((x) => x.actions).flatMap((a) => (a.kind === 'setWeights' ? [a.replacement] : []));
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
      // A clean bake outlives the baseline's settling and ends reading only the replacement.
      ['passes a clean replacement at 100%', 0.005, 'Succeeded', true],
      ['rolls back a replacement worse than the earlier baseline at 100%', 0.08, 'Failed', false],
    ])('post-traffic bake %s', (_name, canaryRate, outcome, settles) => {
      const baseline = Array.from({ length: 60 }, (_, i) => ({ start: T0 - (60 - i) * MIN, requests: 2000, errors: 10, slowRequests: 0, p95Ms: 100 }));
      let d = next(startState({ hook: 'AfterAllowTraffic' }), observation({}, 100), T0);
      let now = T0;
      let reads = metricReads(d.state, now);
      while (!d.done && now < T0 + 60 * MIN) {
        now += d.waitSeconds * 1000;
        const complete = Math.max(0, Math.floor((now - 90_000 - T0) / MIN) - 1);
        const canary = Array.from({ length: complete }, (_, i) => ({ start: T0 + (i + 1) * MIN, requests: 4000, errors: Math.round(4000 * canaryRate), slowRequests: 0, p95Ms: 100 }));
        // As the tick: the original's minutes only while metricReads asks for them (until the baseline settles).
        reads = metricReads(d.state, now);
        d = next(d.state, observation({ metrics: { replacement: reads.replacement ? canary : [], original: reads.original ? baseline : [] } }, 100), now);
      }
      expect(d.state.outcome?.status).toBe(outcome);
      expect(d.state.baseline?.summary).toMatchObject({ minutes: 60, requests: 120_000, errors: 600, errorRatePercent: 0.5 });
      expect(d.state.baseline?.settledAt !== undefined).toBe(settles);
      expect(reads.original === undefined).toBe(settles);
    });

    it('never promotes a quiet service: holds, then fails with "insufficient evidence"', () => {
      const { weights, decisions } = run({ perMinute: 40, baselineErrorRate: 0, canaryErrorRate: () => 0 });
      expect(weights).toEqual([5, 0]);
      expect(decisions.at(-1)?.state.outcome?.reason).toMatch(/insufficient evidence/);
    });
  });
});
