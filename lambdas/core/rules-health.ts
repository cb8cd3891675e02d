/**
 * Production and the canary rules follow the replacement's live target health (invariants 1
 * and 7), pure: the controller restores the original when the replacement serves production
 * without a healthy target, and recreates the canary header/cookie rules a hold removed once the
 * replacement has a healthy target again within the window.
 */
import type { Decision, Observation } from './rollout-state';

/**
 * Why the original must be restored at once, or undefined: the listener gives the replacement
 * weight but it has no healthy target — whatever the state believes (a retried tick whose shift
 * landed, a stage holding without metrics). The restore itself is written only onto an original
 * with a healthy target (handlers/act.ts); otherwise CodeDeploy's rollback takes over.
 */
export function servingWithoutHealthyTarget(observation: Observation): string | undefined {
  const { listener, replacementHealth: health } = observation;
  if (!listener || listener.replacement <= 0 || !health || health.healthy >= 1) return undefined;
  return `the replacement serves ${listener.replacement}% of production with no healthy target (${health.healthy} healthy, ${health.unhealthy} unhealthy); restoring the original at once`;
}

/**
 * Marks a decision that removed the canary rules (a hold without a healthy replacement target),
 * and recreates them in the first later decision of the window that keeps baking while the
 * replacement has a healthy target. The rule is created after the decision's audit record; the
 * act layer re-reads the replacement's health right before creating it.
 */
export function withRulesFollowingHealth(decision: Decision, observation: Observation): Decision {
  const { state, actions } = decision;
  // The post-traffic bake runs without canary rules (production is all on the replacement).
  if (!state.config.canaryHeader || state.config.postTrafficBakeMinutes > 0) return decision;
  if (actions.some((a) => a.kind === 'removeHeaderRule')) {
    return decision.done ? decision : { ...decision, state: { ...state, rulesWithdrawn: true } };
  }
  const recovered = (observation.replacementHealth?.healthy ?? 0) >= 1;
  if (!state.rulesWithdrawn || decision.done || state.status !== 'baking' || !recovered) return decision;
  const { rulesWithdrawn: _recreated, ...rest } = state;
  const create = actions.some((a) => a.kind === 'createHeaderRule') ? [] : [{ kind: 'createHeaderRule' } as const];
  return { ...decision, state: rest, actions: [actions[0], ...create, ...actions.slice(1)] };
}
