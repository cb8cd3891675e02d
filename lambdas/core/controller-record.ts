/**
 * What a tick's decision records: the audit draft with the stage, weights and figures the
 * controller saw, and the small texts its reasons share. Pure.
 */
import type { AuditDraft } from './audit-chain';
import { MINUTE_MS, summarize } from './observation';
import type { Action, Observation, RolloutState } from './rollout-state';

export function figuresOf(state: RolloutState, observation: Observation): Record<string, unknown> {
  const metrics = observation.metrics;
  return {
    ...(metrics
      ? {
          canary: summarize(metrics.replacement),
          baseline: summarize(
            state.rollout ? metrics.original.filter((b) => b.start + MINUTE_MS > state.rollout!.startedAt) : metrics.original,
          ),
        }
      : {}),
    ...(observation.replacementHealth ? { canaryTargets: observation.replacementHealth } : {}),
    ...(state.stageStartedAt !== undefined ? { stageStartedAt: iso(state.stageStartedAt) } : {}),
  };
}

export function audit(
  state: RolloutState,
  observation: Observation,
  draft: Omit<AuditDraft, 'deploymentId' | 'actor'> & { actor?: string },
): Action {
  const stage =
    state.config.postTrafficBakeMinutes > 0
      ? { index: -1, weight: 100 }
      : state.config.steps[state.stepIndex]
        ? { index: state.config.steps[state.stepIndex].index, weight: state.config.steps[state.stepIndex].weight }
        : undefined;
  const figures = draft.figures ?? figuresOf(state, observation);
  return {
    kind: 'audit',
    draft: {
      actor: 'engine',
      ...draft,
      deploymentId: state.deploymentId,
      hook: state.hook,
      ...(stage ? { stage } : {}),
      weights: { original: 100 - state.weight, replacement: state.weight },
      figures: {
        ...figures,
        ...(state.rollout
          ? {
              rollout: {
                startedAt: iso(state.rollout.startedAt),
                ...(state.rollout.slowThresholdMs !== undefined ? { slowThresholdMs: state.rollout.slowThresholdMs } : {}),
              },
            }
          : {}),
        ...(observation.listener ? { listenerBefore: observation.listener } : {}),
        ...(observation.errors.length > 0 ? { observationErrors: observation.errors } : {}),
      },
    },
  };
}

/** Inserts `extra` right after the decision's audit record (the record always comes first). */
export function afterAudit(actions: readonly Action[], extra: readonly Action[]): Action[] {
  return [actions[0], ...extra, ...actions.slice(1)];
}

export function healthy(observation: Observation): boolean {
  return (observation.replacementHealth?.healthy ?? 0) >= 1;
}

export function healthText(observation: Observation): string {
  const h = observation.replacementHealth;
  return h ? `${h.healthy} healthy, ${h.unhealthy} unhealthy` : 'target health unreadable';
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface Detail {
  readonly reasons?: AuditDraft['reasons'];
  readonly figures?: Record<string, unknown>;
}
