/**
 * What a deployment is doing, as CodeDeploy and the production listener report it. Adapters read;
 * the pure functions below interpret.
 */
import { type Action, DescribeListenersCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

import { awsCall } from '../../lambdas/aws/deploy-errors';
import type { DeploymentSnapshot, TrafficWeights } from '../../lambdas/aws/deployment-snapshot';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';

export {
  type DeploymentSnapshot,
  getDeploymentSnapshot,
  type LifecycleEventView,
  TERMINAL_STATUSES,
  toSnapshot,
  type TrafficWeights,
} from '../../lambdas/aws/deployment-snapshot';

/**
 * The production listener's weights per target group name, from its default forward action
 * (pure). Target groups are named through the metadata; a plain forward counts as 100%.
 */
export function listenerWeights(actions: readonly Action[], metadata: DeploymentMetadata): Map<string, number> {
  const weights = new Map<string, number>();
  const nameOf = (arn: string | undefined) => metadata.targetGroups.find((tg) => tg.arn === arn)?.name ?? arn ?? '?';
  const forward = actions.find((a) => a.Type === 'forward');
  if (!forward) return weights;
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    const total = groups.reduce((sum, g) => sum + (g.Weight ?? 1), 0);
    for (const g of groups) weights.set(nameOf(g.TargetGroupArn), total === 0 ? 0 : Math.round(((g.Weight ?? 1) * 100) / total));
  } else if (forward.TargetGroupArn) {
    weights.set(nameOf(forward.TargetGroupArn), 100);
  }
  return weights;
}

/** Original/replacement weights from listener weights and the snapshot's task set labels (pure). */
export function trafficWeights(byTargetGroup: Map<string, number>, snapshot: DeploymentSnapshot): TrafficWeights | undefined {
  if (!snapshot.replacementTargetGroup) return undefined;
  const replacement = byTargetGroup.get(snapshot.replacementTargetGroup) ?? 0;
  return { replacement, original: 100 - replacement };
}

/** Reads the production listener's default actions. */
export async function readProductionListener(
  elbv2: ElasticLoadBalancingV2Client,
  metadata: DeploymentMetadata,
): Promise<Map<string, number>> {
  const result = await awsCall('elasticloadbalancing:DescribeListeners', () =>
    elbv2.send(new DescribeListenersCommand({ ListenerArns: [metadata.productionListenerArn] })),
  );
  return listenerWeights(result.Listeners?.[0]?.DefaultActions ?? [], metadata);
}

/** One target group's share of production as the listener reports it, and its role in the deployment. */
export interface ListenerShare {
  readonly targetGroup: string;
  /**
   * `other`: neither of the deployment's target groups (changed outside ecs-canary, or a stale
   * read); `unknown`: CodeDeploy has not labelled the task sets yet (the deployment is starting).
   */
  readonly role: 'original' | 'replacement' | 'other' | 'unknown';
  readonly percent: number;
}

/**
 * The listener's weights labelled original/replacement for a deployment (pure), every target
 * group kept as read. A role CodeDeploy no longer labels (its task set is gone after a rollback)
 * is the service's other target group.
 */
export function listenerShares(
  byTargetGroup: ReadonlyMap<string, number>,
  roles: { readonly original?: string; readonly replacement?: string },
  metadata: Pick<DeploymentMetadata, 'targetGroups'>,
): ListenerShare[] {
  const names = metadata.targetGroups.map((tg) => tg.name);
  const other = (name?: string) => (name && names.includes(name) ? names.find((n) => n !== name) : undefined);
  const original = roles.original ?? other(roles.replacement);
  const replacement = roles.replacement ?? other(roles.original);
  return [...byTargetGroup].map(([targetGroup, percent]) => ({
    targetGroup,
    percent,
    role:
      targetGroup === original ? 'original' : targetGroup === replacement ? 'replacement' : original || replacement ? 'other' : 'unknown',
  }));
}
