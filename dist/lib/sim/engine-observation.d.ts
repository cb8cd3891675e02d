import { type MinuteBuckets, type ReadPurpose, type RoleWindows } from '../../lambdas/core/observation';
import type { RolloutState } from '../../lambdas/core/rollout-state';
import type { SeriesResult } from '../../lambdas/core/observation';
import { type MetricQuery, type ObservationOptions } from './cloudwatch';
import { type SimMinute } from './traffic';
/** One read of a tick: which minutes of which role, for what, and the latency bar E if known. */
export interface TickRead {
    readonly reads: RoleWindows;
    readonly purpose: ReadPurpose;
    /** E, ms (TC(E:) is requested only when it is known). */
    readonly slowThresholdMs?: number;
}
/** The read the Tick makes for a controller state at `now` (lambdas/handlers/tick.ts `readMinutes`). */
export declare function tickRead(state: RolloutState, now: number): TickRead;
/**
 * The queries of one read: per role read, the series `seriesFor` names, 60-second periods, one
 * window for all of them (from the earliest role's `from` to `now`, as the Tick asks).
 */
export declare function metricQueries(read: TickRead, now: number): MetricQuery[];
/** The minute buckets a read returns at `now` from the simulated minutes (empty roles when nothing is read). */
export declare function observedBuckets(minutes: readonly SimMinute[], now: number, read: TickRead, options: ObservationOptions): MinuteBuckets;
/**
 * `simulatedMetricData` for 60-second queries, remembering the answers of fully published minutes
 * (a tick re-reads the whole rollout, but only its newest minutes can still change). The same
 * result as calling it directly: one-minute periods are answered minute by minute.
 */
export declare function metricData(minutes: readonly SimMinute[], now: number, queries: readonly MetricQuery[], options: ObservationOptions): SeriesResult[];
/** The buckets the Tick would see for `state` at `now`: on a starting tick the original's history, later the whole rollout. */
export declare function tickBuckets(minutes: readonly SimMinute[], state: RolloutState, now: number, options: ObservationOptions): MinuteBuckets;
