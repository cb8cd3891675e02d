"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXPECTED_DETECTION_PROBABILITY = exports.DEFAULT_TARGET_INCREASE = void 0;
exports.planSteps = planSteps;
exports.exposureUpTo = exposureUpTo;
exports.planDetection = planDetection;
exports.detectsBeforeFull = detectsBeforeFull;
exports.finalBakeToDetect = finalBakeToDetect;
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
const judge_1 = require("./judge");
const power_1 = require("./judge/power");
const rollback_1 = require("./judge/rollback");
const stats_1 = require("./judge/stats");
const plan_1 = require("./plan");
const plan_traffic_1 = require("./plan-traffic");
/** The increase whose detection time `canary plan` reports, as a fraction (+5 pp). */
exports.DEFAULT_TARGET_INCREASE = 0.05;
/** "Expected time to detect": the first data-minute at which the detection probability reaches this. */
exports.EXPECTED_DETECTION_PROBABILITY = 0.5;
/** The original's share above E is taken as at least this when forming the latency null (as the judge does). */
const MIN_BASELINE_SLOW_SHARE = 0.001;
/** Minutes of history the judge's zero-error floor spreads half an error over (its 60-minute history). */
const HISTORY_MINUTES = 60;
function modelOf(traffic, policy) {
    const rate = Math.max(0, traffic.requestsPerMinute);
    const hourRequests = traffic.requests ?? rate * HISTORY_MINUTES;
    // As the judge's "rules out": with no error seen, half an error over the history.
    const baselineRate = traffic.errorRate > 0 ? traffic.errorRate : hourRequests > 0 ? 0.5 / hourRequests : 0;
    return { ratePerMinute: rate, baselineRate, extraVariance: traffic.errorExtraVariance, alphas: (0, judge_1.thresholdsOf)(policy).alphas };
}
/** The plan's partial-traffic steps, in order. */
function planSteps(plan) {
    return plan.windows.flatMap((w) => w.steps).map((s) => ({ weight: s.weight, bakeMinutes: s.bakeMinutes }));
}
/** Per-minute exposure of the first `minutes` data-minutes of `steps`, stage by stage. */
function exposureUpTo(steps, ratePerMinute, minutes) {
    const exposure = [];
    let left = minutes;
    for (const step of steps) {
        if (left <= 0)
            break;
        const used = Math.min(step.bakeMinutes, left);
        exposure.push({ minutes: used, canaryRequests: (ratePerMinute * step.weight) / 100, baselineRequests: (ratePerMinute * (100 - step.weight)) / 100 });
        left -= used;
    }
    return exposure;
}
/** The error test's options over `exposure`: the noise discount the judge would apply to such minutes. */
function errorOptions(model, exposure) {
    const minutes = exposure.flatMap((e) => Array.from({ length: e.minutes }, () => ({
        canaryTrials: e.canaryRequests, canaryEvents: e.canaryRequests * model.baselineRate,
        baselineTrials: e.baselineRequests, baselineEvents: e.baselineRequests * model.baselineRate,
    })));
    return { baselineRate: model.baselineRate, dispersion: (0, stats_1.testDispersion)(minutes, model.extraVariance), alpha: model.alphas.errors };
}
function smallestErrorIncrease(model, exposure) {
    return (0, power_1.detectableIncrease)(exposure, { ...errorOptions(model, exposure), power: judge_1.RULES_OUT_POWER });
}
function targetProbability(model, exposure, increase) {
    return (0, power_1.detectionProbability)(exposure, model.baselineRate + increase, errorOptions(model, exposure));
}
/** The figures of `plan` at `traffic` under the judge's `policy`. */
function planDetection(plan, traffic, policy, options = {}) {
    const increase = options.targetIncrease ?? exports.DEFAULT_TARGET_INCREASE;
    const t = (0, judge_1.thresholdsOf)(policy);
    const model = modelOf(traffic, policy);
    const { ratePerMinute: rate, baselineRate } = model;
    const steps = planSteps(plan);
    const latency = traffic.p95Ms !== undefined && traffic.p95Ms > 0 ? (0, plan_traffic_1.latencyModel)(traffic.p95Ms, policy.maxLatencyRatio, traffic.slowShare, traffic.slowThresholdMs) : undefined;
    let minute = 0;
    let served = 0;
    const stages = steps.map((step, index) => {
        const fromMinute = minute;
        minute += step.bakeMinutes;
        const perMinute = (rate * step.weight) / 100;
        served += perMinute * step.bakeMinutes;
        const exposure = exposureUpTo(steps, rate, minute);
        const errorIncrease = smallestErrorIncrease(model, exposure);
        const slow = latency ? slowShareCaught(exposure, latency, t.alphas.latency) : undefined;
        return {
            index, weight: step.weight, bakeMinutes: step.bakeMinutes, fromMinute, toMinute: minute,
            canaryRequestsPerMinute: perMinute, canaryRequests: perMinute * step.bakeMinutes, rolloutCanaryRequests: served,
            ...(errorIncrease !== undefined ? { errorIncrease, caughtErrorIncrease: Math.max(errorIncrease, t.maxErrorIncrease) } : {}),
            ...(slow !== undefined && latency ? { slowShare: slow, p95Ratio: (0, plan_traffic_1.p95RatioFor)(slow, policy.maxLatencyRatio, latency.spread) } : {}),
            targetProbability: targetProbability(model, exposure, increase),
        };
    });
    const minutesToDetect = firstMinuteDetected(model, steps, increase);
    const stageIndex = minutesToDetect === undefined ? undefined : stages.findIndex((s) => minutesToDetect <= s.toMinute);
    const detection = {
        traffic,
        baselineErrorRate: baselineRate,
        tolerance: { errorIncrease: t.maxErrorIncrease, latencyRatio: policy.maxLatencyRatio },
        ...(latency ? { latency } : {}),
        stages,
        target: { increase, ...(minutesToDetect !== undefined ? { minutesToDetect, stageIndex } : {}) },
        minRequests: minRequestsFigures(steps, rate, policy.minRequests, plan.holdLimitMinutes),
        quietStages: stages.filter((s) => s.canaryRequestsPerMinute < 1).map((s) => s.index),
    };
    const advice = options.advice === false ? undefined : adviceFor(detection, plan, model);
    return advice ? { ...detection, advice } : detection;
}
/** Smallest share slower than E caught with 90% probability, as the judge's "rules out" computes it. */
function slowShareCaught(exposure, latency, alpha) {
    const share = Math.max(latency.baselineSlowShare, MIN_BASELINE_SLOW_SHARE);
    const found = (0, power_1.detectableIncrease)(exposure, { baselineRate: share, nullRatio: rollback_1.TOLERATED_SLOW_SHARE / share, dispersion: 1, alpha, power: judge_1.RULES_OUT_POWER });
    return found === undefined ? undefined : Math.min(1, rollback_1.TOLERATED_SLOW_SHARE + found);
}
/** First data-minute at which +increase is caught with probability ≥ 50%, within the bakes. */
function firstMinuteDetected(model, steps, increase) {
    const total = steps.reduce((s, step) => s + step.bakeMinutes, 0);
    for (let m = 1; m <= total; m++) {
        if (targetProbability(model, exposureUpTo(steps, model.ratePerMinute, m), increase) >= exports.EXPECTED_DETECTION_PROBABILITY)
            return m;
    }
    return undefined;
}
function minRequestsFigures(steps, rate, required, holdLimitMinutes) {
    let served = 0;
    let minute = 0;
    let reachedAtMinute;
    for (const step of steps) {
        const perMinute = (rate * step.weight) / 100;
        if (reachedAtMinute === undefined && perMinute > 0 && served + perMinute * step.bakeMinutes >= required) {
            reachedAtMinute = minute + Math.max(1, Math.ceil((required - served) / perMinute));
        }
        served += perMinute * step.bakeMinutes;
        minute += step.bakeMinutes;
    }
    if (reachedAtMinute !== undefined)
        return { required, byFinalShift: served, reachedAtMinute, reached: 'bakes' };
    const last = (rate * (steps.at(-1)?.weight ?? 0)) / 100;
    const holding = last > 0 ? Math.ceil((required - served) / last) : Infinity;
    if (holding <= holdLimitMinutes)
        return { required, byFinalShift: served, reachedAtMinute: minute + holding, reached: 'hold' };
    return { required, byFinalShift: served, reached: 'no' };
}
const pp = (fraction) => `+${Math.round(fraction * 1000) / 10} pp`;
const about = (n) => (n >= 10 ? `~${Math.round(n).toLocaleString('en-US')}` : `~${Math.round(n * 10) / 10}`);
/**
 * One sentence when the plan does not fit the traffic, each figure computed by searching plans
 * that differ in one parameter (and still compile): first `minRequests` (the rollout would fail),
 * then whether the first stage catches +target before the next.
 */
