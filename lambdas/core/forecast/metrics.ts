/**
 * What `canary plan` says of the service's own metrics: for each comparison with the original,
 * the smallest change the plan's partial-traffic stages catch with 90% probability by the final
 * shift, at the metric's own rate measured over the service's last hour (`MetricHistory`, read
 * like the traffic), or, without that history, at a few assumed event rates per request, labelled
 * as assumptions. A compared value (Average, pNN) gets the share of its samples beyond E the
 * stages catch, at its measured samples per request and the original's measured share beyond E.
 * The same power model as the error test's figures (plan-detection.ts), with the error test's
 * alternatives: conservative for the comparisons' finer ones. Pure.
 */
import { type CustomMetricSpec, toleratedShareOf, valueThresholdOf } from '../custom-metrics';
import { type JudgePolicy, RULES_OUT_POWER, thresholdsOf } from '../judge';
import { detectableIncrease } from '../judge/power';
import type { MinuteBucket } from '../judge/types';
import type { CompiledPlan } from '../rollout-plan';
import { exposureUpTo, planSteps } from './detection';

/** Events per request the figures are given at: 1 and 10 per 100 requests. */
export const PLAN_METRIC_RATES: readonly number[] = [0.01, 0.1];

export interface MetricDetection {
  readonly name: string;
  readonly worse: 'higher' | 'lower';
  readonly tolerance: number;
  /** 'measured': at the metric's rate over the last hour; 'assumed': at PLAN_METRIC_RATES, without its history. */
  readonly basis: 'measured' | 'assumed';
  /**
   * Per rate, the smallest relative change caught (0.14 = 14%); undefined when out of reach. A
   * count's rate is its events per request; a ratio's is numerator per denominator, with
   * `trialsPerRequest` denominators a request.
   */
  readonly byRate: ReadonlyArray<{ readonly eventsPerRequest: number; readonly trialsPerRequest?: number; readonly change?: number }>;
  /** A compared value: E, the original's measured share beyond it, and the smallest share of canary samples beyond E caught. */
  readonly value?: {
    readonly threshold: number;
    readonly samplesPerRequest: number;
    readonly originalShare: number;
    readonly toleratedShare: number;
    readonly caughtShare?: number;
  };
}

/** What the last hour shows of one metric, service-wide: its events and trials (counts) or samples beyond E (values). */
export interface MetricHistory {
  /** Minutes with a point. */
  readonly minutes: number;
  /** Count: events per request; ratio: numerator per denominator. */
  readonly eventsPerRequest?: number;
  /** Ratio: denominators per request. */
  readonly trialsPerRequest?: number;
  /** Value: E, samples per request, and the share of samples beyond E. */
  readonly threshold?: number;
  readonly samplesPerRequest?: number;
  readonly beyondShare?: number;
}

/**
 * The metrics' history from the last hour's service-wide minutes (custom points attached as the
 * tick attaches them) and the requests of the same minutes. A metric with no point has none.
 */
export function metricHistories(
  specs: readonly CustomMetricSpec[],
  minutes: readonly MinuteBucket[],
  requestsPerMinute: number,
): Record<string, MetricHistory> {
  const histories: Record<string, MetricHistory> = {};
  for (const spec of specs) {
    const points = minutes.flatMap((b) => (b.custom?.[spec.name] ? [{ bucket: b, point: b.custom[spec.name] }] : []));
    const sum = (pick: (p: (typeof points)[number]['point']) => number | undefined) => points.reduce((s, p) => s + (pick(p.point) ?? 0), 0);
    const requests = requestsPerMinute * points.length;
    if (points.length === 0 || requests <= 0) continue;
    if (spec.ratio) {
      const trials = sum((p) => p.denominator);
      if (trials > 0)
        histories[spec.name] = {
          minutes: points.length,
          eventsPerRequest: sum((p) => p.numerator) / trials,
          trialsPerRequest: trials / requests,
        };
    } else if (toleratedShareOf(spec) !== undefined) {
      const threshold = valueThresholdOf(spec, minutes, Infinity);
      const samples = sum((p) => p.samples);
      if (threshold !== undefined && samples > 0)
        histories[spec.name] = {
          minutes: points.length,
          threshold,
          samplesPerRequest: samples / requests,
          beyondShare: sum((p) => p.beyond) / samples,
        };
    } else {
      histories[spec.name] = { minutes: points.length, eventsPerRequest: sum((p) => p.value) / requests };
    }
  }
  return histories;
}

