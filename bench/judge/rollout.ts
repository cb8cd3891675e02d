/**
 * One simulated rollout, judged by one judge, through the production pipeline: the default plan
 * 5% → 25% → 50% → 100% with the post-traffic bake, ticks at the Tick's cadence
 * (`secondsUntilNextMinute`), every tick seeing what the Tick would (sim/engine-observation.ts:
 * simulated GetMetricData → `toMinuteBuckets`) and every judge asked with `buildJudgeInput`.
 *
 * ecs-canary is run by the real controller `next()` over the hook windows (cli/simulate
 * `driveEngine`): its hold limits, grace and hook deadlines apply as in production. The peers get
 * the same builder input from a loop that shifts at the same ticks; the harness enforces the hold
 * limit for them (a hold at stage start + bake + hold limit is an "insufficient evidence" rollback).
 */
import { type DecidingTick, driveEngine } from '../../cli/simulate/engine';
import { next, secondsUntilNextMinute } from '../../lambdas/core/controller';
import type { JudgePolicy } from '../../lambdas/core/judge';
import {
  buildJudgeInput,
  HISTORY_MS,
  historyWindow,
  judgedWindows,
  type RolloutContext,
  slowThresholdFrom,
} from '../../lambdas/core/judge/input';
import type { MinuteBuckets } from '../../lambdas/core/observation';
import { compilePlan, DEFAULT_ROLLOUT_PLAN } from '../../lambdas/core/rollout-plan';
import { hashSeed, type ObservationOptions, type Scenario, type SimMinute, simulatedMetricData, TrafficWorld } from '../../sim';
import { observedBuckets } from '../../sim/engine-observation';
import type { BenchJudge, PeerBucket, PeerInput } from '../peers';

export const MINUTE_MS = 60_000;
/** The default plan (lambdas/core/rollout-plan.ts): 5% for 5, 25% for 10, 50% for 15, hold limit 10, post-traffic bake 15. */
export const PLAN = DEFAULT_ROLLOUT_PLAN;
export const STAGES = PLAN.steps;
export const HOLD_LIMIT_MINUTES = PLAN.holdLimitMinutes;
export const POST_TRAFFIC_BAKE_MINUTES = PLAN.postTrafficBakeMinutes;
/** Index of the post-traffic bake among the stages of an outcome. */
export const POST_BAKE_STAGE = STAGES.length;
/** 2026-01-01T00:00Z; the first hook is invoked in the minute after, at a second drawn from the seed. */
export const ROLLOUT_START = Date.UTC(2026, 0, 1);
/** Minutes of traffic before the first hook: the original's hour of history, and some. */
export const WARM_UP_MINUTES = 65;
const COMPILED = compilePlan(PLAN);
const INSUFFICIENT = /insufficient evidence|still unresolved at the hold limit/;

export interface RolloutOutcome {
  /** 'promoted' = through the post-traffic bake. */
  result: 'promoted' | 'rolledBack';
  /** Stage of the rollback: 0..2 the partial stages, 3 the post-traffic bake. */
  stage?: number;
  /** Rolled back at the hold limit (evidence too thin to decide). */
  insufficientEvidence: boolean;
  /** The release reached 100% of production (CodeDeploy's AllowTraffic). */
  reached100: boolean;
  /** Minutes from the first shift to 100%. */
  minutesTo100?: number;
  /** Minutes from the first shift to the last decision (the end of the post-traffic bake when promoted). */
  minutesToDecision: number;
  /** When the regression first affected the canary, epoch ms (undefined if it never did). */
  onsetAt?: number;
  /** Stage in which it first did. */
  onsetStage?: number;
  /** Complete regressed canary minutes the rollback needed (replayed on prefixes of what it saw). */
  dataMinutesToDetect?: number;
  /** Wall-clock minutes from onset to the rollback. */
  wallMinutesToDetect?: number;
  /** Canary requests in those data-minutes. */
  requestsToDetect?: number;
  /** Requests harmed by the regression until the rollback (or the end of the post-traffic bake). */
  badRequests: number;
}

/** The first hook's invocation: a second of the minute after ROLLOUT_START drawn from the seed. */
export function firstTickAt(seed: number): number {
  return ROLLOUT_START + MINUTE_MS + (hashSeed(seed, 0x71c4) % 60) * 1000;
}

export function worldFor(scenario: Scenario, seed: number): TrafficWorld {
  return new TrafficWorld({
    seed,
    totalRps: scenario.totalRps,
    baselineErrorRate: scenario.baselineErrorRate,
    noise: scenario.noise,
    regression: scenario.regression,
    startTime: firstTickAt(seed) - WARM_UP_MINUTES * MINUTE_MS,
    ...(scenario.shape ? { shape: scenario.shape } : {}),
  });
}

