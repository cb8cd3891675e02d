/**
 * The judge's checks of the service's own metrics (`metrics:`), one reason per metric and check,
 * named `metric:<name>`, with the judge's own tests rather than new ones:
 *
 * - comparison with the original of a value (Average, pNN): the latency test on the samples beyond
 *   a threshold set from the original's history (custom-values.ts);
 * - comparison with the original (counts: a ratio's parts, or a Sum per request of each version):
 *   the error test's conditional sequential test of the canary's share of each minute's events,
 *   against θ₀ = 1 + tolerance (harm is higher) or, with the groups swapped, θ₀ = 1 / (1 − tolerance)
 *   (harm is lower), noise-discounted like the error test, over every paired minute of the rollout;
 * - a ratio's absolute bar: the post-traffic bake's reference test of the canary's rate against
 *   the bar, exempt when the original breaks it too (its history or its concurrent minutes);
 * - any other bar: the p95 bar's rule, beyond the bar in 3 of the last 4 data-minutes, leaving
 *   out minutes in which the original is beyond it too.
 *
 * `action: warn` metrics never fail or hold: their breaches are returned as warnings.
 * Pure: no AWS imports, no clock.
 */
import { type CustomMetricSpec, type CustomPoint, toleratedShareOf } from '../custom-metrics';
import { CUSTOM_RATIO_ALTERNATIVES, valueComparison } from './custom-values';
import type { RolloutData } from './data';
import { conditionalEvidence, type PairedCounts, referenceEvidence, type SingleCounts } from './evidence';
import { evidence, percent, rateWithCounts } from './format';
import { detectableIncrease, exposureOf } from './power';
import { MIN_CANARY_EVENTS, status, type Thresholds } from './rollback';
import { referenceDispersion, relativeExtraVariance, splitDispersions } from './stats';
import type { MinuteBucket, Reason } from './types';

/** A value bar rolls back when beyond it in this many of the last BAR_WINDOW data-minutes. */
export const BAR_MINUTES = 3;
export const BAR_WINDOW = 4;
const RULES_OUT_POWER = 0.9;

export interface CustomChecks {
  readonly reasons: Reason[];
  readonly warnings: Array<{ metric: string; detail: string }>;
  /** "≥ +12% session-errors" per compared metric with enough data. */
  readonly rulesOut: string[];
}

const pointOf = (bucket: MinuteBucket, name: string): CustomPoint | undefined => bucket.custom?.[name];

/** A minute of a counted metric as trials and events: a ratio's parts, or a Sum per request. */
function countsOf(spec: CustomMetricSpec, bucket: MinuteBucket): SingleCounts | undefined {
  const point = pointOf(bucket, spec.name);
  if (!point) return undefined;
  if (spec.ratio) {
    if (point.denominator === undefined || point.numerator === undefined) return undefined;
    return { trials: Math.round(point.denominator), events: Math.round(Math.min(point.numerator, point.denominator)) };
  }
  return point.value === undefined ? undefined : { trials: bucket.requests, events: Math.round(point.value) };
}

export function customMetricChecks(data: RolloutData, specs: readonly CustomMetricSpec[], t: Thresholds): CustomChecks {
  const reasons: Reason[] = [];
  const warnings: Array<{ metric: string; detail: string }> = [];
  const rulesOut: string[] = [];
  for (const spec of specs) {
    const own: Reason[] = [];
    if (spec.max !== undefined || spec.min !== undefined) own.push(spec.ratio ? ratioBarCheck(data, spec, t) : valueBarCheck(data, spec));
    if (spec.compare && spec.versionDimension && !data.postTraffic) {
      const compared = toleratedShareOf(spec) !== undefined ? valueComparison(data, spec, t) : comparison(data, spec, t);
      if (compared) {
        own.push(compared.reason);
        if (compared.rulesOut) rulesOut.push(compared.rulesOut);
      }
    }
    for (const reason of own) {
      if (spec.action === 'warn' && reason.status !== 'pass') {
        if (reason.status === 'fail') warnings.push({ metric: spec.name, detail: reason.detail });
        reasons.push({ ...reason, status: 'pass', detail: `warning only (action: warn): ${reason.detail}` });
      } else {
        reasons.push(reason);
      }
    }
  }
  return { reasons, warnings, rulesOut };
}

