/**
 * Which of the judge's input minutes count for which check: the rollout's minutes (every
 * rollback test, across stages), the current stage's data-minutes (bake, absolute bars, health),
 * the original's history (noise, incidents, reference rates) and the post-traffic bake's minutes.
 */
import type { PairedCounts, SingleCounts } from './evidence';
import type { JudgeInput, MinuteBucket } from './types';

export const MINUTE_MS = 60_000;
/** A baseline minute at this many times its median rate, with … */
export const INCIDENT_FACTOR = 4;
/** … at least this many errors above it, is a service-wide incident. */
export const INCIDENT_MIN_EXCESS = 5;

export interface Totals {
  readonly requests: number;
  readonly errors: number;
}

export interface RolloutData {
  readonly now: number;
  readonly rolloutStartedAt: number;
  readonly stageStartedAt: number;
  /** True in the post-traffic bake (weight 100): no concurrent control. */
  readonly postTraffic: boolean;
  /** Canary minutes since the first shift, oldest first. */
  readonly canary: readonly MinuteBucket[];
  /** Canary minutes wholly at the current stage's weight (the minute of the shift left out): its data-minutes. */
  readonly stage: readonly MinuteBucket[];
  /** Rollout minutes with both groups serving, before the post-traffic bake: the conditional tests' minutes. */
  readonly paired: ReadonlyArray<{ readonly canary: MinuteBucket; readonly baseline: MinuteBucket }>;
  /** Every complete baseline minute with traffic (history and rollout), oldest first. */
  readonly baseline: readonly MinuteBucket[];
  /** Starts of the minutes in which the original's own error rate spiked (a service-wide incident). */
  readonly incidents: ReadonlySet<number>;
  /** Totals of the paired minutes outside incidents. */
  readonly pairedCanary: Totals;
  readonly pairedBaseline: Totals;
  /** Canary requests since the first shift. */
  readonly rolloutRequests: number;
}

const sum = (buckets: readonly MinuteBucket[], pick: (b: MinuteBucket) => number) => {
  let total = 0;
  for (const bucket of buckets) total += pick(bucket);
  return total;
};

export function totals(buckets: readonly MinuteBucket[]): Totals {
  return { requests: sum(buckets, (b) => b.requests), errors: sum(buckets, (b) => b.errors) };
}

export function rolloutData(input: JudgeInput): RolloutData {
  const rolloutStartedAt = Math.min(input.stage.rolloutStartedAt ?? input.stage.startedAt, input.stage.startedAt);
  const complete = (b: MinuteBucket) => b.start + MINUTE_MS <= input.now;
  const clean = (b: MinuteBucket): MinuteBucket => ({ ...b, errors: Math.min(b.errors, b.requests) });
  const byStart = (buckets: readonly MinuteBucket[], keep: (b: MinuteBucket) => boolean) => {
    const map = new Map<number, MinuteBucket>();
    for (const bucket of buckets) if (complete(bucket) && keep(bucket)) map.set(bucket.start, clean(bucket));
    return [...map.values()].sort((a, b) => a.start - b.start);
  };
  const canary = byStart(input.canary, (b) => b.start + MINUTE_MS > rolloutStartedAt);
  const baseline = byStart(input.baseline, (b) => b.requests > 0);
  const baselineAt = new Map(baseline.map((b) => [b.start, b]));
  const postTraffic = input.stage.weight >= 100;
  const stage = canary.filter((b) => b.start >= input.stage.startedAt);
  const paired = canary.flatMap((c) => {
    const b = baselineAt.get(c.start);
    if (!b || c.requests <= 0 || (postTraffic && c.start >= input.stage.startedAt)) return [];
    return [{ canary: c, baseline: b }];
  });
  const incidents = incidentMinutes(baseline);
  const calm = paired.filter((p) => !incidents.has(p.canary.start));
  const warm = (b: MinuteBucket) => ({ ...b, errors: countedErrors(rolloutStartedAt, b) });
  return {
    now: input.now,
    rolloutStartedAt,
    stageStartedAt: input.stage.startedAt,
    postTraffic,
    canary,
    stage,
    paired,
    baseline,
    incidents,
    pairedCanary: totals(calm.map((p) => warm(p.canary))),
    pairedBaseline: totals(calm.map((p) => p.baseline)),
    rolloutRequests: sum(canary, (b) => b.requests),
  };
}

/** Minutes in which the original's error rate spiked far above its usual (median) level. */
function incidentMinutes(baseline: readonly MinuteBucket[]): Set<number> {
  if (baseline.length < 4) return new Set();
  const rates = baseline.map((b) => b.errors / b.requests).sort((a, b) => a - b);
  const all = totals(baseline);
  const usual = rates[Math.floor(rates.length / 2)] || all.errors / all.requests;
  return new Set(
    baseline
      .filter((b) => b.errors - b.requests * usual >= INCIDENT_MIN_EXCESS && b.errors >= INCIDENT_FACTOR * b.requests * usual)
      .map((b) => b.start),
  );
}

