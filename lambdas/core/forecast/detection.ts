/**
 * What a rollout plan can detect at a service's traffic, before the rollout starts: per stage the
 * expected canary requests and the smallest error increase and latency regression the judge would
 * have caught with 90% probability by the end of that stage, counted as the judge counts them
 * (one evidence process from the first shift on); when +5 pp would be caught; whether
 * `minRequests` is reached before the final shift; and one computed line of advice when the plan
 * does not fit the traffic. Figures from the judge's own power computation (`judge/power.ts`)
 * and thresholds (`thresholdsOf`). For `canary plan`, `canary deploy`, `canary simulate` and the
 * benchmark. Model and limits: docs/canary-plan.md. Pure: no AWS imports, no clock.
 */
import { type JudgePolicy, RULES_OUT_POWER, thresholdsOf } from '../judge';
import { detectableIncrease, detectionProbability, type Exposure, type PowerOptions } from '../judge/power';
import { TOLERATED_SLOW_SHARE } from '../judge/rollback';
import { testDispersion } from '../judge/stats';
import { type CompiledPlan, planProblems, type PlanStep, type RolloutPlanInput } from '../rollout-plan';
import { type LatencyModel, latencyModel, p95RatioFor, type TrafficProfile } from './traffic';

/** The increase whose detection time `canary plan` reports, as a fraction (+5 pp). */
export const DEFAULT_TARGET_INCREASE = 0.05;
/** "Expected time to detect": the first data-minute at which the detection probability reaches this. */
export const EXPECTED_DETECTION_PROBABILITY = 0.5;
/** The original's share above E is taken as at least this when forming the latency null (as the judge does). */
const MIN_BASELINE_SLOW_SHARE = 0.001;
/** Minutes of history the judge's zero-error floor spreads half an error over (its 60-minute history). */
const HISTORY_MINUTES = 60;

export interface StageDetection {
  readonly index: number;
  readonly weight: number;
  readonly bakeMinutes: number;
  /** Data-minutes since the first shift at which this stage's bake starts and ends (bakes only, no holds). */
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly canaryRequestsPerMinute: number;
  /** Expected canary requests of this stage's bake, and since the first shift. */
  readonly canaryRequests: number;
  readonly rolloutCanaryRequests: number;
  /**
   * Smallest error-rate increase (fraction) the error test catches with 90% probability by the end
   * of this stage: the judge's "rules out" figure. Undefined when not even 100% errors would be.
   */
  readonly errorIncrease?: number;
  /** The same, floored at the tolerance (`maxErrorIncreasePp`): the judge rolls back nothing smaller. */
  readonly caughtErrorIncrease?: number;
  /** Smallest share of canary requests slower than E caught with 90% probability by the end of this stage. */
  readonly slowShare?: number;
  /** That share as a canary p95 ÷ the original's (log-normal latency, see `latencyModel`). */
  readonly p95Ratio?: number;
  /** P(the error test reaches its bar on +target by the end of this stage). */
  readonly targetProbability: number;
}

export interface PlanDetection {
  readonly traffic: TrafficProfile;
  /** The error rate the power computation is based on (the measured one, or half an error in an hour when none). */
  readonly baselineErrorRate: number;
  readonly tolerance: { readonly errorIncrease: number; readonly latencyRatio: number };
  readonly latency?: LatencyModel;
  readonly stages: readonly StageDetection[];
  readonly target: {
    readonly increase: number;
    /** First data-minute since the first shift with detection probability ≥ 50%; undefined if none before 100%. */
    readonly minutesToDetect?: number;
    /** The stage that minute falls in. */
    readonly stageIndex?: number;
  };
  readonly minRequests: {
    readonly required: number;
    /** Expected canary requests by the end of the final stage's bake. */
    readonly byFinalShift: number;
    /** The data-minute at which the rollout has served `required`, holding at the final weight if needed. */
    readonly reachedAtMinute?: number;
    /**
     * 'bakes': within the bakes; 'hold': only by holding at the final weight within the hold limit; 'no': the
     * rollout fails "insufficient evidence".
     */
    readonly reached: 'bakes' | 'hold' | 'no';
  };
  /** Stages expected to see less than one canary request a minute (the judge holds them for traffic). */
  readonly quietStages: readonly number[];
  /** One computed sentence when the plan does not fit the traffic; undefined when it does. */
  readonly advice?: string;
  /** The service's own history breaks an absolute bar: the bar cannot roll back anything (one sentence each). */
  readonly barWarnings: readonly string[];
}

