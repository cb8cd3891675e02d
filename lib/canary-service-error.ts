import { EcsCanaryError } from '../lambdas/core/ecs-canary-error';

/** A construct of ecs-canary cannot be built as asked; the message names the construct path and the fix. */
export class CanaryServiceError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CanaryServiceError';
  }
}
