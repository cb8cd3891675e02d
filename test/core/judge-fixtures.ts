/** Shared fixtures for the judge tests: a stage, a policy, and minute series built from short specs. */
import type { JudgeInput, JudgePolicy, MinuteBucket } from '../../lambdas/core/judge';

export const MINUTE = 60_000;
/** 2026-01-01T00:00:00Z, a whole minute. */
export const T0 = Date.UTC(2026, 0, 1);

export const POLICY: JudgePolicy = {
  maxErrorRatePercent: 5, maxP95Ms: 1000, minRequests: 300, maxErrorIncreasePp: 1, maxLatencyRatio: 1.5,
};

/** `count` consecutive minutes from the stage start, each `bucket` (a function of the minute index or a fixed shape). */
export function minutes(count: number, bucket: Omit<MinuteBucket, 'start'> | ((i: number) => Omit<MinuteBucket, 'start'>)): MinuteBucket[] {
  return Array.from({ length: count }, (_, i) => ({ start: T0 + i * MINUTE, ...(typeof bucket === 'function' ? bucket(i) : bucket) }));
}

/** A stage at 5% from T0 with a 5-minute bake and 10-minute hold limit, judged right after its last bucket. */
export function stageInput(canary: MinuteBucket[], baseline: MinuteBucket[], overrides: Partial<JudgeInput> & { stage?: Partial<JudgeInput['stage']> } = {}): JudgeInput {
  const last = Math.max(0, ...canary.map((b) => b.start + MINUTE), ...baseline.map((b) => b.start + MINUTE));
  return {
    now: overrides.now ?? Math.max(last, T0),
    stage: { weight: 5, startedAt: T0, minBakeMs: 5 * MINUTE, holdLimitMs: 10 * MINUTE, ...overrides.stage },
    canary,
    baseline,
    ...(overrides.canaryTargets ? { canaryTargets: overrides.canaryTargets } : {}),
  };
}
