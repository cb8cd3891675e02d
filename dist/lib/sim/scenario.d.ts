/**
 * What a simulation run looks like: traffic, noise and an optional regression of the new version.
 * The JSON form (`parseScenario`) is the external scenario format of `npm run bench:judge --
 * --scenarios DIR` and `canary simulate`.
 */
import { z } from 'zod';
export declare const NOISE_SCHEMA: z.ZodObject<{
    gammaShape: z.ZodNullable<z.ZodNumber>;
    shockRate: z.ZodNumber;
    burstRate: z.ZodNumber;
}, z.core.$strip>;
export declare const REGRESSION_SCHEMA: z.ZodObject<{
    kind: z.ZodEnum<{
        endpoint: "endpoint";
        errors: "errors";
        latency: "latency";
        crash: "crash";
    }>;
    deltaPp: z.ZodOptional<z.ZodNumber>;
    ratio: z.ZodOptional<z.ZodNumber>;
    share: z.ZodOptional<z.ZodNumber>;
    extraMs: z.ZodOptional<z.ZodNumber>;
    onsetMinute: z.ZodOptional<z.ZodNumber>;
    minWeight: z.ZodOptional<z.ZodNumber>;
    intermittent: z.ZodOptional<z.ZodBoolean>;
}, z.core.$strip>;
export declare const SCENARIO_SCHEMA: z.ZodObject<{
    name: z.ZodString;
    seed: z.ZodNumber;
    runs: z.ZodNumber;
    totalRps: z.ZodNumber;
    baselineErrorRate: z.ZodNumber;
    noise: z.ZodObject<{
        gammaShape: z.ZodNullable<z.ZodNumber>;
        shockRate: z.ZodNumber;
        burstRate: z.ZodNumber;
    }, z.core.$strip>;
    regression: z.ZodNullable<z.ZodObject<{
        kind: z.ZodEnum<{
            endpoint: "endpoint";
            errors: "errors";
            latency: "latency";
            crash: "crash";
        }>;
        deltaPp: z.ZodOptional<z.ZodNumber>;
        ratio: z.ZodOptional<z.ZodNumber>;
        share: z.ZodOptional<z.ZodNumber>;
        extraMs: z.ZodOptional<z.ZodNumber>;
        onsetMinute: z.ZodOptional<z.ZodNumber>;
        minWeight: z.ZodOptional<z.ZodNumber>;
        intermittent: z.ZodOptional<z.ZodBoolean>;
    }, z.core.$strip>>;
}, z.core.$strip>;
export type Noise = z.infer<typeof NOISE_SCHEMA>;
export type Regression = z.infer<typeof REGRESSION_SCHEMA>;
export type Scenario = z.infer<typeof SCENARIO_SCHEMA>;
/** Latency of both versions: log-normal, plus the bar T that defines a "slow" request. */
export interface LatencyModel {
    /** @default 80 */
    readonly medianMs: number;
    /** Log-scale standard deviation. @default 0.6 (p95 ≈ 215 ms) */
    readonly sigma: number;
    /** Requests slower than this count as slow (`TargetResponseTime` `TC(T:)`). @default 500 */
    readonly slowThresholdMs: number;
}
export declare const DEFAULT_LATENCY: LatencyModel;
/** Targets registered in each target group. */
export declare const DEFAULT_HOSTS = 4;
export declare class ScenarioError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** Validates a scenario (e.g. parsed JSON); `source` names the file in the error. */
export declare function parseScenario(value: unknown, source?: string): Scenario;