export const observationOf = (seed: number): ObservationOptions => ({ seed: seed ^ 0x5bd1e995 });

/** ecs-canary: the real controller over the hook windows. */
export function runEngineRollout(scenario: Scenario, seed: number, policy: JudgePolicy): RolloutOutcome {
  const world = worldFor(scenario, seed);
  const run = driveEngine(world, {
    service: 'bench',
    plan: COMPILED,
    policy,
    startTime: firstTickAt(seed),
    observation: observationOf(seed),
  });
  const firstShift = run.shifts[0]?.at ?? run.endTime;
  const at100 = run.shifts.find((s) => s.weight === 100)?.at;
  const failed = run.failedAt;
  const stage = failed ? stageOfState(failed) : undefined;
  const insufficient = failed !== undefined && INSUFFICIENT.test(run.reason);
  const seen = failed?.observation.metrics?.replacement ?? [];
  return outcome(world.minutes, {
    rolledBack: run.outcome === 'Failed',
    stage,
    insufficient,
    firstShift,
    at100,
    decidedAt: run.endTime,
    seen,
    needed: (onset, starts) => (failed && !insufficient ? prefixNeeded(starts, (cut) => engineRollsBack(failed, onset, cut)) : undefined),
  });
}

function stageOfState(tick: DecidingTick): number {
  const { config, stepIndex } = tick.state;
  return config.postTrafficBakeMinutes > 0 ? POST_BAKE_STAGE : (config.steps[stepIndex]?.index ?? 0);
}

/** The controller's decision at the same tick on the minutes up to `cut` since the onset. */
function engineRollsBack(tick: DecidingTick, onset: number, cut: number): boolean {
  const metrics = tick.observation.metrics;
  if (!metrics) return false;
  const keep = (b: { start: number }) => b.start < onset || b.start <= cut;
  const truncated: MinuteBuckets = { replacement: metrics.replacement.filter(keep), original: metrics.original.filter(keep) };
  const decision = next(tick.state, { ...tick.observation, metrics: truncated }, tick.now);
  return decision.state.outcome?.status === 'Failed' && !INSUFFICIENT.test(decision.state.outcome.reason);
}

/** A peer judge: the builder's input at every tick, shifts at the tick it promotes, the hold limit enforced here. */
export function runPeerRollout(scenario: Scenario, seed: number, judge: BenchJudge, policy: JudgePolicy): RolloutOutcome {
  const world = worldFor(scenario, seed);
  const options = observationOf(seed);
  let now = firstTickAt(seed);
  const history = observedBuckets(world.advanceTo(now), now, { reads: historyWindow(now), purpose: 'history' }, options).original;
  const slowThresholdMs = slowThresholdFrom(history, policy.maxLatencyRatio);
  const rollout: RolloutContext = { startedAt: now, ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
  const stages = [
    ...STAGES.map((s, i) => ({ weight: s.weight, bakeMinutes: s.bakeMinutes, final: i === STAGES.length - 1 })),
    { weight: 100, bakeMinutes: POST_TRAFFIC_BAKE_MINUTES, final: false },
  ];
  const read = { reads: judgedWindows(rollout), purpose: 'judge' as const, ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}) };
  let at100: number | undefined;
  let startedAt = now;
  world.setCanaryWeight(now, stages[0].weight);
  for (let index = 0; index < stages.length; index++) {
    const stage = { ...stages[index], startedAt, holdLimitMs: HOLD_LIMIT_MINUTES * MINUTE_MS };
    const limitAt = startedAt + stage.bakeMinutes * MINUTE_MS + stage.holdLimitMs;
    for (;;) {
      now += secondsUntilNextMinute(now) * 1000;
      const minutes = world.advanceTo(now);
      const buckets = withPeerSeries(observedBuckets(minutes, now, read, options), minutes, now, rollout, options);
      // The builder keeps the bucket objects, so the peers' extra series ride along.
      const input = buildJudgeInput(buckets, { now, rollout, stage, canaryTargets: world.targetHealth().canary }) as PeerInput;
      const verdict = judge.decide(input);
      const expired = verdict.decision === 'hold' && now >= limitAt;
      if (verdict.decision === 'rollback' || expired) {
        const insufficient = expired || INSUFFICIENT.test(verdict.reason);
        return outcome(world.minutes, {
          rolledBack: true,
          stage: index,
          insufficient,
          firstShift: rollout.startedAt,
          at100,
          decidedAt: now,
          seen: input.canary,
          needed: (onset, starts) =>
            insufficient
              ? undefined
              : prefixNeeded(starts, (cut) => {
                  const keep = (b: { start: number }) => b.start < onset || b.start <= cut;
                  return (
                    judge.decide({ ...input, canary: input.canary.filter(keep), baseline: input.baseline.filter(keep) }).decision ===
                    'rollback'
                  );
                }),
        });
      }
      if (verdict.decision === 'promote') break;
    }
    startedAt = now;
    if (index + 1 < stages.length) {
      world.setCanaryWeight(now, stages[index + 1].weight);
      if (stages[index + 1].weight === 100) at100 = now;
    }
  }
  return outcome(world.minutes, { rolledBack: false, insufficient: false, firstShift: rollout.startedAt, at100, decidedAt: now, seen: [] });
}