export function metricDetections(
  plan: CompiledPlan,
  requestsPerMinute: number,
  specs: readonly CustomMetricSpec[],
  policy: JudgePolicy,
  histories?: Readonly<Record<string, MetricHistory>>,
): MetricDetection[] {
  const steps = planSteps(plan);
  const exposure = exposureUpTo(
    steps,
    requestsPerMinute,
    steps.reduce((sum, s) => sum + s.bakeMinutes, 0),
  );
  const alphas = thresholdsOf(policy).alphas;
  const scaled = (per: number) =>
    exposure.map((e) => ({ ...e, canaryRequests: e.canaryRequests * per, baselineRequests: e.baselineRequests * per }));
  return specs
    .filter((spec) => spec.compare && spec.versionDimension && spec.action === 'rollback')
    .map((spec): MetricDetection => {
      const { tolerancePercent, worse } = spec.compare!;
      const tolerance = tolerancePercent / 100;
      const history = histories?.[spec.name];
      const tolerated = toleratedShareOf(spec);
      if (tolerated !== undefined) {
        // A value: the latency test's figure, the share of canary samples beyond E caught.
        if (history?.threshold === undefined || !history.samplesPerRequest || history.beyondShare === undefined)
          return { name: spec.name, worse, tolerance, basis: 'assumed', byRate: [] };
        const share = Math.max(history.beyondShare, 0.001);
        const increase = detectableIncrease(scaled(history.samplesPerRequest), {
          baselineRate: share,
          nullRatio: tolerated / share,
          dispersion: 1,
          alpha: alphas.latency,
          power: RULES_OUT_POWER,
        });
        const value = {
          threshold: history.threshold,
          samplesPerRequest: history.samplesPerRequest,
          originalShare: history.beyondShare,
          toleratedShare: tolerated,
          ...(increase !== undefined ? { caughtShare: Math.min(1, tolerated + increase) } : {}),
        };
        return { name: spec.name, worse, tolerance, basis: 'measured', byRate: [], value };
      }
      const lower = worse === 'lower';
      const nullRatio = lower ? 1 / (1 - tolerance) : 1 + tolerance;
      const measured = history?.eventsPerRequest !== undefined && history.eventsPerRequest > 0 && history.eventsPerRequest < 1;
      const trialsPerRequest = measured ? (history.trialsPerRequest ?? 1) : 1;
      const base = scaled(trialsPerRequest);
      // Harm is lower: the test runs with the groups swapped (the original's rate above θ₀ × the canary's).
      const tested = lower
        ? base.map((e) => ({ minutes: e.minutes, canaryRequests: e.baselineRequests, baselineRequests: e.canaryRequests }))
        : base;
      const rates = measured ? [history.eventsPerRequest!] : PLAN_METRIC_RATES;
      const byRate = rates.map((rate) => {
        const shown = { eventsPerRequest: rate, ...(measured && history.trialsPerRequest !== undefined ? { trialsPerRequest } : {}) };
        const increase = detectableIncrease(tested, {
          baselineRate: rate,
          nullRatio,
          dispersion: 1,
          alpha: alphas.errors,
          power: RULES_OUT_POWER,
        });
        if (increase === undefined) return shown;
        const ratio = nullRatio + increase / rate;
        return { ...shown, change: lower ? 1 - 1 / ratio : ratio - 1 };
      });
      return { name: spec.name, worse, tolerance, basis: measured ? 'measured' : 'assumed', byRate };
    });
}

/** The plan's lines for the metrics (none without comparisons). */
export function metricDetectionLines(detections: readonly MetricDetection[], options: { readonly offline?: boolean } = {}): string[] {
  const noHistory = options.offline ? "offline, the metric's history is not read" : 'no history of the metric in the last hour';
  if (detections.length === 0) return [];
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
  const line = (d: MetricDetection): string => {
    const head = `  ${d.name} (${d.worse} is worse, ${pct(d.tolerance)} tolerated): `;
    if (d.value) {
      const side = d.worse === 'lower' ? 'below' : 'above';
      const e = +d.value.threshold.toPrecision(4);
      const caught =
        d.value.caughtShare === undefined
          ? `no share of samples ${side} ${e} is caught`
          : `${pct(d.value.caughtShare)} of canary samples ${side} ${e} caught (a statistic within the tolerance leaves ${pct(d.value.toleratedShare)})`;
      return `${head}${caught}, at the last hour's ${+d.value.samplesPerRequest.toPrecision(3)} samples a request, ${pct(d.value.originalShare)} of them ${side} ${e} on the original (measured)`;
    }
    if (d.byRate.length === 0)
      return `${head}${noHistory}: E and the original's share beyond it are set from the original's hour before the first shift, so no figure yet`;
    const figures = d.byRate
      .map((r) => {
        const change = r.change === undefined ? 'none' : `${d.worse === 'lower' ? 'a fall' : 'a rise'} of ${pct(r.change)}`;
        const per =
          r.trialsPerRequest !== undefined
            ? `${+(r.eventsPerRequest * 100).toPrecision(3)} per 100 of its ${+r.trialsPerRequest.toPrecision(3)} trials a request`
            : `${+(r.eventsPerRequest * 100).toPrecision(3)} events per 100 requests`;
        return `${change} at ${per}`;
      })
      .join(', ');
    return d.basis === 'measured'
      ? `${head}${figures} (the last hour's rate, measured)`
      : `${head}${figures} (assumed rates: ${noHistory})`;
  };
  return [
    'metrics compared with the original: the smallest change caught with 90% probability by the final shift',
    ...detections.map(line),
  ];
}
