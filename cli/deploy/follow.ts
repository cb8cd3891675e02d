/**
 * "Follow a deployment to the end": poll until CodeDeploy reports a terminal status, reporting
 * every observation. The clock and the sleep are injected so the loop is tested without waiting.
 */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';

import { AwsCallError } from '../../lambdas/aws/deploy-errors';
import { type DeploymentSnapshot, getDeploymentSnapshot } from '../../lambdas/aws/deployment-snapshot';

export { type DeploymentOutcome, deploymentOutcome } from '../../lambdas/aws/deployment-snapshot';

export interface FollowOptions<S extends { readonly terminal: boolean }> {
  /** One observation. */
  readonly observe: () => Promise<S>;
  /** Called with every observation, the last (terminal or timed out) included. */
  readonly onUpdate?: (observation: S) => void | Promise<void>;
  /** @default real `setTimeout` */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
  /** Time between observations. @default 10000 ms */
  readonly intervalMs?: number;
  /** Give up after this long (the caller decides what to do, e.g. stop with rollback). @default no limit */
  readonly timeoutMs?: number;
  /**
   * Whether a failed observation is retried at the next interval instead of ending the follow;
   * `consecutive` counts failures in a row, this one included.
   * @default never: the first failure ends the follow
   */
  readonly retryError?: (error: unknown, consecutive: number) => boolean;
}

export interface FollowResult<S> {
  readonly last: S;
  readonly timedOut: boolean;
}

/**
 * Retry policy for following a long rollout: transient AWS failures (throttling, network) are
 * retried up to `limit` times in a row; permission errors never.
 */
export function retryTransient(limit: number): (error: unknown, consecutive: number) => boolean {
  return (error, consecutive) => consecutive <= limit && !(error instanceof AwsCallError && error.missingAction !== undefined);
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Observes until terminal or timeout. */
export async function follow<S extends { readonly terminal: boolean }>(options: FollowOptions<S>): Promise<FollowResult<S>> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 10_000;
  const deadline = options.timeoutMs === undefined ? Infinity : now() + options.timeoutMs;
  let failures = 0;
  for (;;) {
    let observation: S;
    try {
      observation = await options.observe();
      failures = 0;
    } catch (error) {
      failures += 1;
      if (!options.retryError?.(error, failures) || now() + interval > deadline) throw error;
      await sleep(interval);
      continue;
    }
    await options.onUpdate?.(observation);
    if (observation.terminal) return { last: observation, timedOut: false };
    if (now() + interval > deadline) return { last: observation, timedOut: true };
    await sleep(interval);
  }
}

/** Follows a CodeDeploy deployment by its own status only (what the cdk-deploy resource needs). */
export function followDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  options: Omit<FollowOptions<DeploymentSnapshot>, 'observe'> = {},
): Promise<FollowResult<DeploymentSnapshot>> {
  return follow({ ...options, observe: () => getDeploymentSnapshot(codedeploy, deploymentId) });
}
