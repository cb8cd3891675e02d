/**
 * The one judge-input builder: what the Tick, `canary simulate` and `bench:judge` hand the judge,
 * from the minutes CloudWatch shows (`toMinuteBuckets`) and where the rollout stands. Also which
 * minutes a tick reads, and the latency bar E derived from the original's history.
 * Pure: no AWS imports, `now` is an argument.
 */
import { MINUTE_MS, type MinuteBuckets, type RoleWindows } from '../observation';
import type { RolloutState } from '../rollout-state';
import type { JudgeInput, MinuteBucket } from './index';

/** The original's history read when the rollout starts: this many minutes before the first shift. */
export const HISTORY_MS = 60 * MINUTE_MS;

/** What the whole rollout shares across its hook windows (kept in the rollout record). */
export interface RolloutContext {
  /** Epoch ms of the first shift. */
  readonly startedAt: number;
  /** E: maxLatencyRatio × the original's p95 over its history; undefined without latency history. */
  readonly slowThresholdMs?: number;
}

/** Where the current stage stands. */
export interface StageContext {
  /** Replacement weight, percent (100 in the post-traffic bake). */
  readonly weight: number;
  /** Epoch ms of this stage's shift. */
  readonly startedAt: number;
  readonly bakeMinutes: number;
  /** Hold allowed after the bake's wall-clock end, ms (paused time included by the caller). */
  readonly holdLimitMs: number;
  /** True when the next promotion is the shift to 100%. */
  readonly final: boolean;
}

export interface JudgeContext {
  readonly now: number;
  readonly rollout: RolloutContext;
  readonly stage: StageContext;
  readonly canaryTargets?: { readonly healthy: number; readonly unhealthy: number };
}

/** The minutes a judging tick reads: the replacement since the first shift, the original from its history on. */
export function judgedWindows(rollout: RolloutContext): Required<RoleWindows> {
  return { replacement: { from: rollout.startedAt - MINUTE_MS }, original: { from: rollout.startedAt - HISTORY_MS } };
}

/** The read at a window's start: the original's history alone (requests and p95, for E). */
export function historyWindow(now: number): RoleWindows {
  return { original: { from: now - HISTORY_MS, to: now } };
}

export function buildJudgeInput(buckets: MinuteBuckets, context: JudgeContext): JudgeInput {
  const { rollout, stage } = context;
  return {
    now: context.now,
    stage: {
      weight: stage.weight,
      startedAt: stage.startedAt,
      minBakeMs: stage.bakeMinutes * MINUTE_MS,
      holdLimitMs: stage.holdLimitMs,
      rolloutStartedAt: Math.min(rollout.startedAt, stage.startedAt),
      final: stage.final,
    },
    canary: buckets.replacement.filter((b) => b.start + MINUTE_MS > rollout.startedAt),
    baseline: buckets.original.filter((b) => b.start >= rollout.startedAt - HISTORY_MS),
    ...(rollout.slowThresholdMs !== undefined ? { slowThresholdMs: rollout.slowThresholdMs } : {}),
    ...(context.canaryTargets ? { canaryTargets: context.canaryTargets } : {}),
  };
}

/**
 * E = ratio × the original's p95 over its history: the request-weighted median of its minutes'
 * p95 (a minute's p95 is the 95th percentile of that minute's requests; weighting by requests
 * keeps quiet minutes from pulling it). Undefined without a minute that has a p95.
 */
export function slowThresholdFrom(history: readonly MinuteBucket[], maxLatencyRatio: number): number | undefined {
  const minutes = history
    .filter((b) => b.p95Ms !== undefined && b.p95Ms > 0 && b.requests > 0)
    .map((b) => ({ p95: b.p95Ms as number, weight: b.requests }))
    .sort((a, b) => a.p95 - b.p95);
  const total = minutes.reduce((sum, m) => sum + m.weight, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (const m of minutes) {
    seen += m.weight;
    if (seen >= total / 2) return Math.round(m.p95 * maxLatencyRatio * 10) / 10;
  }
  return undefined;
}

/**
 * What a tick reads from CloudWatch. A window's first tick: the original's last hour (for E, if
 * no earlier window recorded the rollout). Every later tick: both groups from the rollout's first
 * shift on and the original's hour before it, since every rollback test counts every minute of
 * the rollout (recomputed from CloudWatch each tick rather than carried in the state: the cost is
 * per metric requested, not per minute returned).
 */
export function metricReads(state: RolloutState, now: number): RoleWindows {
  if (state.status === 'done') return {};
  if (state.status === 'starting' || state.rollout === undefined) return historyWindow(now);
  return judgedWindows(state.rollout);
}
