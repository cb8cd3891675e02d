"use strict";
/**
 * Named errors of the deploy path. The CLI maps them to exit codes:
 * `DeployConfigError` → 2, `DeploymentBlockedError` and `DeploymentFailedError` → 1,
 * `AwsCallError` → 3.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.AwsCallError = exports.DeploymentFailedError = exports.DeploymentBlockedError = exports.DeployConfigError = void 0;
exports.toAwsCallError = toAwsCallError;
exports.awsCall = awsCall;
/** The service's configuration (metadata, task definition) or the caller's input is unusable. */
class DeployConfigError extends Error {
    field;
    constructor(message, field, options) {
        super(message, options);
        this.field = field;
        this.name = 'DeployConfigError';
    }
}
exports.DeployConfigError = DeployConfigError;
/** A deployment may not start now: the service is frozen or another deployment is active. */
class DeploymentBlockedError extends Error {
    blockedBy;
    activeDeploymentIds;
    constructor(message, blockedBy, activeDeploymentIds = [], options) {
        super(message, options);
        this.blockedBy = blockedBy;
        this.activeDeploymentIds = activeDeploymentIds;
        this.name = 'DeploymentBlockedError';
    }
}
exports.DeploymentBlockedError = DeploymentBlockedError;
/** The deployment ended without success (failed, stopped, rolled back, or timed out). */
class DeploymentFailedError extends Error {
    deploymentId;
    status;
    constructor(message, deploymentId, status, options) {
        super(message, options);
        this.deploymentId = deploymentId;
        this.status = status;
        this.name = 'DeploymentFailedError';
    }
}
exports.DeploymentFailedError = DeploymentFailedError;
/**
 * An AWS call failed. `code` is the AWS error code (e.g. `AccessDeniedException`),
 * `operation` the API called (e.g. `ecs:RegisterTaskDefinition`), `missingAction` the IAM action
 * an access-denied message names, when it names one.
 */
class AwsCallError extends Error {
    code;
    operation;
    missingAction;
    constructor(message, code, operation, missingAction, options) {
        super(message, options);
        this.code = code;
        this.operation = operation;
        this.missingAction = missingAction;
        this.name = 'AwsCallError';
    }
}
exports.AwsCallError = AwsCallError;
const ACCESS_DENIED_CODES = new Set([
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'UnauthorizedException',
    'AuthorizationError',
    'AuthorizationErrorException',
]);
/**
 * Wraps any error from an SDK call into an `AwsCallError` that names the code, the operation
 * and, for access denied, the missing action (from the message `... is not authorized to perform:
 * <action> on resource: ...`, or else the operation called). Pure.
 */
function toAwsCallError(error, operation) {
    if (error instanceof AwsCallError)
        return error;
    const err = error;
    const code = err?.name && err.name !== 'Error' ? err.name : (err?.Code ?? err?.code ?? 'UnknownError');
    const message = err?.message ?? String(error);
    const named = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
    const denied = ACCESS_DENIED_CODES.has(code) || named !== undefined;
    const missingAction = denied ? (named ?? operation) : undefined;
    const text = denied
        ? `${operation} failed with ${code}: missing permission ${missingAction} (${message})`
        : `${operation} failed with ${code}: ${message}`;
    return new AwsCallError(text, code, operation, missingAction, { cause: error });
}
/** Runs one SDK call and turns its failure into an `AwsCallError` naming the operation. */
async function awsCall(operation, call) {
    try {
        return await call();
    }
    catch (error) {
        throw toAwsCallError(error, operation);
    }
}
