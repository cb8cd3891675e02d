/**
 * What `canary plan` says of the service's own metrics: for each comparison with the original,
 * the smallest change the plan's partial-traffic stages catch with 90% probability by the final
 * shift, at a few event rates per request (the metric's own rate is not known before it is
 * published). The same power model as the error test's figures (plan-detection.ts), with the
 * error test's alternatives: conservative for the comparisons' finer ones. Pure.
 */
import type { CustomMetricSpec } from '../custom-metrics';
import { type JudgePolicy, RULES_OUT_POWER, thresholdsOf } from '../judge';
import { detectableIncrease } from '../judge/power';
import type { CompiledPlan } from '../rollout-plan';
import { exposureUpTo, planSteps } from './detection';

/** Events per request the figures are given at: 1 and 10 per 100 requests. */
export const PLAN_METRIC_RATES: readonly number[] = [0.01, 0.1];

export interface MetricDetection {
  readonly name: string;
  readonly worse: 'higher' | 'lower';
  readonly tolerance: number;
  /** Per rate, the smallest relative change caught (0.14 = 14%); undefined when out of reach. */
  readonly byRate: ReadonlyArray<{ readonly eventsPerRequest: number; readonly change?: number }>;
}

export function metricDetections(
  plan: CompiledPlan,
  requestsPerMinute: number,
  specs: readonly CustomMetricSpec[],
  policy: JudgePolicy,
): MetricDetection[] {
  const steps = planSteps(plan);
  const exposure = exposureUpTo(
    steps,
    requestsPerMinute,
    steps.reduce((sum, s) => sum + s.bakeMinutes, 0),
  );
  const alpha = thresholdsOf(policy).alphas.errors;
  return specs
    .filter((spec) => spec.compare && spec.versionDimension && spec.action === 'rollback')
    .map((spec) => {
      const { tolerancePercent, worse } = spec.compare!;
      const tolerance = tolerancePercent / 100;
      const lower = worse === 'lower';
      const nullRatio = lower ? 1 / (1 - tolerance) : 1 + tolerance;
      // Harm is lower: the test runs with the groups swapped (the original's rate above θ₀ × the canary's).
      const tested = lower
        ? exposure.map((e) => ({ minutes: e.minutes, canaryRequests: e.baselineRequests, baselineRequests: e.canaryRequests }))
        : exposure;
      const byRate = PLAN_METRIC_RATES.map((rate) => {
        const increase = detectableIncrease(tested, { baselineRate: rate, nullRatio, dispersion: 1, alpha, power: RULES_OUT_POWER });
        if (increase === undefined) return { eventsPerRequest: rate };
        const ratio = nullRatio + increase / rate;
        return { eventsPerRequest: rate, change: lower ? 1 - 1 / ratio : ratio - 1 };
      });
      return { name: spec.name, worse, tolerance, byRate };
    });
}

/** The plan's lines for the metrics (none without comparisons). */
export function metricDetectionLines(detections: readonly MetricDetection[]): string[] {
  if (detections.length === 0) return [];
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
  return [
    'metrics compared with the original: the smallest change caught with 90% probability by the final shift',
    ...detections.map(
      (d) =>
        `  ${d.name} (${d.worse} is worse, ${pct(d.tolerance)} tolerated): ` +
        d.byRate
          .map(
            (r) =>
              `${r.change === undefined ? 'none' : `${d.worse === 'lower' ? 'a fall' : 'a rise'} of ${pct(r.change)}`} at ${+(r.eventsPerRequest * 100).toFixed(2)} events per 100 requests`,
          )
          .join(', '),
    ),
  ];
}
