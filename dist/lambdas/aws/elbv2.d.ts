/** ALB adapter: production listener weights, the canary header and cookie rules and live target health. */
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
export interface CanaryCookie {
    readonly name: string;
    readonly value: string;
}
/** What a canary rule matches: one `http-header` condition (ALB compares values case-insensitively, `*` and `?` as wildcards). */
export interface RuleMatch {
    readonly headerName: string;
    readonly values: readonly string[];
}
export declare const headerMatch: (header: CanaryHeader) => RuleMatch;
/**
 * A cookie rule: an `http-header` condition on `Cookie` with `*name=value*` (ALB has no cookie
 * condition; the header holds every cookie as `a=1; name=value; b=2`). Being a substring match,
 * it also matches `xname=value2`: pick a name and value no other cookie contains.
 */
export declare const cookieMatch: (cookie: CanaryCookie) => RuleMatch;
/** The rules the service routes testers by: the header rule and/or the cookie rule. */
export declare function canaryMatches(routing: {
    readonly canaryHeader?: CanaryHeader;
    readonly canaryCookie?: CanaryCookie;
}): RuleMatch[];
/**
 * Ensures one rule on the production listener forwards requests matching `match` to the
 * replacement, at the highest precedence free. Idempotent: a rule already forwarding to the
 * replacement is kept. A matching rule forwarding anywhere else — left by an earlier deployment and
 * moved by CodeDeploy, which rewrites every rule forwarding to its target groups at AllowTraffic
 * and on rollback — is deleted first (DeleteRule/CreateRule: no ModifyRule grant needed).
 */
export declare function ensureRule(client: ElasticLoadBalancingV2Client, listenerArn: string, match: RuleMatch, replacementArn: string): Promise<'created' | 'present' | 'replaced'>;
/** Deletes every rule of the listener matching any of `matches`; returns how many it removed. */
export declare function removeRules(client: ElasticLoadBalancingV2Client, listenerArn: string, matches: readonly RuleMatch[]): Promise<number>;
/** The canary-header rule (see `ensureRule`). */
export declare const ensureHeaderRule: (client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader, replacementArn: string) => Promise<"created" | "present" | "replaced">;
/** Deletes every canary-header rule of the listener; returns how many it removed. */
export declare const removeHeaderRules: (client: ElasticLoadBalancingV2Client, listenerArn: string, header: CanaryHeader) => Promise<number>;
