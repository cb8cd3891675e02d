/**
 * The judge (version 3): promote, hold or roll back the current stage of a rollout, from the
 * canary's and the original's complete minutes since the first shift and the original's history.
 *
 * One evidence process per rollout: bounded-loss, noise-discounted sequential tests on errors and
 * on requests slower than E = ratio × the original's p95, every minute from the first shift on
 * (and against the original's rates in the post-traffic bake). A stage promotes when its bake is
 * over in data-minutes, it served traffic, no check fails or is still rising, health is clean and,
 * before the final shift, the rollout served `minRequests`; no stage has to prove the canary safe.
 * Every verdict says what the data so far rules out. The rules: docs/judge.md.
 *
 * Pure: no AWS imports, no clock (`now` is an input).
 */
import { EcsCanaryError } from '../ecs-canary-error';
import { bakeCheck, catastropheCheck, errorRateBarCheck, healthCheck, minRequestsCheck, p95BarCheck, trafficCheck } from './checks';
import { customMetricChecks } from './custom-checks';
import { MINUTE_MS, pairedCounts, type RolloutData, rolloutData } from './data';
import { duration, evidence, percent, points } from './format';
import { detectableIncrease, exposureOf } from './power';
import {
  baselineSlowShare,
  errorTest,
  latencyTest,
  postErrorTest,
  postLatencyTest,
  type TestAlphas,
  type TestReading,
  type Thresholds,
  TOLERATED_SLOW_SHARE,
} from './rollback';
import { relativeExtraVariance, testDispersion } from './stats';
import type { JudgeInput, JudgePolicy, Reason, RulesOut, Verdict } from './types';

export type {
  CheckName,
  CheckStatus,
  Decision,
  JudgeInput,
  JudgePolicy,
  MinuteBucket,
  Reason,
  RulesOut,
  StageInput,
  Verdict,
} from './types';

/** Default false-rollback probability of the sequential tests per rollout. */
export const DEFAULT_ALPHA = 0.005;
/** How α is split between the tests (shares sum to 1). */
export const ALPHA_SHARES: TestAlphas = { errors: 0.35, errorBar: 0.15, latency: 0.25, postErrors: 0.15, postLatency: 0.1 };
/** The probability a "rules out" statement is made at. */
export const RULES_OUT_POWER = 0.9;

/** Bad judge input or policy; names the field, the value and what is accepted. */
export class JudgeInputError extends EcsCanaryError {
  constructor(
    message: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JudgeInputError';
  }
}

/** The test thresholds a policy means. */
export function thresholdsOf(policy: JudgePolicy, slowThresholdMs?: number): Thresholds {
  const alpha = policy.alpha ?? DEFAULT_ALPHA;
  return {
    alphas: {
      errors: alpha * ALPHA_SHARES.errors,
      errorBar: alpha * ALPHA_SHARES.errorBar,
      latency: alpha * ALPHA_SHARES.latency,
      postErrors: alpha * ALPHA_SHARES.postErrors,
      postLatency: alpha * ALPHA_SHARES.postLatency,
    },
    maxErrorRate: policy.maxErrorRatePercent / 100,
    maxP95Ms: policy.maxP95Ms,
    minRequests: policy.minRequests,
    maxErrorIncrease: policy.maxErrorIncreasePp / 100,
    maxLatencyRatio: policy.maxLatencyRatio,
    ...(slowThresholdMs !== undefined ? { slowThresholdMs } : {}),
  };
}

/**
 * Decides the current stage. Throws `JudgeInputError` on malformed input (negative or non-finite
 * counts, a policy out of range); never on sparse or missing data, which it treats as "hold".
 */
