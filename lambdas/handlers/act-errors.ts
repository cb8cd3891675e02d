/** Named errors of the handlers' action runners (act.ts, metadata-failure.ts): actions asked of a runner that lacks what they need. */
import { EcsCanaryError } from '../core/ecs-canary-error';

/** A listener or rule action was asked for while the deployment's target groups are unknown. */
export class TargetGroupsUnknownError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetGroupsUnknownError';
  }
}

/** A hook answer was asked for by an invocation that has no lifecycle event hook execution to answer. */
export class NoHookExecutionError extends EcsCanaryError {
  constructor(message = 'no lifecycle event hook execution to report to', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NoHookExecutionError';
  }
}

/** An action that needs the deployment metadata was asked of the runner used when the metadata cannot be read. */
export class MetadataRequiredError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetadataRequiredError';
  }
}

/**
 * A listener restore that depends on reading the listener could not read it (after the SDK's own
 * retries): thrown once the invocation's other actions are done, so Lambda retries the event.
 */
export class ListenerUnreadableError extends EcsCanaryError {
  constructor(
    readonly listener: 'production' | 'test',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ListenerUnreadableError';
  }
}
