/**
 * Property: over seeded A/A whole rollouts (5% → 25% → 50% → 100% with the post-traffic bake)
 * with Gamma(2) per-group per-minute noise, shared shocks and one client's bursts, the judge's
 * false rollbacks stay within its α.
 */
import { judge, type JudgePolicy } from '../../lambdas/core/judge';
import { buildJudgeInput, HISTORY_MS, slowThresholdFrom } from '../../lambdas/core/judge/input';
import { judgeBuckets, type Noise, TrafficWorld } from '../../sim';
import { MINUTE, POLICY, T0 } from './judge-fixtures';

const NOISY: Noise = { gammaShape: 2, shockRate: 0.02, burstRate: 0.01 };
const STAGES = [
  { weight: 5, bake: 5 },
  { weight: 25, bake: 10 },
  { weight: 50, bake: 15 },
  { weight: 100, bake: 15 },
];

/** One A/A rollout judged every minute; true if it rolled back. */
function falseRollback(seed: number, totalRps: number, baselineErrorRate: number, policy: JudgePolicy): boolean {
  const world = new TrafficWorld({ seed, totalRps, baselineErrorRate, noise: NOISY, startTime: T0 - HISTORY_MS - 5 * MINUTE });
  const observation = { seed: seed ^ 0x9e3779b9 };
  world.advanceTo(T0);
  const history = judgeBuckets(world.minutes, T0, T0 - HISTORY_MS, observation).baseline;
  const slowThresholdMs = slowThresholdFrom(history, policy.maxLatencyRatio);
  const rollout = { startedAt: T0, ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
  let stageStart = T0;
  world.setCanaryWeight(T0, STAGES[0].weight);
  for (let i = 0; i < STAGES.length; i++) {
    for (let now = stageStart + MINUTE; ; now += MINUTE) {
      world.advanceTo(now);
      const { canary, baseline } = judgeBuckets(world.minutes, now, T0 - HISTORY_MS, observation);
      const input = buildJudgeInput(
        { replacement: canary, original: baseline },
        {
          now,
          rollout,
          stage: { weight: STAGES[i].weight, startedAt: stageStart, bakeMinutes: STAGES[i].bake, holdLimitMs: 10 * MINUTE, final: i === 2 },
          canaryTargets: world.targetHealth().canary,
        },
      );
      const verdict = judge(input, policy);
      if (verdict.decision === 'rollback') return true;
      if (verdict.decision === 'promote') {
        stageStart = now;
        if (i + 1 < STAGES.length) world.setCanaryWeight(now, STAGES[i + 1].weight);
        break;
      }
    }
  }
  return false;
}

describe('judge', () => {
  describe('A/A false rollbacks over whole rollouts', () => {
    const RUNS = 150;
    it.each([
      ['30 canary req/min at 5%, 0.5% errors', 10, 0.005],
      ['150 canary req/min at 5%, 2% errors', 50, 0.02],
    ])('stay within α = 0.05 with Gamma(2) noise, shocks and bursts: %s', (_name, totalRps, rate) => {
      const alpha = 0.05;
      let rollbacks = 0;
      for (let run = 0; run < RUNS; run++)
        if (falseRollback(4000 + run * 17, totalRps, rate, { ...POLICY, maxErrorRatePercent: 10, alpha })) rollbacks++;
      // Binomial(RUNS, α) exceeds mean + 3 sd with probability < 0.2%.
      expect(rollbacks).toBeLessThanOrEqual(Math.ceil(RUNS * alpha + 3 * Math.sqrt(RUNS * alpha * (1 - alpha))));
    });
  });
});
