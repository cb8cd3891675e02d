"use strict";
/** Named errors of the engine's AWS adapters; each carries its `cause`. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.errorText = exports.errorName = exports.AuditAppendError = exports.MetricsUnavailableError = exports.DeploymentTargetError = exports.WeightsInvariantError = exports.DeploymentNotInProgressError = void 0;
/** The deployment is no longer InProgress, so only the restore of the original may be written. */
class DeploymentNotInProgressError extends Error {
    deploymentId;
    status;
    constructor(deploymentId, status, options) {
        super(`deployment ${deploymentId} is ${status}, not InProgress; the listener is left to the restore`, options);
        this.deploymentId = deploymentId;
        this.status = status;
        this.name = 'DeploymentNotInProgressError';
    }
}
exports.DeploymentNotInProgressError = DeploymentNotInProgressError;
/** A listener write that would break invariant 2 (weights sum to 100, only the two target groups). */
class WeightsInvariantError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'WeightsInvariantError';
    }
}
exports.WeightsInvariantError = WeightsInvariantError;
/** The deployment's task sets do not match the service's two target groups. */
class DeploymentTargetError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'DeploymentTargetError';
    }
}
exports.DeploymentTargetError = DeploymentTargetError;
/** CloudWatch could not be read after retries; the tick counts it as "no evidence". */
class MetricsUnavailableError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'MetricsUnavailableError';
    }
}
exports.MetricsUnavailableError = MetricsUnavailableError;
/** The audit chain could not be extended (too many concurrent writers or a DynamoDB error). */
class AuditAppendError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'AuditAppendError';
    }
}
exports.AuditAppendError = AuditAppendError;
const errorName = (error) => (error instanceof Error ? error.name : typeof error);
exports.errorName = errorName;
const errorText = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
exports.errorText = errorText;
