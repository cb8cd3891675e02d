/**
 * What a deployment is doing, as CodeDeploy and the production listener report it. Adapters read;
 * the pure functions below interpret.
 */
import { DescribeListenersCommand, type Action, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { awsCall } from '../../lambdas/aws/deploy-errors';
import type { DeploymentSnapshot, TrafficWeights } from '../../lambdas/aws/deployment-snapshot';

export {
  getDeploymentSnapshot,
  TERMINAL_STATUSES,
  toSnapshot,
  type DeploymentSnapshot,
  type LifecycleEventView,
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
export async function readProductionListener(elbv2: ElasticLoadBalancingV2Client, metadata: DeploymentMetadata): Promise<Map<string, number>> {
  const result = await awsCall('elasticloadbalancing:DescribeListeners', () =>
    elbv2.send(new DescribeListenersCommand({ ListenerArns: [metadata.productionListenerArn] })),
  );
  return listenerWeights(result.Listeners?.[0]?.DefaultActions ?? [], metadata);
}
