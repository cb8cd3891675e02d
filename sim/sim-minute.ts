/**
 * What the simulator produces: a target group's true metrics for one whole minute, both groups'
 * minute, and the error a simulation raises on input it cannot simulate.
 */
import { EcsCanaryError } from '../lambdas/core/ecs-canary-error';
import type { LatencyComponent } from './latency';

export const MINUTE_MS = 60_000;

/** One target group's true metrics for one minute. */
export interface GroupMinute {
  requests: number;
  /** `HTTPCode_Target_5XX_Count` */
  errors5xx: number;
  /** `TargetConnectionErrorCount` */
  connectionErrors: number;
  /** Requests slower than the latency model's slowThresholdMs: `slowRequestsAbove(this, slowThresholdMs)`. */
  slowRequests: number;
  /** The minute's latency distribution (shared, never mutated). */
  latency: readonly LatencyComponent[];
  /** The minute's uniform in (0, 1) that fixes its count above every threshold (`slowRequestsAbove`). */
  latencyUniform: number;
  /** Sample p95, ms; undefined without requests. */
  p95Ms: number | undefined;
  /** Sample p99, ms; undefined without requests. */
  p99Ms: number | undefined;
  healthyHosts: number;
  unhealthyHosts: number;
  /**
   * Requests the regression harmed this minute (expected value: requests × the excess of the
   * failure and slow-request probabilities over a clean version's). 0 without a regression.
   */
  regressedRequests: number;
}

export interface SimMinute {
  /** Epoch ms, a whole minute. */
  start: number;
  /** Time-averaged canary weight over the minute, percent. */
  canaryWeight: number;
  /** Whether the injected regression affected the canary this minute. */
  regressionActive: boolean;
  /** The lowest canary weight the regression reached this minute (set when it was active). */
  regressedWeight?: number;
  canary: GroupMinute;
  baseline: GroupMinute;
}

export class SimulationError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SimulationError';
  }
}
