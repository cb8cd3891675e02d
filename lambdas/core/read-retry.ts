/**
 * How long a Lambda waits before it tries a failed read again, inside the same invocation. Pure:
 * the elapsed time is an argument. Reads are retried so that one throttled or failed call (after
 * the SDK's own retries) neither fails a clean release nor leaves a hook unanswered.
 */

export interface ReadRetryPolicy {
  /** Wait after the first failure, ms. */
  readonly firstDelayMs: number;
  /** Each later wait is the previous one times this. */
  readonly backoffRate: number;
  readonly maxDelayMs: number;
  /**
   * Time the retries may take in all, counted from the first attempt: the invocation must still
   * have time afterwards to record, restore and answer.
   */
  readonly budgetMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
}

/**
 * Hooks run for at most TICK_TIMEOUT_MS (60 s): 1 + 2 + 4 + 8 + 16 s of waits (six attempts)
 * leave over 20 s for the failure path (audit record, restore, PutLifecycleEventHookExecutionStatus, SNS).
 */
export const HOOK_READ_RETRY: ReadRetryPolicy = {
  firstDelayMs: 1_000,
  backoffRate: 2,
  maxDelayMs: 16_000,
  budgetMs: 35_000,
  maxAttempts: 6,
};

/**
 * The start check runs for at most 60 s and makes up to three calls in a row that matter
 * (GetDeployment, GetApplicationRevision, then StopDeployment or ContinueDeployment): 0.5 + 1 + 2
 * + 4 s of waits each (five attempts), so all three retried in full still leave time to record
 * and announce.
 */
export const START_CHECK_RETRY: ReadRetryPolicy = {
  firstDelayMs: 500,
  backoffRate: 2,
  maxDelayMs: 4_000,
  budgetMs: 10_000,
  maxAttempts: 5,
};

/**
 * The wait before attempt `failedAttempts + 1`, or undefined when the read should give up: every
 * attempt is spent, or the wait would end past the budget.
 */
export function readRetryDelay(policy: ReadRetryPolicy, failedAttempts: number, elapsedMs: number): number | undefined {
  if (failedAttempts < 1) return 0;
  if (failedAttempts >= policy.maxAttempts) return undefined;
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.backoffRate ** (failedAttempts - 1));
  return elapsedMs + delay > policy.budgetMs ? undefined : delay;
}

/**
 * The tick's state machine retries a failing tick for about 75 s; this long, counted from the first caught
 * failure, the window holds instead of failing.
 */
export const TICK_FAILURE_TOLERANCE_MS = 5 * 60_000;

/**
 * A hook answered without its deployment metadata (after up to HOOK_READ_RETRY's 35 s of reading
 * it) records, answers and notifies with these retries each (0.5, 1, 2 s; at most 4 s in all),
 * so the answer still lands inside the function's 60 s.
 */
export const ANSWER_RETRY: ReadRetryPolicy = {
  firstDelayMs: 500,
  backoffRate: 2,
  maxDelayMs: 2_000,
  budgetMs: 4_000,
  maxAttempts: 4,
};
