/**
 * Which of the judge's input minutes count for which check: the rollout's minutes (every
 * rollback test, across stages), the current stage's data-minutes (bake, absolute bars, health),
 * the original's history (noise, incidents, reference rates) and the post-traffic bake's minutes.
 */
import type { PairedCounts, SingleCounts } from './evidence';
import type { JudgeInput, MinuteBucket } from './types';
export declare const MINUTE_MS = 60000;
/** A baseline minute at this many times its median rate, with … */
export declare const INCIDENT_FACTOR = 4;
/** … at least this many errors above it, is a service-wide incident. */
export declare const INCIDENT_MIN_EXCESS = 5;
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
    readonly paired: ReadonlyArray<{
        readonly canary: MinuteBucket;
        readonly baseline: MinuteBucket;
    }>;
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
export declare function totals(buckets: readonly MinuteBucket[]): Totals;
export declare function rolloutData(input: JudgeInput): RolloutData;
/**
 * The minute in which the first shift happened is the canary's warm-up: its first requests reach
 * tasks that take production load cold (JIT, connection pools, caches). In that minute (the one the
 * bake leaves out too) this many canary errors are forgiven. Fixed before the data, and a lower
 * canary count only lowers a likelihood ratio that rises with it, so every test stays valid
 * (docs/judge.md).
 */
export declare const WARM_UP_ERROR_ALLOWANCE = 3;
/**
 * Paired counts of one kind of event (errors, or slow requests where both groups report them);
 * `pickCanary` reads the canary's side when it counts differently. @default pick
 */
export declare function pairedCounts(data: RolloutData, pick: (b: MinuteBucket) => number | undefined, pickCanary?: (b: MinuteBucket) => number | undefined): PairedCounts[];
/** The error test's counts: each minute's errors, the canary's with the warm-up allowance taken off. */
export declare function pairedErrorCounts(data: RolloutData): PairedCounts[];
/** The post-traffic bake's canary minutes as single counts of one kind of event. */
export declare function postTrafficCounts(data: RolloutData, pick: (b: MinuteBucket) => number | undefined): SingleCounts[];
