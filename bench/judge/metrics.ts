/** Summaries of many rollouts of one scenario under one judge, and the exact-test reference. */
import type { Scenario } from '../../sim';
import { ENDPOINT_ERROR_RATE } from '../../sim';
import type { RolloutOutcome } from './rollout';

export interface JudgeSummary {
  runs: number;
  /** Share of runs rolled back (for an A/A scenario: false rollbacks per rollout, every stage and the post-traffic bake). */
  rollbackRate: number;
  /** Share of runs rolled back at the hold limit ("insufficient evidence"). */
  insufficientEvidenceRate: number;
  /** Share of runs rolled back in the post-traffic bake. */
  postBakeRollbackRate: number;
  /** Share of runs through the post-traffic bake. */
  promotionRate: number;
  /** Share of runs that reached 100% of production (a bad release there has served everyone). */
  reached100Rate: number;
  /** Rollbacks per stage (0..2 partial stages, 3 the post-traffic bake), as shares of the runs. */
  rollbackByStage: number[];
  /** Minutes from the first shift to 100%, and to the end of the post-traffic bake (median and p90 over promoted runs). */
  medianMinutesTo100?: number;
  p90MinutesTo100?: number;
  medianMinutesToPromote?: number;
  p90MinutesToPromote?: number;
  /** Regression scenarios only: share rolled back within N data-minutes of onset. */
  detectedWithin2?: number;
  detectedWithin3?: number;
  detectedWithin5?: number;
  detectedWithin10?: number;
  /** Share rolled back (after the onset) by the end of each stage: cumulative, stages 0..3. */
  detectedByStage?: number[];
  /** Share rolled back in the stage where the regression appeared, before the next shift. */
  detectedBeforeNextShift?: number;
  /** Data-minutes from onset to rollback, over detected runs. */
  medianDataMinutesToDetect?: number;
  p90DataMinutesToDetect?: number;
  /** Wall-clock minutes (including CloudWatch delay) from onset to rollback. */
  medianWallMinutesToDetect?: number;
  /** Canary requests since onset in the data the rollback needed (median over detected runs). */
  medianRequestsToDetect?: number;
  /** Requests harmed by the regression before the decision, mean per run. */
  meanBadRequests: number;
  /** Bad releases that reached 100%, and that passed the post-traffic bake too. */
  reached100: number;
  silentPromotions: number;
}

export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const STAGE_COUNT = 4;

export function summarize(outcomes: readonly RolloutOutcome[], hasRegression: boolean): JudgeSummary {
  const runs = outcomes.length;
  const share = (predicate: (o: RolloutOutcome) => boolean) => outcomes.filter(predicate).length / runs;
  const promoted = outcomes.filter((o) => o.result === 'promoted');
  const bad = (o: RolloutOutcome) => hasRegression && o.onsetAt !== undefined;
  const summary: JudgeSummary = {
    runs,
    rollbackRate: share((o) => o.result === 'rolledBack'),
    insufficientEvidenceRate: share((o) => o.insufficientEvidence),
    postBakeRollbackRate: share((o) => o.result === 'rolledBack' && o.stage === STAGE_COUNT - 1),
    promotionRate: promoted.length / runs,
    reached100Rate: share((o) => o.reached100),
    rollbackByStage: Array.from({ length: STAGE_COUNT }, (_, s) => share((o) => o.result === 'rolledBack' && o.stage === s)),
    meanBadRequests: outcomes.reduce((s, o) => s + o.badRequests, 0) / runs,
    reached100: outcomes.filter((o) => o.reached100 && bad(o)).length,
    silentPromotions: promoted.filter(bad).length,
  };
  const set = (key: keyof JudgeSummary, value: number | undefined) => {
    if (value !== undefined) (summary as unknown as Record<string, number>)[key] = value;
  };
  const to100 = promoted.map((o) => o.minutesTo100).filter((m): m is number => m !== undefined);
  set('medianMinutesTo100', quantile(to100, 0.5));
  set('p90MinutesTo100', quantile(to100, 0.9));
  set(
    'medianMinutesToPromote',
    quantile(
      promoted.map((o) => o.minutesToDecision),
      0.5,
    ),
  );
  set(
    'p90MinutesToPromote',
    quantile(
      promoted.map((o) => o.minutesToDecision),
      0.9,
    ),
  );
  if (!hasRegression) return summary;
  const detected = outcomes.filter((o) => o.dataMinutesToDetect !== undefined);
  const within = (n: number) => detected.filter((o) => (o.dataMinutesToDetect as number) <= n).length / runs;
  summary.detectedWithin2 = within(2);
  summary.detectedWithin3 = within(3);
  summary.detectedWithin5 = within(5);
  summary.detectedWithin10 = within(10);
  summary.detectedByStage = Array.from({ length: STAGE_COUNT }, (_, s) => detected.filter((o) => (o.stage ?? 0) <= s).length / runs);
  summary.detectedBeforeNextShift = detected.filter((o) => o.stage === o.onsetStage).length / runs;
  const dataMinutes = detected.map((o) => o.dataMinutesToDetect as number);
  set('medianDataMinutesToDetect', quantile(dataMinutes, 0.5));
  set('p90DataMinutesToDetect', quantile(dataMinutes, 0.9));
  set(
    'medianWallMinutesToDetect',
    quantile(
      detected.map((o) => o.wallMinutesToDetect as number),
      0.5,
    ),
  );
  set(
    'medianRequestsToDetect',
    quantile(
      detected.map((o) => o.requestsToDetect as number),
      0.5,
    ),
  );
  return summary;
}

/** P(X = k) for k = 0..n, X ~ Binomial(n, p) (recursion; fine for the n and p used here). */
function pmf(n: number, p: number): number[] {
  const values = new Array<number>(n + 1).fill(0);
  values[0] = Math.pow(1 - p, n);
  for (let k = 0; k < n; k++) values[k + 1] = (values[k] * (n - k) * p) / ((k + 1) * (1 - p));
  return values;
}

const exactCache = new Map<string, number>();

/**
 * Canary requests a one-shot exact binomial test (baseline rate known, one-sided α, given power)
 * needs to see the canary's rate at `canaryRate`: the physical limit no judge beats by much.
 */
export function exactTestMinimum(baselineRate: number, canaryRate: number, alpha = 0.01, power = 0.9): number {
  const key = `${baselineRate}:${canaryRate}:${alpha}:${power}`;
  const cached = exactCache.get(key);
  if (cached !== undefined) return cached;
  let found = Number.POSITIVE_INFINITY;
  for (let n = 1; n <= 20_000 && found === Number.POSITIVE_INFINITY; n++) {
    const null0 = pmf(n, baselineRate);
    let tail = 0;
    let critical = n + 1;
    while (critical > 0 && tail + null0[critical - 1] <= alpha) tail += null0[--critical];
    if (critical > n) continue;
    const alt = pmf(n, canaryRate);
    let reach = 0;
    for (let k = critical; k <= n; k++) reach += alt[k];
    if (reach >= power) found = n;
  }
  exactCache.set(key, found);
  return found;
}

/** The canary's error rate under the scenario's regression, when it is an error regression. */
export function regressedErrorRate(scenario: Scenario): number | undefined {
  const r = scenario.regression;
  const base = scenario.baselineErrorRate;
  if (r?.kind === 'errors') return r.deltaPp !== undefined ? base + r.deltaPp / 100 : base * (r.ratio ?? 1);
  if (r?.kind === 'endpoint') return (1 - (r.share ?? 0.1)) * base + (r.share ?? 0.1) * ENDPOINT_ERROR_RATE;
  return undefined;
}