/**
 * The minute in which the first shift happened is the canary's warm-up: its first requests reach
 * tasks that take production load cold (JIT, connection pools, caches). In that minute (the one the
 * bake leaves out too) this many canary errors are forgiven. Fixed before the data, and a lower
 * canary count only lowers a likelihood ratio that rises with it, so every test stays valid
 * (docs/judge.md).
 */
export const WARM_UP_ERROR_ALLOWANCE = 3;

/** A canary minute's errors counted against it: the warm-up allowance taken off in the minute of the first shift. */
function countedErrors(rolloutStartedAt: number, bucket: MinuteBucket): number {
  return bucket.start < rolloutStartedAt ? Math.max(0, bucket.errors - WARM_UP_ERROR_ALLOWANCE) : bucket.errors;
}

/**
 * Paired counts of one kind of event (errors, or slow requests where both groups report them);
 * `pickCanary` reads the canary's side when it counts differently. @default pick
 */
export function pairedCounts(data: RolloutData, pick: (b: MinuteBucket) => number | undefined, pickCanary = pick): PairedCounts[] {
  return data.paired.flatMap(({ canary, baseline }) => {
    const c = pickCanary(canary);
    const b = pick(baseline);
    if (c === undefined || b === undefined) return [];
    return [
      {
        canaryTrials: canary.requests,
        canaryEvents: Math.min(c, canary.requests),
        baselineTrials: baseline.requests,
        baselineEvents: Math.min(b, baseline.requests),
      },
    ];
  });
}

/** For each minute `pairedCounts(data, pick)` returns, whether the original spiked in it (a service-wide incident). */
export function pairedIncidents(data: RolloutData, pick: (b: MinuteBucket) => number | undefined, pickCanary = pick): boolean[] {
  return data.paired.flatMap(({ canary, baseline }) =>
    pickCanary(canary) === undefined || pick(baseline) === undefined ? [] : [data.incidents.has(canary.start)],
  );
}

/** The error test's counts: each minute's errors, the canary's with the warm-up allowance taken off. */
export function pairedErrorCounts(data: RolloutData): PairedCounts[] {
  return pairedCounts(
    data,
    (b) => b.errors,
    (b) => countedErrors(data.rolloutStartedAt, b),
  );
}

/**
 * The latency warm-up: the minute of the first shift and the next WARM_UP_MINUTES − 1 minutes. The
 * canary's tasks take production load cold (JIT, caches, connection pools) and answer slower for
 * a while after the first shift; in these minutes up to WARM_UP_SLOW_SHARE of its requests may be
 * slower than E without counting against it (a p75, not a p95, within E), and the absolute p95 bar
 * leaves them out. Bounded in time and size and fixed before the data; a lower canary count only
 * lowers a likelihood ratio that rises with it, so every test stays valid (docs/judge.md).
 */
export const WARM_UP_MINUTES = 3;
export const WARM_UP_SLOW_SHARE = 0.25;

/** Whether the minute starting at `start` is in the latency warm-up. */
export function inWarmUp(rolloutStartedAt: number, start: number): boolean {
  const first = Math.floor(rolloutStartedAt / MINUTE_MS) * MINUTE_MS;
  return start >= first && start < first + WARM_UP_MINUTES * MINUTE_MS;
}

/** The latency test's counts: slow requests where both groups report them, the canary's with the warm-up allowance taken off. */
export function pairedSlowCounts(data: RolloutData): PairedCounts[] {
  return pairedCounts(
    data,
    (b) => b.slowRequests,
    (b) =>
      b.slowRequests === undefined
        ? undefined
        : inWarmUp(data.rolloutStartedAt, b.start)
          ? Math.max(0, Math.floor(b.slowRequests - WARM_UP_SLOW_SHARE * b.requests))
          : b.slowRequests,
  );
}

/** The post-traffic bake's canary minutes as single counts of one kind of event. */
export function postTrafficCounts(data: RolloutData, pick: (b: MinuteBucket) => number | undefined): SingleCounts[] {
  if (!data.postTraffic) return [];
  return data.stage.flatMap((b) => {
    const events = pick(b);
    return events === undefined || b.requests <= 0 ? [] : [{ trials: b.requests, events: Math.min(events, b.requests) }];
  });
}

/** The sums of paired minutes. */
export function sumCounts(counts: readonly PairedCounts[]): PairedCounts {
  return counts.reduce(
    (s, m) => ({
      canaryTrials: s.canaryTrials + m.canaryTrials,
      canaryEvents: s.canaryEvents + m.canaryEvents,
      baselineTrials: s.baselineTrials + m.baselineTrials,
      baselineEvents: s.baselineEvents + m.baselineEvents,
    }),
    { canaryTrials: 0, canaryEvents: 0, baselineTrials: 0, baselineEvents: 0 },
  );
}