export function judge(input: JudgeInput, policy: JudgePolicy): Verdict {
  validate(input, policy);
  const t = thresholdsOf(policy, input.slowThresholdMs);
  const data = rolloutData(input);
  const tests = [errorTest(data, t), latencyTest(data, t), postErrorTest(data, t), postLatencyTest(data, t)].filter(
    (r): r is TestReading => r !== undefined,
  );
  // Before the shift to 100% a passing test with evidence ≥ √bar is watched until the hold limit
  // (not extended by a traffic gap); then the stage promotes unless the test decided. No α is spent.
  const watchUntil = input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs;
  const watching = input.stage.final === true && input.stage.weight < 100 && input.now < watchUntil;
  const watches = tests.flatMap((r) => (watching && r.watch ? [watchReason(r, r.watch.withoutStrongestMinute)] : []));
  const reasons: Reason[] = [
    ...tests.map((r) => watches.find((w) => w.check === r.reason.check) ?? r.reason),
    catastropheCheck(data),
    errorRateBarCheck(data, t),
    p95BarCheck(data, t),
    healthCheck(input, data),
    bakeCheck(input, data),
    trafficCheck(input, data),
    minRequestsCheck(input, data, t),
  ];
  const custom = customMetricChecks(data, policy.metrics ?? [], t);
  reasons.push(...custom.reasons);
  const warned = custom.warnings.length > 0 ? { warnings: custom.warnings } : {};
  const failed = reasons.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    return { decision: 'rollback', reasons, ...warned, summary: `rollback: ${failed.map((r) => r.detail).join(' ')}` };
  }
  const holding = reasons.filter((r) => r.status === 'hold');
  const quietMs = quietMinutes(input, data) * MINUTE_MS;
  if (holding.length === 0) {
    const rulesOut = withCustom(rulesOutOf(data, t), custom.rulesOut);
    return {
      decision: 'promote',
      reasons,
      rulesOut,
      ...warned,
      summary: `promote: ${data.stage.length} data-minutes at ${input.stage.weight}%, ${data.rolloutRequests} canary requests since the first shift, no harm found; ${rulesOut.text}.`,
    };
  }
  // The hold limit counts time with data: minutes in which the whole service served nothing (a
  // traffic gap) do not use it up. The engine bounds this by the hook deadline.
  const limitAt = input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs + quietMs;
  const waiting = holding.map((r) => r.detail).join(' ');
  if (input.now < limitAt) {
    const gap = quietMs > 0 ? ` (${duration(quietMs)} without traffic not counted)` : '';
    if (holding.every((r) => watches.includes(r))) {
      return {
        decision: 'hold',
        reasons,
        quietMs,
        ...warned,
        summary: `hold before the shift to 100% (${duration(watchUntil - input.now)} left, then promote unless a test decides): ${waiting}`,
      };
    }
    return {
      decision: 'hold',
      reasons,
      quietMs,
      ...warned,
      summary: `hold (${duration(limitAt - input.now)} left before the hold limit${gap}): ${waiting}`,
    };
  }
  const starved = holding.some((r) => r.check === 'bake' || r.check === 'traffic' || r.check === 'min-requests');
  const rulesOut = withCustom(rulesOutOf(data, t), custom.rulesOut);
  const expired: Reason = {
    check: 'hold-limit',
    status: 'fail',
    observed: `held ${duration(input.now - input.stage.startedAt - input.stage.minBakeMs)} past the bake`,
    bar: `≤ ${duration(input.stage.holdLimitMs)}`,
    detail: starved
      ? `insufficient evidence: after ${duration(input.now - input.stage.startedAt)} at ${input.stage.weight}% the rollout has served ${data.rolloutRequests} canary requests; ${waiting} ` +
        quietHint(input, data, holding, t)
      : `still unresolved at the hold limit: ${waiting}`,
  };
  reasons.push(expired);
  return { decision: 'rollback', reasons, rulesOut, quietMs, ...warned, summary: `rollback: ${expired.detail}` };
}

/** A passing test's reason turned into a watch: it holds the final promotion until the hold limit, never rolls back on its own. */
function watchReason(r: TestReading, withoutStrongestMinute: number): Reason {
  return {
    ...r.reason,
    status: 'hold',
    detail:
      `${r.reason.detail} Watching before the shift to 100%: evidence ${evidence(r.evidence)} of ${evidence(r.bar)}, ${evidence(withoutStrongestMinute)} without its strongest minute ` +
      `(one client's burst and a regression's worst minute look alike at this traffic); holding until it decides or the hold limit, then promoting.`,
  };
}

/** The built-in "rules out" sentence with the compared metrics' detectable changes added. */
function withCustom(rulesOut: RulesOut, custom: readonly string[]): RulesOut {
  if (custom.length === 0) return rulesOut;
  return { ...rulesOut, text: rulesOut.text.replace(/ with (\d+)% probability$/, `, ${custom.join(', ')} with $1% probability`) };
}

/** CloudWatch publishes an ALB minute within this long after it ends; a minute older than that without a data point had no requests. */
export const PUBLICATION_DELAY_MS = 3 * MINUTE_MS;

