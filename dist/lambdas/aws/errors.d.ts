/** Named errors of the engine's AWS adapters; each carries its `cause`. */
/** The deployment is no longer InProgress, so only the restore of the original may be written. */
export declare class DeploymentNotInProgressError extends Error {
    readonly deploymentId: string;
    readonly status: string;
    constructor(deploymentId: string, status: string, options?: {
        cause?: unknown;
    });
}
/** A listener write that would break invariant 2 (weights sum to 100, only the two target groups). */
export declare class WeightsInvariantError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** The deployment's task sets do not match the service's two target groups. */
export declare class DeploymentTargetError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** CloudWatch could not be read after retries; the tick counts it as "no evidence". */
export declare class MetricsUnavailableError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** The audit chain could not be extended (too many concurrent writers or a DynamoDB error). */
export declare class AuditAppendError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
export declare const errorName: (error: unknown) => string;
export declare const errorText: (error: unknown) => string;
