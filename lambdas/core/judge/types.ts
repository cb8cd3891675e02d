/** Types of the judge's callable surface; re-exported by `lambdas/core/judge/index.ts`. */
import type { CustomMetricSpec, CustomPoint } from '../custom-metrics';

/** One complete minute of one target group's metrics. Epoch milliseconds. */
export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  start: number;
  /** `RequestCount` (Sum). */
  requests: number;
  /** `HTTPCode_Target_5XX_Count` + `TargetConnectionErrorCount` (Sum; absent points count as 0). */
  errors: number;
  /** Requests slower than `JudgeInput.slowThresholdMs` (`TargetResponseTime` `TC(E:)`). @default - latency test not run for this minute */
  slowRequests?: number;
  /** `TargetResponseTime` p95 in milliseconds. @default - p95 bar not checked for this minute */
  p95Ms?: number;
  /** `HealthyHostCount` (Minimum). @default - unknown */
  healthyHosts?: number;
  /** `UnHealthyHostCount` (Maximum). @default - unknown */
  unhealthyHosts?: number;
  /** The service's own metrics in this minute, by metric name (`metrics:`). @default - none read */
  custom?: Readonly<Record<string, CustomPoint>>;
}

export interface StageInput {
  /** Percentage of production traffic on the canary in this stage (0–100; 100 is the post-traffic bake). */
  weight: number;
  /** When this stage's traffic shift happened, epoch ms. */
  startedAt: number;
  /** The bake: complete data-minutes at this weight before the judge may promote, in ms (a multiple of a minute). */
  minBakeMs: number;
  /** How long the judge may hold after the bake's wall-clock end, ms. */
  holdLimitMs: number;
  /**
   * When the rollout's first shift happened, epoch ms: the rollback tests count every minute from
   * here on, across stages and hook windows. @default - startedAt (a one-stage rollout)
   */
  rolloutStartedAt?: number;
  /** True when the next promotion is the shift to 100% (`minRequests` applies). @default false */
  final?: boolean;
}

export interface JudgeInput {
  /** Decision time, epoch ms (the judge never reads a clock). */
  now: number;
  stage: StageInput;
  /** Complete minutes of the canary (replacement) target group since the rollout's first shift, any order. */
  canary: MinuteBucket[];
  /**
   * Complete minutes of the baseline (original) target group over the same span, plus its history
   * before the rollout (at least 60 minutes, read once when the rollout starts): the history sets
   * the noise level, the reference rates of the post-traffic bake and the incident detector.
   */
  baseline: MinuteBucket[];
  /**
   * The latency that `slowRequests` counts above: maxLatencyRatio × the original's p95 over its
   * history. @default - the relative latency test is not run; the absolute p95 bar still applies
   */
  slowThresholdMs?: number;
  /** Live target health of the canary (DescribeTargetHealth, not delayed). @default - unknown */
  canaryTargets?: { healthy: number; unhealthy: number };
}

export interface JudgePolicy {
  /** Absolute bar: canary error rate above this (percent) with ≥ minRequests rolls back. */
  maxErrorRatePercent: number;
  /** Absolute bar: canary p95 above this for 3 of the last 4 minutes (≥ 200 requests each) rolls back. */
  maxP95Ms: number;
  /** Canary requests the rollout must have served before the shift to 100% (design default 300). */
  minRequests: number;
  /** Tolerated increase of the canary's error rate over the baseline's, percentage points: a rollback needs at least this. */
  maxErrorIncreasePp: number;
  /** Tolerated ratio of the canary's p95 to the original's (design default 1.5). */
  maxLatencyRatio: number;
  /** False-rollback probability of the sequential tests per rollout, split between them. @default 0.005 */
  alpha?: number;
  /** The service's own metrics, each a check of its own (docs/metrics.md). @default - none */
  metrics?: readonly CustomMetricSpec[];
}

export type Decision = 'promote' | 'hold' | 'rollback';

export type CheckStatus = 'pass' | 'hold' | 'fail';

/** Names of the checks, in the order reasons are listed. */
export type CheckName =
  | 'errors'
  | 'latency'
  | 'post-errors'
  | 'post-latency'
  | 'catastrophe'
  | 'error-rate-bar'
  | 'p95-bar'
  | 'health'
  | 'bake'
  | 'traffic'
  | 'min-requests'
  | 'hold-limit';

export interface Reason {
  check: CheckName | string;
  status: CheckStatus;
  /** The observed figure, e.g. "canary 4.8% (12/250) vs baseline 0.30% (14/4750)". */
  observed: string;
  /** The bar it is held to, e.g. "evidence ≥ 303". */
  bar: string;
  /** One sentence for a person on call. */
  detail: string;
}

/** What a promotion rules out: the regressions the rollout so far would have caught with 90% probability. */
export interface RulesOut {
  /** Smallest error-rate increase (fraction, 0.012 = +1.2 pp) caught with 90% probability; undefined if none within reach. */
  errorIncrease?: number;
  /** Smallest share of canary requests slower than `slowThresholdMs` caught with 90% probability. */
  slowShare?: number;
  /** The sentence, e.g. "rules out ≥ +1.2 pp errors and ≥ 9.5% of requests slower than 322 ms with 90% probability". */
  text: string;
}

export interface Verdict {
  decision: Decision;
  reasons: Reason[];
  summary: string;
  /** On every verdict: what the data so far would have caught. */
  rulesOut?: RulesOut;
  /** `action: warn` metrics beyond their bar or tolerance: announced and recorded, never a rollback. @default - none */
  warnings?: Array<{ metric: string; detail: string }>;
  /**
   * Milliseconds of the stage without any traffic (a gap), which the judge's hold limit does not
   * count; the engine extends its own hold limit by as much, within the hook deadline. @default 0
   */
  quietMs?: number;
}
