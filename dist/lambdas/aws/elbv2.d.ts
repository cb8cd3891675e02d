/** ALB adapter: production listener weights, the canary-header rule and live target health. */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { TargetPair } from '../core/rollout-state';
export interface Weights {
    readonly original: number;
    readonly replacement: number;
}
/** The listener's default forward, by role. Fails when it names any other target group. */
export declare function readWeights(client: ElasticLoadBalancingV2Client, listenerArn: string, targets: TargetPair): Promise<Weights>;
/**
 * Writes the weighted forward, keeping the listener's target-group stickiness (ModifyListener
 * replaces the whole action, so an omitted TargetGroupStickinessConfig would switch it off).
 * Refuses weights that are not whole, non-negative and summing to 100. The restore (100% to the
 * original) is never held up by the read: if the listener cannot be read, it is written without.
 */
export declare function writeWeights(client: ElasticLoadBalancingV2Client, listenerArn: string, targets: TargetPair, weights: Weights): Promise<void>;
export declare function targetHealth(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<{
    healthy: number;
    unhealthy: number;
}>;
/** The healthy targets of a target group as `host:port` (awsvpc tasks register by IP). */
export declare function healthyEndpoints(client: ElasticLoadBalancingV2Client, targetGroupArn: string): Promise<Array<{
    host: string;
    port: number;
}>>;
export interface CanaryHeader {
    readonly name: string;
    readonly value: string;
}
/**
 * Ensures one rule on the production listener forwards requests carrying the canary header to the
 * replacement, at the highest precedence free. Idempotent: a rule already forwarding to the
 * replacement is kept. A header rule forwarding anywhere else — left by an earlier deployment and
 * moved by CodeDeploy, which rewrites every rule forwarding to its target groups at AllowTraffic
 * and on rollback — is deleted first (DeleteRule/CreateRule: no ModifyRule grant needed).
 */
export declare function ensureHeaderRule(client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader, replacementArn: string): Promise<'created' | 'present' | 'replaced'>;
/** Deletes every canary-header rule of the listener; returns how many it removed. */
export declare function removeHeaderRules(client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader): Promise<number>;
