/**
 * Performs the controller's actions in order. The audit record always comes first (the
 * controller puts it there); a shift or a new header rule is written only after re-reading the
 * deployment and then the guard's fence — if it is no longer InProgress or fenced, the remaining
 * actions are dropped and the caller asks the controller for the restore. The fence is read
 * again after the write: a guard that fenced while it was in flight gets it undone at once
 * (docs/guard-fence.md). Notifications and the weight metric never block a rollback: their
 * failures are logged.
 */
import type { Action } from '../core/rollout-state';
import type { TargetPair } from '../core/rollout-state';
import type { Runtime } from './runtime';
export interface ActTarget {
    readonly deploymentId: string;
    readonly lifecycleEventHookExecutionId?: string;
    readonly targets?: TargetPair;
}
export interface ActResult {
    /** Set when a shift was refused because the deployment is no longer InProgress. */
    readonly notInProgress?: string;
    readonly performed: ReadonlyArray<Action['kind']>;
}
export declare function perform(rt: Runtime, target: ActTarget, actions: readonly Action[]): Promise<ActResult>;
