/**
 * Whether a deployment is still its group's current one (invariant 7), read with a short backoff:
 * the guard establishes it before anything else, and every restore establishes it again right
 * before its write, since a newer deployment may have been created in between.
 */
import { deploymentHistory } from '../aws/codedeploy';
import { errorText } from '../aws/engine-errors';
import { type Currency, deploymentCurrency } from '../core/currency';
import type { Runtime } from './runtime';

/** Reads of the deployment group's history: attempts and the backoff before each retry. */
export const CURRENCY_BACKOFF_MS = [0, 1_000, 3_000];

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The deployment's currency; `value` undefined (and `error` the last failure) when every attempt failed. */
export async function establishCurrency(
  runtime: Pick<Runtime, 'clients' | 'metadata' | 'logger' | 'sleep'>,
  deploymentId: string,
  sleep: (ms: number) => Promise<void> = runtime.sleep ?? timer,
): Promise<{ value?: Currency; error?: string }> {
  let error = '';
  for (const wait of CURRENCY_BACKOFF_MS) {
    if (wait > 0) await sleep(wait);
    try {
      return { value: deploymentCurrency(await deploymentHistory(runtime.clients.codedeploy, deploymentId, runtime.metadata)) };
    } catch (failure) {
      error = errorText(failure);
      runtime.logger.warn("cannot read the deployment group's deployments", { error });
    }
  }
  return { error };
}