export interface PlanDetectionOptions {
  /** @default DEFAULT_TARGET_INCREASE */
  readonly targetIncrease?: number;
  /** Compute the advice line (a search over candidate plans). @default true */
  readonly advice?: boolean;
}

interface Model {
  readonly ratePerMinute: number;
  readonly baselineRate: number;
  readonly extraVariance: number | undefined;
  readonly alphas: ReturnType<typeof thresholdsOf>['alphas'];
}

function modelOf(traffic: TrafficProfile, policy: JudgePolicy): Model {
  const rate = Math.max(0, traffic.requestsPerMinute);
  const hourRequests = traffic.requests ?? rate * HISTORY_MINUTES;
  // As the judge's "rules out": with no error seen, half an error over the history.
  const baselineRate = traffic.errorRate > 0 ? traffic.errorRate : hourRequests > 0 ? 0.5 / hourRequests : 0;
  return { ratePerMinute: rate, baselineRate, extraVariance: traffic.errorExtraVariance, alphas: thresholdsOf(policy).alphas };
}

/** The plan's partial-traffic steps, in order. */
export function planSteps(plan: CompiledPlan): PlanStep[] {
  return plan.windows.flatMap((w) => w.steps).map((s) => ({ weight: s.weight, bakeMinutes: s.bakeMinutes }));
}

/** Per-minute exposure of the first `minutes` data-minutes of `steps`, stage by stage. */
export function exposureUpTo(steps: readonly PlanStep[], ratePerMinute: number, minutes: number): Exposure[] {
  const exposure: Exposure[] = [];
  let left = minutes;
  for (const step of steps) {
    if (left <= 0) break;
    const used = Math.min(step.bakeMinutes, left);
    exposure.push({
      minutes: used,
      canaryRequests: (ratePerMinute * step.weight) / 100,
      baselineRequests: (ratePerMinute * (100 - step.weight)) / 100,
    });
    left -= used;
  }
  return exposure;
}

/** The error test's options over `exposure`: the noise discount the judge would apply to such minutes. */
function errorOptions(model: Model, exposure: readonly Exposure[]): PowerOptions {
  const minutes = exposure.flatMap((e) =>
    Array.from({ length: e.minutes }, () => ({
      canaryTrials: e.canaryRequests,
      canaryEvents: e.canaryRequests * model.baselineRate,
      baselineTrials: e.baselineRequests,
      baselineEvents: e.baselineRequests * model.baselineRate,
    })),
  );
  return { baselineRate: model.baselineRate, dispersion: testDispersion(minutes, model.extraVariance), alpha: model.alphas.errors };
}

function smallestErrorIncrease(model: Model, exposure: readonly Exposure[]): number | undefined {
  return detectableIncrease(exposure, { ...errorOptions(model, exposure), power: RULES_OUT_POWER });
}

function targetProbability(model: Model, exposure: readonly Exposure[], increase: number): number {
  return detectionProbability(exposure, model.baselineRate + increase, errorOptions(model, exposure));
}