interface Comparison {
  readonly reason: Reason;
  readonly rulesOut?: string;
}

/** The conditional test of the canary against the original on a counted metric (see the file's comment). */
function comparison(data: RolloutData, spec: CustomMetricSpec, t: Thresholds): Comparison | undefined {
  const compare = spec.compare!;
  const tolerance = compare.tolerancePercent / 100;
  const lower = compare.worse === 'lower';
  if (lower && tolerance >= 1) return undefined;
  const pairs = data.paired.flatMap(({ canary, baseline }) => {
    const c = countsOf(spec, canary);
    const b = countsOf(spec, baseline);
    return c && b ? [{ c, b }] : [];
  });
  if (pairs.length === 0) {
    return {
      reason: {
        check: `metric:${spec.name}`,
        status: 'pass',
        observed: "no minute with both versions' points yet",
        bar: barText(spec),
        detail: `${spec.name}: no paired minutes of both versions yet (is ${spec.versionDimension} published by both?).`,
      },
    };
  }
  // Harm as "the test's canary rate above θ₀ × the test's baseline rate": swapped when harm is lower.
  const counts: PairedCounts[] = pairs.map(({ c, b }) =>
    lower
      ? { canaryTrials: b.trials, canaryEvents: b.events, baselineTrials: c.trials, baselineEvents: c.events }
      : { canaryTrials: c.trials, canaryEvents: c.events, baselineTrials: b.trials, baselineEvents: b.events },
  );
  const nullRatio = lower ? 1 / (1 - tolerance) : 1 + tolerance;
  const history = data.baseline.filter((b) => b.start < data.rolloutStartedAt).flatMap((b) => countsOf(spec, b) ?? []);
  const extra = relativeExtraVariance(history);
  const dispersions = splitDispersions(counts, extra, nullRatio);
  const found = conditionalEvidence(counts, { nullRatio, dispersion: 1, dispersions, alternatives: CUSTOM_RATIO_ALTERNATIVES });
  const canary = pairs.reduce((s, p) => ({ trials: s.trials + p.c.trials, events: s.events + p.c.events }), { trials: 0, events: 0 });
  const original = pairs.reduce((s, p) => ({ trials: s.trials + p.b.trials, events: s.events + p.b.events }), { trials: 0, events: 0 });
  const canaryRate = canary.trials ? canary.events / canary.trials : 0;
  const originalRate = original.trials ? original.events / original.trials : 0;
  const change = originalRate > 0 ? canaryRate / originalRate - 1 : canaryRate > 0 ? Infinity : 0;
  // The harmful ratio, its standard error on the log scale, and whether it may still reach θ₀.
  const harmRatio = lower ? (canaryRate > 0 ? originalRate / canaryRate : Infinity) : 1 + change;
  const testEvents = counts.reduce((s, m) => ({ c: s.c + m.canaryEvents, b: s.b + m.baselineEvents }), { c: 0, b: 0 });
  const se = Math.sqrt(1 / Math.max(1, testEvents.c) + 1 / Math.max(1, testEvents.b));
  const shown = lower ? -change >= tolerance : change >= tolerance;
  const near = Math.log(Math.max(harmRatio, 1e-9)) + 2 * se >= Math.log(nullRatio);
  const bar = 1 / t.alphas.errors;
  const verdict = status(found, bar, shown, near, testEvents.c >= MIN_CANARY_EVENTS);
  const unit = spec.ratio ? `${spec.ratio.numerator}/${spec.ratio.denominator}` : `${spec.metricName} per request`;
  const signed = Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%` : '+∞';
  const observed = `${spec.name} (${unit}): canary ${rateWithCounts(canary.events, canary.trials)} vs original ${rateWithCounts(original.events, original.trials)} since the first shift (${signed}), evidence ${evidence(found.value)}`;
  const direction = lower ? 'lower' : 'higher';
  const detail =
    verdict === 'fail'
      ? `${spec.name}: the canary's ${unit} is ${percent(canaryRate)} vs the original's ${percent(originalRate)} (${signed}), ${direction} by more than the ${percent(tolerance)} tolerated, evidence ${evidence(found.value)} ≥ ${evidence(bar)}.`
      : verdict === 'hold'
        ? `${spec.name} may be ${direction} than the original's (${signed}, evidence ${evidence(found.value)} of ${evidence(bar)}): holding until the test decides.`
        : `${spec.name}: no change beyond the ${percent(tolerance)} tolerated found (${signed}, evidence ${evidence(found.value)} of ${evidence(bar)}).`;
  const reason: Reason = {
    check: `metric:${spec.name}`,
    status: verdict,
    observed,
    bar: `evidence ≥ ${evidence(bar)} (≥ ${evidence(Math.sqrt(bar))} without its strongest minute) that the canary is ${direction} by more than ${percent(tolerance)}`,
    detail,
  };
  const testBaseline = lower ? canary : original;
  const baselineRate = testBaseline.trials ? Math.max(testBaseline.events, 0.5) / testBaseline.trials : 0;
  const exposure = exposureOf(counts.map((m) => ({ canaryRequests: m.canaryTrials, baselineRequests: m.baselineTrials })));
  const increase =
    baselineRate > 0 && baselineRate < 1
      ? detectableIncrease(exposure, {
          baselineRate,
          nullRatio,
          dispersion: dispersions[dispersions.length - 1] ?? 1,
          alpha: t.alphas.errors,
          power: RULES_OUT_POWER,
        })
      : undefined;
  if (increase === undefined) return { reason };
  // The canary's detectable rate is θ₀ × the test's baseline rate + the increase.
  const ratio = nullRatio + increase / baselineRate;
  const text = lower ? `a ${percent(1 - 1 / ratio)} fall of ${spec.name}` : `a ${percent(ratio - 1)} rise of ${spec.name}`;
  return { reason, rulesOut: text };
}

