/**
 * The guard's decision, pure: a deployment of this group FAILED or was STOPPED (EventBridge).
 * Record why, remove the header rule, and restore 100% to the original unless the listener is
 * known to send the replacement nothing already — an unreadable listener is restored anyway.
 * The restore is made final by a fence and a re-check (docs/guard-fence.md): the timing of the
 * re-check and what it decides are here too.
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
    /** Why it stopped, as far as the guard could read it (each part absent when unreadable). */
    readonly context?: StopContext;
}
/** What the guard records about why a deployment stopped (docs/audit.md). */
export interface StopContext {
    /** The deployment group's rollback alarms in ALARM (DescribeAlarms): name, state and CloudWatch's reason. */
    readonly alarms?: ReadonlyArray<{
        readonly name: string;
        readonly state: string;
        readonly reason: string;
    }>;
    /** The operator's `canary rollback` of this deployment (the control parameter): who and why. */
    readonly operator?: {
        readonly requestedBy: string;
        readonly callerArn?: string;
        readonly reason?: string;
        readonly requestId: string;
        readonly at: string;
    };
    /** The judge's newest decision record of this deployment: its figures at that moment. */
    readonly judge?: {
        readonly sk: number;
        readonly at: string;
        readonly verdict?: string;
        readonly reason: string;
        readonly figures?: Readonly<Record<string, unknown>>;
    };
}
/** What stopped the deployment, or undefined when the guard could not tell (no context, or CodeDeploy's own failure) (pure). */
export declare function stopCause(state: string, context: StopContext | undefined): string | undefined;
export interface GuardDecision {
    readonly restore: boolean;
    readonly reason: string;
    /** The audit record: written first, before anything is acted on (invariant 6). */
    readonly record: Action;
    /** What to do after the rollout executions are stopped, in order. */
    readonly actions: readonly Action[];
}
export declare function guardDecision(input: GuardInput): GuardDecision;
/** The tick Lambda's timeout (lib/rollout-engine.ts): no tick invocation runs longer. */
export declare const TICK_TIMEOUT_MS = 60000;
/** Time for ELB to apply a request a tick sent just before its timeout (seconds at most; generous). */
export declare const IN_FLIGHT_MARGIN_MS = 30000;
/** A tick that checked the fence before it was written cannot write later than this after it. */
export declare const RECHECK_AFTER_FENCE_MS: number;
/** What the guard keeps of its own remaining time for the re-check's calls. */
export declare const RECHECK_RESERVE_MS = 10000;
/** The fence the guard writes before it restores: no shift or header rule of this deployment after it. */
export interface Fence {
    readonly deploymentId: string;
    /** The CodeDeploy state of the event (`FAILURE`, `STOP`). */
    readonly state: string;
    /** When the guard wrote it, ISO 8601. */
    readonly at: string;
}
/** The status a tick reports when it finds the fence, whatever GetDeployment said. */
export declare function fencedStatus(fence: Fence): string;
export interface RecheckPlan {
    readonly waitMs: number;
    /** False when the guard's own remaining time ends before every tick that could write has ended. */
    readonly complete: boolean;
}
/**
 * When to re-check: RECHECK_AFTER_FENCE_MS after the fence (or, without one, after the guard
 * began), within the guard's remaining time when it is known.
 */
export declare function recheckPlan(fencedAt: number, now: number, remainingMs?: number): RecheckPlan;
export interface RecheckInput {
    readonly deploymentId: string;
    readonly state: string;
    readonly service: string;
    /** Production listener weights by role at the re-check, or undefined when unreadable. */
    readonly weights?: {
        readonly original: number;
        readonly replacement: number;
    };
    readonly canaryHeader: boolean;
    /** Milliseconds between the fence and the re-check. */
    readonly afterFenceMs: number;
}
export interface RecheckDecision {
    readonly restore: boolean;
    readonly reason: string;
    /** Written before the restore, only when there is something to restore. */
    readonly record?: Action;
    readonly actions: readonly Action[];
}
/**
 * The re-check after every tick that passed its checks before the fence has ended: a write such
 * a tick had in flight is undone. Header rules are removed again either way (idempotent).
 */
export declare function guardRecheck(input: RecheckInput): RecheckDecision;