/** The figures of `plan` at `traffic` under the judge's `policy`. */
export function planDetection(
  plan: CompiledPlan,
  traffic: TrafficProfile,
  policy: JudgePolicy,
  options: PlanDetectionOptions = {},
): PlanDetection {
  const increase = options.targetIncrease ?? DEFAULT_TARGET_INCREASE;
  const t = thresholdsOf(policy);
  const model = modelOf(traffic, policy);
  const { ratePerMinute: rate, baselineRate } = model;
  const steps = planSteps(plan);
  const latency =
    traffic.p95Ms !== undefined && traffic.p95Ms > 0
      ? latencyModel(traffic.p95Ms, policy.maxLatencyRatio, traffic.slowShare, traffic.slowThresholdMs)
      : undefined;

  let minute = 0;
  let served = 0;
  const stages: StageDetection[] = steps.map((step, index) => {
    const fromMinute = minute;
    minute += step.bakeMinutes;
    const perMinute = (rate * step.weight) / 100;
    served += perMinute * step.bakeMinutes;
    const exposure = exposureUpTo(steps, rate, minute);
    const errorIncrease = smallestErrorIncrease(model, exposure);
    const slow = latency ? slowShareCaught(exposure, latency, t.alphas.latency) : undefined;
    return {
      index,
      weight: step.weight,
      bakeMinutes: step.bakeMinutes,
      fromMinute,
      toMinute: minute,
      canaryRequestsPerMinute: perMinute,
      canaryRequests: perMinute * step.bakeMinutes,
      rolloutCanaryRequests: served,
      ...(errorIncrease !== undefined ? { errorIncrease, caughtErrorIncrease: Math.max(errorIncrease, t.maxErrorIncrease) } : {}),
      ...(slow !== undefined && latency ? { slowShare: slow, p95Ratio: p95RatioFor(slow, policy.maxLatencyRatio, latency.spread) } : {}),
      targetProbability: targetProbability(model, exposure, increase),
    };
  });

  const minutesToDetect = firstMinuteDetected(model, steps, increase);
  const stageIndex = minutesToDetect === undefined ? undefined : stages.findIndex((s) => minutesToDetect <= s.toMinute);
  const detection: PlanDetection = {
    traffic,
    baselineErrorRate: baselineRate,
    tolerance: { errorIncrease: t.maxErrorIncrease, latencyRatio: policy.maxLatencyRatio },
    ...(latency ? { latency } : {}),
    stages,
    target: { increase, ...(minutesToDetect !== undefined ? { minutesToDetect, stageIndex } : {}) },
    minRequests: minRequestsFigures(steps, rate, policy.minRequests, plan.holdLimitMinutes),
    quietStages: stages.filter((s) => s.canaryRequestsPerMinute < 1).map((s) => s.index),
    barWarnings: barWarnings(traffic, policy),
  };
  const advice = options.advice === false ? undefined : adviceFor(detection, plan, model);
  return advice ? { ...detection, advice } : detection;
}

/** Smallest share slower than E caught with 90% probability, as the judge's "rules out" computes it. */
function slowShareCaught(exposure: readonly Exposure[], latency: LatencyModel, alpha: number): number | undefined {
  const share = Math.max(latency.baselineSlowShare, MIN_BASELINE_SLOW_SHARE);
  const found = detectableIncrease(exposure, {
    baselineRate: share,
    nullRatio: TOLERATED_SLOW_SHARE / share,
    dispersion: 1,
    alpha,
    power: RULES_OUT_POWER,
  });
  return found === undefined ? undefined : Math.min(1, TOLERATED_SLOW_SHARE + found);
}

/** First data-minute at which +increase is caught with probability ≥ 50%, within the bakes. */
function firstMinuteDetected(model: Model, steps: readonly PlanStep[], increase: number): number | undefined {
  const total = steps.reduce((s, step) => s + step.bakeMinutes, 0);
  for (let m = 1; m <= total; m++) {
    if (targetProbability(model, exposureUpTo(steps, model.ratePerMinute, m), increase) >= EXPECTED_DETECTION_PROBABILITY) return m;
  }
  return undefined;
}

function minRequestsFigures(
  steps: readonly PlanStep[],
  rate: number,
  required: number,
  holdLimitMinutes: number,
): PlanDetection['minRequests'] {
  let served = 0;
  let minute = 0;
  let reachedAtMinute: number | undefined;
  for (const step of steps) {
    const perMinute = (rate * step.weight) / 100;
    if (reachedAtMinute === undefined && perMinute > 0 && served + perMinute * step.bakeMinutes >= required) {
      reachedAtMinute = minute + Math.max(1, Math.ceil((required - served) / perMinute));
    }
    served += perMinute * step.bakeMinutes;
    minute += step.bakeMinutes;
  }
  if (reachedAtMinute !== undefined) return { required, byFinalShift: served, reachedAtMinute, reached: 'bakes' };
  const last = (rate * (steps.at(-1)?.weight ?? 0)) / 100;
  const holding = last > 0 ? Math.ceil((required - served) / last) : Infinity;
  if (holding <= holdLimitMinutes) return { required, byFinalShift: served, reachedAtMinute: minute + holding, reached: 'hold' };
  return { required, byFinalShift: served, reached: 'no' };
}