function barText(spec: CustomMetricSpec): string {
  const unit = spec.ratio ? '%' : '';
  return [spec.max !== undefined ? `≤ ${spec.max}${unit}` : '', spec.min !== undefined ? `≥ ${spec.min}${unit}` : '']
    .filter(Boolean)
    .join(' and ');
}

/**
 * A ratio's bar: the reference test of the canary's rate over the rollout against the bar (for
 * `min`, of its complement), exempt when the original breaks the bar too.
 */
function ratioBarCheck(data: RolloutData, spec: CustomMetricSpec, t: Thresholds): Reason {
  const check = `metric:${spec.name}`;
  const canaryCounts = data.canary.flatMap((b) => countsOf(spec, b) ?? []);
  const canary = canaryCounts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
  const rate = canary.trials ? canary.events / canary.trials : 0;
  const bars = [
    ...(spec.max !== undefined
      ? [{ beyond: (r: number) => r > spec.max! / 100, p0: spec.max / 100, flip: false, word: 'above', bar: spec.max }]
      : []),
    ...(spec.min !== undefined
      ? [{ beyond: (r: number) => r < spec.min! / 100, p0: 1 - spec.min / 100, flip: true, word: 'below', bar: spec.min }]
      : []),
  ];
  const observed = `${spec.name}: canary ${rateWithCounts(canary.events, canary.trials)} since the first shift`;
  const historyCounts = totalsOf(data.baseline.filter((b) => b.start < data.rolloutStartedAt).flatMap((b) => countsOf(spec, b) ?? []));
  const concurrent = totalsOf(data.paired.flatMap(({ baseline }) => countsOf(spec, baseline) ?? []));
  for (const b of bars) {
    const ownRate = [historyCounts, concurrent].find((c) => c.trials > 0 && b.beyond(c.events / c.trials));
    if (ownRate) {
      return {
        check,
        status: 'pass',
        observed,
        bar: barText(spec),
        detail: `${spec.name}: the original is itself ${b.word} ${b.bar}% (${rateWithCounts(ownRate.events, ownRate.trials)}): the bar cannot roll back what the original does too; the comparison decides.`,
      };
    }
    const counts = canaryCounts.map((m) => (b.flip ? { trials: m.trials, events: m.trials - m.events } : m));
    const p0 = Math.min(Math.max(b.p0, 1e-6), 1 - 1e-6);
    const extra = relativeExtraVariance(
      data.baseline.flatMap((x) => countsOf(spec, x) ?? []).map((m) => (b.flip ? { trials: m.trials, events: m.trials - m.events } : m)),
      { keepSpikes: true },
    );
    const found = referenceEvidence(counts, { rate: p0, dispersion: referenceDispersion(counts, p0, extra, 0) });
    const testRate = b.flip ? 1 - rate : rate;
    const testEvents = b.flip ? canary.trials - canary.events : canary.events;
    const se = Math.sqrt((p0 * (1 - p0)) / Math.max(1, canary.trials));
    const barValue = 1 / t.alphas.errorBar;
    const verdict = status(found, barValue, b.beyond(rate), testRate + 2 * se > p0, testEvents >= MIN_CANARY_EVENTS);
    if (verdict === 'pass') continue;
    const detail =
      verdict === 'fail'
        ? `${spec.name} is ${percent(rate)} on the canary, ${b.word} the ${b.bar}% bar (evidence ${evidence(found.value)} ≥ ${evidence(barValue)}).`
        : `${spec.name} may be ${b.word} the ${b.bar}% bar on the canary (${percent(rate)}, evidence ${evidence(found.value)}): holding until the test decides.`;
    return {
      check,
      status: verdict,
      observed: `${observed}, evidence ${evidence(found.value)}`,
      bar: `${barText(spec)} (evidence ≥ ${evidence(barValue)})`,
      detail,
    };
  }
  return { check, status: 'pass', observed, bar: barText(spec), detail: `${spec.name} within ${barText(spec)} on the canary.` };
}

