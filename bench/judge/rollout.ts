/**
 * One simulated rollout judged by one judge: 5% → 25% → 50% with the default bakes, the judge
 * asked at every minute boundary with what CloudWatch shows then (1–3 min delay, complete minutes
 * only), the hold limit enforced by the harness for every judge alike.
 */
import type { BenchJudge, PeerInput } from '../peers';
import { judgeBuckets, Scenario, TrafficWorld } from '../../lib/sim';
import { DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/plan';

export const MINUTE_MS = 60_000;
/** The default plan (architecture.md): 5% for 5 min, 25% for 10 min, 50% for 15 min. */
export const STAGES = DEFAULT_ROLLOUT_PLAN.steps;
export const HOLD_LIMIT_MINUTES = DEFAULT_ROLLOUT_PLAN.holdLimitMinutes;
/** Minutes the baseline runs alone before the first shift (its history). */
export const HISTORY_MINUTES = 10;
/** 2026-01-01T00:00Z: the first shift. */
export const ROLLOUT_START = Date.UTC(2026, 0, 1);

export interface RolloutOutcome {
  /** 'promoted' = reached the end of the 50% stage with a promote. */
  result: 'promoted' | 'rolledBack';
  /** Stage index of the rollback (0-based), if any. */
  stage?: number;
  /** Rolled back because the hold limit expired (insufficient evidence). */
  insufficientEvidence: boolean;
  /** Wall-clock minutes from the first shift to the final decision. */
  minutesToDecision: number;
  /** When the regression first affected the canary, epoch ms (undefined if it never did). */
  onsetAt?: number;
  /** Stage in which the regression first affected the canary. */
  onsetStage?: number;
  /** Complete minutes of regressed canary data the judge had when it rolled back. */
  dataMinutesToDetect?: number;
  /** Wall-clock minutes from onset to the rollback. */
  wallMinutesToDetect?: number;
  /** Canary requests since onset in the data the judge had when it rolled back. */
  requestsToDetect?: number;
  /** Requests harmed by the regression before the decision. */
  badRequests: number;
}

export function runRollout(scenario: Scenario, seed: number, judge: BenchJudge): RolloutOutcome {
  const historyStart = ROLLOUT_START - HISTORY_MINUTES * MINUTE_MS;
  const world = new TrafficWorld({
    seed, totalRps: scenario.totalRps, baselineErrorRate: scenario.baselineErrorRate,
    noise: scenario.noise, regression: scenario.regression, startTime: historyStart,
  });
  const observation = { seed: seed ^ 0x5bd1e995 };
  let startedAt = ROLLOUT_START;
  world.setCanaryWeight(startedAt, STAGES[0].weight);
  for (let index = 0; index < STAGES.length; index++) {
    const stage = { weight: STAGES[index].weight, startedAt, minBakeMs: STAGES[index].bakeMinutes * MINUTE_MS, holdLimitMs: HOLD_LIMIT_MINUTES * MINUTE_MS };
    const limitAt = startedAt + stage.minBakeMs + stage.holdLimitMs;
    for (let now = startedAt + MINUTE_MS; ; now += MINUTE_MS) {
      world.advanceTo(now);
      const { canary, baseline } = judgeBuckets(world.minutes, now, historyStart, observation);
      const verdict = judge.decide({ now, stage, canary, baseline });
      const expired = verdict.decision === 'hold' && now >= limitAt;
      if (verdict.decision === 'rollback' || expired) {
        const needed = verdict.decision === 'rollback' ? dataMinutesNeeded(judge, { now, stage, canary, baseline }, world.minutes) : undefined;
        return finish(world.minutes, now, 'rolledBack', index, verdict.decision === 'rollback' ? /insufficient evidence/.test(verdict.reason) : true, canary, needed);
      }
      if (verdict.decision === 'promote') {
        startedAt = now;
        if (index + 1 < STAGES.length) world.setCanaryWeight(now, STAGES[index + 1].weight);
        break;
      }
    }
  }
  return finish(world.minutes, startedAt, 'promoted', undefined, false, []);

  function finish(
    minutes: TrafficWorld['minutes'], decidedAt: number, result: RolloutOutcome['result'], stage: number | undefined,
    insufficientEvidence: boolean, seen: ReadonlyArray<{ start: number; requests: number }>, needed?: number,
  ): RolloutOutcome {
    const firstBad = minutes.find((m) => m.regressionActive);
    const badRequests = minutes.filter((m) => m.start < decidedAt).reduce((sum, m) => sum + m.canary.regressedRequests, 0);
    const outcome: RolloutOutcome = { result, insufficientEvidence, minutesToDecision: (decidedAt - ROLLOUT_START) / MINUTE_MS, badRequests, ...(stage !== undefined ? { stage } : {}) };
    if (!firstBad) return outcome;
    outcome.onsetAt = firstBad.start;
    outcome.onsetStage = stageAt(firstBad.start, minutes);
    if (result === 'rolledBack' && decidedAt > firstBad.start) {
      const regressed = seen.filter((b) => b.start >= firstBad.start);
      const used = regressed.slice(0, needed ?? regressed.length);
      outcome.dataMinutesToDetect = used.length;
      outcome.wallMinutesToDetect = (decidedAt - firstBad.start) / MINUTE_MS;
      outcome.requestsToDetect = used.reduce((sum, b) => sum + b.requests, 0);
    }
    return outcome;
  }
}

/**
 * CloudWatch publishes minutes in clumps, so the judge may first see 3 minutes at once. The
 * data-minutes a rollback needed are found by replaying the judge on growing prefixes of the
 * minutes since the regression's onset (same decision time): the smallest prefix that already
 * rolls back.
 */
function dataMinutesNeeded(judge: BenchJudge, input: PeerInput, minutes: TrafficWorld['minutes']): number | undefined {
  const onset = minutes.find((m) => m.regressionActive)?.start;
  if (onset === undefined) return undefined;
  const starts = [...new Set(input.canary.filter((b) => b.start >= onset).map((b) => b.start))].sort((a, b) => a - b);
  for (let k = 1; k < starts.length; k++) {
    const cut = (b: { start: number }) => b.start < onset || b.start <= starts[k - 1];
    const verdict = judge.decide({ ...input, canary: input.canary.filter(cut), baseline: input.baseline.filter(cut) });
    if (verdict.decision === 'rollback' && !/insufficient evidence/.test(verdict.reason)) return k;
  }
  return starts.length;
}

/** Index of the stage whose weight the minute at `start` ran at. */
function stageAt(start: number, minutes: TrafficWorld['minutes']): number {
  const weight = minutes.find((m) => m.start === start)?.canaryWeight ?? 0;
  let index = 0;
  STAGES.forEach((stage, i) => { if (weight >= stage.weight) index = i; });
  return index;
}