/**
 * Minutes of the stage in which the whole service served nothing (neither target group has a
 * data point, though CloudWatch would have published one by now): a traffic gap, which the hold
 * limit does not count. A canary starved while the original serves is not a gap, nor is a service
 * without traffic in its history hour.
 */
export function quietMinutes(input: JudgeInput, data: RolloutData): number {
  // Only a service that had traffic in its history has gaps; one that never serves fails at the hold limit.
  if (!data.baseline.some((b) => b.start < data.rolloutStartedAt && b.requests > 0)) return 0;
  const served = new Set([...data.canary, ...data.baseline].filter((b) => b.requests > 0).map((b) => b.start));
  const first = Math.ceil(input.stage.startedAt / MINUTE_MS) * MINUTE_MS;
  let quiet = 0;
  for (let start = first; start + MINUTE_MS + PUBLICATION_DELAY_MS <= input.now; start += MINUTE_MS) if (!served.has(start)) quiet++;
  return quiet;
}

/**
 * What would let a starved stage through. Short of data-minutes or of one request per bake
 * minute, only a larger weight helps (a longer bake asks for more of the same); short of
 * minRequests, longer bakes or a lower minRequests do. The canary's rate at this weight comes
 * from the original's whole minutes of the stage, which a quiet canary's absent minutes do not bias.
 */
function quietHint(input: JudgeInput, data: RolloutData, holding: readonly Reason[], t: Thresholds): string {
  const weight = input.stage.weight;
  const originals = data.baseline.filter((b) => b.start >= data.stageStartedAt + MINUTE_MS);
  const perMinute =
    weight < 100 && originals.length > 0
      ? (originals.reduce((s, b) => s + b.requests, 0) / originals.length) * (weight / (100 - weight))
      : data.stage.reduce((s, b) => s + b.requests, 0) / Math.max(1, data.stage.length);
  const rate = perMinute >= 10 ? perMinute.toFixed(0) : perMinute.toPrecision(2);
  if (holding.some((r) => r.check === 'bake' || r.check === 'traffic')) {
    const needed = perMinute > 0 ? Math.ceil(weight / perMinute) : Infinity;
    // The step already has the weight its traffic needs: the data stopped, not the weight fell short.
    if (needed <= weight) {
      const quiet = quietMinutes(input, data);
      return (
        `Hint: at ${weight}% the canary gets about ${rate} requests a minute while the service has traffic, enough for this step; ` +
        `${quiet > 0 ? `the service served nothing for ${quiet} minute(s) of the stage, and ` : ''}the bake counts data-minutes: a longer hold limit lets a stage outlast a traffic gap.`
      );
    }
    const step = needed < 100 ? `a weight of at least ${needed}% for this step` : 'more traffic than any step below 100% gets';
    return `Hint: at ${weight}% the canary gets about ${rate} requests a minute and every bake minute needs one, so it needs ${step}; longer bakes and a lower minRequests do not help.`;
  }
  return `Hint: the canary gets about ${rate} requests a minute at ${weight}%, short of minRequests ${t.minRequests} by the hold limit: give this step a longer bake or lower minRequests.`;
}

/** What the rollout so far would have caught with 90% probability (errors and latency). */
export function rulesOutOf(data: RolloutData, t: Thresholds): RulesOut {
  const errors = pairedCounts(data, (b) => b.errors);
  const exposure = exposureOf(errors.map((m) => ({ canaryRequests: m.canaryTrials, baselineRequests: m.baselineTrials })));
  const b = data.pairedBaseline;
  const baselineRate = b.requests ? Math.max(b.errors, 0.5) / b.requests : 0;
  const extra = relativeExtraVariance(data.baseline.map((m) => ({ trials: m.requests, events: m.errors })));
  const errorIncrease =
    baselineRate > 0
      ? detectableIncrease(exposure, {
          baselineRate,
          dispersion: testDispersion(errors, extra),
          alpha: t.alphas.errors,
          power: RULES_OUT_POWER,
        })
      : undefined;
  let slowShare: number | undefined;
  const share = baselineSlowShare(data);
  if (t.slowThresholdMs !== undefined && share !== undefined && share > 0) {
    const nullRatio = TOLERATED_SLOW_SHARE / Math.max(share, 0.001);
    const increase = detectableIncrease(exposure, {
      baselineRate: share,
      nullRatio,
      dispersion: 1,
      alpha: t.alphas.latency,
      power: RULES_OUT_POWER,
    });
    if (increase !== undefined) slowShare = TOLERATED_SLOW_SHARE + increase;
  }
  const parts = [
    errorIncrease !== undefined ? `≥ ${points(errorIncrease)} errors` : 'no error increase short of outright failure',
    ...(slowShare !== undefined && t.slowThresholdMs !== undefined
      ? [`≥ ${percent(slowShare)} of requests slower than ${Math.round(t.slowThresholdMs)} ms`]
      : []),
  ];
  return {
    ...(errorIncrease !== undefined ? { errorIncrease } : {}),
    ...(slowShare !== undefined ? { slowShare } : {}),
    text: `rules out ${parts.join(' and ')} with ${Math.round(RULES_OUT_POWER * 100)}% probability`,
  };
}