function adviceFor(d, plan, model) {
    const input = { steps: planSteps(plan), holdLimitMinutes: plan.holdLimitMinutes, postTrafficBakeMinutes: plan.postTrafficBakeMinutes };
    const steps = input.steps;
    if (steps.length === 0)
        return undefined;
    const valid = (candidate) => (0, plan_1.planProblems)({ ...input, steps: candidate }).length === 0;
    const replace = (i, step) => steps.map((s, j) => (j === i ? step : s));
    const lastIndex = steps.length - 1;
    const last = steps[lastIndex];
    // A stage that cannot fill its data-minute bake within the hold limit fails first: CloudWatch has
    // no minute without requests, so P(a minute counts) = 1 − e^(−λ). Only a larger weight helps.
    const starving = steps.find((s) => (s.bakeMinutes + input.holdLimitMinutes) * (1 - Math.exp((-model.ratePerMinute * s.weight) / 100)) < s.bakeMinutes);
    if (starving && model.ratePerMinute > 0) {
        const needed = Math.ceil(100 / model.ratePerMinute);
        const fix = needed < 100 ? `it needs steps of at least ${needed}% (one canary request a minute)` : 'no step below 100% gets one canary request a minute';
        return `the ${starving.weight}% stage gets ${about((model.ratePerMinute * starving.weight) / 100)} canary requests a minute, too few to fill its ${starving.bakeMinutes} data-minutes within the ${input.holdLimitMinutes}-minute hold limit: ${fix}; longer bakes and a lower minRequests do not help`;
    }
    if (d.minRequests.reached === 'no') {
        const short = `the rollout serves ${about(d.minRequests.byFinalShift)} canary requests before the final shift, short of minRequests ${d.minRequests.required}`;
        if (model.ratePerMinute <= 0)
            return `${short}: no traffic, so every rollout fails "insufficient evidence"`;
        for (let bake = last.bakeMinutes + 1;; bake++) {
            const candidate = replace(lastIndex, { ...last, bakeMinutes: bake });
            if (!valid(candidate))
                break;
            if (minRequestsFigures(candidate, model.ratePerMinute, d.minRequests.required, input.holdLimitMinutes).reached !== 'no') {
                return `${short}: a ${last.weight}% bake of ${bake} min would reach it`;
            }
        }
        return `${short}: no ${last.weight}% bake within the hook window reaches it; lower minRequests to ${Math.max(1, Math.floor(d.minRequests.byFinalShift))} or give the rollout more traffic`;
    }
    const target = d.target.increase;
    if (target < d.tolerance.errorIncrease)
        return undefined;
    const first = steps[0];
    const next = steps.length > 1 ? `${steps[1].weight}%` : '100%';
    const catchesEarly = (candidate) => targetProbability(model, exposureUpTo(candidate, model.ratePerMinute, candidate[0].bakeMinutes), target) >= judge_1.RULES_OUT_POWER;
    if (catchesEarly(steps))
        return undefined;
    const seen = `the ${first.weight}% stage sees ${about(d.stages[0].canaryRequests)} canary requests`;
    const ceiling = steps.length > 1 ? steps[1].weight - 1 : 99;
    for (let weight = first.weight + 1; weight <= ceiling; weight++) {
        const candidate = replace(0, { ...first, weight });
        if (valid(candidate) && catchesEarly(candidate))
            return `${seen}: a first step of ${weight}% would catch ${pp(target)} before ${next}`;
    }
    for (let bake = first.bakeMinutes + 1;; bake++) {
        const candidate = replace(0, { ...first, bakeMinutes: bake });
        if (!valid(candidate))
            break;
        if (catchesEarly(candidate))
            return `${seen}: a ${first.weight}% stage of ${bake} min would catch ${pp(target)} before ${next}`;
    }
    const later = d.target.minutesToDetect !== undefined && d.target.stageIndex !== undefined
        ? `${pp(target)} is caught at ${d.stages[d.target.stageIndex].weight}% (data-minute ${d.target.minutesToDetect} of the rollout, 50% probability)`
        : `the rollout does not catch ${pp(target)} before 100% at this traffic`;
    return `${seen}: no first step below ${next} and no longer ${first.weight}% bake within the hook window catches ${pp(target)} before ${next}; ${later}`;
}
/**
 * Whether the plan catches an increase of `increase` (fraction) with 90% probability before the
 * shift to 100% (and the judge tolerates no less): `canary deploy --require-detect`.
 */