/**
 * What the peers' own tools read besides the engine's series: Flagger checks the p99, Kayenta
 * compares the original's p95; both from the same simulated CloudWatch, same window.
 */
function withPeerSeries(
  buckets: MinuteBuckets,
  minutes: readonly SimMinute[],
  now: number,
  rollout: RolloutContext,
  options: ObservationOptions,
): { replacement: PeerBucket[]; original: PeerBucket[] } {
  const startTime = rollout.startedAt - HISTORY_MS;
  const query = (id: string, group: 'canary' | 'baseline', stat: string) => ({
    id,
    group,
    metricName: 'TargetResponseTime' as const,
    stat,
    startTime,
    endTime: now,
    period: 60,
  });
  const [r99, o99, o95] = simulatedMetricData(
    minutes,
    now,
    [query('r_p99', 'canary', 'p99'), query('o_p99', 'baseline', 'p99'), query('o_p95', 'baseline', 'p95')],
    options,
  ).map((r) => new Map(r.timestamps.map((t, i) => [t, Math.round(r.values[i] * 1000 * 10) / 10])));
  const add = (list: readonly PeerBucket[], p99: Map<number, number>, p95?: Map<number, number>) =>
    list.map((b) => ({
      ...b,
      ...(p99.has(b.start) ? { p99Ms: p99.get(b.start) } : {}),
      ...(p95?.has(b.start) ? { p95Ms: p95.get(b.start) } : {}),
    }));
  return { replacement: add(buckets.replacement, r99), original: add(buckets.original, o99, o95) };
}

/** The smallest k such that the decision on the first k regressed minutes already rolls back. */
function prefixNeeded(starts: readonly number[], rollsBack: (cut: number) => boolean): number {
  for (let k = 1; k < starts.length; k++) if (rollsBack(starts[k - 1])) return k;
  return starts.length;
}

interface Ending {
  rolledBack: boolean;
  stage?: number;
  insufficient: boolean;
  firstShift: number;
  at100?: number;
  decidedAt: number;
  /** The canary minutes the deciding judge saw. */
  seen: ReadonlyArray<{ start: number; requests: number }>;
  needed?: (onset: number, regressedStarts: readonly number[]) => number | undefined;
}

function outcome(minutes: readonly SimMinute[], e: Ending): RolloutOutcome {
  const firstBad = minutes.find((m) => m.regressionActive && m.start < e.decidedAt);
  const badRequests = minutes.filter((m) => m.start < e.decidedAt).reduce((sum, m) => sum + m.canary.regressedRequests, 0);
  const result: RolloutOutcome = {
    result: e.rolledBack ? 'rolledBack' : 'promoted',
    insufficientEvidence: e.insufficient,
    reached100: e.at100 !== undefined,
    minutesToDecision: (e.decidedAt - e.firstShift) / MINUTE_MS,
    badRequests,
    ...(e.stage !== undefined ? { stage: e.stage } : {}),
    ...(e.at100 !== undefined ? { minutesTo100: (e.at100 - e.firstShift) / MINUTE_MS } : {}),
  };
  if (!firstBad) return result;
  result.onsetAt = firstBad.start;
  // The stage the regression began in: the weight it first reached, not the minute's average (a shift minute mixes two).
  result.onsetStage = stageOfWeight(firstBad.regressedWeight ?? firstBad.canaryWeight);
  if (e.rolledBack) {
    const regressed = e.seen.filter((b) => b.start >= firstBad.start).sort((a, b) => a.start - b.start);
    const needed =
      e.needed?.(
        firstBad.start,
        regressed.map((b) => b.start),
      ) ?? regressed.length;
    const used = regressed.slice(0, needed);
    result.dataMinutesToDetect = used.length;
    result.wallMinutesToDetect = (e.decidedAt - firstBad.start) / MINUTE_MS;
    result.requestsToDetect = used.reduce((sum, b) => sum + b.requests, 0);
  }
  return result;
}

/** The stage whose weight a minute ran at (a minute of a shift counts for the lower stage). */
function stageOfWeight(weight: number): number {
  if (weight >= 100) return POST_BAKE_STAGE;
  let index = 0;
  STAGES.forEach((stage, i) => {
    if (weight >= stage.weight) index = i;
  });
  return index;
}
