/**
 * The comparison of a value statistic of the service's own metrics (Average, pNN) with the
 * original: the latency test's construction (`shareBeyondTest`) on the metric's samples. E is
 * (1 + tolerance) × the original's statistic over its history (1 − tolerance when lower is worse),
 * fixed before the rollout; each minute the tick reads, per version, the samples (SampleCount) and
 * those beyond E (`TC(E:)` or `TC(:E)`). A pNN within E leaves at most (100 − NN)% of samples
 * beyond it, an Average is compared at its median (50%). The test rolls back when the canary's share
 * beyond E exceeds that share with evidence ≥ 1/α, spanning two minutes: a change of the statistic
 * beyond the tolerance, relative to the original, that noise shared by both versions cancels.
 * Pure: no AWS imports, no clock.
 */
import { type CustomMetricSpec, toleratedShareOf, valueThresholdOf } from '../custom-metrics';
import type { RolloutData } from './data';
import type { PairedCounts, SingleCounts } from './evidence';
import { evidence, percent, rateWithCounts } from './format';
import { detectableIncrease, exposureOf } from './power';
import { shareBeyondTest, type Thresholds } from './rollback';
import type { MinuteBucket, Reason } from './types';

/**
 * Alternatives θ_k of the comparison, relative to θ₀: finer than the error test's (1.5 … 50), since
 * a KPI that falls 20% is a ratio of 1.25, and a mixture with more alternatives stays valid.
 */
export const CUSTOM_RATIO_ALTERNATIVES: readonly number[] = [1.1, 1.2, 1.35, 1.5, 2, 3, 5, 10];
const RULES_OUT_POWER = 0.9;

/** A minute's samples and those beyond E, when the tick read them. */
function beyondCounts(spec: CustomMetricSpec, bucket: MinuteBucket): SingleCounts | undefined {
  const point = bucket.custom?.[spec.name];
  if (point?.samples === undefined || point.beyond === undefined || point.samples <= 0) return undefined;
  return { trials: Math.round(point.samples), events: Math.round(Math.min(point.beyond, point.samples)) };
}

/** What the comparison is, in words: "p95 above 240" or "Average (at its median) below 80". */
function comparedText(spec: CustomMetricSpec, threshold: number): string {
  const side = spec.compare?.worse === 'lower' ? 'below' : 'above';
  return `${spec.metricName} ${spec.statistic === 'Average' ? 'samples' : `samples (${spec.statistic})`} ${side} ${+threshold.toPrecision(4)}`;
}

export interface ValueComparison {
  readonly reason: Reason;
  readonly rulesOut?: string;
}