function detectsBeforeFull(d, increase) {
    const final = d.stages.at(-1);
    return final?.caughtErrorIncrease !== undefined && final.caughtErrorIncrease <= increase + 1e-12;
}
/**
 * The shortest bake of the final stage (other steps as they are, the plan still compiling) with
 * which the plan catches `increase` before 100%; undefined if none within the hook window.
 */
function finalBakeToDetect(plan, traffic, policy, increase) {
    const steps = planSteps(plan);
    const last = steps.at(-1);
    if (!last || increase < policy.maxErrorIncreasePp / 100)
        return undefined;
    const model = modelOf(traffic, policy);
    for (let bake = last.bakeMinutes;; bake++) {
        const candidate = { steps: [...steps.slice(0, -1), { ...last, bakeMinutes: bake }], holdLimitMinutes: plan.holdLimitMinutes, postTrafficBakeMinutes: plan.postTrafficBakeMinutes };
        if ((0, plan_1.planProblems)(candidate).length > 0)
            return undefined;
        const total = candidate.steps.reduce((sum, step) => sum + step.bakeMinutes, 0);
        const caught = smallestErrorIncrease(model, exposureUpTo(candidate.steps, model.ratePerMinute, total));
        if (caught !== undefined && caught <= increase + 1e-12)
            return bake;
    }
}
