/**
 * Named errors of the deploy path. The CLI maps them to exit codes:
 * `DeployConfigError` → 2, `DeploymentBlockedError` and `DeploymentFailedError` → 1,
 * `AwsCallError` → 3.
 */
import { EcsCanaryError } from '../core/ecs-canary-error';

/** The service's configuration (metadata, task definition) or the caller's input is unusable. */
export class DeployConfigError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeployConfigError';
  }
}

/** A deployment may not start now: the service is frozen or another deployment is active. */
export class DeploymentBlockedError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly blockedBy: 'frozen' | 'in-progress',
    public readonly activeDeploymentIds: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeploymentBlockedError';
  }
}

/** The deployment ended without success (failed, stopped, rolled back, or timed out). */
export class DeploymentFailedError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly deploymentId: string,
    public readonly status: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeploymentFailedError';
  }
}

/**
 * An AWS call failed. `code` is the AWS error code (e.g. `AccessDeniedException`),
 * `operation` the API called (e.g. `ecs:RegisterTaskDefinition`), `missingAction` the IAM action
 * an access-denied message names, when it names one.
 */
export class AwsCallError extends EcsCanaryError {
  constructor(
    message: string,
    public readonly code: string,
    public readonly operation: string,
    public readonly missingAction?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AwsCallError';
  }
}

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
export function toAwsCallError(error: unknown, operation: string): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const err = error as { name?: string; Code?: string; code?: string; message?: string } | undefined;
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
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsCallError(error, operation);
  }
}
