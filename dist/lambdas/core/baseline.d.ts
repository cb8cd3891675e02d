/**
 * Which minutes a tick reads for each role, and the post-traffic bake's baseline: the original's
 * minutes of the hour before AllowTraffic, read until settled and then kept as totals in the
 * state. Pure: no AWS imports, `now` is an argument.
 */
import type { MinuteBucket } from './judge';
import { type BucketSummary, type BucketWindow, type RoleWindows } from './observation';
import { type RolloutState } from './rollout-state';
/**
 * The minutes a tick must read for each role (the original is the baseline): whole minutes of the
 * current stage, so the minute in which the shift happened (mixed weights) is left out.
 */
export declare function metricWindows(state: RolloutState, now: number): {
    replacement: BucketWindow;
    original: BucketWindow;
};
/**
 * What a tick reads from CloudWatch: `metricWindows` less what cannot change the verdict, since
 * GetMetricData is billed per metric requested. No read while no whole minute of the stage can
 * be complete yet (the read could only come back empty, which is what the tick then passes on);
 * in the post-traffic bake, once the baseline's totals are settled (`BASELINE_SETTLE_MS`), only
 * the replacement is read and the judge uses the totals kept in the state.
 */
export declare function metricReads(state: RolloutState, now: number): RoleWindows;
/**
 * At 100% the original serves nothing, so the baseline is the original's minutes before
 * AllowTraffic. The judge pairs minutes by start time; each canary minute is paired with the
 * baseline's average minute (its requests and errors divided by its minutes), so the earlier
 * baseline counts once in total, not once per canary minute.
 */
export declare function averageBaseline(canary: readonly MinuteBucket[], baseline: readonly MinuteBucket[]): MinuteBucket[];
/** `averageBaseline` from the baseline's totals as kept in the state. */
export declare function baselinePerMinute(canary: readonly MinuteBucket[], baseline: {
    readonly summary?: BucketSummary;
    readonly slowRequests?: number;
} | undefined): MinuteBucket[];
/**
 * The post-traffic baseline after this tick's read. Settled totals stay as they are (the
 * original was not read). Otherwise the totals of what was read replace the earlier ones; an
 * empty read (not read this tick, or nothing published yet) keeps them. Totals read at least
 * `BASELINE_SETTLE_MS` after the window ended are settled.
 */
export declare function observeBaseline(baseline: NonNullable<RolloutState['baseline']>, original: readonly MinuteBucket[], now: number): NonNullable<RolloutState['baseline']>;
