/**
 * The judge: promote, hold or roll back a canary stage from canary-vs-baseline minute buckets.
 *
 * Algorithm (`shared/design/judge.md`): an anytime-valid sequential mixture likelihood-ratio test
 * on error counts, conditional on each minute's total errors (shared shocks cancel, zero-error
 * baselines work), with per-minute factors capped at 20 and the log-evidence divided by the
 * baseline's measured dispersion; the same test on slow-request counts against the tolerated
 * latency ratio, sustained 3 minutes; a catastrophe rule; the policy's absolute bars; target
 * health. A promotion needs the bake, the minimum requests, an always-valid upper bound on the
 * canary's error rate within the tolerated increase, and clean latency and health. Otherwise the
 * judge holds, and rolls back "insufficient evidence" once the hold limit after the bake expires.
 *
 * Pure: no AWS imports, no clock (`now` is an input). Deterministic and cheap to run every minute.
 */
import {
  bakeCheck, catastropheCheck, errorCheck, errorRateBarCheck, healthCheck, latencyCheck,
  minRequestsCheck, p95BarCheck, stageData, Thresholds,
} from './judge/checks';
import { errorBoundCheck } from './judge/promotion';
import { duration } from './judge/format';
import type { JudgeInput, JudgePolicy, MinuteBucket, Reason, Verdict } from './judge/types';

export type {
  CheckName, CheckStatus, Decision, JudgeInput, JudgePolicy, MinuteBucket, Reason, StageInput, Verdict,
} from './judge/types';

/** Default false-rollback probability per stage (≈ 1% per three-stage rollout). */
export const DEFAULT_ALPHA = 0.0033;
/** Default probability that the promotion bound passes a canary worse than tolerated. */
export const DEFAULT_PROMOTE_ALPHA = 0.05;

/** Bad judge input or policy; names the field, the value and what is accepted. */
export class JudgeInputError extends Error {
  constructor(message: string, readonly field: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JudgeInputError';
  }
}

/**
 * Decides a stage. Throws `JudgeInputError` on malformed input (negative or non-finite counts,
 * a policy out of range); never on sparse or missing data, which it treats as "hold".
 */
export function judge(input: JudgeInput, policy: JudgePolicy): Verdict {
  validate(input, policy);
  const thresholds: Thresholds = {
    alpha: policy.alpha ?? DEFAULT_ALPHA,
    promoteAlpha: policy.promoteAlpha ?? DEFAULT_PROMOTE_ALPHA,
    maxErrorRate: policy.maxErrorRatePercent / 100,
    maxP95Ms: policy.maxP95Ms,
    minRequests: policy.minRequests,
    maxErrorIncrease: policy.maxErrorIncreasePp / 100,
    maxLatencyRatio: policy.maxLatencyRatio,
  };
  const data = stageData(input);
  const reasons: Reason[] = [
    errorCheck(data, thresholds),
    catastropheCheck(data),
    errorRateBarCheck(data, thresholds),
    p95BarCheck(data, thresholds),
    latencyCheck(data, thresholds),
    healthCheck(input, data),
    bakeCheck(input),
    minRequestsCheck(data, thresholds),
    errorBoundCheck(data, thresholds),
  ];
  const failed = reasons.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    return { decision: 'rollback', reasons, summary: `rollback: ${failed.map((r) => r.detail).join(' ')}` };
  }
  const holding = reasons.filter((r) => r.status === 'hold');
  if (holding.length === 0) {
    return {
      decision: 'promote', reasons,
      summary: `promote: ${data.canaryRequests} canary requests over ${duration(input.now - input.stage.startedAt)}, ${reasons.find((r) => r.check === 'error-bound')?.detail}`,
    };
  }
  const limitAt = input.stage.startedAt + input.stage.minBakeMs + input.stage.holdLimitMs;
  const waiting = holding.map((r) => r.detail).join(' ');
  if (input.now >= limitAt) {
    const expired: Reason = {
      check: 'hold-limit', status: 'fail',
      observed: `held ${duration(input.now - input.stage.startedAt - input.stage.minBakeMs)} after the bake`,
      bar: `≤ ${duration(input.stage.holdLimitMs)}`,
      detail: `insufficient evidence: after ${duration(input.now - input.stage.startedAt)} at ${input.stage.weight}% the canary `
        + `served ${data.canaryRequests} requests, still not enough to promote (${waiting}) `
        + `Hint: a service this quiet needs a larger first step or longer bakes.`,
    };
    reasons.push(expired);
    return { decision: 'rollback', reasons, summary: `rollback: ${expired.detail}` };
  }
  return {
    decision: 'hold', reasons,
    summary: `hold (${duration(limitAt - input.now)} left before the hold limit): ${waiting}`,
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
  const buckets = (group: 'canary' | 'baseline', list: MinuteBucket[]) => {
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
  finite('policy.maxLatencyRatio', policy.maxLatencyRatio, 'a ratio ≥ 1 (1.5 tolerates a 1.5× slower tail)', (v) => v >= 1);
  if (policy.alpha !== undefined) finite('policy.alpha', policy.alpha, 'a probability between 0 and 1 exclusive', (v) => v > 0 && v < 1);
  if (policy.promoteAlpha !== undefined) finite('policy.promoteAlpha', policy.promoteAlpha, 'a probability between 0 and 1 exclusive', (v) => v > 0 && v < 1);
}
