/** Named errors of the engine's AWS adapters; each carries its `cause`. */
import { EcsCanaryError } from '../core/ecs-canary-error';
import type { TargetGroupRef } from '../core/metadata';

/** The deployment is no longer InProgress, so only the restore of the original may be written. */
export class DeploymentNotInProgressError extends EcsCanaryError {
  constructor(
    readonly deploymentId: string,
    readonly status: string,
    options?: { cause?: unknown },
  ) {
    super(`deployment ${deploymentId} is ${status}, not InProgress; the listener is left to the restore`, options);
    this.name = 'DeploymentNotInProgressError';
  }
}

/**
 * A write would give weight (or a canary rule) to a target group without a healthy target at
 * this moment (invariant 7), or that target group's health could not be read: nothing is written.
 */
export class NoHealthyTargetError extends EcsCanaryError {
  constructor(
    readonly targetGroup: string,
    readonly health: { readonly healthy: number; readonly unhealthy: number } | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `target group ${targetGroup} ${health ? `has no healthy target (${health.healthy} healthy, ${health.unhealthy} unhealthy)` : 'health could not be read'}; nothing written to it`,
      options,
    );
    this.name = 'NoHealthyTargetError';
  }
}

/** A listener write that would break invariant 2 (weights sum to 100, only the two target groups). */
export class WeightsInvariantError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeightsInvariantError';
  }
}

/** The deployment's task sets do not match the service's two target groups. */
export class DeploymentTargetError extends EcsCanaryError {
  /** The deployment has no replacement task set yet (it ended, or is read, before Install). */
  readonly noReplacementTaskSet: boolean;
  /** Without a replacement task set: the target group of the original (`Blue`) task set, when CodeDeploy lists one. */
  readonly original?: TargetGroupRef;
  constructor(message: string, options?: { cause?: unknown; noReplacementTaskSet?: boolean; original?: TargetGroupRef }) {
    super(message, options);
    this.name = 'DeploymentTargetError';
    this.noReplacementTaskSet = options?.noReplacementTaskSet ?? false;
    if (options?.original) this.original = options.original;
  }
}

/** CloudWatch could not be read after retries; the tick counts it as "no evidence". */
export class MetricsUnavailableError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsUnavailableError';
  }
}

/** The audit chain could not be extended (too many concurrent writers or a DynamoDB error). */
export class AuditAppendError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditAppendError';
  }
}

export const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
export const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException']);
const NETWORK = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN']);

/**
 * Whether a failed AWS call may succeed if tried again: throttled, a server-side fault (5xx), a
 * timeout or a dropped connection. Anything else — access denied, a missing or malformed value,
 * a validation error — is permanent. Looks through `cause` (the adapters wrap SDK errors).
 */
export function isTransientError(error: unknown): boolean {
  for (
    let e = error as { name?: string; code?: string; $fault?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth += 1
  ) {
    if (THROTTLING.has(e.name ?? '') || NETWORK.has(e.name ?? '') || NETWORK_CODES.has(e.code ?? '') || e.$fault === 'server') return true;
    e = e.cause as typeof e;
  }
  return false;
}
