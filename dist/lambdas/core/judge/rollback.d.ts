import { type RolloutData } from './data';
import type { Reason } from './types';
/** The latency tolerance as a count: at most this share of canary requests slower than E (E = ratio × the original's p95). */
export declare const TOLERATED_SLOW_SHARE = 0.05;
/** A rollback needs at least this many canary events in the rollout. */
export declare const MIN_CANARY_EVENTS = 3;
export interface TestAlphas {
    readonly errors: number;
    readonly errorBar: number;
    readonly latency: number;
    readonly postErrors: number;
    readonly postLatency: number;
}
export interface Thresholds {
    readonly alphas: TestAlphas;
    readonly maxErrorRate: number;
    readonly maxP95Ms: number;
    readonly minRequests: number;
    readonly maxErrorIncrease: number;
    readonly maxLatencyRatio: number;
    readonly slowThresholdMs?: number;
}
/** A test's reading: the reason on-call sees, its evidence and bar. */
export interface TestReading {
    readonly reason: Reason;
    readonly evidence: number;
    readonly bar: number;
}
/** Error test: the canary's share of each minute's errors against θ = 1, every minute since the first shift. */
export declare function errorTest(data: RolloutData, t: Thresholds): TestReading;
/** The original's share of requests slower than E over its minutes (history and rollout). */
export declare function baselineSlowShare(data: RolloutData): number | undefined;
/**
 * Latency test: "at most 5% of canary requests slower than E", as the conditional test of the
 * canary's share of each minute's slow requests against θ₀ = 5% / (the original's share above E).
 */
export declare function latencyTest(data: RolloutData, t: Thresholds): TestReading | undefined;
/** Post-traffic bake, errors: the canary at 100% against the original's rate before (history and stages). */
export declare function postErrorTest(data: RolloutData, t: Thresholds): TestReading | undefined;
/** Post-traffic bake, latency: the canary's share slower than E against the tolerated 5%. */
export declare function postLatencyTest(data: RolloutData, t: Thresholds): TestReading | undefined;
