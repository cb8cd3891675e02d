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
  readonly weights?: { readonly original: number; readonly replacement: number };
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

export function guardDecision(input: GuardInput): GuardDecision {
  const { deploymentId, state, weights } = input;
  const restore = weights === undefined || weights.replacement > 0;
  const reason = `deployment ${state === 'STOP' ? 'stopped' : 'failed'} (${state}); ${restore
    ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, restoring 100% to the original`
    : 'the listener already sends 100% to the original'}`;
  const record: Action = {
    kind: 'audit',
    draft: {
      kind: 'event', deploymentId, verdict: 'restore',
      action: restore ? 'restore 100% to the original, remove the header rule, stop the rollout executions' : 'remove the header rule, stop the rollout executions',
      reason, actor: 'guard', ...(weights ? { weights } : {}), figures: { event: state },
    },
  };
  const actions: Action[] = [
    ...(input.canaryHeader ? [{ kind: 'removeHeaderRule' } as const] : []),
    ...(restore ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 } as const, { kind: 'putWeightMetric', weight: 0 } as const] : []),
    { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} ${state}`, message: reason },
  ];
  return { restore, reason, record, actions };
}
