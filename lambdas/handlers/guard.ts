/**
 * Guard Lambda: EventBridge sends this deployment group's FAILURE and STOP state changes. It
 * restores 100% to the original if the listener still sends traffic to the replacement, removes
 * the header rule, stops the deployment's rollout executions, and records and announces why.
 */
import type { Action } from '../core/rollout-state';
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
  const mustRestore = weights === undefined || weights.replacement > 0;
  const reason = `deployment ${state === 'STOP' ? 'stopped' : 'failed'} (${state}); ${mustRestore
    ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, restoring 100% to the original`
    : 'the listener already sends 100% to the original'}`;
  const actions: Action[] = [
    { kind: 'audit', draft: { kind: 'event', deploymentId, verdict: 'restore', action: mustRestore ? 'restore 100% to the original, remove the header rule, stop the rollout executions' : 'remove the header rule, stop the rollout executions', reason, actor: 'guard', ...(weights ? { weights } : {}), figures: { event: event.detail.state } } },
    ...(metadata.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    ...(mustRestore ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const, { kind: 'putWeightMetric', weight: 0 } as const] : []),
    { kind: 'notify', severity: 'critical', subject: `[critical] ${rt.env.service} ${deploymentId} ${state}`, message: reason },
  ];
  const [record, ...rest] = actions;
  await perform(rt, { deploymentId, targets }, [record]);
  // Stop the ticks first, so none of them can act after the restore.
  const stopped = rt.env.stateMachineArn ? await stopRollouts(clients.sfn, rt.env.stateMachineArn, deploymentId, reason) : [];
  await perform(rt, { deploymentId, targets }, rest);
  logger.info('guard done', { restored: mustRestore, stopped });
  return { restored: mustRestore, stopped };
}
