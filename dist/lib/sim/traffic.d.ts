/**
 * A simulated service with two target groups (baseline = original, canary = replacement) whose
 * canary weight the caller moves over time, as the rollout engine moves listener weights.
 * It produces the true complete minutes; `cloudwatch.ts` turns them into what CloudWatch shows.
 */
import { LatencyComponent } from './latency';
import { LatencyModel, Noise, Regression } from './scenario';
export declare const MINUTE_MS = 60000;
/** Multiplier of the error rate in a shock minute (both groups). */
export declare const SHOCK_MULTIPLIER = 20;
/** Errors of one client's burst. */
export declare const BURST_ERRORS = 10;
/** Extra errors (Poisson mean) and latency factor of the canary's first minute of traffic. */
export declare const COLD_START_ERRORS = 2;
export declare const COLD_START_LATENCY_FACTOR = 1.3;
/** Error rate of the failing endpoint in an "endpoint" regression. */
export declare const ENDPOINT_ERROR_RATE = 0.5;
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
export interface TrafficWorldOptions {
    readonly seed: number;
    /** Total requests per second over both groups. */
    readonly totalRps: number;
    /** Error rate of the baseline and of a clean canary, a fraction. */
    readonly baselineErrorRate: number;
    /** @default - no noise */
    readonly noise?: Noise;
    /** @default null (identical versions) */
    readonly regression?: Regression | null;
    /** Epoch ms; rounded down to a whole minute. */
    readonly startTime: number;
    /** @default DEFAULT_LATENCY */
    readonly latency?: LatencyModel;
    /** Targets per group. @default DEFAULT_HOSTS */
    readonly hosts?: number;
    /** Canary weight at startTime, percent. @default 0 */
    readonly initialCanaryWeight?: number;
    /** Simulate the canary's cold-start blip in its first minute of traffic. @default true */
    readonly coldStart?: boolean;
}
export declare class SimulationError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
export declare class TrafficWorld {
    private readonly options;
    private readonly random;
    private readonly noise;
    private readonly regression;
    private readonly latency;
    private readonly hosts;
    private readonly coldStart;
    private readonly weights;
    private readonly history;
    private nextStart;
    private now;
    private firstTrafficAt;
    private sawCanaryTraffic;
    private readonly componentCache;
    constructor(options: TrafficWorldOptions);
    /** Every complete minute so far, oldest first. */
    get minutes(): readonly SimMinute[];
    /** Moves the canary weight (percent) at time `now`; completes the minutes before it first. */
    setCanaryWeight(now: number, weight: number): void;
    /** Generates every minute that has ended by `now`; returns all complete minutes. */
    advanceTo(now: number): readonly SimMinute[];
    /** Live target health (DescribeTargetHealth, not delayed) at the last time advanced to. */
    targetHealth(): {
        canary: {
            healthy: number;
            unhealthy: number;
        };
        baseline: {
            healthy: number;
            unhealthy: number;
        };
    };
    private weightAt;
    /** Time-averaged weight over [start, start + 1 min). */
    private averageWeight;
    /** The regression at an instant of canary weight `weight` (live target health). */
    private regressionAt;
    /** The regression once past its onset, in its minutes if intermittent; the weight gate aside. */
    private regressionStarted;
    private crashing;
    /** A crash loop: half, then all but one, of the canary targets unhealthy, alternating. */
    private unhealthyCount;
    /** The minute's spans of constant canary weight. */
    private segments;
    /**
     * Which canary traffic of the minute the regression's minWeight lets it reach: the share, and
     * the lowest weight it reached. A minute that shifts from 25% to 0% (a rollback) or from 5% to
     * 25% (a promotion) is regressed only in its part at ≥ minWeight, not judged by its average.
     */
    private reach;
    private generate;
    /** `regressedShare`: the part of the group's requests the regression reaches (below 1 only in a minute that crosses minWeight). */
    private group;
    /** One shared array per kind of minute: every minute stores its distribution, most share it. */
    private latencyComponents;
    private buildLatencyComponents;
}
