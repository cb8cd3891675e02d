/**
 * Idempotent tick retries, pure: whether a difference between the listener and the rollout state
 * is a shift this window recorded and wrote itself (a tick that died after its write and was
 * retried with its old state), or a write nobody recorded.
 */
import type { Observation, RolloutState } from './rollout-state';

/**
 * A tick records a shift before writing it; if it dies after the write, Step Functions retries it
 * with the state from before. The listener then matches the newest decision this window
 * recorded — a shift to a later step of this window, recorded since the current stage began —
 * and the retried tick adopts it. Any other difference is a write nobody recorded.
 */
export function ownShift(state: RolloutState, observation: Observation): RolloutState | undefined {
  const listener = observation.listener;
  const newest = observation.recorded?.find((r) => r.actor === 'engine' && r.kind === 'decision' && r.hook === state.hook);
  if (!listener || !newest || (newest.verdict !== 'start' && newest.verdict !== 'promote')) return undefined;
  if (newest.weights?.replacement !== listener.replacement || newest.at < (state.stageStartedAt ?? state.startedAt)) return undefined;
  const stepIndex = state.config.steps.findIndex((s) => s.index === newest.stage?.index && s.weight === listener.replacement);
  if (stepIndex < 0 || stepIndex <= state.stepIndex) return undefined;
  return {
    ...state, status: 'baking', stepIndex, weight: listener.replacement, stageStartedAt: newest.at, stagePausedMs: 0,
    promoteRequestedBy: undefined, failedObservations: 0,
  };
}