/** The comparison of a compared value metric with the original; undefined when the metric is not one. */
export function valueComparison(data: RolloutData, spec: CustomMetricSpec, t: Thresholds): ValueComparison | undefined {
  const tolerated = toleratedShareOf(spec);
  if (tolerated === undefined || !spec.compare) return undefined;
  const check = `metric:${spec.name}`;
  const tolerance = spec.compare.tolerancePercent / 100;
  const lower = spec.compare.worse === 'lower';
  const direction = lower ? 'lower' : 'higher';
  const threshold = valueThresholdOf(spec, data.baseline, data.rolloutStartedAt);
  const bar = 1 / t.alphas.latency;
  const barText = `evidence ≥ ${evidence(bar)} (≥ ${evidence(Math.sqrt(bar))} without its strongest minute) that the canary's ${spec.statistic} is ${direction} than the original's by more than ${percent(tolerance)}`;
  if (threshold === undefined) {
    return {
      reason: {
        check,
        status: 'pass',
        observed: `no ${spec.statistic} of the original's history to compare with`,
        bar: barText,
        detail: `${spec.name}: the original published no ${spec.statistic} of ${spec.metricName} in its hour before the first shift: the comparison sets its threshold from that hour, so only the bars apply.`,
      },
    };
  }
  const pairs = data.paired.flatMap(({ canary, baseline }) => {
    const c = beyondCounts(spec, canary);
    const b = beyondCounts(spec, baseline);
    return c && b ? [{ canaryTrials: c.trials, canaryEvents: c.events, baselineTrials: b.trials, baselineEvents: b.events }] : [];
  });
  const compared = comparedText(spec, threshold);
  if (pairs.length === 0) {
    return {
      reason: {
        check,
        status: 'pass',
        observed: "no minute with both versions' samples yet",
        bar: barText,
        detail: `${spec.name}: no paired minutes of both versions' ${spec.metricName} samples yet (is ${spec.versionDimension} published by both?).`,
      },
    };
  }
  const originalMinutes = data.baseline.flatMap((b) => beyondCounts(spec, b) ?? []);
  const original = originalMinutes.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), {
    trials: 0,
    events: 0,
  });
  const baselineShare = original.trials ? original.events / original.trials : 0;
  // A share cannot pass 100%: alternatives beyond 1 / tolerated share are impossible and would only dilute the mixture.
  const alternatives = CUSTOM_RATIO_ALTERNATIVES.filter((k) => k * tolerated <= 1);
  const reading = shareBeyondTest(pairs, { baselineShare, toleratedShare: tolerated, history: originalMinutes, bar, alternatives });
  const c = reading.totals;
  const observed = `${compared}: canary ${rateWithCounts(c.canaryEvents, c.canaryTrials)} vs original ${rateWithCounts(c.baselineEvents, c.baselineTrials)} since the first shift (tolerated ${percent(tolerated)}), evidence ${evidence(reading.found.value)}`;
  const e = +threshold.toPrecision(4);
  const detail =
    reading.status === 'fail'
      ? `${spec.name}: the canary's ${spec.statistic} of ${spec.metricName} is ${direction} than ${percent(tolerance)} beyond the original's: ${percent(reading.canaryShare)} of its samples are ${lower ? 'below' : 'above'} ${e} (tolerated ${percent(tolerated)}), evidence ${evidence(reading.found.value)} ≥ ${evidence(bar)}.`
      : reading.status === 'hold'
        ? `${spec.name} may be ${direction} than the original's beyond the tolerance (${percent(reading.canaryShare)} of samples ${lower ? 'below' : 'above'} ${e}, evidence ${evidence(reading.found.value)} of ${evidence(bar)}): holding until the test decides.`
        : `${spec.name}: no change of its ${spec.statistic} beyond the ${percent(tolerance)} tolerated found (${percent(reading.canaryShare)} of canary samples ${lower ? 'below' : 'above'} ${e}, tolerated ${percent(tolerated)}).`;
  return {
    reason: { check, status: reading.status, observed, bar: barText, detail },
    ...ruledOut(spec, pairs, baselineShare, reading.nullRatio, tolerated, e, t),
  };
}

/** "≥ 12% of orders-latency samples above 240": the share beyond E the rollout so far catches with 90% probability. */
function ruledOut(
  spec: CustomMetricSpec,
  pairs: readonly PairedCounts[],
  baselineShare: number,
  nullRatio: number,
  tolerated: number,
  threshold: number,
  t: Thresholds,
): { rulesOut?: string } {
  if (!(baselineShare > 0)) return {};
  const exposure = exposureOf(pairs.map((m) => ({ canaryRequests: m.canaryTrials, baselineRequests: m.baselineTrials })));
  const increase = detectableIncrease(exposure, {
    baselineRate: baselineShare,
    nullRatio,
    dispersion: 1,
    alpha: t.alphas.latency,
    power: RULES_OUT_POWER,
  });
  if (increase === undefined) return {};
  const side = spec.compare?.worse === 'lower' ? 'below' : 'above';
  return { rulesOut: `≥ ${percent(Math.min(1, tolerated + increase))} of ${spec.name} samples ${side} ${threshold}` };
}
