/**
 * Kayenta's NetflixACAJudge with the Mann-Whitney classifier, as its source describes it: per
 * metric, a 98% Mann-Whitney confidence interval on the shift canary − baseline of the per-minute
 * values, with the Hodges–Lehmann estimate; a metric is High when the interval's lower end is
 * above the tolerance 0.25·|estimate| and the effect size (mean ratio canary/baseline) is ≥ 1 —
 * undefined, hence never met, when the baseline's mean is 0. Score = 100 × passing metrics /
 * metrics with data; ≥ 95 passes, ≥ 75 is marginal; a marginal or failing score stops the
 * rollout (rollback). Metrics: error rate and p95 latency. Run every minute once each group has
 * 3 minutes; promote when the bake is over and the score passes. In the post-traffic bake there
 * is no concurrent original: the control is the original's minutes before it (its hour of history
 * and the rollout's earlier stages), as a Kayenta control scope may be any time window.
 */
import { bakePassed, BenchJudge, PeerBucket, PeerInput, PeerVerdict, stageMinutes } from './types';

export const KAYENTA_CONFIDENCE = 0.98;
export const KAYENTA_TOLERANCE_FRACTION = 0.25;
export const KAYENTA_PASS_SCORE = 95;
export const KAYENTA_MARGINAL_SCORE = 75;
const MIN_MINUTES = 3;
/** Two-sided standard normal quantile for 98%. */
const Z_98 = 2.326347874;

export interface ShiftInterval {
  lower: number;
  upper: number;
  /** Hodges–Lehmann estimate: median of all pairwise differences. */
  estimate: number;
}

/** Mann-Whitney (Wilcoxon rank-sum) confidence interval for the shift x − y (normal approximation). */
export function mannWhitneyShift(experiment: readonly number[], control: readonly number[], z = Z_98): ShiftInterval {
  const differences: number[] = [];
  for (const x of experiment) for (const y of control) differences.push(x - y);
  differences.sort((a, b) => a - b);
  const m = experiment.length;
  const n = control.length;
  const total = differences.length;
  const middle = total % 2 ? differences[(total - 1) / 2] : (differences[total / 2 - 1] + differences[total / 2]) / 2;
  const k = Math.floor((m * n) / 2 - z * Math.sqrt((m * n * (m + n + 1)) / 12));
  if (k < 1) return { lower: -Infinity, upper: Infinity, estimate: middle };
  return { lower: differences[k - 1], upper: differences[total - k], estimate: middle };
}

export type MetricClass = 'Pass' | 'High' | 'Nodata';

export function classifyIncrease(experiment: readonly number[], control: readonly number[]): MetricClass {
  if (experiment.length === 0 || control.length === 0) return 'Nodata';
  if (experiment.length === control.length && experiment.every((v, i) => v === control[i])) return 'Pass';
  const interval = mannWhitneyShift(experiment, control);
  const tolerance = KAYENTA_TOLERANCE_FRACTION * Math.abs(interval.estimate);
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const controlMean = mean(control);
  const effectSize = controlMean > 0 ? mean(experiment) / controlMean : Number.NaN;
  return interval.lower > tolerance && effectSize >= 1 ? 'High' : 'Pass';
}

const METRICS: ReadonlyArray<{ name: string; value: (b: PeerBucket) => number | undefined }> = [
  { name: 'error rate', value: (b) => (b.requests > 0 ? b.errors / b.requests : undefined) },
  { name: 'p95 latency', value: (b) => b.p95Ms },
];

/** The original's minutes with requests before the stage, oldest first. */
function controlBefore(input: PeerInput): PeerBucket[] {
  return input.baseline.filter((b) => b.requests > 0 && b.start + 60_000 <= input.stage.startedAt).sort((a, b) => a.start - b.start);
}

export const kayenta: BenchJudge = {
  name: 'Kayenta MW',
  decide(input: PeerInput): PeerVerdict {
    const canary = stageMinutes(input, 'canary');
    const baseline = input.stage.weight >= 100 ? controlBefore(input) : stageMinutes(input, 'baseline');
    if (canary.length < MIN_MINUTES || baseline.length < MIN_MINUTES) return { decision: 'hold', reason: 'collecting' };
    const values = (buckets: PeerBucket[], pick: (b: PeerBucket) => number | undefined) =>
      buckets.map(pick).filter((v): v is number => v !== undefined);
    const classes = METRICS.map((metric) => ({
      name: metric.name,
      cls: classifyIncrease(values(canary, metric.value), values(baseline, metric.value)),
    }));
    const scored = classes.filter((c) => c.cls !== 'Nodata');
    const score = scored.length === 0 ? 100 : (100 * scored.filter((c) => c.cls === 'Pass').length) / scored.length;
    const high = classes
      .filter((c) => c.cls === 'High')
      .map((c) => c.name)
      .join(', ');
    if (score < KAYENTA_MARGINAL_SCORE) return { decision: 'rollback', reason: `score ${score} (fail): ${high} high` };
    if (score < KAYENTA_PASS_SCORE) return { decision: 'rollback', reason: `score ${score} (marginal): ${high} high` };
    return bakePassed(input) ? { decision: 'promote', reason: `score ${score}` } : { decision: 'hold', reason: `score ${score}, baking` };
  },
};
