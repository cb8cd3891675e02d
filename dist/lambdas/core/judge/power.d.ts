/** A stretch of minutes with the same expected traffic per minute (one stage, say). */
export interface Exposure {
    readonly minutes: number;
    readonly canaryRequests: number;
    readonly baselineRequests: number;
}
export interface PowerOptions {
    /** The original's rate of the event (errors, or requests slower than E). */
    readonly baselineRate: number;
    /** d ≥ 1, as the test discounts. */
    readonly dispersion: number;
    /** The test's α (its bar is 1/α). */
    readonly alpha: number;
    /** θ₀ of the test (1 for errors). @default 1 */
    readonly nullRatio?: number;
}
/** P(the test reaches its bar) if the canary's rate is `canaryRate` over `exposure`. */
export declare function detectionProbability(exposure: readonly Exposure[], canaryRate: number, options: PowerOptions): number;
/**
 * The smallest increase of the canary's rate over the baseline's (a fraction) that the test
 * catches with probability ≥ `power` over `exposure`; undefined if none up to a rate of 1.
 */
export declare function detectableIncrease(exposure: readonly Exposure[], options: PowerOptions & {
    readonly power?: number;
}): number | undefined;
/** Groups minutes of observed counts into stretches of like traffic (canary share to two digits). */
export declare function exposureOf(minutes: ReadonlyArray<{
    readonly canaryRequests: number;
    readonly baselineRequests: number;
}>): Exposure[];
