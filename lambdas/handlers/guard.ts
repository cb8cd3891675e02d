/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * restores 100% to the original if the listener still sends traffic to the replacement, removes
 * the header rule, stops the deployment's rollout executions, and records and announces why.
 */
import { guardDecision } from '../core/guard';
import { deploymentTargets } from '../aws/codedeploy';
import { readWeights } from '../aws/elbv2';
import { stopRollouts } from '../aws/sfn';
import { errorText } from '../aws/errors';
import { perform } from './act';
import { logger, runtime, type Runtime } from './runtime';

export interface DeploymentStateChange {
  readonly 'detail-type'?: string;
  readonly detail: { readonly deploymentId: string; readonly state: string; readonly deploymentGroup?: string; readonly application?: string };
}

export const handler = async (event: DeploymentStateChange) => guard(await runtime(), event);

export async function guard(rt: Runtime, event: DeploymentStateChange): Promise<{ restored: boolean; stopped: string[] }> {
  const { deploymentId, state } = event.detail;
  logger.appendKeys({ deploymentId });
  const { clients, metadata } = rt;
  const targets = await deploymentTargets(clients.codedeploy, deploymentId, metadata.targetGroups);
  const weights = await readWeights(clients.elbv2, metadata.productionListenerArn, targets).catch((error) => {
    logger.warn('cannot read listener weights; restoring anyway', { error: errorText(error) });
    return undefined;
  });
  const decision = guardDecision({ deploymentId, state, service: rt.env.service, weights, canaryHeader: metadata.canaryHeader !== undefined });
  await perform(rt, { deploymentId, targets }, [decision.record]);
  // Stop the ticks first, so none of them can act after the restore.
  const stopped = rt.env.stateMachineArn ? await stopRollouts(clients.sfn, rt.env.stateMachineArn, deploymentId, decision.reason) : [];
  await perform(rt, { deploymentId, targets }, decision.actions);
  logger.info('guard done', { restored: decision.restore, stopped });
  return { restored: decision.restore, stopped };
}
