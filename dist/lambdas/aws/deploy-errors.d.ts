/**
 * Named errors of the deploy path. The CLI maps them to exit codes:
 * `DeployConfigError` → 2, `DeploymentBlockedError` and `DeploymentFailedError` → 1,
 * `AwsCallError` → 3.
 */
/** The service's configuration (metadata, task definition) or the caller's input is unusable. */
export declare class DeployConfigError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/** A deployment may not start now: the service is frozen or another deployment is active. */
export declare class DeploymentBlockedError extends Error {
    readonly blockedBy: 'frozen' | 'in-progress';
    readonly activeDeploymentIds: readonly string[];
    constructor(message: string, blockedBy: 'frozen' | 'in-progress', activeDeploymentIds?: readonly string[], options?: {
        cause?: unknown;
    });
}
/** The deployment ended without success (failed, stopped, rolled back, or timed out). */
export declare class DeploymentFailedError extends Error {
    readonly deploymentId: string;
    readonly status: string;
    constructor(message: string, deploymentId: string, status: string, options?: {
        cause?: unknown;
    });
}
/**
 * An AWS call failed. `code` is the AWS error code (e.g. `AccessDeniedException`),
 * `operation` the API called (e.g. `ecs:RegisterTaskDefinition`), `missingAction` the IAM action
 * an access-denied message names, when it names one.
 */
export declare class AwsCallError extends Error {
    readonly code: string;
    readonly operation: string;
    readonly missingAction?: string | undefined;
    constructor(message: string, code: string, operation: string, missingAction?: string | undefined, options?: {
        cause?: unknown;
    });
}
/**
 * Wraps any error from an SDK call into an `AwsCallError` that names the code, the operation
 * and, for access denied, the missing action (from the message `... is not authorized to perform:
 * <action> on resource: ...`, or else the operation called). Pure.
 */
export declare function toAwsCallError(error: unknown, operation: string): AwsCallError;
/** Runs one SDK call and turns its failure into an `AwsCallError` naming the operation. */
export declare function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T>;