function validate(input: JudgeInput, policy: JudgePolicy): void {
  const finite = (field: string, value: unknown, accepted: string, ok: (v: number) => boolean) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
      throw new JudgeInputError(`${field} is ${JSON.stringify(value)}; accepted: ${accepted}`, field);
    }
  };
  const nonNegative = (v: number) => v >= 0;
  finite('now', input.now, 'epoch milliseconds', nonNegative);
  finite('stage.weight', input.stage?.weight, 'a percentage from 0 to 100', (v) => v >= 0 && v <= 100);
  finite('stage.startedAt', input.stage.startedAt, 'epoch milliseconds', nonNegative);
  finite('stage.minBakeMs', input.stage.minBakeMs, 'milliseconds ≥ 0', nonNegative);
  finite('stage.holdLimitMs', input.stage.holdLimitMs, 'milliseconds ≥ 0', nonNegative);
  if (input.stage.rolloutStartedAt !== undefined)
    finite(
      'stage.rolloutStartedAt',
      input.stage.rolloutStartedAt,
      'epoch milliseconds, at or before stage.startedAt',
      (v) => v >= 0 && v <= input.stage.startedAt,
    );
  if (input.slowThresholdMs !== undefined) finite('slowThresholdMs', input.slowThresholdMs, 'milliseconds above 0', (v) => v > 0);
  const buckets = (group: 'canary' | 'baseline', list: JudgeInput['canary']) => {
    if (!Array.isArray(list)) throw new JudgeInputError(`${group} is ${JSON.stringify(list)}; accepted: an array of minute buckets`, group);
    list.forEach((b, i) => {
      const at = `${group}[${i}]`;
      finite(`${at}.start`, b.start, 'epoch milliseconds', nonNegative);
      finite(`${at}.requests`, b.requests, 'a count ≥ 0', nonNegative);
      finite(`${at}.errors`, b.errors, 'a count ≥ 0', nonNegative);
      for (const key of ['slowRequests', 'p95Ms', 'healthyHosts', 'unhealthyHosts'] as const) {
        if (b[key] !== undefined) finite(`${at}.${key}`, b[key], 'a number ≥ 0 or absent', nonNegative);
      }
    });
  };
  buckets('canary', input.canary);
  buckets('baseline', input.baseline);
  if (input.canaryTargets) {
    finite('canaryTargets.healthy', input.canaryTargets.healthy, 'a count ≥ 0', nonNegative);
    finite('canaryTargets.unhealthy', input.canaryTargets.unhealthy, 'a count ≥ 0', nonNegative);
  }
  finite('policy.maxErrorRatePercent', policy.maxErrorRatePercent, 'a percentage above 0 and at most 100', (v) => v > 0 && v <= 100);
  finite('policy.maxP95Ms', policy.maxP95Ms, 'milliseconds above 0', (v) => v > 0);
  finite('policy.minRequests', policy.minRequests, 'a whole number ≥ 0', (v) => v >= 0 && Number.isInteger(v));
  finite('policy.maxErrorIncreasePp', policy.maxErrorIncreasePp, 'percentage points from 0 to 100', (v) => v >= 0 && v <= 100);
  finite('policy.maxLatencyRatio', policy.maxLatencyRatio, 'a ratio ≥ 1 (1.5 tolerates a 1.5× slower p95)', (v) => v >= 1);
  if (policy.alpha !== undefined) finite('policy.alpha', policy.alpha, 'a probability between 0 and 1 exclusive', (v) => v > 0 && v < 1);
}
