import type { MinuteBuckets } from './observation';
/** The engine's CloudWatch namespace (CanaryWeight and the role metrics). */
export declare const ENGINE_NAMESPACE = "EcsCanary";
export type Role = 'canary' | 'stable';
/** Metric names, each with the dimensions `Service` and `Role`. */
export declare const ROLE_METRICS: {
    readonly requests: {
        readonly metricName: "Requests";
        readonly unit: "Count";
    };
    readonly errorRate: {
        readonly metricName: "ErrorRate";
        readonly unit: "Percent";
    };
    readonly p95: {
        readonly metricName: "LatencyP95";
        readonly unit: "Milliseconds";
    };
    readonly weight: {
        readonly metricName: "Weight";
        readonly unit: "Percent";
    };
};
export type RoleMetric = keyof typeof ROLE_METRICS;
export interface RoleSample {
    readonly role: Role;
    readonly metric: RoleMetric;
    readonly value: number;
    /** Epoch ms the value describes: the minute's start for traffic figures, the tick for the weight. */
    readonly at: number;
}
/**
 * This tick's samples: the newest complete minute of each role (requests, error rate as the
 * judge counts errors — target 5xx plus connection errors — and p95), and the weights the
 * engine leaves production at (`weight` is the replacement's percentage; undefined when unknown).
 */
export declare function roleSamples(metrics: MinuteBuckets | undefined, weight: number | undefined, now: number): RoleSample[];