function totalsOf(counts: readonly SingleCounts[]): SingleCounts {
  return counts.reduce((s, m) => ({ trials: s.trials + m.trials, events: s.events + m.events }), { trials: 0, events: 0 });
}

/** A value's bar: beyond it in 3 of the canary's last 4 data-minutes (minutes the original is beyond too left out). */
function valueBarCheck(data: RolloutData, spec: CustomMetricSpec): Reason {
  const check = `metric:${spec.name}`;
  const beyond = (v: number) => (spec.max !== undefined && v > spec.max) || (spec.min !== undefined && v < spec.min);
  const originalAt = new Map(data.baseline.map((b) => [b.start, pointOf(b, spec.name)?.value]));
  const recent = data.stage
    .filter((b) => pointOf(b, spec.name)?.value !== undefined)
    .slice(-BAR_WINDOW)
    .filter((b) => !beyond(originalAt.get(b.start) ?? Number.NaN));
  const values = recent.map((b) => pointOf(b, spec.name)!.value as number);
  const over = values.filter(beyond).length;
  const observed = values.length
    ? `${spec.name} (${spec.statistic}) of the canary's last ${values.length} minutes: ${values.map((v) => +v.toPrecision(4)).join(', ')}`
    : `no ${spec.name} points at this weight yet`;
  const bar = `${barText(spec)} (rollback if beyond in ${BAR_MINUTES} of the last ${BAR_WINDOW} minutes)`;
  if (over >= BAR_MINUTES)
    return {
      check,
      status: 'fail',
      observed,
      bar,
      detail: `${spec.name} was beyond ${barText(spec)} in ${over} of the canary's last ${values.length} minutes.`,
    };
  if (over > 0)
    return {
      check,
      status: 'hold',
      observed,
      bar,
      detail: `${spec.name} was beyond ${barText(spec)} in ${over} recent minute(s); waiting to see whether it persists.`,
    };
  return { check, status: 'pass', observed, bar, detail: `${spec.name} within ${barText(spec)}.` };
}
