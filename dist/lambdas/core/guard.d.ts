/**
 * The guard's decision, pure: a deployment of this group FAILED or was STOPPED (EventBridge).
 * Record why, remove the header rule, and restore 100% to the original unless the listener is
 * known to send the replacement nothing already — an unreadable listener is restored anyway.
 */
import type { Action } from './rollout-state';
export interface GuardInput {
    readonly deploymentId: string;
    /** The CodeDeploy state of the event (`FAILURE`, `STOP`). */
    readonly state: string;
    readonly service: string;
    /** Production listener weights by role, or undefined when they could not be read. */
    readonly weights?: {
        readonly original: number;
        readonly replacement: number;
    };
    readonly canaryHeader: boolean;
}
export interface GuardDecision {
    readonly restore: boolean;
    readonly reason: string;
    /** The audit record: written first, before anything is acted on (invariant 6). */
    readonly record: Action;
    /** What to do after the rollout executions are stopped, in order. */
    readonly actions: readonly Action[];
}
export declare function guardDecision(input: GuardInput): GuardDecision;