const pp = (fraction: number) => `+${Math.round(fraction * 1000) / 10} pp`;
const about = (n: number) => (n >= 10 ? `~${Math.round(n).toLocaleString('en-US')}` : `~${Math.round(n * 10) / 10}`);

/**
 * One sentence when the plan does not fit the traffic, each figure computed by searching plans
 * that differ in one parameter (and still compile): first `minRequests` (the rollout would fail),
 * then whether the first stage catches +target before the next.
 */
function adviceFor(d: PlanDetection, plan: CompiledPlan, model: Model): string | undefined {
  const input: RolloutPlanInput = {
    steps: planSteps(plan),
    holdLimitMinutes: plan.holdLimitMinutes,
    postTrafficBakeMinutes: plan.postTrafficBakeMinutes,
  };
  const steps = input.steps;
  if (steps.length === 0) return undefined;
  const valid = (candidate: readonly PlanStep[]) => planProblems({ ...input, steps: candidate }).length === 0;
  const replace = (i: number, step: PlanStep) => steps.map((s, j) => (j === i ? step : s));
  const lastIndex = steps.length - 1;
  const last = steps[lastIndex];

  // A stage that cannot fill its data-minute bake within the hold limit fails first: CloudWatch has
  // no minute without requests, so P(a minute counts) = 1 − e^(−λ). Only a larger weight helps.
  const starving = steps.find(
    (s) => (s.bakeMinutes + input.holdLimitMinutes) * (1 - Math.exp((-model.ratePerMinute * s.weight) / 100)) < s.bakeMinutes,
  );
  if (starving && model.ratePerMinute > 0) {
    const needed = Math.ceil(100 / model.ratePerMinute);
    const fix =
      needed < 100
        ? `it needs steps of at least ${needed}% (one canary request a minute)`
        : 'no step below 100% gets one canary request a minute';
    return `the ${starving.weight}% stage gets ${about((model.ratePerMinute * starving.weight) / 100)} canary requests a minute, too few to fill its ${starving.bakeMinutes} data-minutes within the ${input.holdLimitMinutes}-minute hold limit: ${fix}; longer bakes and a lower minRequests do not help`;
  }

  if (d.minRequests.reached === 'no') {
    const short = `the rollout serves ${about(d.minRequests.byFinalShift)} canary requests before the final shift, short of minRequests ${d.minRequests.required}`;
    if (model.ratePerMinute <= 0) return `${short}: no traffic, so every rollout fails "insufficient evidence"`;
    for (let bake = last.bakeMinutes + 1; ; bake++) {
      const candidate = replace(lastIndex, { ...last, bakeMinutes: bake });
      if (!valid(candidate)) break;
      if (minRequestsFigures(candidate, model.ratePerMinute, d.minRequests.required, input.holdLimitMinutes).reached !== 'no') {
        return `${short}: a ${last.weight}% bake of ${bake} min would reach it`;
      }
    }
    return `${short}: no ${last.weight}% bake within the hook window reaches it; lower minRequests to ${Math.max(1, Math.floor(d.minRequests.byFinalShift))} or give the rollout more traffic`;
  }

  const target = d.target.increase;
  if (target < d.tolerance.errorIncrease) return undefined;
  const first = steps[0];
  const next = steps.length > 1 ? `${steps[1].weight}%` : '100%';
  const catchesEarly = (candidate: readonly PlanStep[]) =>
    targetProbability(model, exposureUpTo(candidate, model.ratePerMinute, candidate[0].bakeMinutes), target) >= RULES_OUT_POWER;
  if (catchesEarly(steps)) return undefined;
  const seen = `the ${first.weight}% stage sees ${about(d.stages[0].canaryRequests)} canary requests`;
  const ceiling = steps.length > 1 ? steps[1].weight - 1 : 99;
  for (let weight = first.weight + 1; weight <= ceiling; weight++) {
    const candidate = replace(0, { ...first, weight });
    if (valid(candidate) && catchesEarly(candidate)) return `${seen}: a first step of ${weight}% would catch ${pp(target)} before ${next}`;
  }
  for (let bake = first.bakeMinutes + 1; ; bake++) {
    const candidate = replace(0, { ...first, bakeMinutes: bake });
    if (!valid(candidate)) break;
    if (catchesEarly(candidate)) return `${seen}: a ${first.weight}% stage of ${bake} min would catch ${pp(target)} before ${next}`;
  }
  const later =
    d.target.minutesToDetect !== undefined && d.target.stageIndex !== undefined
      ? `${pp(target)} is caught at ${d.stages[d.target.stageIndex].weight}% (data-minute ${d.target.minutesToDetect} of the rollout, 50% probability)`
      : `the rollout does not catch ${pp(target)} before 100% at this traffic`;
  return `${seen}: no first step below ${next} and no longer ${first.weight}% bake within the hook window catches ${pp(target)} before ${next}; ${later}`;
}

