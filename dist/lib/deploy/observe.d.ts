/**
 * What a deployment is doing, as CodeDeploy and the production listener report it. Adapters read;
 * the pure functions below interpret.
 */
import { type Action, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import type { DeploymentSnapshot, TrafficWeights } from '../../lambdas/aws/deployment-snapshot';
export { getDeploymentSnapshot, TERMINAL_STATUSES, toSnapshot, type DeploymentSnapshot, type LifecycleEventView, type TrafficWeights, } from '../../lambdas/aws/deployment-snapshot';
/**
 * The production listener's weights per target group name, from its default forward action
 * (pure). Target groups are named through the metadata; a plain forward counts as 100%.
 */
export declare function listenerWeights(actions: readonly Action[], metadata: DeploymentMetadata): Map<string, number>;
/** Original/replacement weights from listener weights and the snapshot's task set labels (pure). */
export declare function trafficWeights(byTargetGroup: Map<string, number>, snapshot: DeploymentSnapshot): TrafficWeights | undefined;
/** Reads the production listener's default actions. */
export declare function readProductionListener(elbv2: ElasticLoadBalancingV2Client, metadata: DeploymentMetadata): Promise<Map<string, number>>;
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
export declare function listenerShares(byTargetGroup: ReadonlyMap<string, number>, roles: {
    readonly original?: string;
    readonly replacement?: string;
}, metadata: Pick<DeploymentMetadata, 'targetGroups'>): ListenerShare[];
