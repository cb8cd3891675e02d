/**
 * Retries a read inside the invocation with the backoff `lambdas/core/read-retry.ts` decides, on
 * the runtime's clock and sleep (the fake clock's in tests).
 */
import { errorText } from '../aws/engine-errors';
import { EcsCanaryError } from '../core/ecs-canary-error';
import { readRetryDelay, type ReadRetryPolicy } from '../core/read-retry';
import type { Runtime } from './runtime';

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The read's result, or its last error with the number of attempts once the policy gives up. An
 * error `retryable` refuses (a permanent one) is thrown at once, as it is.
 */
export async function readWithRetry<T>(
  runtime: Pick<Runtime, 'clock' | 'sleep' | 'logger'>,
  what: string,
  read: () => Promise<T>,
  policy: ReadRetryPolicy,
  retryable: (error: unknown) => boolean = () => true,
): Promise<T> {
  const startedAt = runtime.clock();
  for (let failed = 0; ;) {
    try {
      return await read();
    } catch (error) {
      if (!retryable(error)) throw error;
      failed += 1;
      const delay = readRetryDelay(policy, failed, runtime.clock() - startedAt);
      if (delay === undefined) throw new ReadRetriesExhaustedError(`${errorText(error)} (${failed} attempts)`, { cause: error });
      runtime.logger.warn('read failed; retrying', { read: what, attempt: failed, delayMs: delay, error: errorText(error) });
      await (runtime.sleep ?? timer)(delay);
    }
  }
}

/** A read kept failing for the whole retry budget; the message names the last error and the attempts. */
export class ReadRetriesExhaustedError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadRetriesExhaustedError';
  }
}