/**
 * Whether the plan catches an increase of `increase` (fraction) with 90% probability before the
 * shift to 100% (and the judge tolerates no less): `canary deploy --require-detect`.
 */
export function detectsBeforeFull(d: PlanDetection, increase: number): boolean {
  const final = d.stages.at(-1);
  return final?.caughtErrorIncrease !== undefined && final.caughtErrorIncrease <= increase + 1e-12;
}

/**
 * The shortest bake of the final stage (other steps as they are, the plan still compiling) with
 * which the plan catches `increase` before 100%; undefined if none within the hook window.
 */
export function finalBakeToDetect(plan: CompiledPlan, traffic: TrafficProfile, policy: JudgePolicy, increase: number): number | undefined {
  const steps = planSteps(plan);
  const last = steps.at(-1);
  if (!last || increase < policy.maxErrorIncreasePp / 100) return undefined;
  const model = modelOf(traffic, policy);
  for (let bake = last.bakeMinutes; ; bake++) {
    const candidate = {
      steps: [...steps.slice(0, -1), { ...last, bakeMinutes: bake }],
      holdLimitMinutes: plan.holdLimitMinutes,
      postTrafficBakeMinutes: plan.postTrafficBakeMinutes,
    };
    if (planProblems(candidate).length > 0) return undefined;
    const total = candidate.steps.reduce((sum, step) => sum + step.bakeMinutes, 0);
    const caught = smallestErrorIncrease(model, exposureUpTo(candidate.steps, model.ratePerMinute, total));
    if (caught !== undefined && caught <= increase + 1e-12) return bake;
  }
}

/**
 * The absolute bars the service's own measured history breaks: the judge rolls back only what the
 * original does not do too, so such a bar tests nothing (docs/judge.md, "The absolute bars").
 */
export function barWarnings(traffic: TrafficProfile, policy: JudgePolicy): string[] {
  if (traffic.source !== 'cloudwatch') return [];
  const warnings: string[] = [];
  const pct = (v: number) => `${+(v * 100).toPrecision(3)}%`;
  if (traffic.errorRate > 0 && traffic.errorRate * 100 >= policy.maxErrorRatePercent) {
    warnings.push(
      `the service's own 5xx rate over the last hour is ${pct(traffic.errorRate)}, at or above maxErrorRatePercent ${policy.maxErrorRatePercent}%: the bar cannot roll back anything (only the comparison with the original will); set it above the service's rate`,
    );
  }
  if (traffic.p95Ms !== undefined && traffic.p95Ms >= policy.maxP95Ms) {
    warnings.push(
      `the service's own p95 over the last hour is ${Math.round(traffic.p95Ms)} ms, at or above maxP95Ms ${policy.maxP95Ms}: the p95 bar would hold or roll back a release as fast as the original; set it above the service's p95`,
    );
  }
  return warnings;
}
