/**
 * Shared fixtures for the judge tests: a policy, and deterministic whole-rollout inputs built
 * from per-minute specs (60 minutes of the original's history, then the rollout's minutes).
 */
import type { JudgeInput, JudgePolicy, MinuteBucket, Verdict } from '../../lambdas/core/judge';

export const MINUTE = 60_000;
/** 2026-01-01T00:00:00Z, a whole minute: the rollout's first shift. */
export const T0 = Date.UTC(2026, 0, 1);

export const POLICY: JudgePolicy = {
  maxErrorRatePercent: 5,
  maxP95Ms: 1000,
  minRequests: 300,
  maxErrorIncreasePp: 1,
  maxLatencyRatio: 1.5,
};

/** One minute of one group: requests and rates (errors and slow requests rounded to counts). */
export interface GroupSpec {
  readonly requests: number;
  readonly errorRate: number;
  /** Share of requests slower than E. @default 0.01 */
  readonly slowShare?: number;
  readonly p95Ms?: number;
}

export function bucket(start: number, spec: GroupSpec, hosts = true): MinuteBucket {
  return {
    start,
    requests: spec.requests,
    errors: Math.round(spec.requests * spec.errorRate),
    slowRequests: Math.round(spec.requests * (spec.slowShare ?? 0.01)),
    p95Ms: spec.p95Ms ?? 200,
    ...(hosts ? { healthyHosts: 2, unhealthyHosts: 0 } : {}),
  };
}

export interface RolloutSpec {
  /** Requests a minute over both groups. */
  readonly total: number;
  /** The original's error rate (history and rollout). */
  readonly baselineRate: number;
  /** Canary weight (percent) in rollout minute i. */
  readonly weightAt: (i: number) => number;
  /** The canary's error rate in rollout minute i. @default the baseline's */
  readonly canaryRate?: (i: number) => number;
  readonly canarySlowShare?: (i: number) => number;
  readonly baselineSlowShare?: (i: number) => number;
  readonly canaryP95?: (i: number) => number;
  /** Minutes of the rollout given (complete). */
  readonly minutes: number;
  /** The current stage: its weight, first rollout minute, bake. */
  readonly stage: { readonly weight: number; readonly fromMinute: number; readonly bakeMinutes: number; readonly final?: boolean };
  /** @default 322 (1.5 × a 215 ms p95) */
  readonly slowThresholdMs?: number;
  readonly holdLimitMinutes?: number;
}

/** A judge input at the end of the spec's last rollout minute. */
export function rolloutInput(spec: RolloutSpec): JudgeInput {
  const history = Array.from({ length: 60 }, (_, i) =>
    bucket(T0 - (60 - i) * MINUTE, { requests: spec.total, errorRate: spec.baselineRate }, false),
  );
  const canary: MinuteBucket[] = [];
  const baseline: MinuteBucket[] = [...history];
  for (let i = 0; i < spec.minutes; i++) {
    const weight = spec.weightAt(i) / 100;
    const start = T0 + i * MINUTE;
    canary.push(
      bucket(start, {
        requests: Math.round(spec.total * weight),
        errorRate: spec.canaryRate?.(i) ?? spec.baselineRate,
        slowShare: spec.canarySlowShare?.(i) ?? 0.01,
        p95Ms: spec.canaryP95?.(i) ?? 200,
      }),
    );
    if (weight < 1) {
      baseline.push(
        bucket(
          start,
          { requests: Math.round(spec.total * (1 - weight)), errorRate: spec.baselineRate, slowShare: spec.baselineSlowShare?.(i) ?? 0.01 },
          false,
        ),
      );
    }
  }
  return {
    now: T0 + spec.minutes * MINUTE + 30_000,
    stage: {
      weight: spec.stage.weight,
      startedAt: T0 + spec.stage.fromMinute * MINUTE,
      minBakeMs: spec.stage.bakeMinutes * MINUTE,
      holdLimitMs: (spec.holdLimitMinutes ?? 10) * MINUTE,
      rolloutStartedAt: T0,
      final: spec.stage.final ?? false,
    },
    canary,
    baseline,
    slowThresholdMs: spec.slowThresholdMs ?? 322,
    canaryTargets: { healthy: 2, unhealthy: 0 },
  };
}

/** The default plan's stages in rollout minutes: 5% for minutes 0–4, 25% for 5–14, 50% for 15–29, 100% after. */
export const planWeight = (i: number) => (i < 5 ? 5 : i < 15 ? 25 : i < 30 ? 50 : 100);
export function planStage(minute: number): RolloutSpec['stage'] {
  if (minute < 5) return { weight: 5, fromMinute: 0, bakeMinutes: 5 };
  if (minute < 15) return { weight: 25, fromMinute: 5, bakeMinutes: 10 };
  if (minute < 30) return { weight: 50, fromMinute: 15, bakeMinutes: 15, final: true };
  return { weight: 100, fromMinute: 30, bakeMinutes: 15 };
}

export const reason = (verdict: Verdict, name: string) => verdict.reasons.find((r) => r.check === name);
